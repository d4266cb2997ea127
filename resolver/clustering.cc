#include "resolver/clustering.h"

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace c360 {
namespace {

uint64_t PairCode(int a, int b) {
  const auto [lo, hi] = std::minmax(a, b);
  return static_cast<uint64_t>(lo) << 32 | static_cast<uint32_t>(hi);
}

// The clusters being built, with the pairs already scored.
class Clusters {
 public:
  Clusters(int n, const std::vector<ScoredPair>& pairs,
           const PairScorer& scorer, const ClusteringOptions& options)
      : scorer_(scorer), options_(options), cluster_of_(n), members_(n) {
    for (int i = 0; i < n; ++i) {
      cluster_of_[i] = i;
      members_[i] = {i};
    }
    for (const ScoredPair& pair : pairs)
      known_[PairCode(pair.a, pair.b)] = pair;
  }

  int Of(int record) const { return cluster_of_[record]; }

  // Whether clusters `x` and `y` may become one.
  bool MayMerge(int x, int y) {
    if (SharesExclusiveGroup(x, y)) return false;
    const size_t cross = members_[x].size() * members_[y].size();
    double sum = 0;
    int64_t count = 0;
    for (int a : members_[x]) {
      for (int b : members_[y]) {
        const ScoredPair* pair = Find(a, b, cross <= options_.max_cross_pairs);
        if (pair == nullptr) continue;
        if (pair->conflict) return false;
        sum += pair->weight;
        ++count;
      }
    }
    return count > 0 && sum / count >= options_.link_weight;
  }

  // Moves the smaller cluster into the larger.
  void Merge(int x, int y) {
    if (members_[x].size() < members_[y].size()) std::swap(x, y);
    for (int record : members_[y]) cluster_of_[record] = x;
    members_[x].insert(members_[x].end(), members_[y].begin(),
                       members_[y].end());
    members_[y].clear();
  }

  std::vector<int> TakeAssignment() { return std::move(cluster_of_); }

 private:
  bool SharesExclusiveGroup(int x, int y) const {
    if (options_.exclusive_group.empty()) return false;
    for (int a : members_[x]) {
      const int group = options_.exclusive_group[a];
      if (group < 0) continue;
      for (int b : members_[y]) {
        if (options_.exclusive_group[b] == group) return true;
      }
    }
    return false;
  }

  // The scored pair; unknown pairs are scored when `score_unknown`.
  const ScoredPair* Find(int a, int b, bool score_unknown) {
    const uint64_t code = PairCode(a, b);
    auto it = known_.find(code);
    if (it != known_.end()) return &it->second;
    if (!score_unknown) return nullptr;
    return &known_.emplace(code, scorer_(a, b)).first->second;
  }

  const PairScorer& scorer_;
  const ClusteringOptions& options_;
  std::vector<int> cluster_of_;
  std::vector<std::vector<int>> members_;
  absl::flat_hash_map<uint64_t, ScoredPair> known_;
};

bool Stronger(const ScoredPair& x, const ScoredPair& y) {
  return std::tie(y.weight, x.a, x.b) < std::tie(x.weight, y.a, y.b);
}

}  // namespace

Clustering ClusterRecords(int num_records, std::vector<ScoredPair> pairs,
                          const PairScorer& scorer,
                          const ClusteringOptions& options) {
  std::sort(pairs.begin(), pairs.end(), Stronger);
  Clusters clusters(num_records, pairs, scorer, options);
  Clustering result;
  for (const ScoredPair& pair : pairs) {
    if (pair.weight < options.link_weight) break;
    const int x = clusters.Of(pair.a), y = clusters.Of(pair.b);
    if (x == y) continue;
    if (clusters.MayMerge(x, y)) {
      clusters.Merge(x, y);
    } else {
      result.review.push_back(pair);
    }
  }
  for (const ScoredPair& pair : pairs) {
    const bool in_band = pair.weight >= options.review_weight &&
                         pair.weight < options.link_weight;
    if (in_band && clusters.Of(pair.a) != clusters.Of(pair.b)) {
      result.review.push_back(pair);
    }
  }
  result.cluster_of = clusters.TakeAssignment();
  return result;
}

}  // namespace c360

// Bulk clustering of scored record pairs into entities without chaining.
//
// Transitive closure of "A matches B" puts A and C in one entity when B
// matches both, even when A and C are clearly different people (a parent
// and a child who share an address, joined by one record with only the
// family name). Here every merge of two clusters is judged on the evidence
// between them: the pairs are taken strongest first, so a record joins its
// best entity, and two clusters merge only when the average weight of all
// their cross pairs reaches the link threshold, no cross pair conflicts on
// a strong identifier, and no one-record-per-person source would have two
// records in the result. A refused merge goes to review.
#ifndef C360_RESOLVER_CLUSTERING_H_
#define C360_RESOLVER_CLUSTERING_H_

#include <cstddef>
#include <functional>
#include <vector>

namespace c360 {

// The model's verdict on one pair of records (by index).
struct ScoredPair {
  int a = 0;
  int b = 0;
  double weight = 0;      // match weight, log2 odds
  bool conflict = false;  // strong identifiers disagree (MatchModel::Conflicts)
};

// Scores a pair that blocking did not produce, when a merge needs it.
using PairScorer = std::function<ScoredPair(int a, int b)>;

struct ClusteringOptions {
  // A pair or a merge (on average over the cross pairs) needs this weight.
  double link_weight = 0;
  // Pairs from here up to `link_weight` left in two clusters are reviewed.
  double review_weight = 0;
  // Per record, a group of which one cluster may hold at most one record
  // (the records of a source with one record per person), or -1. Empty
  // means no groups.
  std::vector<int> exclusive_group;
  // A merge with more cross pairs than this is judged on the scored pairs
  // between the clusters alone, to bound the cost of giant clusters.
  size_t max_cross_pairs = 10000;
};

struct Clustering {
  // Per record, its cluster: the index of one of its members.
  std::vector<int> cluster_of;
  // Pairs for a steward: scored between the thresholds and left apart, or
  // the pair that proposed a merge that was refused.
  std::vector<ScoredPair> review;
};

// Clusters records 0..num_records-1 given the scored candidate `pairs`.
// Deterministic: ties are broken by record index.
Clustering ClusterRecords(int num_records, std::vector<ScoredPair> pairs,
                          const PairScorer& scorer,
                          const ClusteringOptions& options);

}  // namespace c360

#endif  // C360_RESOLVER_CLUSTERING_H_

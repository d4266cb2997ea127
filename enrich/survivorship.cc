// The ranking engine of survivorship.h; the configuration is in
// survivorship_rules.cc.
#include "enrich/survivorship.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/time_util.h"

namespace c360 {
namespace {

using google::protobuf::Timestamp;

// The comparisons groups go through, in the order a rule asks for them.
enum class Stage {
  kProviderOverride,
  kSourcePriority,
  kMostFrequent,
  kMostRecent,
  kMostComplete,
  kValue,
};

Stage StageOf(int strategy) {
  switch (strategy) {
    case SOURCE_PRIORITY:
      return Stage::kSourcePriority;
    case MOST_FREQUENT:
      return Stage::kMostFrequent;
    case MOST_COMPLETE:
      return Stage::kMostComplete;
    default:
      return Stage::kMostRecent;
  }
}

// Candidates with one normalized value, summed up for ranking.
struct Group {
  std::vector<size_t> members;
  bool has_provider = false;
  // Best place of a member's source in source_priority (unlisted: the
  // list's size), and that source.
  int priority = 0;
  std::string best_source;
  Timestamp newest;
  int completeness = 0;
};

int Sign(bool a_first, bool b_first) {
  return a_first ? -1 : (b_first ? 1 : 0);
}

class Ranker {
 public:
  Ranker(const AttributeRule& rule,
         const std::vector<SurvivorshipCandidate>& candidates)
      : rule_(rule), candidates_(candidates) {
    if (rule.provider_use() == PROVIDER_OVERRIDE) {
      stages_.push_back(Stage::kProviderOverride);
    }
    for (int strategy : rule.order()) stages_.push_back(StageOf(strategy));
    stages_.push_back(Stage::kMostRecent);
    stages_.push_back(Stage::kValue);
  }

  // Groups `indices` by value and ranks the groups; `sole` is the
  // decided_by of a group without rivals.
  std::vector<RankedValue> Rank(const std::vector<size_t>& indices,
                                const std::string& sole) const {
    std::vector<Group> groups = GroupsOf(indices);
    std::vector<RankedValue> ranked;
    for (size_t i = 0; i < groups.size(); ++i) {
      std::string decided_by = groups.size() == 1 ? sole
                               : i == 0 ? Separation(groups[0], groups[1])
                                        : Separation(groups[i - 1], groups[i]);
      ranked.push_back(Ranked(groups[i], std::move(decided_by)));
    }
    return ranked;
  }

  // Ranks `indices` like Rank but gives every group the same decided_by.
  std::vector<RankedValue> RankLeftOut(const std::vector<size_t>& indices,
                                       const std::string& why) const {
    std::vector<RankedValue> ranked;
    for (const Group& group : GroupsOf(indices)) {
      ranked.push_back(Ranked(group, why));
    }
    return ranked;
  }

 private:
  // The groups of `indices` best first, each group's members best first, so
  // that a group's first member is its representative.
  std::vector<Group> GroupsOf(const std::vector<size_t>& indices) const {
    std::vector<Group> singles;
    for (size_t i : indices) {
      if (!candidates_[i].group_key.empty()) singles.push_back(Single(i));
    }
    Sort(&singles);
    absl::flat_hash_map<std::string, size_t> by_key;
    std::vector<Group> groups;
    for (const Group& single : singles) {
      const std::string& key = candidates_[single.members[0]].group_key;
      auto [it, fresh] = by_key.try_emplace(key, groups.size());
      if (fresh) {
        groups.push_back(single);
      } else {
        Absorb(single, &groups[it->second]);
      }
    }
    Sort(&groups);
    return groups;
  }

  Group Single(size_t index) const {
    const SurvivorshipCandidate& c = candidates_[index];
    Group group;
    group.members = {index};
    group.has_provider = !c.origin.provider().empty();
    group.best_source = SourceOf(c.origin);
    group.priority = Priority(group.best_source);
    group.newest = c.origin.observed_at();
    group.completeness = c.completeness;
    return group;
  }

  // Adds a member that ranks below the group's current members.
  static void Absorb(const Group& single, Group* group) {
    group->members.push_back(single.members[0]);
    group->has_provider |= single.has_provider;
    if (single.priority < group->priority) {
      group->priority = single.priority;
      group->best_source = single.best_source;
    }
    group->newest = std::max(group->newest, single.newest);
    group->completeness = std::max(group->completeness, single.completeness);
  }

  int Priority(const std::string& source) const {
    const auto& list = rule_.source_priority();
    return static_cast<int>(std::find(list.begin(), list.end(), source) -
                            list.begin());
  }

  void Sort(std::vector<Group>* groups) const {
    std::stable_sort(groups->begin(), groups->end(),
                     [this](const Group& a, const Group& b) {
                       for (Stage stage : stages_) {
                         if (int order = Compare(stage, a, b)) return order < 0;
                       }
                       return false;
                     });
  }

  // < 0 when `a` ranks first at `stage`, > 0 when `b` does, 0 on a tie.
  int Compare(Stage stage, const Group& a, const Group& b) const {
    switch (stage) {
      case Stage::kProviderOverride:
        return Sign(a.has_provider && !b.has_provider,
                    b.has_provider && !a.has_provider);
      case Stage::kSourcePriority:
        return Sign(a.priority < b.priority, b.priority < a.priority);
      case Stage::kMostFrequent:
        return Sign(a.members.size() > b.members.size(),
                    b.members.size() > a.members.size());
      case Stage::kMostRecent:
        return Sign(a.newest > b.newest, b.newest > a.newest);
      case Stage::kMostComplete:
        return Sign(a.completeness > b.completeness,
                    b.completeness > a.completeness);
      case Stage::kValue:
        break;
    }
    const SurvivorshipCandidate& x = candidates_[a.members[0]];
    const SurvivorshipCandidate& y = candidates_[b.members[0]];
    if (int order = x.value.compare(y.value)) return order;
    return x.group_key.compare(y.group_key);
  }

  // Why `winner` ranks above `loser`: the first stage that separates them.
  std::string Separation(const Group& winner, const Group& loser) const {
    for (Stage stage : stages_) {
      if (Compare(stage, winner, loser) != 0) {
        return Reason(stage, winner, loser);
      }
    }
    return "value order";
  }

  static std::string Reason(Stage stage, const Group& winner,
                            const Group& loser) {
    switch (stage) {
      case Stage::kProviderOverride:
        return "provider_override";
      case Stage::kSourcePriority:
        return absl::StrCat("source_priority: ", winner.best_source, " before ",
                            loser.best_source);
      case Stage::kMostFrequent:
        return absl::StrCat("most_frequent: ", winner.members.size(), " vs ",
                            loser.members.size());
      case Stage::kMostRecent:
        return "most_recent";
      case Stage::kMostComplete:
        return "most_complete";
      case Stage::kValue:
        break;
    }
    return "value order";
  }

  RankedValue Ranked(const Group& group, std::string decided_by) const {
    RankedValue ranked;
    ranked.representative = group.members[0];
    ranked.provenance = candidates_[ranked.representative].origin;
    // The rule's name: decided_by up to its details.
    ranked.provenance.set_rule(decided_by.substr(0, decided_by.find(':')));
    ranked.provenance.set_support(static_cast<int>(group.members.size()));
    ranked.decided_by = std::move(decided_by);
    return ranked;
  }

  const AttributeRule& rule_;
  const std::vector<SurvivorshipCandidate>& candidates_;
  std::vector<Stage> stages_;
};

}  // namespace

std::string SourceOf(const Provenance& origin) {
  if (origin.provider().empty()) return origin.record().source();
  return absl::StrCat("provider:", origin.provider());
}

Ranking RankCandidates(const AttributeRule& rule,
                       const std::vector<SurvivorshipCandidate>& candidates) {
  std::vector<size_t> records, providers;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (candidates[i].group_key.empty()) continue;
    (candidates[i].origin.provider().empty() ? records : providers)
        .push_back(i);
  }
  const Ranker ranker(rule, candidates);
  Ranking ranking;
  switch (rule.provider_use()) {
    case PROVIDER_NEVER:
      ranking.ranked = ranker.Rank(records, "only candidate");
      ranking.left_out = ranker.RankLeftOut(providers, "provider_never");
      return ranking;
    case PROVIDER_FILL:
      if (records.empty()) {
        ranking.ranked =
            ranker.Rank(providers, "provider_fill: no record has a value");
      } else {
        ranking.ranked = ranker.Rank(records, "only candidate");
        ranking.left_out = ranker.RankLeftOut(
            providers, "provider_fill: a record has a value");
      }
      return ranking;
    default:  // OVERRIDE and COMPETE (checked rules have no other): all
              // candidates take part.
      records.insert(records.end(), providers.begin(), providers.end());
      ranking.ranked = ranker.Rank(records, "only candidate");
      return ranking;
  }
}

}  // namespace c360

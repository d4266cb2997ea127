#include "resolver/explain.h"

#include <optional>
#include <utility>
#include <vector>

#include "store/repository.h"

namespace c360 {
namespace {

constexpr size_t kMaxMembers = 50;

struct Side {
  std::vector<RecordKey> keys;
  std::vector<ComparableRecord> records;
};

absl::StatusOr<std::vector<RecordKey>> KeysOf(const Repository& repo,
                                              absl::string_view side) {
  if (side.empty()) return absl::InvalidArgumentError("empty record or entity");
  if (std::optional<RecordKey> key = ParseRecordKey(side)) {
    return std::vector<RecordKey>{*std::move(key)};
  }
  absl::StatusOr<std::string> live = repo.LiveEntityId(side);
  if (!live.ok()) return live.status();
  return repo.Members(*live);
}

absl::StatusOr<Side> LoadSide(const Repository& repo, const RegionForSource& region_for,
                              absl::string_view text) {
  absl::StatusOr<std::vector<RecordKey>> keys = KeysOf(repo, text);
  if (!keys.ok()) return keys.status();
  if (keys->size() > kMaxMembers) keys->resize(kMaxMembers);
  Side side;
  for (RecordKey& key : *keys) {
    absl::StatusOr<StoredRecord> stored = repo.GetRecord(key);
    if (!stored.ok()) return stored.status();
    side.records.push_back(MakeComparable(stored->record(), region_for(key.source())));
    side.keys.push_back(std::move(key));
  }
  return side;
}

std::string DecisionAt(const MatchDecider& decider, const MatchEvidence& evidence) {
  if (decider.IsMatch(evidence)) return "link";
  return decider.NeedsReview(evidence) ? "review" : "new_entity";
}

}  // namespace

absl::StatusOr<Explanation> ExplainMatch(const ReadView& view,
                                         const MatchDecider& decider,
                                         const RegionForSource& region_for,
                                         absl::string_view left,
                                         absl::string_view right) {
  Repository repo(&view);
  absl::StatusOr<Side> a = LoadSide(repo, region_for, left);
  if (!a.ok()) return a.status();
  absl::StatusOr<Side> b = LoadSide(repo, region_for, right);
  if (!b.ok()) return b.status();
  Explanation best;
  bool found = false;
  for (size_t i = 0; i < a->records.size(); ++i) {
    for (size_t j = 0; j < b->records.size(); ++j) {
      MatchEvidence evidence = decider.Compare(a->records[i], b->records[j]);
      if (found && evidence.score() <= best.evidence.score()) continue;
      AttachFieldValues(a->records[i], b->records[j], &evidence);
      *evidence.mutable_matched_record() = b->keys[j];
      best = {std::move(evidence), a->keys[i], ""};
      found = true;
    }
  }
  if (!found) return absl::NotFoundError("an entity without records");
  best.decision = DecisionAt(decider, best.evidence);
  return best;
}

}  // namespace c360

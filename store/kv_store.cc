#include "store/kv_store.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace c360 {

const std::vector<Table>& AllTables() {
  static const auto* const kTables = new std::vector<Table>{
      Table::kMeta,          Table::kRecords, Table::kEntities,
      Table::kMembership,    Table::kCandidateKeys, Table::kAliases,
      Table::kAudit,         Table::kChangeLog, Table::kModels,
      Table::kOpportunities, Table::kReviewTasks, Table::kConstraints,
      Table::kErasedEntities, Table::kSuppression,
      Table::kScores,        Table::kDeliveries, Table::kProviderRows,
      Table::kProviderIndex, Table::kEnrichmentLinks, Table::kProfiles,
      Table::kProfileIndex,  Table::kSegments};
  return *kTables;
}

absl::string_view TableName(Table table) {
  switch (table) {
    case Table::kMeta:
      return "meta";
    case Table::kRecords:
      return "records";
    case Table::kEntities:
      return "entities";
    case Table::kMembership:
      return "membership";
    case Table::kCandidateKeys:
      return "candidate_keys";
    case Table::kAliases:
      return "aliases";
    case Table::kAudit:
      return "audit";
    case Table::kChangeLog:
      return "change_log";
    case Table::kModels:
      return "models";
    case Table::kOpportunities:
      return "opportunities";
    case Table::kReviewTasks:
      return "review_tasks";
    case Table::kConstraints:
      return "constraints";
    case Table::kErasedEntities:
      return "erased_entities";
    case Table::kSuppression:
      return "suppression";
    case Table::kScores:
      return "scores";
    case Table::kDeliveries:
      return "deliveries";
    case Table::kProviderRows:
      return "provider_rows";
    case Table::kProviderIndex:
      return "provider_index";
    case Table::kEnrichmentLinks:
      return "enrichment_links";
    case Table::kProfiles:
      return "profiles";
    case Table::kProfileIndex:
      return "profile_index";
    case Table::kSegments:
      return "segments";
  }
  return "unknown";
}

void WriteSet::Put(Table table, std::string key, std::string value) {
  ops_.push_back({table, false, std::move(key), std::move(value)});
}

void WriteSet::Delete(Table table, std::string key) {
  ops_.push_back({table, true, std::move(key), {}});
}

void WriteSet::Append(const WriteSet& other) {
  ops_.insert(ops_.end(), other.ops_.begin(), other.ops_.end());
}

absl::Status KvStore::Checkpoint(const std::string& dir) {
  return absl::UnimplementedError(
      absl::StrCat("this store cannot write a checkpoint to ", dir));
}

}  // namespace c360

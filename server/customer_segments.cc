#include "server/customer_segments.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "enrich/segment_scan.h"
#include "enrich/segment_store.h"
#include "server/segment_service.h"
#include "store/customer_scores.h"
#include "store/repository.h"

namespace c360 {
namespace {

// The entity ids the query selects.
absl::StatusOr<absl::flat_hash_set<std::string>> SelectedEntities(
    const ReadView& view, const SegmentQuery& query) {
  absl::flat_hash_set<std::string> entities;
  ScanOptions options;
  options.fields = {"records"};  // rows carry their entity id anyway
  absl::Status scanned = SegmentScanner(view).Scan(
      query, options, [&](const ScanResponse& batch) {
        for (const SegmentRow& row : batch.rows()) {
          entities.insert(row.entity_id());
        }
        return absl::OkStatus();
      });
  if (!scanned.ok()) return scanned;
  return entities;
}

}  // namespace

absl::StatusOr<OpportunityPredicate> CustomerSegments::Predicate(
    const std::string& filter, const std::string& segment) {
  absl::StatusOr<SegmentSelection> selection = SelectSegment(
      *view_, filter, segment, "", google::protobuf::Timestamp());
  if (!selection.ok()) return selection.status();
  absl::StatusOr<absl::flat_hash_set<std::string>> entities =
      SelectedEntities(*view_, selection->query);
  if (!entities.ok()) return entities.status();
  auto members = std::make_shared<const absl::flat_hash_set<std::string>>(
      *std::move(entities));
  return [this, members](const Opportunity& opp) {
    std::string entity = EntityOf(opp.customer_id());
    return !entity.empty() && members->contains(entity);
  };
}

absl::StatusOr<std::vector<CustomerGroup>> CustomerSegments::StoredSegments() {
  absl::StatusOr<std::vector<SegmentDefinition>> defined =
      ListSegments(*view_);
  if (!defined.ok()) return defined.status();
  std::vector<CustomerGroup> groups;
  for (const SegmentDefinition& segment : *defined) {
    absl::StatusOr<OpportunityPredicate> contains =
        Predicate("", segment.name());
    if (!contains.ok()) return contains.status();
    groups.push_back({segment.name(), *std::move(contains)});
  }
  return groups;
}

std::string CustomerSegments::EntityOf(const std::string& customer_key) {
  auto it = entity_of_.find(customer_key);
  if (it != entity_of_.end()) return it->second;
  absl::StatusOr<std::string> entity =
      customer_key.empty()
          ? absl::NotFoundError("no customer")
          : ResolveCustomerKey(Repository(view_), customer_key);
  return entity_of_[customer_key] = entity.ok() ? *entity : "";
}

}  // namespace c360

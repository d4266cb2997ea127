#include "ml/opportunity_store.h"

#include "absl/strings/string_view.h"
#include "store/keys.h"

namespace c360 {

absl::Status SaveOpportunities(const std::vector<Opportunity>& opportunities,
                               KvStore* store) {
  WriteSet writes;
  for (const Opportunity& opp : opportunities) {
    writes.Put(Table::kOpportunities, EncodeKey({opp.opportunity_id()}),
               opp.SerializeAsString());
  }
  return store->Commit(writes);
}

absl::StatusOr<std::vector<Opportunity>> LoadOpportunities(
    const ReadView& view) {
  std::vector<Opportunity> result;
  bool corrupt = false;
  absl::Status status =
      view.Scan(Table::kOpportunities, "", "",
                [&](absl::string_view key, absl::string_view value) {
                  result.emplace_back();
                  corrupt = !result.back().ParseFromArray(
                      value.data(), static_cast<int>(value.size()));
                  return !corrupt;
                });
  if (!status.ok()) return status;
  if (corrupt) return absl::DataLossError("unparsable stored opportunity");
  return result;
}

}  // namespace c360

// Typed access to purchased data in the store: deliveries, their rows, the
// index that matches new records to company rows, and the links from
// records to the rows that apply to them (docs/storage.md, tables
// deliveries, provider_rows, provider_index, enrichment_links; keys in
// store/enrichment_keys.h).
//
// A row applies to a record through a link (record, provider, row key,
// delivery). Which delivery's row counts for a (provider, row key) is
// decided when a profile is read: the newest delivery of that provider that
// holds the key and is neither withdrawn nor unfinished (a delivery is
// visible once its Delivery entry is written, in the import's last write).
// So a newer delivery supersedes an
// older one key by key, and re-activating an older delivery (withdrawing the
// newer ones) brings its rows back without rewriting any link.
#ifndef C360_ENRICH_ENRICHMENT_STORE_H_
#define C360_ENRICH_ENRICHMENT_STORE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/enrichment.pb.h"
#include "c360/record.pb.h"
#include "store/enrichment_keys.h"
#include "store/kv_store.h"

namespace c360 {

// The provider's deliveries, oldest first; empty for an unknown provider.
absl::StatusOr<std::vector<Delivery>> Deliveries(const ReadView& view,
                                                 absl::string_view provider);

// Every delivery of every provider, by provider then oldest first.
absl::StatusOr<std::vector<Delivery>> AllDeliveries(const ReadView& view);

// The ids of the deliveries whose rows take part in profiles: neither
// withdrawn nor unfinished (without a Delivery entry).
using DeliveryIds = absl::flat_hash_set<std::string>;
// Those of every provider, by provider (a provider without deliveries is
// absent).
using VisibleDeliveries = absl::flat_hash_map<std::string, DeliveryIds>;

// Calls `visit` with each stored row of `provider` (of every delivery,
// visible or not), only those of `row_key` when it is not empty, in key
// order, until it returns false. DataLoss for an unreadable row.
absl::Status ScanProviderRows(
    const ReadView& view, absl::string_view provider, absl::string_view row_key,
    const std::function<bool(const ProviderRow&)>& visit);

// The row of the newest delivery in `visible` that holds (provider,
// row_key); nullopt when none does.
absl::StatusOr<std::optional<ProviderRow>> EffectiveProviderRow(
    const ReadView& view, absl::string_view provider, absl::string_view row_key,
    const DeliveryIds& visible);

// The provider's visible deliveries; empty for an unknown provider.
absl::StatusOr<DeliveryIds> VisibleDeliveryIds(const ReadView& view,
                                               absl::string_view provider);

// Every provider's visible deliveries, read in one scan.
absl::StatusOr<VisibleDeliveries> AllVisibleDeliveries(const ReadView& view);

// The stored row; NotFound when there is none.
absl::StatusOr<ProviderRow> GetProviderRow(const ReadView& view,
                                           absl::string_view provider,
                                           absl::string_view row_key,
                                           absl::string_view delivery_id);

// A provider row a record is linked to.
struct LinkedRow {
  std::string provider;
  std::string row_key;
  std::string delivery_id;
  // The link's key in Table::kEnrichmentLinks.
  std::string link_key;
};

// Visits the record's links in key order until `visit` returns false.
absl::Status ScanRecordLinks(const ReadView& view, const RecordKey& record,
                             const std::function<bool(const LinkedRow&)>& visit);

// The rows that apply to any of `records` (the members of one entity): for
// each linked (provider, row key), the row of the newest visible delivery
// that holds the key, provided that row is linked to one of the
// records. Ordered by provider, then row key.
absl::StatusOr<std::vector<ProviderRow>> EffectiveProviderRows(
    const ReadView& view, const std::vector<RecordKey>& records);

// The same with the visible deliveries given (AllVisibleDeliveries, read
// once for many entities) instead of read from `view`.
absl::StatusOr<std::vector<ProviderRow>> EffectiveProviderRows(
    const ReadView& view, const std::vector<RecordKey>& records,
    const VisibleDeliveries& visible);

// The keys under which a company is found in the provider index, for a
// company row's identity and for a record alike: "bid:" + the canonical
// business id (enrich/business_id.h) when it is valid, and "org:" + the
// normalized company name + "|" + the first address's postcode when both
// are there.
std::vector<std::string> CompanyMatchKeys(const SourceRecord& record);

}  // namespace c360

#endif  // C360_ENRICH_ENRICHMENT_STORE_H_

// Typed access to purchased data in the store: deliveries, their rows, the
// index that matches new records to rows, and the links from records to the
// rows that apply to them (docs/storage.md, tables deliveries,
// provider_rows, provider_index, enrichment_links).
//
// A row applies to a record through a link (record, provider, row key,
// delivery). Which delivery's row counts for a (provider, row key) is
// decided when a profile is read: the newest delivery of that provider that
// holds the key and is not withdrawn. So a newer delivery supersedes an
// older one key by key, and re-activating an older delivery (withdrawing the
// newer ones) brings its rows back without rewriting any link.
#ifndef C360_ENRICH_ENRICHMENT_STORE_H_
#define C360_ENRICH_ENRICHMENT_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/enrichment.pb.h"
#include "c360/record.pb.h"
#include "store/kv_store.h"

namespace c360 {

// Keys of the enrichment tables.
std::string DeliveryKey(absl::string_view provider,
                        absl::string_view delivery_id);
std::string ProviderRowKey(absl::string_view provider,
                           absl::string_view row_key,
                           absl::string_view delivery_id);
std::string EnrichmentLinkKey(const RecordKey& record,
                              absl::string_view provider,
                              absl::string_view row_key,
                              absl::string_view delivery_id);

// The provider's deliveries, oldest first; empty for an unknown provider.
absl::StatusOr<std::vector<Delivery>> Deliveries(const ReadView& view,
                                                 absl::string_view provider);

// Every delivery of every provider, by provider then oldest first.
absl::StatusOr<std::vector<Delivery>> AllDeliveries(const ReadView& view);

// The rows that apply to any of `records` (the members of one entity): for
// each linked (provider, row key), the row of the newest delivery that holds
// the key and is not withdrawn, provided that row is linked to one of the
// records. Ordered by provider, then row key.
absl::StatusOr<std::vector<ProviderRow>> EffectiveProviderRows(
    const ReadView& view, const std::vector<RecordKey>& records);

}  // namespace c360

#endif  // C360_ENRICH_ENRICHMENT_STORE_H_

// Keys of the enrichment tables (docs/storage.md): deliveries, provider
// rows, the provider index and the links from records to provider rows.
// In store/ because erasure (resolver/) deletes a record's links too.
#ifndef C360_STORE_ENRICHMENT_KEYS_H_
#define C360_STORE_ENRICHMENT_KEYS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "c360/record.pb.h"

namespace c360 {

// kDeliveries: (provider, delivery_id).
std::string DeliveryKey(absl::string_view provider,
                        absl::string_view delivery_id);

// kProviderRows: (provider, row key, delivery_id).
std::string ProviderRowKey(absl::string_view provider,
                           absl::string_view row_key,
                           absl::string_view delivery_id);

// kProviderIndex: (match key, provider, row key, delivery_id). Match keys:
// "bid:" + canonical business id, "org:" + company name + "|" + postcode.
std::string ProviderIndexKey(absl::string_view match_key,
                             absl::string_view provider,
                             absl::string_view row_key,
                             absl::string_view delivery_id);

// kEnrichmentLinks: (source, source_id, provider, row key, delivery_id).
std::string EnrichmentLinkKey(const RecordKey& record,
                              absl::string_view provider,
                              absl::string_view row_key,
                              absl::string_view delivery_id);

// The prefix of every link of `record`.
std::string EnrichmentLinkPrefix(const RecordKey& record);

}  // namespace c360

#endif  // C360_STORE_ENRICHMENT_KEYS_H_

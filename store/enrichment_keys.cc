#include "store/enrichment_keys.h"

#include "store/keys.h"

namespace c360 {

std::string DeliveryKey(absl::string_view provider,
                        absl::string_view delivery_id) {
  return EncodeKey({provider, delivery_id});
}

std::string ProviderRowKey(absl::string_view provider,
                           absl::string_view row_key,
                           absl::string_view delivery_id) {
  return EncodeKey({provider, row_key, delivery_id});
}

std::string ProviderIndexKey(absl::string_view match_key,
                             absl::string_view provider,
                             absl::string_view row_key,
                             absl::string_view delivery_id) {
  return EncodeKey({match_key, provider, row_key, delivery_id});
}

std::string EnrichmentLinkKey(const RecordKey& record,
                              absl::string_view provider,
                              absl::string_view row_key,
                              absl::string_view delivery_id) {
  return EncodeKey(
      {record.source(), record.source_id(), provider, row_key, delivery_id});
}

std::string EnrichmentLinkPrefix(const RecordKey& record) {
  return EncodeKey({record.source(), record.source_id()});
}

}  // namespace c360

#include "server/customer_profiles.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "enrich/enrichment_store.h"
#include "store/customer_scores.h"
#include "store/repository.h"

namespace c360 {
namespace {

// When the provider's delivery arrived: its delivery date, else its import
// time; by delivery id.
absl::flat_hash_map<std::string, int64_t> DeliveryTimes(
    const ReadView& view, absl::string_view provider) {
  absl::flat_hash_map<std::string, int64_t> times;
  absl::StatusOr<std::vector<Delivery>> deliveries =
      Deliveries(view, provider);
  if (!deliveries.ok()) return times;
  for (const Delivery& d : *deliveries) {
    times[d.delivery_id()] = d.has_delivered_at() ? d.delivered_at().seconds()
                                                  : d.imported_at().seconds();
  }
  return times;
}

}  // namespace

std::shared_ptr<const ProfileTimeline> StoreCustomerProfiles::Find(
    absl::string_view customer_key) const {
  absl::StatusOr<std::string> entity =
      ResolveCustomerKey(Repository(view_), customer_key);
  if (!entity.ok()) return nullptr;
  absl::StatusOr<ProfileLookup> lookup =
      reader_->ByEntityId(*entity, /*include_records=*/true);
  if (!lookup.ok()) return nullptr;
  auto timeline = std::make_shared<ProfileTimeline>();
  for (const SourceRecord& record : lookup->profile.member_records()) {
    timeline->records.push_back(
        {record.source(), record.observed_at().seconds()});
  }
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, int64_t>>
      delivery_times;  // by provider
  for (const NamedGoldenValue& value : lookup->profile.enrichment()) {
    const Provenance& from = value.value().provenance();
    auto provider = delivery_times.find(from.provider());
    if (provider == delivery_times.end()) {
      provider = delivery_times
                     .emplace(from.provider(),
                              DeliveryTimes(*view_, from.provider()))
                     .first;
    }
    auto delivered = provider->second.find(from.delivery_id());
    if (delivered == provider->second.end()) continue;
    timeline->purchased.push_back(
        {value.name(), value.value().value(), delivered->second});
  }
  return timeline;
}

}  // namespace c360

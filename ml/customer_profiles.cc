#include "ml/customer_profiles.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace c360 {
namespace {

constexpr double kSecondsPerDay = 86400.0;

}  // namespace

int ProfileTimeline::RecordsBefore(absl::string_view source,
                                   int64_t as_of) const {
  return static_cast<int>(
      std::count_if(records.begin(), records.end(), [&](const Record& r) {
        return r.source == source && r.known_since < as_of;
      }));
}

std::optional<double> ProfileTimeline::TenureDays(int64_t as_of) const {
  if (as_of == std::numeric_limits<int64_t>::max()) return std::nullopt;
  std::optional<int64_t> first;
  for (const Record& r : records) {
    if (r.known_since < as_of && (!first || r.known_since < *first)) {
      first = r.known_since;
    }
  }
  if (!first) return std::nullopt;
  return (as_of - *first) / kSecondsPerDay;
}

const std::string* ProfileTimeline::PurchasedBefore(
    absl::string_view attribute, int64_t as_of) const {
  const PurchasedValue* latest = nullptr;
  for (const PurchasedValue& p : purchased) {
    if (p.attribute != attribute || p.known_since >= as_of) continue;
    if (latest == nullptr || p.known_since > latest->known_since) latest = &p;
  }
  return latest == nullptr ? nullptr : &latest->value;
}

void InMemoryCustomerProfiles::Add(std::string customer_key,
                                   ProfileTimeline timeline) {
  profiles_[std::move(customer_key)] =
      std::make_shared<const ProfileTimeline>(std::move(timeline));
}

std::shared_ptr<const ProfileTimeline> InMemoryCustomerProfiles::Find(
    absl::string_view customer_key) const {
  auto it = profiles_.find(customer_key);
  return it == profiles_.end() ? nullptr : it->second;
}

std::shared_ptr<const ProfileTimeline> MemoizedCustomerProfiles::Find(
    absl::string_view customer_key) const {
  {
    absl::MutexLock lock(&mutex_);
    auto it = answers_.find(customer_key);
    if (it != answers_.end()) return it->second;
  }
  // Read outside the lock: two threads may read the same key once each.
  std::shared_ptr<const ProfileTimeline> answer = base_->Find(customer_key);
  absl::MutexLock lock(&mutex_);
  answers_.emplace(std::string(customer_key), answer);
  return answer;
}

}  // namespace c360

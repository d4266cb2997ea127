// What the unified profile of an opportunity's customer says, each fact with
// the time from which it was known, so that features can be computed as of
// an opportunity's date. ml/ may not read profiles (they are enrich/'s), so
// the server implements CustomerProfiles over the store
// (server/customer_profiles.h) and tests fill a map.
#ifndef C360_ML_CUSTOMER_PROFILES_H_
#define C360_ML_CUSTOMER_PROFILES_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace c360 {

// One customer's profile over time. Times are seconds since the epoch.
struct ProfileTimeline {
  struct Record {
    std::string source;
    // When the source observed the record (its observed_at).
    int64_t known_since = 0;
  };
  struct PurchasedValue {
    // The attribute's name, e.g. "credit_rating".
    std::string attribute;
    std::string value;
    // The delivery date of the provider file that holds the value.
    int64_t known_since = 0;
  };
  // Every record of the customer's entity.
  std::vector<Record> records;
  // The profile's purchased values (Profile.enrichment).
  std::vector<PurchasedValue> purchased;

  // Records of `source` known strictly before `as_of`.
  int RecordsBefore(absl::string_view source, int64_t as_of) const;

  // Days from the first record known before `as_of` to `as_of`; nullopt
  // when none was known or `as_of` is "now" (INT64_MAX).
  std::optional<double> TenureDays(int64_t as_of) const;

  // The latest value of `attribute` delivered strictly before `as_of`;
  // nullptr when none was.
  const std::string* PurchasedBefore(absl::string_view attribute,
                                     int64_t as_of) const;
};

// Profiles by customer key (Opportunity.customer_id). Implementations are
// thread-safe.
class CustomerProfiles {
 public:
  virtual ~CustomerProfiles() = default;

  // The profile `customer_key` names; nullptr when it names none (an
  // account name, an unknown or erased id) or the profile cannot be read.
  virtual std::shared_ptr<const ProfileTimeline> Find(
      absl::string_view customer_key) const = 0;
};

// Profiles held in memory, e.g. in tests. Not thread-safe while adding.
class InMemoryCustomerProfiles : public CustomerProfiles {
 public:
  void Add(std::string customer_key, ProfileTimeline timeline);
  std::shared_ptr<const ProfileTimeline> Find(
      absl::string_view customer_key) const override;

 private:
  absl::flat_hash_map<std::string, std::shared_ptr<const ProfileTimeline>>
      profiles_;
};

// Remembers every answer of `base` (a batch such as training asks about the
// same customer once per opportunity). Thread-safe.
class MemoizedCustomerProfiles : public CustomerProfiles {
 public:
  explicit MemoizedCustomerProfiles(std::shared_ptr<const CustomerProfiles> base)
      : base_(std::move(base)) {}
  std::shared_ptr<const ProfileTimeline> Find(
      absl::string_view customer_key) const override;

 private:
  std::shared_ptr<const CustomerProfiles> base_;
  mutable absl::Mutex mutex_;
  mutable absl::flat_hash_map<std::string,
                              std::shared_ptr<const ProfileTimeline>>
      answers_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace c360

#endif  // C360_ML_CUSTOMER_PROFILES_H_

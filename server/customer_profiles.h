// The customers' unified profiles as the hit-rate models see them
// (ml/customer_profiles.h), read from the store: a customer key resolves to
// its live entity (store/customer_scores.h ResolveCustomerKey: an entity id,
// a merged id, a record key "source/source_id"), whose records count from
// their observed_at and whose purchased values count from their delivery's
// date.
#ifndef C360_SERVER_CUSTOMER_PROFILES_H_
#define C360_SERVER_CUSTOMER_PROFILES_H_

#include <memory>

#include "absl/strings/string_view.h"
#include "enrich/golden_profile.h"
#include "ml/customer_profiles.h"
#include "store/kv_store.h"

namespace c360 {

// Reads the current store at every Find (never a stale profile); a key
// that names no entity, or a profile that cannot be read, is no profile.
// Thread-safe.
class StoreCustomerProfiles : public CustomerProfiles {
 public:
  // Neither is owned; both must outlive this.
  StoreCustomerProfiles(const ReadView* view, const ProfileReader* reader)
      : view_(view), reader_(reader) {}

  std::shared_ptr<const ProfileTimeline> Find(
      absl::string_view customer_key) const override;

 private:
  const ReadView* view_;
  const ProfileReader* reader_;
};

}  // namespace c360

#endif  // C360_SERVER_CUSTOMER_PROFILES_H_

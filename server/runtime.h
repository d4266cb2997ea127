// The embedded runtime: the store, the resolver and the profile reader over
// one local RocksDB folder, opened once per process.
#ifndef C360_SERVER_RUNTIME_H_
#define C360_SERVER_RUNTIME_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "enrich/golden_profile.h"
#include "enrich/profile_projection.h"
#include "ml/customer_profiles.h"
#include "resolver/resolver.h"
#include "store/change_feed.h"
#include "store/kv_store.h"

namespace c360 {

struct RuntimeOptions {
  // The RocksDB folder.
  std::string db_path = "c360-data";
  ResolverOptions resolver;
};

class Runtime {
 public:
  // Opens the store (creating it when missing) and builds the resolver with
  // the store's active match model, or the v1 rules when none was trained.
  // Unavailable when another process holds the store.
  static absl::StatusOr<std::unique_ptr<Runtime>> Open(
      const RuntimeOptions& options);

  KvStore& store() { return *store_; }
  Resolver& resolver() { return *resolver_; }
  // Profiles from the latest state.
  const ProfileReader& profiles() const { return *profiles_; }
  // The same profiles as the hit-rate models' profile columns read them;
  // valid while the runtime lives.
  std::shared_ptr<const CustomerProfiles> customer_profiles() const {
    return customer_profiles_;
  }
  // The phone region per source, as the resolver uses it.
  RegionForSource region_for() const;
  // The version of the active match model; 0 when the v1 rules decide
  // because no model was trained yet.
  uint64_t matcher_version() const { return matcher_version_; }
  // Hears of every change the resolver commits.
  ChangeNotifier& changes() { return changes_; }

  // Brings the profiles table (segment scans) up to the change log; the
  // commands that change entities call it before they exit.
  absl::StatusOr<int64_t> RefreshProfiles(
      const std::function<void(int64_t done, int64_t total)>& progress = nullptr);

  // Recomputes every row of the profiles table (the survivorship rules
  // changed), then catches up.
  absl::StatusOr<int64_t> RebuildProfiles(
      const std::function<void(int64_t done, int64_t total)>& progress = nullptr);

  // Keeps the profiles table current from now on: a background thread
  // applies new changes as they are committed (a served store). Stops when
  // the runtime is destroyed.
  void FollowChangesIntoProfiles();

  ~Runtime();

 private:
  Runtime() = default;

  std::unique_ptr<KvStore> store_;
  ChangeNotifier changes_;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<ProfileReader> profiles_;
  std::unique_ptr<ProfileProjection> projection_;
  std::shared_ptr<const CustomerProfiles> customer_profiles_;
  std::atomic<bool> stop_following_{false};
  std::thread follower_;
  uint64_t matcher_version_ = 0;
};

}  // namespace c360

#endif  // C360_SERVER_RUNTIME_H_

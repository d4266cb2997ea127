// The embedded runtime: the store, the resolver and the profile reader over
// one local RocksDB folder, opened once per process.
#ifndef C360_SERVER_RUNTIME_H_
#define C360_SERVER_RUNTIME_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "enrich/golden_profile.h"
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
  // The phone region per source, as the resolver uses it.
  RegionForSource region_for() const;
  // The version of the active match model; 0 when the v1 rules decide
  // because no model was trained yet.
  uint64_t matcher_version() const { return matcher_version_; }
  // Hears of every change the resolver commits.
  ChangeNotifier& changes() { return changes_; }

 private:
  Runtime() = default;

  std::unique_ptr<KvStore> store_;
  ChangeNotifier changes_;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<ProfileReader> profiles_;
  uint64_t matcher_version_ = 0;
};

}  // namespace c360

#endif  // C360_SERVER_RUNTIME_H_

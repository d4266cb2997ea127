#include "server/runtime.h"

#include "resolver/matcher_store.h"
#include "resolver/rule_decider.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"

namespace c360 {

absl::StatusOr<std::unique_ptr<Runtime>> Runtime::Open(
    const RuntimeOptions& options) {
  absl::StatusOr<std::unique_ptr<KvStore>> store =
      OpenRocksDbStore({.path = options.db_path});
  if (!store.ok()) return store.status();
  std::unique_ptr<Runtime> runtime(new Runtime());
  runtime->store_ = *std::move(store);
  absl::StatusOr<StoreCounters> counters =
      Repository(runtime->store_.get()).GetCounters();
  if (!counters.ok()) return counters.status();
  runtime->changes_.Published(counters->next_change() - 1);
  std::unique_ptr<MatchDecider> decider = NewRuleDecider();
  auto active = LoadActiveMatcher(*runtime->store_);
  if (active.ok()) {
    runtime->matcher_version_ = active->first;
    decider = std::move(active->second);
  } else if (!absl::IsNotFound(active.status())) {
    return active.status();
  }
  runtime->resolver_ = std::make_unique<Resolver>(
      runtime->store_.get(), std::move(decider), options.resolver,
      &runtime->changes_);
  runtime->profiles_ = std::make_unique<ProfileReader>(
      runtime->store_.get(), runtime->region_for());
  return runtime;
}

RegionForSource Runtime::region_for() const {
  const Resolver* resolver = resolver_.get();
  return [resolver](const std::string& source) -> const std::string& {
    return resolver->RegionFor(source);
  };
}

}  // namespace c360

#include "server/runtime.h"

#include <cstdio>

#include "enrich/company_links.h"
#include "server/customer_profiles.h"
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
  ResolverOptions resolver_options = options.resolver;
  resolver_options.record_write_hook = LinkRecordToCompanies;
  runtime->resolver_ = std::make_unique<Resolver>(
      runtime->store_.get(), std::move(decider), std::move(resolver_options),
      &runtime->changes_);
  runtime->profiles_ = std::make_unique<ProfileReader>(
      runtime->store_.get(), runtime->region_for());
  runtime->projection_ = std::make_unique<ProfileProjection>(
      runtime->store_.get(), runtime->profiles_.get());
  runtime->customer_profiles_ = std::make_shared<StoreCustomerProfiles>(
      runtime->store_.get(), runtime->profiles_.get());
  return runtime;
}

Runtime::~Runtime() {
  // The follower notices within its one-second wait.
  stop_following_ = true;
  if (follower_.joinable()) follower_.join();
}

absl::StatusOr<int64_t> Runtime::RefreshProfiles(
    const std::function<void(int64_t, int64_t)>& progress) {
  return projection_->CatchUp(progress);
}

absl::StatusOr<int64_t> Runtime::RebuildProfiles(
    const std::function<void(int64_t, int64_t)>& progress) {
  return projection_->Rebuild(progress);
}

void Runtime::FollowChangesIntoProfiles() {
  follower_ = std::thread([this] {
    uint64_t seen = 0;
    while (!stop_following_) {
      absl::StatusOr<int64_t> applied = projection_->CatchUp();
      if (!applied.ok()) {
        std::fprintf(stderr, "c360: profiles table not updated: %s\n",
                     applied.status().ToString().c_str());
      }
      seen = changes_.WaitBeyond(seen, absl::Seconds(1));
    }
  });
}

RegionForSource Runtime::region_for() const {
  const Resolver* resolver = resolver_.get();
  return [resolver](const std::string& source) -> const std::string& {
    return resolver->RegionFor(source);
  };
}

}  // namespace c360

// Full re-resolution: rebuilds every entity from the stored records and the
// steward's constraints, as if the records arrived again in the order c360
// first saw them. `c360 reresolve` runs it, e.g. after a new match model.
#ifndef C360_RESOLVER_RERESOLVE_H_
#define C360_RESOLVER_RERESOLVE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "resolver/resolver.h"
#include "store/kv_store.h"

namespace c360 {

struct ReresolveStats {
  int64_t records = 0;
  int64_t entities = 0;  // live entities afterwards
  int64_t changed_entities = 0;  // created, or members changed
  int64_t retired_ids = 0;  // old live ids that became aliases
};

// Rebuilds the entities of `store`, whose writer is `resolver`, under its
// lock. The records are resolved again, with the resolver's decider and
// options and every constraint, in a scratch store made in the new folder
// `scratch_dir` (left for the caller to remove); then the result replaces
// the entities, membership, postings and aliases in one atomic write.
// Ids stay stable: each entity takes the old id of its oldest record unless
// an older entity took it first, else a new id; an old id left over becomes
// an alias of the entity holding its oldest record (ENTITY_MERGED). Each
// created or changed entity gets a change-log entry and an audit event
// "reresolve" naming `actor`. Records, constraints and review tasks stay.
absl::StatusOr<ReresolveStats> Reresolve(KvStore* store, Resolver* resolver,
                                         const std::string& scratch_dir,
                                         absl::string_view actor);

}  // namespace c360

#endif  // C360_RESOLVER_RERESOLVE_H_

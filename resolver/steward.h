// Steward operations: deciding review tasks and correcting entities by
// hand. Each runs under the resolver's decision lock (Resolver::RunExclusive)
// so it never races an automatic decision or another steward, and commits
// all of its rows — records, membership, postings, entities, aliases,
// constraints, the task, one audit event naming `actor`, change-log
// entries — in one write. Decisions are stored as constraints that every
// later automatic decision and `c360 reresolve` respect:
//   - a must-link keeps two records in one entity, a cannot-link apart;
//   - merges keep the older id and leave the other as an alias; a split
//     keeps the id with the part holding the entity's oldest record (by
//     first_seen) and gives the other part a new id.
// Errors leave the store unchanged: NotFound for an unknown task, record or
// entity; InvalidArgument for bad input; FailedPrecondition when the state
// forbids the action, with a message saying why. The read side is in
// steward_queries.h.
#ifndef C360_RESOLVER_STEWARD_H_
#define C360_RESOLVER_STEWARD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/steward.pb.h"
#include "resolver/resolver.h"
#include "store/kv_store.h"

namespace c360 {

// Thread-safe; holds no state of its own.
class Steward {
 public:
  // `store` and `resolver` are not owned and must outlive the steward;
  // `resolver` must be the store's writer.
  Steward(KvStore* store, Resolver* resolver)
      : store_(store), resolver_(resolver) {}

  // Decides an OPEN task. SAME: a must-link between the task's record and
  // its matched record, and the two entities merged (FailedPrecondition
  // when a cannot-link joins them: merge with force instead). NOT_SAME: a
  // cannot-link between the two records. FailedPrecondition for a task
  // already decided (naming who decided it) or obsolete (ObsoleteReason).
  absl::StatusOr<DecideResponse> Decide(const DecideRequest& request,
                                        absl::string_view actor);

  // Merges two live entities (aliases are followed) into the older; a
  // must-link joins their oldest records. InvalidArgument when both are one
  // entity; FailedPrecondition when a cannot-link joins their members,
  // unless `force`, which deletes those cannot-links.
  absl::StatusOr<EntityChangeResponse> MergeEntities(
      const MergeEntitiesRequest& request, absl::string_view actor);

  // Moves `records` into a new entity; see the header comment for which
  // part keeps the id. A cannot-link joins every pair across the parts.
  // InvalidArgument for a record not in the entity, none or all of them;
  // FailedPrecondition when a must-link crosses the parts, unless `force`,
  // which deletes those must-links.
  absl::StatusOr<EntityChangeResponse> SplitEntity(
      const SplitEntityRequest& request, absl::string_view actor);

  // A must-link between two records; their entities merge as by
  // MergeEntities when they are two.
  absl::StatusOr<EntityChangeResponse> LinkRecords(
      const LinkRecordsRequest& request, absl::string_view actor);

  // Splits the record out of its entity as SplitEntity does.
  // InvalidArgument when it is its entity's only record.
  absl::StatusOr<EntityChangeResponse> UnlinkRecord(
      const UnlinkRecordRequest& request, absl::string_view actor);

 private:
  KvStore* store_;
  Resolver* resolver_;
};

}  // namespace c360

#endif  // C360_RESOLVER_STEWARD_H_

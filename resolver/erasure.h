// Erasure of a person's data (the right to be forgotten). Each call runs
// under the resolver's decision lock (Resolver::RunExclusive) and commits
// one write that:
//   - deletes each erased record's row, membership, candidate-key postings
//     and the constraints naming it;
//   - deletes the review tasks naming an erased record (as the task's
//     record or its matched record) or an erased entity id;
//   - scrubs the audit events naming an erased record (trigger, members,
//     matched record) or an erased entity id: their `note` and `evidence`
//     are cleared, leaving ids, time, actor and action;
//   - lowers the entity's record count, or, when no record is left, deletes
//     the entity and its aliases and leaves an ErasedEntity marker under
//     the id and each alias, which then answer NOT_FOUND "entity <id> was
//     erased" (Repository::LiveEntityId), and deletes their stored scores
//     (store/customer_scores.h);
//   - deletes the erased records' links to purchased data, and the
//     purchased person rows they were linked to (company rows stay);
//   - adds the erased records' strong identifiers to the suppression list
//     (resolver/suppression.h);
//   - appends one audit event ("erase_record" or "erase_entity", with the
//     reason as its note: the reason must not hold personal data) and the
//     change-log entry RECORD_ERASED or ENTITY_ERASED.
// The change log holds ids only and is kept. Golden profiles are built on
// read from member records (enrich/golden_profile.h), so nothing of an
// erased record shows in them afterwards. Each call scans the audit log
// and the review tasks once. Errors leave the store unchanged: NotFound for
// an unknown or already erased record or entity.
#ifndef C360_RESOLVER_ERASURE_H_
#define C360_RESOLVER_ERASURE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/record.pb.h"
#include "c360/storage.pb.h"
#include "resolver/resolver.h"
#include "store/kv_store.h"

namespace c360 {

// What an erasure did.
struct ErasureResult {
  // The entity the records were erased from.
  std::string entity_id;
  // No record was left, so the entity (and its aliases) were erased.
  bool entity_erased = false;
  // The erased records, in key order.
  std::vector<RecordKey> records;
  // The audit event written.
  AuditEvent audit;
};

// Thread-safe; holds no state of its own.
class Eraser {
 public:
  // `store` and `resolver` are not owned and must outlive the eraser;
  // `resolver` must be the store's writer.
  Eraser(KvStore* store, Resolver* resolver)
      : store_(store), resolver_(resolver) {}

  // Erases one record; its entity is erased with it when it was the last.
  absl::StatusOr<ErasureResult> EraseRecord(const RecordKey& record,
                                            absl::string_view reason,
                                            absl::string_view actor);

  // Erases an entity (an alias names its live entity) with all its records.
  absl::StatusOr<ErasureResult> EraseEntity(absl::string_view entity_id,
                                            absl::string_view reason,
                                            absl::string_view actor);

 private:
  KvStore* store_;
  Resolver* resolver_;
};

}  // namespace c360

#endif  // C360_RESOLVER_ERASURE_H_

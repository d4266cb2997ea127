// Edits of entities shared by automatic decisions (resolver.h) and steward
// operations (steward.h): creating entities, moving records between them,
// merging, review tasks, and the change-log and audit entries that number
// them. Everything goes into one RepositoryWrites committed at once.
#ifndef C360_RESOLVER_ENTITY_EDIT_H_
#define C360_RESOLVER_ENTITY_EDIT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/change.pb.h"
#include "c360/steward.pb.h"
#include "c360/storage.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "store/kv_store.h"
#include "store/repository.h"

namespace c360 {

// The current time as a protobuf timestamp.
google::protobuf::Timestamp TimestampNow();

// The id of the review task numbered `number` by StoreCounters.next_task:
// "T" + 10 digits, so that the order of ids is the order of creation.
std::string TaskIdFor(uint64_t number);

// One atomic edit. Reads see the committed state, not the edit's own
// writes, so an edit touches each record at most once.
class EntityEdit {
 public:
  // `view` and `counters` are not owned and must outlive the edit; the
  // counters advance as entries and ids are taken from them.
  EntityEdit(const ReadView* view, StoreCounters* counters,
             google::protobuf::Timestamp now);

  const Repository& repo() const { return repo_; }
  RepositoryWrites& writes() { return writes_; }
  const google::protobuf::Timestamp& now() const { return now_; }

  // A new entity with the next id and `record_count` members, created and
  // updated now; the caller adds the members and writes it.
  EntityState NewEntity(int record_count);

  // Moves `stored` from its entity into `to`: the record's row, its
  // membership and its postings. Record counts are the caller's.
  void MoveRecord(StoredRecord stored, absl::string_view to);

  // Moves every member of the live entity `retired_id` into `survivor`,
  // retires the id and its aliases as aliases of the survivor, adds to its
  // record count and aliases, and appends ENTITY_MERGED naming `trigger`.
  // The caller writes `survivor`. Returns the moved members.
  absl::StatusOr<std::vector<RecordKey>> Merge(absl::string_view retired_id,
                                               EntityState* survivor,
                                               const RecordKey& trigger);

  // Appends a change-log entry numbered from the counters.
  void AppendChange(ChangeType type, absl::string_view entity_id,
                    absl::string_view other_id, const RecordKey& record);

  // Appends ENTITY_ENRICHED: purchased data of `provider` about the entity
  // changed with `delivery_id`.
  void AppendEnriched(absl::string_view entity_id, absl::string_view provider,
                      absl::string_view delivery_id);

  // Appends ENTITY_SCORED: the stored scores of the entity's open
  // opportunities changed.
  void AppendScored(absl::string_view entity_id);

  // Numbers `event`, stamps it now and appends it to the audit log; returns
  // it as appended.
  AuditEvent AppendAudit(AuditEvent event);

  // Stores an OPEN review task of `record` against `entity_id` with the
  // best pair's `evidence` (field values filled).
  void AddReviewTask(const RecordKey& record, absl::string_view entity_id,
                     MatchEvidence evidence);

  // Writes the counters with the edit and commits it all atomically.
  absl::Status Commit(KvStore* store);

 private:
  // A change-log entry numbered from the counters and stamped now.
  ChangeEvent NextChange(ChangeType type, absl::string_view entity_id);

  Repository repo_;
  StoreCounters* counters_;
  google::protobuf::Timestamp now_;
  RepositoryWrites writes_;
};

}  // namespace c360

#endif  // C360_RESOLVER_ENTITY_EDIT_H_

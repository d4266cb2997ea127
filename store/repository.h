// Typed access to c360's tables: records, entities, membership, candidate
// keys, aliases, audit and change log, review tasks and constraints, erased
// entity ids and the suppression list, encoded as docs/storage.md describes.
// Reads go through a ReadView (the latest state or a snapshot); writes are
// collected in RepositoryWrites and committed as one atomic WriteSet.
#ifndef C360_STORE_REPOSITORY_H_
#define C360_STORE_REPOSITORY_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/record.pb.h"
#include "c360/steward.pb.h"
#include "c360/storage.pb.h"
#include "store/kv_store.h"

namespace c360 {

// The key of a record.
RecordKey KeyOf(const SourceRecord& record);

// "source/source_id", for messages and logs.
std::string RecordKeyString(const RecordKey& key);

// The key RecordKeyString wrote: split at the first '/'; nullopt unless
// both sides are non-empty.
std::optional<RecordKey> ParseRecordKey(absl::string_view text);

// A record indexed under a candidate key, with the entity it belongs to.
struct Posting {
  RecordKey record;
  std::string entity_id;
};

// Read access. Thread-safe as its view is; holds no state of its own.
class Repository {
 public:
  // `view` is not owned and must outlive the repository.
  explicit Repository(const ReadView* view) : view_(view) {}

  // The view it reads, for tables it has no typed access to.
  const ReadView& view() const { return *view_; }

  // The stored record; NotFound when the key was never ingested.
  absl::StatusOr<StoredRecord> GetRecord(const RecordKey& key) const;

  // The entity's state; NotFound for an unknown or retired id.
  absl::StatusOr<EntityState> GetEntity(absl::string_view entity_id) const;

  // The live id for `entity_id`: itself when live, the surviving entity when
  // it was retired by a merge; NotFound when neither, saying "entity <id>
  // was erased" for an erased id.
  absl::StatusOr<std::string> LiveEntityId(absl::string_view entity_id) const;

  // The live ids of `entity_ids` (retired ones followed to their
  // survivors), sorted and without repeats; erased and unknown ids are left
  // out.
  absl::StatusOr<std::vector<std::string>> LiveEntityIds(
      const std::vector<std::string>& entity_ids) const;

  // Keys of the entity's member records, in key order.
  absl::StatusOr<std::vector<RecordKey>> Members(
      absl::string_view entity_id) const;

  // Up to `limit` records indexed under `candidate_key`, in key order.
  absl::StatusOr<std::vector<Posting>> Postings(
      absl::string_view candidate_key, size_t limit) const;

  // The counters; all 1 in a new store.
  absl::StatusOr<StoreCounters> GetCounters() const;

  // The review task; NotFound for an unknown id.
  absl::StatusOr<ReviewTask> GetReviewTask(absl::string_view task_id) const;

  // Visits review tasks with id >= `from` ("" = all) in id order, which is
  // the order of creation, until `visit` returns false.
  absl::Status ScanReviewTasks(
      absl::string_view from,
      const std::function<bool(const ReviewTask&)>& visit) const;

  // The constraints naming `record`, each with `left` = `record`, in the key
  // order of their other record.
  absl::StatusOr<std::vector<Constraint>> Constraints(
      const RecordKey& record) const;

  // The marker of an erased entity id; NotFound when it was not erased.
  absl::StatusOr<ErasedEntity> GetErased(absl::string_view entity_id) const;

  // The suppression entry of an identifier's hash; NotFound when the
  // identifier is not suppressed.
  absl::StatusOr<SuppressedIdentifier> GetSuppressed(
      absl::string_view hash) const;

  // Visits every live entity in id order until `visit` returns false.
  absl::Status ScanEntities(
      const std::function<bool(const EntityState&)>& visit) const;

  // Visits every audit event in sequence order until `visit` returns false.
  absl::Status ScanAudit(
      const std::function<bool(const AuditEvent&)>& visit) const;

  // Visits change-log entries with sequence >= `from` in order until `visit`
  // returns false.
  absl::Status ScanChanges(
      uint64_t from,
      const std::function<bool(const ChangeEvent&)>& visit) const;

  // Visits every stored record in key order until `visit` returns false.
  absl::Status ScanRecords(
      const std::function<bool(const StoredRecord&)>& visit) const;

  // Visits every candidate key with its number of postings, in key order.
  absl::Status ScanCandidateKeyCounts(
      const std::function<void(absl::string_view key, int64_t count)>& visit)
      const;

 private:
  // NotFound for an id that is neither live nor an alias.
  absl::Status UnknownEntity(absl::string_view entity_id) const;

  const ReadView* view_;
};

// Writes to be committed together; the order of calls does not matter
// except that a later write of the same key wins.
class RepositoryWrites {
 public:
  void PutRecord(const StoredRecord& record);
  void DeleteRecord(const RecordKey& record);
  void PutEntity(const EntityState& entity);
  void DeleteEntity(absl::string_view entity_id);
  void AddMember(absl::string_view entity_id, const RecordKey& record);
  void RemoveMember(absl::string_view entity_id, const RecordKey& record);
  // Indexes the record under the key; the entity id is kept with it so that
  // blocking finds candidate entities without reading each record.
  void AddPosting(absl::string_view candidate_key, const RecordKey& record,
                  absl::string_view entity_id);
  void RemovePosting(absl::string_view candidate_key, const RecordKey& record);
  void PutAlias(absl::string_view retired_id, absl::string_view live_id);
  void DeleteAlias(absl::string_view retired_id);
  // Rewrites an audit event in place (erasure scrubs personal data).
  void PutAudit(const AuditEvent& event);
  // Appends under event.sequence, which the caller takes from the counters.
  void AppendAudit(const AuditEvent& event);
  void AppendChange(const ChangeEvent& event);
  void PutCounters(const StoreCounters& counters);
  void PutReviewTask(const ReviewTask& task);
  void DeleteReviewTask(absl::string_view task_id);
  void PutErased(const ErasedEntity& marker);
  void PutSuppressed(absl::string_view hash, const SuppressedIdentifier& entry);
  void DeleteSuppressed(absl::string_view hash);
  // Stores the constraint under both orders of its pair.
  void PutConstraint(const Constraint& constraint);
  void DeleteConstraint(const RecordKey& left, const RecordKey& right);

  const WriteSet& write_set() const { return writes_; }
  // For writes to tables this class does not know (enrichment links).
  WriteSet* mutable_write_set() { return &writes_; }

 private:
  WriteSet writes_;
};

}  // namespace c360

#endif  // C360_STORE_REPOSITORY_H_

#include "store/repository.h"

#include <algorithm>

#include <utility>

#include "absl/strings/str_cat.h"
#include "store/keys.h"

namespace c360 {
namespace {

constexpr int kMaxAliasHops = 64;
const char kCountersKey[] = "counters";

std::string RecordKeyBytes(const RecordKey& key) {
  return EncodeKey({key.source(), key.source_id()});
}

std::string PairKey(const RecordKey& left, const RecordKey& right) {
  return EncodeKey(
      {left.source(), left.source_id(), right.source(), right.source_id()});
}

// Visits the messages of `table` from key `start` on, parsed, until `visit`
// returns false.
template <typename Message>
absl::Status ScanMessages(const ReadView& view, Table table,
                          absl::string_view prefix, absl::string_view start,
                          absl::string_view what,
                          const std::function<bool(const Message&)>& visit) {
  absl::Status parse_error;
  absl::Status scanned = view.Scan(
      table, prefix, start, [&](absl::string_view, absl::string_view value) {
        Message message;
        if (!message.ParseFromArray(value.data(), value.size())) {
          parse_error = absl::DataLossError(absl::StrCat("unreadable ", what));
          return false;
        }
        return visit(message);
      });
  return scanned.ok() ? parse_error : scanned;
}

std::string EntityPartKey(absl::string_view entity_id, const RecordKey& key) {
  return EncodeKey({entity_id, key.source(), key.source_id()});
}

// Decodes the trailing (source, source_id) of a key with `leading` parts
// before them.
absl::StatusOr<RecordKey> TrailingRecordKey(absl::string_view key,
                                            size_t leading) {
  absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
  if (!parts.ok()) return parts.status();
  if (parts->size() != leading + 2) {
    return absl::DataLossError("key has the wrong number of parts");
  }
  RecordKey record;
  record.set_source((*parts)[leading]);
  record.set_source_id((*parts)[leading + 1]);
  return record;
}

template <typename Message>
absl::StatusOr<Message> GetMessage(const ReadView& view, Table table,
                                   absl::string_view key,
                                   absl::string_view what) {
  absl::StatusOr<std::string> bytes = view.Get(table, key);
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("no ", what));
  }
  if (!bytes.ok()) return bytes.status();
  Message message;
  if (!message.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("unreadable ", what));
  }
  return message;
}

// Visits the record keys under `prefix` (keys of `leading` parts before the
// record key) with their values, at most `limit` of them.
absl::Status ScanRecordKeys(
    const ReadView& view, Table table, const std::string& prefix,
    size_t leading, size_t limit,
    const std::function<void(RecordKey, absl::string_view value)>& visit) {
  size_t visited = 0;
  absl::Status decode_error;
  absl::Status scanned = view.Scan(
      table, prefix, "", [&](absl::string_view key, absl::string_view value) {
        if (visited++ >= limit) return false;
        absl::StatusOr<RecordKey> record = TrailingRecordKey(key, leading);
        if (!record.ok()) {
          decode_error = record.status();
          return false;
        }
        visit(*std::move(record), value);
        return true;
      });
  return scanned.ok() ? decode_error : scanned;
}

}  // namespace

RecordKey KeyOf(const SourceRecord& record) {
  RecordKey key;
  key.set_source(record.source());
  key.set_source_id(record.source_id());
  return key;
}

std::string RecordKeyString(const RecordKey& key) {
  return absl::StrCat(key.source(), "/", key.source_id());
}

std::optional<RecordKey> ParseRecordKey(absl::string_view text) {
  const size_t slash = text.find('/');
  if (slash == 0 || slash == absl::string_view::npos ||
      slash + 1 == text.size()) {
    return std::nullopt;
  }
  RecordKey key;
  key.set_source(std::string(text.substr(0, slash)));
  key.set_source_id(std::string(text.substr(slash + 1)));
  return key;
}

absl::StatusOr<StoredRecord> Repository::GetRecord(const RecordKey& key) const {
  return GetMessage<StoredRecord>(*view_, Table::kRecords, RecordKeyBytes(key),
                                  absl::StrCat("record ", RecordKeyString(key)));
}

absl::StatusOr<EntityState> Repository::GetEntity(
    absl::string_view entity_id) const {
  return GetMessage<EntityState>(*view_, Table::kEntities,
                                 EncodeKey({entity_id}),
                                 absl::StrCat("entity ", entity_id));
}

absl::StatusOr<std::string> Repository::LiveEntityId(
    absl::string_view entity_id) const {
  std::string current(entity_id);
  for (int hop = 0; hop < kMaxAliasHops; ++hop) {
    absl::StatusOr<std::string> entity =
        view_->Get(Table::kEntities, EncodeKey({current}));
    if (entity.ok()) return current;
    if (!absl::IsNotFound(entity.status())) return entity.status();
    absl::StatusOr<std::string> next =
        view_->Get(Table::kAliases, EncodeKey({current}));
    if (absl::IsNotFound(next.status())) return UnknownEntity(entity_id);
    if (!next.ok()) return next.status();
    current = *std::move(next);
  }
  return absl::DataLossError(
      absl::StrCat("alias chain of ", entity_id, " is too long"));
}

absl::Status Repository::UnknownEntity(absl::string_view entity_id) const {
  absl::StatusOr<ErasedEntity> erased = GetErased(entity_id);
  if (erased.ok()) {
    return absl::NotFoundError(absl::StrCat("entity ", entity_id, " was erased"));
  }
  if (!absl::IsNotFound(erased.status())) return erased.status();
  return absl::NotFoundError(absl::StrCat("no entity ", entity_id));
}

absl::StatusOr<std::vector<std::string>> Repository::LiveEntityIds(
    const std::vector<std::string>& entity_ids) const {
  std::vector<std::string> live;
  for (const std::string& id : entity_ids) {
    absl::StatusOr<std::string> survivor = LiveEntityId(id);
    if (absl::IsNotFound(survivor.status())) continue;
    if (!survivor.ok()) return survivor.status();
    live.push_back(*std::move(survivor));
  }
  std::sort(live.begin(), live.end());
  live.erase(std::unique(live.begin(), live.end()), live.end());
  return live;
}

absl::StatusOr<std::vector<RecordKey>> Repository::Members(
    absl::string_view entity_id) const {
  std::vector<RecordKey> members;
  absl::Status scanned = ScanRecordKeys(
      *view_, Table::kMembership, EncodeKey({entity_id}), 1, SIZE_MAX,
      [&](RecordKey key, absl::string_view) { members.push_back(std::move(key)); });
  if (!scanned.ok()) return scanned;
  return members;
}

absl::StatusOr<std::vector<Posting>> Repository::Postings(
    absl::string_view candidate_key, size_t limit) const {
  std::vector<Posting> postings;
  absl::Status scanned = ScanRecordKeys(
      *view_, Table::kCandidateKeys, EncodeKey({candidate_key}), 1, limit,
      [&](RecordKey key, absl::string_view entity_id) {
        postings.push_back({std::move(key), std::string(entity_id)});
      });
  if (!scanned.ok()) return scanned;
  return postings;
}

absl::StatusOr<StoreCounters> Repository::GetCounters() const {
  absl::StatusOr<StoreCounters> counters = GetMessage<StoreCounters>(
      *view_, Table::kMeta, EncodeKey({kCountersKey}), "counters");
  if (absl::IsNotFound(counters.status())) counters = StoreCounters();
  if (!counters.ok()) return counters.status();
  StoreCounters fresh = *std::move(counters);
  // 0 = never written: a new store, or a counter older binaries did not keep.
  if (fresh.next_entity() == 0) fresh.set_next_entity(1);
  if (fresh.next_change() == 0) fresh.set_next_change(1);
  if (fresh.next_audit() == 0) fresh.set_next_audit(1);
  if (fresh.next_task() == 0) fresh.set_next_task(1);
  return fresh;
}

absl::StatusOr<ReviewTask> Repository::GetReviewTask(
    absl::string_view task_id) const {
  return GetMessage<ReviewTask>(*view_, Table::kReviewTasks,
                                EncodeKey({task_id}),
                                absl::StrCat("review task ", task_id));
}

absl::Status Repository::ScanReviewTasks(
    absl::string_view from,
    const std::function<bool(const ReviewTask&)>& visit) const {
  std::string start = from.empty() ? "" : EncodeKey({from});
  return ScanMessages<ReviewTask>(*view_, Table::kReviewTasks, "", start,
                                  "review task", visit);
}

absl::StatusOr<std::vector<Constraint>> Repository::Constraints(
    const RecordKey& record) const {
  std::vector<Constraint> constraints;
  absl::Status scanned = ScanMessages<Constraint>(
      *view_, Table::kConstraints, RecordKeyBytes(record), "", "constraint",
      [&](const Constraint& c) {
        constraints.push_back(c);
        return true;
      });
  if (!scanned.ok()) return scanned;
  return constraints;
}

absl::StatusOr<ErasedEntity> Repository::GetErased(
    absl::string_view entity_id) const {
  return GetMessage<ErasedEntity>(*view_, Table::kErasedEntities,
                                  EncodeKey({entity_id}),
                                  absl::StrCat("erased entity ", entity_id));
}

absl::StatusOr<SuppressedIdentifier> Repository::GetSuppressed(
    absl::string_view hash) const {
  return GetMessage<SuppressedIdentifier>(*view_, Table::kSuppression,
                                          EncodeKey({hash}),
                                          "suppressed identifier");
}

absl::Status Repository::ScanEntities(
    const std::function<bool(const EntityState&)>& visit) const {
  return ScanMessages<EntityState>(*view_, Table::kEntities, "", "", "entity",
                                   visit);
}

absl::Status Repository::ScanAudit(
    const std::function<bool(const AuditEvent&)>& visit) const {
  return ScanMessages<AuditEvent>(*view_, Table::kAudit, "", "", "audit event",
                                  visit);
}

absl::Status Repository::ScanChanges(
    uint64_t from, const std::function<bool(const ChangeEvent&)>& visit) const {
  return ScanMessages<ChangeEvent>(*view_, Table::kChangeLog, "",
                                   EncodeSequence(from), "change event", visit);
}

absl::Status Repository::ScanRecords(
    const std::function<bool(const StoredRecord&)>& visit) const {
  return ScanMessages<StoredRecord>(*view_, Table::kRecords, "", "", "record",
                                    visit);
}

absl::Status Repository::ScanCandidateKeyCounts(
    const std::function<void(absl::string_view key, int64_t count)>& visit)
    const {
  std::string current;
  int64_t count = 0;
  absl::Status decode_error;
  absl::Status scanned = view_->Scan(
      Table::kCandidateKeys, "", "",
      [&](absl::string_view key, absl::string_view) {
        absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
        if (!parts.ok() || parts->size() != 3) {
          decode_error = absl::DataLossError("malformed candidate-key entry");
          return false;
        }
        if ((*parts)[0] != current) {
          if (count > 0) visit(current, count);
          current = (*parts)[0];
          count = 0;
        }
        ++count;
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!decode_error.ok()) return decode_error;
  if (count > 0) visit(current, count);
  return absl::OkStatus();
}

void RepositoryWrites::PutRecord(const StoredRecord& record) {
  writes_.Put(Table::kRecords, RecordKeyBytes(KeyOf(record.record())),
              record.SerializeAsString());
}

void RepositoryWrites::DeleteRecord(const RecordKey& record) {
  writes_.Delete(Table::kRecords, RecordKeyBytes(record));
}

void RepositoryWrites::PutEntity(const EntityState& entity) {
  writes_.Put(Table::kEntities, EncodeKey({entity.entity_id()}),
              entity.SerializeAsString());
}

void RepositoryWrites::DeleteEntity(absl::string_view entity_id) {
  writes_.Delete(Table::kEntities, EncodeKey({entity_id}));
}

void RepositoryWrites::AddMember(absl::string_view entity_id,
                                 const RecordKey& record) {
  writes_.Put(Table::kMembership, EntityPartKey(entity_id, record), "");
}

void RepositoryWrites::RemoveMember(absl::string_view entity_id,
                                    const RecordKey& record) {
  writes_.Delete(Table::kMembership, EntityPartKey(entity_id, record));
}

void RepositoryWrites::AddPosting(absl::string_view candidate_key,
                                  const RecordKey& record,
                                  absl::string_view entity_id) {
  writes_.Put(Table::kCandidateKeys, EntityPartKey(candidate_key, record),
              std::string(entity_id));
}

void RepositoryWrites::RemovePosting(absl::string_view candidate_key,
                                     const RecordKey& record) {
  writes_.Delete(Table::kCandidateKeys, EntityPartKey(candidate_key, record));
}

void RepositoryWrites::PutAlias(absl::string_view retired_id,
                                absl::string_view live_id) {
  writes_.Put(Table::kAliases, EncodeKey({retired_id}), std::string(live_id));
}

void RepositoryWrites::DeleteAlias(absl::string_view retired_id) {
  writes_.Delete(Table::kAliases, EncodeKey({retired_id}));
}

void RepositoryWrites::PutAudit(const AuditEvent& event) { AppendAudit(event); }

void RepositoryWrites::AppendAudit(const AuditEvent& event) {
  writes_.Put(Table::kAudit, EncodeSequence(event.sequence()),
              event.SerializeAsString());
}

void RepositoryWrites::AppendChange(const ChangeEvent& event) {
  writes_.Put(Table::kChangeLog, EncodeSequence(event.sequence()),
              event.SerializeAsString());
}

void RepositoryWrites::PutCounters(const StoreCounters& counters) {
  writes_.Put(Table::kMeta, EncodeKey({kCountersKey}),
              counters.SerializeAsString());
}

void RepositoryWrites::PutReviewTask(const ReviewTask& task) {
  writes_.Put(Table::kReviewTasks, EncodeKey({task.task_id()}),
              task.SerializeAsString());
}

void RepositoryWrites::DeleteReviewTask(absl::string_view task_id) {
  writes_.Delete(Table::kReviewTasks, EncodeKey({task_id}));
}

void RepositoryWrites::PutErased(const ErasedEntity& marker) {
  writes_.Put(Table::kErasedEntities, EncodeKey({marker.entity_id()}),
              marker.SerializeAsString());
}

void RepositoryWrites::PutSuppressed(absl::string_view hash,
                                     const SuppressedIdentifier& entry) {
  writes_.Put(Table::kSuppression, EncodeKey({hash}), entry.SerializeAsString());
}

void RepositoryWrites::DeleteSuppressed(absl::string_view hash) {
  writes_.Delete(Table::kSuppression, EncodeKey({hash}));
}

void RepositoryWrites::PutConstraint(const Constraint& constraint) {
  Constraint mirror = constraint;
  std::swap(*mirror.mutable_left(), *mirror.mutable_right());
  writes_.Put(Table::kConstraints,
              PairKey(constraint.left(), constraint.right()),
              constraint.SerializeAsString());
  writes_.Put(Table::kConstraints, PairKey(mirror.left(), mirror.right()),
              mirror.SerializeAsString());
}

void RepositoryWrites::DeleteConstraint(const RecordKey& left,
                                        const RecordKey& right) {
  writes_.Delete(Table::kConstraints, PairKey(left, right));
  writes_.Delete(Table::kConstraints, PairKey(right, left));
}

}  // namespace c360

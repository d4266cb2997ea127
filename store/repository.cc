#include "store/repository.h"

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
    if (absl::IsNotFound(next.status())) {
      return absl::NotFoundError(absl::StrCat("no entity ", entity_id));
    }
    if (!next.ok()) return next.status();
    current = *std::move(next);
  }
  return absl::DataLossError(
      absl::StrCat("alias chain of ", entity_id, " is too long"));
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
  if (!absl::IsNotFound(counters.status())) return counters;
  StoreCounters fresh;
  fresh.set_next_entity(1);
  fresh.set_next_change(1);
  fresh.set_next_audit(1);
  return fresh;
}

absl::Status Repository::ScanChanges(
    uint64_t from, const std::function<bool(const ChangeEvent&)>& visit) const {
  absl::Status parse_error;
  absl::Status scanned = view_->Scan(
      Table::kChangeLog, "", EncodeSequence(from),
      [&](absl::string_view, absl::string_view value) {
        ChangeEvent event;
        if (!event.ParseFromArray(value.data(), value.size())) {
          parse_error = absl::DataLossError("unreadable change event");
          return false;
        }
        return visit(event);
      });
  return scanned.ok() ? parse_error : scanned;
}

absl::Status Repository::ScanRecords(
    const std::function<bool(const StoredRecord&)>& visit) const {
  absl::Status parse_error;
  absl::Status scanned = view_->Scan(
      Table::kRecords, "", "", [&](absl::string_view, absl::string_view value) {
        StoredRecord record;
        if (!record.ParseFromArray(value.data(), value.size())) {
          parse_error = absl::DataLossError("unreadable record");
          return false;
        }
        return visit(record);
      });
  return scanned.ok() ? parse_error : scanned;
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

}  // namespace c360

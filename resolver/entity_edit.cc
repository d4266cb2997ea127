#include "resolver/entity_edit.h"

#include <utility>

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "resolver/identifiers.h"

namespace c360 {

google::protobuf::Timestamp TimestampNow() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      absl::ToUnixNanos(absl::Now()));
}

std::string TaskIdFor(uint64_t number) {
  return absl::StrFormat("T%010d", number);
}

EntityEdit::EntityEdit(const ReadView* view, StoreCounters* counters,
                       google::protobuf::Timestamp now)
    : repo_(view), counters_(counters), now_(std::move(now)) {}

EntityState EntityEdit::NewEntity(int record_count) {
  EntityState entity;
  entity.set_entity_id(EntityIdFor(counters_->next_entity()));
  counters_->set_next_entity(counters_->next_entity() + 1);
  *entity.mutable_created_at() = now_;
  *entity.mutable_updated_at() = now_;
  entity.set_record_count(record_count);
  return entity;
}

void EntityEdit::MoveRecord(StoredRecord stored, absl::string_view to) {
  RecordKey key = KeyOf(stored.record());
  writes_.RemoveMember(stored.entity_id(), key);
  writes_.AddMember(to, key);
  stored.set_entity_id(std::string(to));
  for (const std::string& candidate : stored.candidate_keys()) {
    writes_.AddPosting(candidate, key, to);
  }
  writes_.PutRecord(stored);
}

absl::StatusOr<std::vector<RecordKey>> EntityEdit::Merge(
    absl::string_view retired_id, EntityState* survivor,
    const RecordKey& trigger) {
  absl::StatusOr<EntityState> old = repo_.GetEntity(retired_id);
  if (!old.ok()) return old.status();
  absl::StatusOr<std::vector<RecordKey>> members = repo_.Members(retired_id);
  if (!members.ok()) return members.status();
  for (const RecordKey& member : *members) {
    absl::StatusOr<StoredRecord> stored = repo_.GetRecord(member);
    if (!stored.ok()) return stored.status();
    MoveRecord(*std::move(stored), survivor->entity_id());
  }
  writes_.DeleteEntity(retired_id);
  writes_.PutAlias(retired_id, survivor->entity_id());
  survivor->add_aliases(std::string(retired_id));
  for (const std::string& alias : old->aliases()) {
    writes_.PutAlias(alias, survivor->entity_id());
    survivor->add_aliases(alias);
  }
  survivor->set_record_count(survivor->record_count() + old->record_count());
  *survivor->mutable_updated_at() = now_;
  AppendChange(ENTITY_MERGED, survivor->entity_id(), retired_id, trigger);
  return members;
}

ChangeEvent EntityEdit::NextChange(ChangeType type,
                                   absl::string_view entity_id) {
  ChangeEvent event;
  event.set_sequence(counters_->next_change());
  counters_->set_next_change(counters_->next_change() + 1);
  *event.mutable_at() = now_;
  event.set_type(type);
  event.set_entity_id(std::string(entity_id));
  return event;
}

void EntityEdit::AppendEnriched(absl::string_view entity_id,
                                absl::string_view provider,
                                absl::string_view delivery_id) {
  ChangeEvent event = NextChange(ENTITY_ENRICHED, entity_id);
  event.set_provider(std::string(provider));
  event.set_delivery_id(std::string(delivery_id));
  writes_.AppendChange(event);
}

void EntityEdit::AppendScored(absl::string_view entity_id) {
  writes_.AppendChange(NextChange(ENTITY_SCORED, entity_id));
}

void EntityEdit::AppendChange(ChangeType type, absl::string_view entity_id,
                              absl::string_view other_id,
                              const RecordKey& record) {
  ChangeEvent event = NextChange(type, entity_id);
  if (type == ENTITY_SPLIT) {
    event.set_new_entity_id(std::string(other_id));
  } else {
    event.set_retired_entity_id(std::string(other_id));
  }
  *event.mutable_record() = record;
  writes_.AppendChange(event);
}

AuditEvent EntityEdit::AppendAudit(AuditEvent event) {
  event.set_sequence(counters_->next_audit());
  counters_->set_next_audit(counters_->next_audit() + 1);
  *event.mutable_at() = now_;
  writes_.AppendAudit(event);
  return event;
}

void EntityEdit::AddReviewTask(const RecordKey& record,
                               absl::string_view entity_id,
                               MatchEvidence evidence) {
  ReviewTask task;
  task.set_task_id(TaskIdFor(counters_->next_task()));
  counters_->set_next_task(counters_->next_task() + 1);
  *task.mutable_record() = record;
  task.set_entity_id(std::string(entity_id));
  task.set_score(evidence.score());
  *task.mutable_evidence() = std::move(evidence);
  *task.mutable_created_at() = now_;
  task.set_state(OPEN);
  writes_.PutReviewTask(task);
}

absl::Status EntityEdit::Commit(KvStore* store) {
  writes_.PutCounters(*counters_);
  return store->Commit(writes_.write_set());
}

}  // namespace c360

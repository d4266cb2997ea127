#include "resolver/steward.h"

#include <algorithm>
#include <functional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "resolver/entity_edit.h"
#include "resolver/steward_queries.h"
#include "store/repository.h"

namespace c360 {
namespace {

using Keys = std::vector<RecordKey>;

// Runs `op` under the resolver's lock and commits its edit when it succeeds.
template <typename Response>
absl::StatusOr<Response> RunEdit(
    KvStore* store, Resolver* resolver,
    const std::function<absl::StatusOr<Response>(EntityEdit&)>& op) {
  absl::StatusOr<Response> result;
  absl::Status done = resolver->RunExclusive([&](StoreCounters* counters) {
    EntityEdit edit(store, counters, TimestampNow());
    result = op(edit);
    if (!result.ok()) return result.status();
    return edit.Commit(store);
  });
  if (!done.ok()) return done;
  return result;
}

absl::StatusOr<std::string> LiveId(const Repository& repo, absl::string_view id,
                                   absl::string_view field) {
  if (id.empty()) return absl::InvalidArgumentError(absl::StrCat(field, ": empty"));
  return repo.LiveEntityId(id);
}

absl::StatusOr<StoredRecord> GetRecord(const Repository& repo,
                                       const RecordKey& key,
                                       absl::string_view field) {
  if (key.source().empty() || key.source_id().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": source and source_id are required"));
  }
  return repo.GetRecord(key);
}

// The oldest of `keys` by first_seen, then by key.
absl::StatusOr<RecordKey> Oldest(const Repository& repo, const Keys& keys) {
  StoredRecord oldest;
  for (const RecordKey& key : keys) {
    absl::StatusOr<StoredRecord> stored = repo.GetRecord(key);
    if (!stored.ok()) return stored.status();
    auto rank = [](const StoredRecord& r) {
      return std::make_pair(
          google::protobuf::util::TimeUtil::TimestampToNanoseconds(r.first_seen()),
          RecordKeyString(KeyOf(r.record())));
    };
    if (!oldest.has_record() || rank(*stored) < rank(oldest)) oldest = *stored;
  }
  if (!oldest.has_record()) return absl::DataLossError("an entity without records");
  return KeyOf(oldest.record());
}

// Constraints of `kind` joining a record of `from` with one of `to`.
absl::StatusOr<std::vector<Constraint>> Crossing(const Repository& repo,
                                                 const Keys& from, const Keys& to,
                                                 ConstraintKind kind) {
  absl::flat_hash_set<std::string> targets;
  for (const RecordKey& key : to) targets.insert(RecordKeyString(key));
  std::vector<Constraint> crossing;
  for (const RecordKey& key : from) {
    absl::StatusOr<std::vector<Constraint>> all = repo.Constraints(key);
    if (!all.ok()) return all.status();
    for (Constraint& c : *all) {
      if (c.kind() == kind && targets.contains(RecordKeyString(c.right()))) {
        crossing.push_back(std::move(c));
      }
    }
  }
  return crossing;
}

// Refuses `crossing` constraints unless `force`, which deletes them.
absl::Status Override(const std::vector<Constraint>& crossing, bool force,
                      absl::string_view what, EntityEdit& edit) {
  if (crossing.empty()) return absl::OkStatus();
  const Constraint& first = crossing.front();
  if (!force) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a ", what, " joins ", RecordKeyString(first.left()), " and ",
        RecordKeyString(first.right()), " (set by ", first.actor(),
        "); pass force to override it"));
  }
  for (const Constraint& c : crossing) {
    edit.writes().DeleteConstraint(c.left(), c.right());
  }
  return absl::OkStatus();
}

void AddConstraint(ConstraintKind kind, const RecordKey& left,
                   const RecordKey& right, const AuditEvent& audit,
                   EntityEdit& edit) {
  Constraint constraint;
  constraint.set_kind(kind);
  *constraint.mutable_left() = left;
  *constraint.mutable_right() = right;
  constraint.set_actor(audit.actor());
  *constraint.mutable_at() = edit.now();
  constraint.set_note(audit.note());
  constraint.set_task_id(audit.task_id());
  edit.writes().PutConstraint(constraint);
}

AuditEvent AuditOf(absl::string_view action, absl::string_view actor,
                   absl::string_view note) {
  AuditEvent audit;
  audit.set_action(std::string(action));
  audit.set_actor(std::string(actor));
  audit.set_note(std::string(note));
  return audit;
}

void SetMembers(const Keys& before, const Keys& after, AuditEvent* audit) {
  for (const RecordKey& key : before) *audit->add_members_before() = key;
  for (const RecordKey& key : after) *audit->add_members_after() = key;
}

// Merges two distinct live entities into the older one.
absl::StatusOr<EntityChangeResponse> MergeLive(EntityEdit& edit,
                                               const std::string& a,
                                               const std::string& b, bool force,
                                               AuditEvent audit) {
  const Repository& repo = edit.repo();
  absl::StatusOr<Keys> members_a = repo.Members(a);
  if (!members_a.ok()) return members_a.status();
  absl::StatusOr<Keys> members_b = repo.Members(b);
  if (!members_b.ok()) return members_b.status();
  auto crossing = Crossing(repo, *members_a, *members_b, CANNOT_LINK);
  if (!crossing.ok()) return crossing.status();
  absl::Status allowed = Override(*crossing, force, "cannot-link", edit);
  if (!allowed.ok()) return allowed;
  const bool a_survives = a < b;
  const std::string& survivor_id = a_survives ? a : b;
  const std::string& retired_id = a_survives ? b : a;
  absl::StatusOr<EntityState> survivor = repo.GetEntity(survivor_id);
  if (!survivor.ok()) return survivor.status();
  absl::StatusOr<Keys> moved = edit.Merge(retired_id, &*survivor, RecordKey());
  if (!moved.ok()) return moved.status();
  edit.writes().PutEntity(*survivor);
  Keys before = a_survives ? *members_a : *members_b;
  Keys after = before;
  after.insert(after.end(), moved->begin(), moved->end());
  audit.set_entity_id(survivor_id);
  audit.add_other_entity_ids(retired_id);
  SetMembers(before, after, &audit);
  EntityChangeResponse response;
  response.set_entity_id(survivor_id);
  response.set_other_entity_id(retired_id);
  *response.mutable_audit() = edit.AppendAudit(std::move(audit));
  return response;
}

// Moves `out` of the live entity into a new one; the part holding the
// oldest record keeps the id.
absl::StatusOr<EntityChangeResponse> SplitLive(EntityEdit& edit,
                                               const std::string& entity_id,
                                               const Keys& requested, bool force,
                                               AuditEvent audit) {
  const Repository& repo = edit.repo();
  absl::StatusOr<Keys> members = repo.Members(entity_id);
  if (!members.ok()) return members.status();
  absl::flat_hash_set<std::string> out;
  for (const RecordKey& key : requested) {
    std::string name = RecordKeyString(key);
    bool member = std::any_of(members->begin(), members->end(), [&](const auto& m) {
      return RecordKeyString(m) == name;
    });
    if (!member) {
      return absl::InvalidArgumentError(
          absl::StrCat("record ", name, " is not in entity ", entity_id));
    }
    out.insert(name);
  }
  if (out.empty()) return absl::InvalidArgumentError("no records to split out");
  if (out.size() == members->size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot split every record out of entity ", entity_id));
  }
  absl::StatusOr<RecordKey> oldest = Oldest(repo, *members);
  if (!oldest.ok()) return oldest.status();
  const bool oldest_goes = out.contains(RecordKeyString(*oldest));
  Keys keep, go;
  for (const RecordKey& key : *members) {
    (out.contains(RecordKeyString(key)) != oldest_goes ? go : keep).push_back(key);
  }
  auto crossing = Crossing(repo, go, keep, MUST_LINK);
  if (!crossing.ok()) return crossing.status();
  absl::Status allowed = Override(*crossing, force, "must-link", edit);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<EntityState> entity = repo.GetEntity(entity_id);
  if (!entity.ok()) return entity.status();
  EntityState created = edit.NewEntity(static_cast<int>(go.size()));
  for (const RecordKey& key : go) {
    absl::StatusOr<StoredRecord> stored = repo.GetRecord(key);
    if (!stored.ok()) return stored.status();
    edit.MoveRecord(*std::move(stored), created.entity_id());
  }
  entity->set_record_count(static_cast<int>(keep.size()));
  *entity->mutable_updated_at() = edit.now();
  edit.writes().PutEntity(*entity);
  edit.writes().PutEntity(created);
  edit.AppendChange(ENTITY_SPLIT, entity_id, created.entity_id(), RecordKey());
  edit.AppendChange(ENTITY_CREATED, created.entity_id(), "", RecordKey());
  audit.set_entity_id(entity_id);
  audit.add_other_entity_ids(created.entity_id());
  SetMembers(*members, keep, &audit);
  for (const RecordKey& a : keep) {
    for (const RecordKey& b : go) AddConstraint(CANNOT_LINK, a, b, audit, edit);
  }
  EntityChangeResponse response;
  response.set_entity_id(entity_id);
  response.set_other_entity_id(created.entity_id());
  *response.mutable_audit() = edit.AppendAudit(std::move(audit));
  return response;
}

absl::Status CheckDecidable(const Repository& repo, const ReviewTask& task) {
  if (task.state() != OPEN) {
    return absl::FailedPreconditionError(absl::StrCat(
        "review task ", task.task_id(), " was already decided (",
        ReviewState_Name(task.state()), ") by ", task.decided_by()));
  }
  absl::StatusOr<std::string> reason = ObsoleteReason(repo, task);
  if (!reason.ok()) return reason.status();
  if (!reason->empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "review task ", task.task_id(), " is obsolete: ", *reason));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DecideResponse> Steward::Decide(const DecideRequest& request,
                                               absl::string_view actor) {
  if (request.task_id().empty()) return absl::InvalidArgumentError("task_id: empty");
  if (request.verdict() != SAME && request.verdict() != NOT_SAME) {
    return absl::InvalidArgumentError("verdict: SAME or NOT_SAME");
  }
  return RunEdit<DecideResponse>(store_, resolver_, [&](EntityEdit& edit)
                                                        -> absl::StatusOr<DecideResponse> {
    const Repository& repo = edit.repo();
    absl::StatusOr<ReviewTask> task = repo.GetReviewTask(request.task_id());
    if (!task.ok()) return task.status();
    absl::Status decidable = CheckDecidable(repo, *task);
    if (!decidable.ok()) return decidable;
    absl::StatusOr<StoredRecord> record = repo.GetRecord(task->record());
    if (!record.ok()) return record.status();
    const bool same = request.verdict() == SAME;
    AuditEvent audit =
        AuditOf(same ? "decide_same" : "decide_not_same", actor, request.note());
    audit.set_task_id(task->task_id());
    *audit.mutable_trigger() = task->record();
    *audit.mutable_evidence() = task->evidence();
    DecideResponse response;
    response.set_entity_id(record->entity_id());
    if (same) {
      auto merged = MergeLive(edit, record->entity_id(), task->entity_id(),
                              /*force=*/false, audit);
      if (!merged.ok()) return merged.status();
      response.set_entity_id(merged->entity_id());
      response.set_retired_entity_id(merged->other_entity_id());
    } else {
      absl::StatusOr<Keys> members = repo.Members(record->entity_id());
      if (!members.ok()) return members.status();
      audit.set_entity_id(record->entity_id());
      audit.add_other_entity_ids(task->entity_id());
      SetMembers(*members, *members, &audit);
      edit.AppendAudit(audit);
    }
    AddConstraint(same ? MUST_LINK : CANNOT_LINK, task->record(),
                  task->evidence().matched_record(), audit, edit);
    task->set_state(same ? DECIDED_SAME : DECIDED_NOT_SAME);
    task->set_decided_by(std::string(actor));
    *task->mutable_decided_at() = edit.now();
    task->set_note(request.note());
    edit.writes().PutReviewTask(*task);
    *response.mutable_task() = *std::move(task);
    return response;
  });
}

absl::StatusOr<EntityChangeResponse> Steward::MergeEntities(
    const MergeEntitiesRequest& request, absl::string_view actor) {
  return RunEdit<EntityChangeResponse>(store_, resolver_, [&](EntityEdit& edit)
      -> absl::StatusOr<EntityChangeResponse> {
    const Repository& repo = edit.repo();
    absl::StatusOr<std::string> a = LiveId(repo, request.entity_a(), "entity_a");
    if (!a.ok()) return a.status();
    absl::StatusOr<std::string> b = LiveId(repo, request.entity_b(), "entity_b");
    if (!b.ok()) return b.status();
    if (*a == *b) {
      return absl::InvalidArgumentError(absl::StrCat(
          "entity_a and entity_b are both entity ", *a,
          ": an entity cannot be merged with itself"));
    }
    absl::StatusOr<Keys> members_a = repo.Members(*a);
    if (!members_a.ok()) return members_a.status();
    absl::StatusOr<Keys> members_b = repo.Members(*b);
    if (!members_b.ok()) return members_b.status();
    absl::StatusOr<RecordKey> oldest_a = Oldest(repo, *members_a);
    if (!oldest_a.ok()) return oldest_a.status();
    absl::StatusOr<RecordKey> oldest_b = Oldest(repo, *members_b);
    if (!oldest_b.ok()) return oldest_b.status();
    AuditEvent audit = AuditOf("merge", actor, request.note());
    auto merged = MergeLive(edit, *a, *b, request.force(), audit);
    if (merged.ok()) AddConstraint(MUST_LINK, *oldest_a, *oldest_b, audit, edit);
    return merged;
  });
}

absl::StatusOr<EntityChangeResponse> Steward::SplitEntity(
    const SplitEntityRequest& request, absl::string_view actor) {
  return RunEdit<EntityChangeResponse>(store_, resolver_, [&](EntityEdit& edit)
      -> absl::StatusOr<EntityChangeResponse> {
    absl::StatusOr<std::string> live =
        LiveId(edit.repo(), request.entity_id(), "entity_id");
    if (!live.ok()) return live.status();
    Keys records(request.records().begin(), request.records().end());
    return SplitLive(edit, *live, records, request.force(),
                     AuditOf("split", actor, request.note()));
  });
}

absl::StatusOr<EntityChangeResponse> Steward::LinkRecords(
    const LinkRecordsRequest& request, absl::string_view actor) {
  return RunEdit<EntityChangeResponse>(store_, resolver_, [&](EntityEdit& edit)
      -> absl::StatusOr<EntityChangeResponse> {
    const Repository& repo = edit.repo();
    absl::StatusOr<StoredRecord> a = GetRecord(repo, request.record_a(), "record_a");
    if (!a.ok()) return a.status();
    absl::StatusOr<StoredRecord> b = GetRecord(repo, request.record_b(), "record_b");
    if (!b.ok()) return b.status();
    if (RecordKeyString(request.record_a()) == RecordKeyString(request.record_b())) {
      return absl::InvalidArgumentError("record_a and record_b are one record");
    }
    AuditEvent audit = AuditOf("link", actor, request.note());
    absl::StatusOr<EntityChangeResponse> response;
    if (a->entity_id() != b->entity_id()) {
      response = MergeLive(edit, a->entity_id(), b->entity_id(), request.force(),
                           audit);
      if (!response.ok()) return response;
    } else {
      absl::StatusOr<Keys> members = repo.Members(a->entity_id());
      if (!members.ok()) return members.status();
      audit.set_entity_id(a->entity_id());
      SetMembers(*members, *members, &audit);
      response = EntityChangeResponse();
      response->set_entity_id(a->entity_id());
      *response->mutable_audit() = edit.AppendAudit(audit);
    }
    AddConstraint(MUST_LINK, request.record_a(), request.record_b(), audit, edit);
    return response;
  });
}

absl::StatusOr<EntityChangeResponse> Steward::UnlinkRecord(
    const UnlinkRecordRequest& request, absl::string_view actor) {
  return RunEdit<EntityChangeResponse>(store_, resolver_, [&](EntityEdit& edit)
      -> absl::StatusOr<EntityChangeResponse> {
    absl::StatusOr<StoredRecord> record =
        GetRecord(edit.repo(), request.record(), "record");
    if (!record.ok()) return record.status();
    return SplitLive(edit, record->entity_id(), {request.record()},
                     request.force(), AuditOf("unlink", actor, request.note()));
  });
}

}  // namespace c360

#include "resolver/erasure.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "c360/enrichment.pb.h"
#include "resolver/entity_edit.h"
#include "resolver/normalized_record.h"
#include "resolver/suppression.h"
#include "store/customer_scores.h"
#include "store/enrichment_keys.h"
#include "store/keys.h"
#include "store/repository.h"

namespace c360 {
namespace {

// The records to erase, all members of `entity`.
struct Target {
  EntityState entity;
  std::vector<StoredRecord> records;
};

using SelectTarget = std::function<absl::StatusOr<Target>(const Repository&)>;

// One erasure collected into one EntityEdit; see erasure.h for what it
// writes.
class ErasureEdit {
 public:
  ErasureEdit(EntityEdit* edit, const Resolver& resolver, Target target,
              const RecordKey& trigger)
      : edit_(*edit),
        repo_(edit->repo()),
        writes_(edit->writes()),
        resolver_(resolver),
        target_(std::move(target)),
        trigger_(trigger) {}

  absl::StatusOr<ErasureResult> Run(absl::string_view action,
                                    absl::string_view reason,
                                    absl::string_view actor) {
    const std::string& id = target_.entity.entity_id();
    absl::StatusOr<std::vector<RecordKey>> before = repo_.Members(id);
    if (!before.ok()) return before.status();
    for (const StoredRecord& stored : target_.records) {
      absl::Status removed = RemoveRecord(stored);
      if (!removed.ok()) return removed;
    }
    const bool whole = before->size() == target_.records.size();
    if (whole) {
      erased_ids_.insert(id);
      erased_ids_.insert(target_.entity.aliases().begin(),
                         target_.entity.aliases().end());
    }
    absl::Status scrubbed = DeleteReviewTasks();
    if (scrubbed.ok()) scrubbed = ScrubAudit();
    if (!scrubbed.ok()) return scrubbed;
    ErasureResult result{id, whole, {}, {}};
    for (const StoredRecord& stored : target_.records) {
      result.records.push_back(KeyOf(stored.record()));
    }
    result.audit = AppendAudit(action, reason, actor, *before);
    if (whole) {
      RetireEntity(result.audit);
    } else {
      ShrinkEntity();
    }
    return result;
  }

 private:
  // Deletes the record's rows and constraints and suppresses its
  // identifiers.
  absl::Status RemoveRecord(const StoredRecord& stored) {
    const RecordKey key = KeyOf(stored.record());
    erased_records_.insert(RecordKeyString(key));
    writes_.DeleteRecord(key);
    writes_.RemoveMember(stored.entity_id(), key);
    for (const std::string& candidate : stored.candidate_keys()) {
      writes_.RemovePosting(candidate, key);
    }
    absl::StatusOr<std::vector<Constraint>> constraints = repo_.Constraints(key);
    if (!constraints.ok()) return constraints.status();
    for (const Constraint& c : *constraints) {
      writes_.DeleteConstraint(c.left(), c.right());
    }
    Suppress(NormalizeRecord(stored.record(), resolver_.RegionFor(key.source())),
             edit_.now(), &writes_);
    return DeletePurchasedData(key);
  }

  // Deletes the record's links to provider rows, and the person rows
  // themselves: purchased data about the person (company rows describe a
  // company and stay).
  absl::Status DeletePurchasedData(const RecordKey& key) {
    WriteSet* writes = writes_.mutable_write_set();
    absl::Status status = absl::OkStatus();
    absl::Status scanned = repo_.view().Scan(
        Table::kEnrichmentLinks, EnrichmentLinkPrefix(key), "",
        [&](absl::string_view link, absl::string_view) {
          writes->Delete(Table::kEnrichmentLinks, std::string(link));
          absl::StatusOr<std::vector<std::string>> parts = DecodeKey(link);
          if (!parts.ok() || parts->size() != 5) {
            status = absl::DataLossError("malformed enrichment link key");
            return false;
          }
          const std::string row_key =
              ProviderRowKey((*parts)[2], (*parts)[3], (*parts)[4]);
          absl::StatusOr<std::string> bytes =
              repo_.view().Get(Table::kProviderRows, row_key);
          if (absl::IsNotFound(bytes.status())) return true;
          ProviderRow row;
          if (!bytes.ok() || !row.ParseFromString(*bytes)) {
            status = bytes.ok() ? absl::DataLossError("unreadable provider row")
                                : bytes.status();
            return false;
          }
          if (row.kind() == PERSON) writes->Delete(Table::kProviderRows, row_key);
          return true;
        });
    if (!scanned.ok()) return scanned;
    return status;
  }

  bool Erased(const RecordKey& key) const {
    return erased_records_.contains(RecordKeyString(key));
  }

  absl::Status DeleteReviewTasks() {
    return repo_.ScanReviewTasks("", [&](const ReviewTask& task) {
      if (Erased(task.record()) || Erased(task.evidence().matched_record()) ||
          erased_ids_.contains(task.entity_id())) {
        writes_.DeleteReviewTask(task.task_id());
      }
      return true;
    });
  }

  bool Names(const AuditEvent& event) const {
    if (Erased(event.trigger()) || Erased(event.evidence().matched_record()) ||
        erased_ids_.contains(event.entity_id())) {
      return true;
    }
    for (const std::string& other : event.other_entity_ids()) {
      if (erased_ids_.contains(other)) return true;
    }
    for (const auto* members : {&event.members_before(), &event.members_after()}) {
      for (const RecordKey& key : *members) {
        if (Erased(key)) return true;
      }
    }
    return false;
  }

  // Clears the note and evidence of every event naming what is erased.
  absl::Status ScrubAudit() {
    return repo_.ScanAudit([&](const AuditEvent& event) {
      if (Names(event) && (!event.note().empty() || event.has_evidence())) {
        AuditEvent scrubbed = event;
        scrubbed.clear_note();
        scrubbed.clear_evidence();
        writes_.PutAudit(scrubbed);
      }
      return true;
    });
  }

  AuditEvent AppendAudit(absl::string_view action, absl::string_view reason,
                         absl::string_view actor,
                         const std::vector<RecordKey>& before) {
    AuditEvent event;
    event.set_actor(std::string(actor));
    event.set_action(std::string(action));
    event.set_entity_id(target_.entity.entity_id());
    *event.mutable_other_entity_ids() = target_.entity.aliases();
    for (const RecordKey& key : before) {
      *event.add_members_before() = key;
      if (!Erased(key)) *event.add_members_after() = key;
    }
    *event.mutable_trigger() = trigger_;
    event.set_note(std::string(reason));
    return edit_.AppendAudit(std::move(event));
  }

  // Deletes the entity and its aliases and marks each id erased.
  void RetireEntity(const AuditEvent& audit) {
    writes_.DeleteEntity(target_.entity.entity_id());
    for (const std::string& id : erased_ids_) {
      if (id != target_.entity.entity_id()) writes_.DeleteAlias(id);
      writes_.mutable_write_set()->Delete(Table::kScores, EntityScoresKey(id));
      ErasedEntity marker;
      marker.set_entity_id(id);
      *marker.mutable_erased_at() = edit_.now();
      marker.set_actor(audit.actor());
      marker.set_audit_sequence(audit.sequence());
      writes_.PutErased(marker);
    }
    edit_.AppendChange(ENTITY_ERASED, target_.entity.entity_id(), "", trigger_);
  }

  void ShrinkEntity() {
    EntityState entity = target_.entity;
    entity.set_record_count(entity.record_count() -
                            static_cast<int>(target_.records.size()));
    *entity.mutable_updated_at() = edit_.now();
    writes_.PutEntity(entity);
    edit_.AppendChange(RECORD_ERASED, entity.entity_id(), "", trigger_);
  }

  EntityEdit& edit_;
  const Repository& repo_;
  RepositoryWrites& writes_;
  const Resolver& resolver_;
  const Target target_;
  const RecordKey trigger_;
  absl::flat_hash_set<std::string> erased_records_;  // RecordKeyString
  absl::flat_hash_set<std::string> erased_ids_;      // when the entity goes
};

// Selects the target on the latest state and erases it in one write under
// the decision lock; then drops the erased records from the resolver's
// cache.
absl::StatusOr<ErasureResult> Erase(KvStore* store, Resolver* resolver,
                                    const SelectTarget& select,
                                    const RecordKey& trigger,
                                    absl::string_view action,
                                    absl::string_view reason,
                                    absl::string_view actor) {
  ErasureResult result;
  absl::Status done = resolver->RunExclusive([&](StoreCounters* counters) {
    EntityEdit edit(store, counters, TimestampNow());
    absl::StatusOr<Target> target = select(edit.repo());
    if (!target.ok()) return target.status();
    absl::StatusOr<ErasureResult> erased =
        ErasureEdit(&edit, *resolver, *std::move(target), trigger)
            .Run(action, reason, actor);
    if (!erased.ok()) return erased.status();
    result = *std::move(erased);
    return edit.Commit(store);
  });
  if (!done.ok()) return done;
  resolver->ForgetRecords(result.records);
  return result;
}

absl::StatusOr<EntityState> EntityOf(const Repository& repo,
                                     absl::string_view entity_id) {
  absl::StatusOr<std::string> live = repo.LiveEntityId(entity_id);
  if (!live.ok()) return live.status();
  return repo.GetEntity(*live);
}

}  // namespace

absl::StatusOr<ErasureResult> Eraser::EraseRecord(const RecordKey& record,
                                                  absl::string_view reason,
                                                  absl::string_view actor) {
  SelectTarget select = [&](const Repository& repo) -> absl::StatusOr<Target> {
    absl::StatusOr<StoredRecord> stored = repo.GetRecord(record);
    if (!stored.ok()) return stored.status();
    absl::StatusOr<EntityState> entity = EntityOf(repo, stored->entity_id());
    if (!entity.ok()) return entity.status();
    return Target{*std::move(entity), {*std::move(stored)}};
  };
  return Erase(store_, resolver_, select, record, "erase_record", reason, actor);
}

absl::StatusOr<ErasureResult> Eraser::EraseEntity(absl::string_view entity_id,
                                                  absl::string_view reason,
                                                  absl::string_view actor) {
  SelectTarget select = [&](const Repository& repo) -> absl::StatusOr<Target> {
    absl::StatusOr<EntityState> entity = EntityOf(repo, entity_id);
    if (!entity.ok()) return entity.status();
    absl::StatusOr<std::vector<RecordKey>> members =
        repo.Members(entity->entity_id());
    if (!members.ok()) return members.status();
    Target target{*std::move(entity), {}};
    for (const RecordKey& key : *members) {
      absl::StatusOr<StoredRecord> stored = repo.GetRecord(key);
      if (!stored.ok()) return stored.status();
      target.records.push_back(*std::move(stored));
    }
    return target;
  };
  return Erase(store_, resolver_, select, RecordKey(), "erase_entity", reason,
               actor);
}

}  // namespace c360

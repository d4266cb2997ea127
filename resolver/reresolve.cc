#include "resolver/reresolve.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "google/protobuf/util/time_util.h"
#include "resolver/entity_edit.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"

namespace c360 {
namespace {

// Lends the live resolver's decider to the scratch resolver.
class BorrowedDecider : public MatchDecider {
 public:
  explicit BorrowedDecider(const MatchDecider& inner) : inner_(inner) {}
  MatchEvidence Compare(const ComparableRecord& a,
                        const ComparableRecord& b) const override {
    return inner_.Compare(a, b);
  }
  double link_threshold() const override { return inner_.link_threshold(); }
  double review_threshold() const override { return inner_.review_threshold(); }
  bool Contradicts(const MatchEvidence& evidence) const override {
    return inner_.Contradicts(evidence);
  }

 private:
  const MatchDecider& inner_;
};

// Every record, oldest first (first_seen, then key).
absl::StatusOr<std::vector<StoredRecord>> RecordsByAge(const Repository& repo) {
  std::vector<StoredRecord> records;
  absl::Status scanned = repo.ScanRecords([&](const StoredRecord& r) {
    records.push_back(r);
    return true;
  });
  if (!scanned.ok()) return scanned;
  auto rank = [](const StoredRecord& r) {
    return std::make_pair(
        google::protobuf::util::TimeUtil::TimestampToNanoseconds(r.first_seen()),
        RecordKeyString(KeyOf(r.record())));
  };
  std::sort(records.begin(), records.end(),
            [&](const auto& a, const auto& b) { return rank(a) < rank(b); });
  return records;
}

// Resolves `records` in order in a fresh store holding `store`'s
// constraints; returns each record as resolved there.
absl::StatusOr<std::vector<StoredRecord>> ResolveInScratch(
    const KvStore& store, const Resolver& resolver,
    const std::vector<StoredRecord>& records, const std::string& dir) {
  absl::StatusOr<std::unique_ptr<KvStore>> scratch = OpenRocksDbStore({.path = dir});
  if (!scratch.ok()) return scratch.status();
  WriteSet constraints;
  absl::Status copied = store.Scan(
      Table::kConstraints, "", "", [&](absl::string_view k, absl::string_view v) {
        constraints.Put(Table::kConstraints, std::string(k), std::string(v));
        return true;
      });
  if (copied.ok()) copied = (*scratch)->Commit(constraints);
  if (!copied.ok()) return copied;
  Resolver replay(scratch->get(), std::make_unique<BorrowedDecider>(resolver.decider()),
                  resolver.options());
  std::vector<SourceRecord> sources;
  for (const StoredRecord& r : records) sources.push_back(r.record());
  for (const absl::StatusOr<UpsertResult>& result : replay.UpsertBatch(sources)) {
    if (!result.ok()) return result.status();
  }
  std::vector<StoredRecord> resolved;
  Repository repo(scratch->get());
  for (const StoredRecord& r : records) {
    absl::StatusOr<StoredRecord> again = repo.GetRecord(KeyOf(r.record()));
    if (!again.ok()) return again.status();
    resolved.push_back(*std::move(again));
  }
  return resolved;
}

// Writes the new grouping over the old one; see Reresolve.
class Rebuild {
 public:
  Rebuild(EntityEdit* edit, absl::string_view actor) : edit_(*edit), actor_(actor) {}

  absl::StatusOr<ReresolveStats> Run(const std::vector<StoredRecord>& old,
                                     const std::vector<StoredRecord>& resolved) {
    absl::Status loaded = LoadOldEntities();
    if (!loaded.ok()) return loaded;
    AssignIds(old, resolved);
    for (size_t i = 0; i < old.size(); ++i) MoveIfChanged(old[i], resolved[i]);
    return Finish();
  }

 private:
  absl::Status LoadOldEntities() {
    return edit_.repo().ScanEntities([&](const EntityState& e) {
      old_entities_[e.entity_id()] = e;
      return true;
    });
  }

  // Claims ids in the order of the entities' oldest records.
  void AssignIds(const std::vector<StoredRecord>& old,
                 const std::vector<StoredRecord>& resolved) {
    for (size_t i = 0; i < old.size(); ++i) {
      const std::string& scratch_id = resolved[i].entity_id();
      auto [it, first] = final_id_.try_emplace(scratch_id);
      if (first) {
        if (claimed_.insert(old[i].entity_id()).second) {
          it->second = old[i].entity_id();
        } else {
          it->second = edit_.NewEntity(0).entity_id();
          created_.insert(it->second);
        }
      }
      oldest_home_.try_emplace(old[i].entity_id(), it->second);
      RecordKey key = KeyOf(old[i].record());
      old_members_[old[i].entity_id()].push_back(key);
      new_members_[it->second].push_back(std::move(key));
    }
  }

  void MoveIfChanged(StoredRecord record, const StoredRecord& resolved) {
    const std::string& to = final_id_.at(resolved.entity_id());
    bool same_evidence = record.evidence().SerializeAsString() ==
                         resolved.evidence().SerializeAsString();
    if (record.entity_id() == to && same_evidence) return;
    *record.mutable_evidence() = resolved.evidence();
    edit_.MoveRecord(std::move(record), to);
  }

  // The entity an old live id lives on in: itself when claimed, else the
  // entity of its oldest record.
  const std::string& Home(const std::string& old_id) const {
    return claimed_.contains(old_id) ? old_id : oldest_home_.at(old_id);
  }

  absl::StatusOr<ReresolveStats> Finish() {
    ReresolveStats stats;
    std::map<std::string, std::vector<std::string>> aliases;  // final -> ids
    std::map<std::string, std::vector<std::string>> retired;
    for (const auto& [id, entity] : old_entities_) {
      const std::string& home = Home(id);
      for (const std::string& alias : entity.aliases()) {
        aliases[home].push_back(alias);
        if (home != id) edit_.writes().PutAlias(alias, home);
      }
      if (home == id) continue;
      aliases[home].push_back(id);
      retired[home].push_back(id);
      edit_.writes().DeleteEntity(id);
      edit_.writes().PutAlias(id, home);
      edit_.AppendChange(ENTITY_MERGED, home, id, RecordKey());
      ++stats.retired_ids;
    }
    for (auto& [id, members] : new_members_) {
      stats.records += static_cast<int64_t>(members.size());
      ++stats.entities;
      EntityState entity = created_.contains(id) ? EntityState() : old_entities_[id];
      if (created_.contains(id)) {
        entity.set_entity_id(id);
        *entity.mutable_created_at() = edit_.now();
      }
      entity.set_record_count(static_cast<int>(members.size()));
      entity.clear_aliases();
      for (const std::string& alias : aliases[id]) entity.add_aliases(alias);
      const std::vector<RecordKey>& before = old_members_[id];
      bool changed = created_.contains(id) || Names(before) != Names(members) ||
                     !retired[id].empty();
      if (changed) {
        *entity.mutable_updated_at() = edit_.now();
        if (!created_.contains(id) && retired[id].empty()) {
          edit_.AppendChange(ENTITY_UPDATED, id, "", RecordKey());
        }
        if (created_.contains(id)) edit_.AppendChange(ENTITY_CREATED, id, "", RecordKey());
        AppendAudit(id, before, members, retired[id]);
        ++stats.changed_entities;
      }
      edit_.writes().PutEntity(entity);
    }
    return stats;
  }

  static std::vector<std::string> Names(const std::vector<RecordKey>& keys) {
    std::vector<std::string> names;
    for (const RecordKey& key : keys) names.push_back(RecordKeyString(key));
    std::sort(names.begin(), names.end());
    return names;
  }

  void AppendAudit(const std::string& id, const std::vector<RecordKey>& before,
                   const std::vector<RecordKey>& after,
                   const std::vector<std::string>& retired) {
    AuditEvent event;
    event.set_actor(actor_);
    event.set_action("reresolve");
    event.set_entity_id(id);
    for (const std::string& other : retired) event.add_other_entity_ids(other);
    for (const RecordKey& key : before) *event.add_members_before() = key;
    for (const RecordKey& key : after) *event.add_members_after() = key;
    edit_.AppendAudit(std::move(event));
  }

  EntityEdit& edit_;
  std::string actor_;
  std::map<std::string, EntityState> old_entities_;
  absl::flat_hash_map<std::string, std::string> final_id_;     // scratch -> final
  absl::flat_hash_map<std::string, std::string> oldest_home_;  // old -> final
  absl::flat_hash_set<std::string> claimed_;  // old ids kept
  absl::flat_hash_set<std::string> created_;
  absl::flat_hash_map<std::string, std::vector<RecordKey>> old_members_;
  std::map<std::string, std::vector<RecordKey>> new_members_;
};

}  // namespace

absl::StatusOr<ReresolveStats> Reresolve(KvStore* store, Resolver* resolver,
                                         const std::string& scratch_dir,
                                         absl::string_view actor) {
  absl::StatusOr<ReresolveStats> stats;
  absl::Status done = resolver->RunExclusive([&](StoreCounters* counters) {
    EntityEdit edit(store, counters, TimestampNow());
    absl::StatusOr<std::vector<StoredRecord>> old = RecordsByAge(edit.repo());
    if (!old.ok()) return old.status();
    auto resolved = ResolveInScratch(*store, *resolver, *old, scratch_dir);
    if (!resolved.ok()) return resolved.status();
    stats = Rebuild(&edit, actor).Run(*old, *resolved);
    if (!stats.ok()) return stats.status();
    return edit.Commit(store);
  });
  if (!done.ok()) return done;
  return stats;
}

}  // namespace c360

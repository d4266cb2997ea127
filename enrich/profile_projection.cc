#include "enrich/profile_projection.h"

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_set.h"
#include "c360/change.pb.h"
#include "c360/segment.pb.h"
#include "enrich/segment_index.h"
#include "resolver/parallel.h"
#include "store/keys.h"
#include "store/repository.h"

namespace c360 {
namespace {

// Meta key of the last change applied (8-byte sequence).
constexpr absl::string_view kAppliedKey = "profiles_applied_change";
// Entities recomputed between two records of progress in the meta table.
constexpr size_t kEntitiesPerRound = 50000;
// Entities per write.
constexpr size_t kEntitiesPerWrite = 1000;

// An entity's row as it is stored and as it should be.
struct RowUpdate {
  std::string entity_id;
  std::optional<SegmentRow> old_row;
  std::optional<SegmentRow> new_row;
  absl::Status error = absl::OkStatus();
};

absl::StatusOr<std::optional<SegmentRow>> StoredRow(const ReadView& view,
                                                    const std::string& id) {
  absl::StatusOr<std::string> bytes = view.Get(Table::kProfiles, ProfileKey(id));
  if (absl::IsNotFound(bytes.status())) return std::nullopt;
  if (!bytes.ok()) return bytes.status();
  SegmentRow row;
  if (!row.ParseFromString(*bytes)) {
    return absl::DataLossError("unreadable profile row " + id);
  }
  return row;
}

void Compute(const ReadView& view, const ProfileReader& reader,
             const ProfileContext& context, RowUpdate* u) {
  absl::StatusOr<std::optional<SegmentRow>> old_row = StoredRow(view, u->entity_id);
  if (!old_row.ok()) {
    u->error = old_row.status();
    return;
  }
  u->old_row = *std::move(old_row);
  // Only live ids get a row: a retired id redirects, an erased one is gone.
  absl::StatusOr<EntityState> entity = Repository(&view).GetEntity(u->entity_id);
  if (absl::IsNotFound(entity.status())) return;
  if (!entity.ok()) {
    u->error = entity.status();
    return;
  }
  absl::StatusOr<ProfileLookup> lookup =
      reader.ByEntityId(u->entity_id, context);
  if (!lookup.ok()) {
    u->error = lookup.status();
    return;
  }
  u->new_row = FlattenProfile(lookup->profile);
}

void AddWrites(const RowUpdate& u, WriteSet* writes) {
  std::vector<std::string> old_keys, new_keys;
  if (u.old_row) old_keys = ProfileIndexKeys(*u.old_row);
  if (u.new_row) new_keys = ProfileIndexKeys(*u.new_row);
  const absl::flat_hash_set<std::string> keep(new_keys.begin(), new_keys.end());
  for (const std::string& key : old_keys) {
    if (!keep.contains(key)) writes->Delete(Table::kProfileIndex, key);
  }
  for (const std::string& key : new_keys) writes->Put(Table::kProfileIndex, key, "");
  if (u.new_row) {
    writes->Put(Table::kProfiles, ProfileKey(u.entity_id), u.new_row->SerializeAsString());
  } else if (u.old_row) {
    writes->Delete(Table::kProfiles, ProfileKey(u.entity_id));
  }
}

// Appends the entity ids that key `table` (keys of one part).
absl::Status ScanEntityIds(const ReadView& view, Table table,
                           std::vector<std::string>* ids) {
  return view.Scan(table, "", "", [&](absl::string_view key, absl::string_view) {
    absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
    if (parts.ok() && parts->size() == 1) ids->push_back((*parts)[0]);
    return true;
  });
}

int Threads() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace

absl::StatusOr<uint64_t> ProfileProjection::AppliedSequence() const {
  absl::StatusOr<std::string> bytes = store_->Get(Table::kMeta, kAppliedKey);
  if (absl::IsNotFound(bytes.status())) return 0;
  if (!bytes.ok()) return bytes.status();
  return DecodeSequence(*bytes);
}

absl::Status ProfileProjection::Recompute(
    const std::vector<std::string>& entity_ids, uint64_t applied,
    const std::function<void(int64_t)>& done) {
  // No entities (a rebuild of an empty store): only the progress is recorded.
  if (entity_ids.empty()) {
    WriteSet writes;
    writes.Put(Table::kMeta, std::string(kAppliedKey), EncodeSequence(applied));
    absl::Status committed = store_->Commit(writes);
    if (committed.ok() && done) done(0);
    return committed;
  }
  // Read once for every entity; a change after this has a later sequence
  // than `applied`, so the next catch-up recomputes what it touched.
  absl::StatusOr<ProfileContext> context = reader_->LoadContext();
  if (!context.ok()) return context.status();
  for (size_t begin = 0; begin < entity_ids.size();
       begin += kEntitiesPerWrite) {
    const size_t end = std::min(entity_ids.size(), begin + kEntitiesPerWrite);
    std::vector<RowUpdate> updates(end - begin);
    ParallelFor(updates.size(), Threads(), 16, [&](size_t i) {
      updates[i].entity_id = entity_ids[begin + i];
      Compute(*store_, *reader_, *context, &updates[i]);
    });
    WriteSet writes;
    for (const RowUpdate& u : updates) {
      if (!u.error.ok()) return u.error;
      AddWrites(u, &writes);
    }
    // The round's progress is recorded with its last rows.
    if (end == entity_ids.size()) {
      writes.Put(Table::kMeta, std::string(kAppliedKey), EncodeSequence(applied));
    }
    absl::Status committed = store_->Commit(writes);
    if (!committed.ok()) return committed;
    if (done) done(static_cast<int64_t>(end));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> ProfileProjection::CatchUp(
    const std::function<void(int64_t, int64_t)>& progress) {
  absl::StatusOr<uint64_t> applied = AppliedSequence();
  if (!applied.ok()) return applied.status();
  int64_t recomputed = 0;
  for (;;) {
    absl::btree_set<std::string> touched;
    uint64_t last = *applied;
    absl::Status status = absl::OkStatus();
    absl::Status scanned = store_->Scan(
        Table::kChangeLog, "", EncodeSequence(*applied + 1),
        [&](absl::string_view, absl::string_view value) {
          ChangeEvent event;
          if (!event.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
            status = absl::DataLossError("unreadable change-log entry");
            return false;
          }
          for (const std::string* id : {&event.entity_id(), &event.retired_entity_id(),
                                        &event.new_entity_id()}) {
            if (!id->empty()) touched.insert(*id);
          }
          last = event.sequence();
          return touched.size() < kEntitiesPerRound;
        });
    if (!scanned.ok()) return scanned;
    if (!status.ok()) return status;
    if (last == *applied) return recomputed;
    const std::vector<std::string> ids(touched.begin(), touched.end());
    const int64_t total = static_cast<int64_t>(ids.size());
    absl::Status done = Recompute(ids, last, [&](int64_t n) {
      if (progress) progress(recomputed + n, recomputed + total);
    });
    if (!done.ok()) return done;
    recomputed += total;
    *applied = last;
  }
}

absl::StatusOr<int64_t> ProfileProjection::Rebuild(
    const std::function<void(int64_t, int64_t)>& progress) {
  absl::StatusOr<uint64_t> applied = AppliedSequence();
  if (!applied.ok()) return applied.status();
  // Every live entity, and the rows of ids that are no longer live.
  std::vector<std::string> ids;
  for (Table table : {Table::kEntities, Table::kProfiles}) {
    absl::Status scanned = ScanEntityIds(*store_, table, &ids);
    if (!scanned.ok()) return scanned;
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  const int64_t total = static_cast<int64_t>(ids.size());
  absl::Status done = Recompute(ids, *applied, [&](int64_t n) {
    if (progress) progress(n, total);
  });
  if (!done.ok()) return done;
  absl::StatusOr<int64_t> more = CatchUp(progress);
  if (!more.ok()) return more.status();
  return total + *more;
}

}  // namespace c360

// The profiles table: one SegmentRow (the golden profile flattened, see
// FlattenProfile) per live entity, and its index of selected fields
// (enrich/segment_index.h), which segment scans read. Kept current by
// following the change log: every change names the entities it touched,
// and only those are recomputed. The last change applied is kept in the
// meta table with the rows it produced, in the same write, so that a crash
// at any moment leaves rows that a later catch-up completes (recomputing an
// entity twice gives the same row).
#ifndef C360_ENRICH_PROFILE_PROJECTION_H_
#define C360_ENRICH_PROFILE_PROJECTION_H_

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "enrich/golden_profile.h"
#include "store/kv_store.h"

namespace c360 {

class ProfileProjection {
 public:
  // `store` and `reader` are not owned and must outlive the projection.
  // Only one projection may write a store at a time.
  ProfileProjection(KvStore* store, const ProfileReader* reader)
      : store_(store), reader_(reader) {}

  // Applies every change after the last one applied: recomputes the rows of
  // the entities those changes name, deletes the rows of entities merged
  // away or erased. Returns the number of entities recomputed. `progress`,
  // when set, hears the count so far and the number of entities to do in
  // the current round.
  absl::StatusOr<int64_t> CatchUp(
      const std::function<void(int64_t done, int64_t total)>& progress = nullptr);

  // Recomputes the row of every live entity (after the survivorship rules
  // changed) and then catches up.
  absl::StatusOr<int64_t> Rebuild(
      const std::function<void(int64_t done, int64_t total)>& progress = nullptr);

  // The sequence of the last change applied; 0 when none.
  absl::StatusOr<uint64_t> AppliedSequence() const;

 private:
  absl::Status Recompute(const std::vector<std::string>& entity_ids,
                         uint64_t applied, const std::function<void(int64_t)>& done);

  KvStore* store_;
  const ProfileReader* reader_;
};

}  // namespace c360

#endif  // C360_ENRICH_PROFILE_PROJECTION_H_

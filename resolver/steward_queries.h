// The read side of stewardship: the review queue, one task with both sides
// and its explanation, and an entity's audit history. Reads need no lock.
#ifndef C360_RESOLVER_STEWARD_QUERIES_H_
#define C360_RESOLVER_STEWARD_QUERIES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "c360/steward.pb.h"
#include "resolver/match_decider.h"
#include "resolver/normalized_record.h"
#include "store/kv_store.h"
#include "store/repository.h"

namespace c360 {

// Why an OPEN task no longer stands, or "" when it does: its candidate
// entity was merged away (the id is an alias now), its record already
// belongs to that entity, or the entity's matched record left it (split).
// A task of a record that is gone is DataLoss.
absl::StatusOr<std::string> ObsoleteReason(const Repository& repo,
                                           const ReviewTask& task);

// The task with its state as of now: OBSOLETE for an OPEN task whose
// ObsoleteReason is not empty.
absl::StatusOr<ReviewTask> CurrentTask(const Repository& repo, ReviewTask task);

// Tasks in the request's state (default OPEN) matching its filters, oldest
// first, one page. InvalidArgument for a page size outside 0..1000 or an
// empty score range.
absl::StatusOr<ListReviewTasksResponse> ListReviewTasks(
    const ReadView& view, const ListReviewTasksRequest& request, absl::Time now);

// The task as of now with its record, the records of the candidate
// entity's live successor and the current explanation. NotFound for an
// unknown task.
absl::StatusOr<GetReviewTaskResponse> GetReviewTask(
    const ReadView& view, const MatchDecider& decider,
    const RegionForSource& region_for, absl::string_view task_id);

// The audit events naming the entity, or any id merged into it, as the
// surviving or another entity, newest first, one page. An alias answers
// for its live entity. NotFound for an id that never existed. Reads the
// whole audit log (there is no index by entity).
absl::StatusOr<EntityHistoryResponse> EntityHistory(
    const ReadView& view, const EntityHistoryRequest& request);

}  // namespace c360

#endif  // C360_RESOLVER_STEWARD_QUERIES_H_

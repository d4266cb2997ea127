#include "server/steward_api.h"

#include "absl/time/clock.h"
#include "resolver/steward_queries.h"

namespace c360 {

absl::StatusOr<ListReviewTasksResponse> StewardApi::ListReviewTasks(
    const ListReviewTasksRequest& request) const {
  return c360::ListReviewTasks(runtime_->store(), request, absl::Now());
}

absl::StatusOr<GetReviewTaskResponse> StewardApi::GetReviewTask(
    const GetReviewTaskRequest& request) const {
  return c360::GetReviewTask(runtime_->store(), runtime_->resolver().decider(),
                             runtime_->region_for(), request.task_id());
}

absl::StatusOr<EntityHistoryResponse> StewardApi::EntityHistory(
    const EntityHistoryRequest& request) const {
  return c360::EntityHistory(runtime_->store(), request);
}

absl::StatusOr<DecideResponse> StewardApi::Decide(const DecideRequest& request,
                                                  absl::string_view actor) {
  return steward_.Decide(request, actor);
}

absl::StatusOr<EntityChangeResponse> StewardApi::MergeEntities(
    const MergeEntitiesRequest& request, absl::string_view actor) {
  return steward_.MergeEntities(request, actor);
}

absl::StatusOr<EntityChangeResponse> StewardApi::SplitEntity(
    const SplitEntityRequest& request, absl::string_view actor) {
  return steward_.SplitEntity(request, actor);
}

absl::StatusOr<EntityChangeResponse> StewardApi::LinkRecords(
    const LinkRecordsRequest& request, absl::string_view actor) {
  return steward_.LinkRecords(request, actor);
}

absl::StatusOr<EntityChangeResponse> StewardApi::UnlinkRecord(
    const UnlinkRecordRequest& request, absl::string_view actor) {
  return steward_.UnlinkRecord(request, actor);
}

}  // namespace c360

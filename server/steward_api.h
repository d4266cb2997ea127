// The StewardService's calls over the runtime, once, for both ways in: the
// gRPC handlers (server/steward_service.h) and the review page's JSON API
// (server/review_http.h). Each call is a thin step into
// resolver/steward.h (actions, with `actor` as the audit actor) or
// resolver/steward_queries.h (reads); errors are theirs.
#ifndef C360_SERVER_STEWARD_API_H_
#define C360_SERVER_STEWARD_API_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/steward.pb.h"
#include "resolver/steward.h"
#include "server/runtime.h"

namespace c360 {

// Thread-safe.
class StewardApi {
 public:
  // `runtime` is not owned and must outlive the api.
  explicit StewardApi(Runtime* runtime)
      : runtime_(runtime), steward_(&runtime->store(), &runtime->resolver()) {}

  absl::StatusOr<ListReviewTasksResponse> ListReviewTasks(
      const ListReviewTasksRequest& request) const;
  absl::StatusOr<GetReviewTaskResponse> GetReviewTask(
      const GetReviewTaskRequest& request) const;
  absl::StatusOr<EntityHistoryResponse> EntityHistory(
      const EntityHistoryRequest& request) const;

  absl::StatusOr<DecideResponse> Decide(const DecideRequest& request,
                                        absl::string_view actor);
  absl::StatusOr<EntityChangeResponse> MergeEntities(
      const MergeEntitiesRequest& request, absl::string_view actor);
  absl::StatusOr<EntityChangeResponse> SplitEntity(
      const SplitEntityRequest& request, absl::string_view actor);
  absl::StatusOr<EntityChangeResponse> LinkRecords(
      const LinkRecordsRequest& request, absl::string_view actor);
  absl::StatusOr<EntityChangeResponse> UnlinkRecord(
      const UnlinkRecordRequest& request, absl::string_view actor);

 private:
  Runtime* runtime_;
  Steward steward_;
};

}  // namespace c360

#endif  // C360_SERVER_STEWARD_API_H_

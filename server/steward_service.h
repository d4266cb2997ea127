// StewardService over the runtime: thin handlers over StewardApi
// (server/steward_api.h, shared with the review page's JSON API), with the
// caller's identity as the audit actor.
#ifndef C360_SERVER_STEWARD_SERVICE_H_
#define C360_SERVER_STEWARD_SERVICE_H_

#include "c360/steward.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "server/runtime.h"
#include "server/steward_api.h"

namespace c360 {

class StewardServiceImpl final : public StewardService::Service {
 public:
  // `runtime` is not owned and must outlive the service.
  explicit StewardServiceImpl(Runtime* runtime)
      : api_(runtime) {}

  grpc::Status ListReviewTasks(grpc::ServerContext* context,
                               const ListReviewTasksRequest* request,
                               ListReviewTasksResponse* response) override;
  grpc::Status GetReviewTask(grpc::ServerContext* context,
                             const GetReviewTaskRequest* request,
                             GetReviewTaskResponse* response) override;
  grpc::Status Decide(grpc::ServerContext* context, const DecideRequest* request,
                      DecideResponse* response) override;
  grpc::Status MergeEntities(grpc::ServerContext* context,
                             const MergeEntitiesRequest* request,
                             EntityChangeResponse* response) override;
  grpc::Status SplitEntity(grpc::ServerContext* context,
                           const SplitEntityRequest* request,
                           EntityChangeResponse* response) override;
  grpc::Status LinkRecords(grpc::ServerContext* context,
                           const LinkRecordsRequest* request,
                           EntityChangeResponse* response) override;
  grpc::Status UnlinkRecord(grpc::ServerContext* context,
                            const UnlinkRecordRequest* request,
                            EntityChangeResponse* response) override;
  grpc::Status EntityHistory(grpc::ServerContext* context,
                             const EntityHistoryRequest* request,
                             EntityHistoryResponse* response) override;

 private:
  StewardApi api_;
};

}  // namespace c360

#endif  // C360_SERVER_STEWARD_SERVICE_H_

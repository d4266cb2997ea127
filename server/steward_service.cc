#include "server/steward_service.h"

#include <utility>

#include "server/auth.h"
#include "server/services.h"

namespace c360 {

grpc::Status StewardServiceImpl::ListReviewTasks(
    grpc::ServerContext*, const ListReviewTasksRequest* request,
    ListReviewTasksResponse* response) {
  return Answer(api_.ListReviewTasks(*request), response);
}

grpc::Status StewardServiceImpl::GetReviewTask(
    grpc::ServerContext*, const GetReviewTaskRequest* request,
    GetReviewTaskResponse* response) {
  return Answer(api_.GetReviewTask(*request), response);
}

grpc::Status StewardServiceImpl::Decide(grpc::ServerContext* context,
                                        const DecideRequest* request,
                                        DecideResponse* response) {
  return Answer(api_.Decide(*request, CallerActor(*context)), response);
}

grpc::Status StewardServiceImpl::MergeEntities(
    grpc::ServerContext* context, const MergeEntitiesRequest* request,
    EntityChangeResponse* response) {
  return Answer(api_.MergeEntities(*request, CallerActor(*context)), response);
}

grpc::Status StewardServiceImpl::SplitEntity(grpc::ServerContext* context,
                                             const SplitEntityRequest* request,
                                             EntityChangeResponse* response) {
  return Answer(api_.SplitEntity(*request, CallerActor(*context)), response);
}

grpc::Status StewardServiceImpl::LinkRecords(grpc::ServerContext* context,
                                             const LinkRecordsRequest* request,
                                             EntityChangeResponse* response) {
  return Answer(api_.LinkRecords(*request, CallerActor(*context)), response);
}

grpc::Status StewardServiceImpl::UnlinkRecord(
    grpc::ServerContext* context, const UnlinkRecordRequest* request,
    EntityChangeResponse* response) {
  return Answer(api_.UnlinkRecord(*request, CallerActor(*context)), response);
}

grpc::Status StewardServiceImpl::EntityHistory(
    grpc::ServerContext*, const EntityHistoryRequest* request,
    EntityHistoryResponse* response) {
  return Answer(api_.EntityHistory(*request), response);
}

}  // namespace c360

// The gRPC services: thin handlers that translate between the wire and the
// domain code in resolver/ and enrich/, and absl::Status to grpc::Status.
#ifndef C360_SERVER_SERVICES_H_
#define C360_SERVER_SERVICES_H_

#include "absl/status/status.h"
#include "c360/service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "server/runtime.h"

namespace c360 {

// The gRPC status with the same canonical code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

class IngestServiceImpl final : public IngestService::Service {
 public:
  // `runtime` is not owned and must outlive the service.
  explicit IngestServiceImpl(Runtime* runtime) : runtime_(runtime) {}

  grpc::Status Upsert(grpc::ServerContext* context,
                      const UpsertRequest* request,
                      UpsertResponse* response) override;
  grpc::Status UpsertStream(grpc::ServerContext* context,
                            grpc::ServerReader<UpsertRequest>* reader,
                            UpsertSummary* summary) override;

 private:
  Runtime* runtime_;
};

class ProfileServiceImpl final : public ProfileService::Service {
 public:
  // `runtime` is not owned and must outlive the service.
  explicit ProfileServiceImpl(Runtime* runtime) : runtime_(runtime) {}

  grpc::Status GetProfile(grpc::ServerContext* context,
                          const GetProfileRequest* request,
                          GetProfileResponse* response) override;
  grpc::Status BatchGetProfiles(grpc::ServerContext* context,
                                const BatchGetProfilesRequest* request,
                                BatchGetProfilesResponse* response) override;
  grpc::Status FindProfiles(grpc::ServerContext* context,
                            const FindProfilesRequest* request,
                            FindProfilesResponse* response) override;
  grpc::Status WatchChanges(grpc::ServerContext* context,
                            const WatchChangesRequest* request,
                            grpc::ServerWriter<ChangeEvent>* writer) override;
  grpc::Status ExplainMatch(grpc::ServerContext* context,
                            const ExplainMatchRequest* request,
                            ExplainMatchResponse* response) override;

 private:
  Runtime* runtime_;
};

}  // namespace c360

#endif  // C360_SERVER_SERVICES_H_

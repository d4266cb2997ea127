// The gRPC services: thin handlers that translate between the wire and the
// domain code in resolver/ and enrich/, and absl::Status to grpc::Status.
#ifndef C360_SERVER_SERVICES_H_
#define C360_SERVER_SERVICES_H_

#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "c360/service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"
#include "server/runtime.h"

namespace c360 {

// The gRPC status with the same canonical code and message.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The gRPC status of `result`, with its value moved to `response`: the body
// of a unary handler over domain code.
template <typename Response>
grpc::Status Answer(absl::StatusOr<Response> result, Response* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

// GetProfile's lookup, shared by ProfileService and the review page's JSON
// API: by entity id (an alias redirects) or by member record.
// InvalidArgument for an empty or missing key, NotFound for an unknown one.
absl::StatusOr<GetProfileResponse> LookupProfile(
    const ProfileReader& profiles, const GetProfileRequest& request);

// The interceptors every c360 server installs. One gives a request that
// gRPC cannot parse, which never reaches a handler, INVALID_ARGUMENT saying
// so instead of gRPC's INTERNAL without a message; protobuf refuses, for
// one, a string field that is not valid UTF-8. It covers calls with one
// request message; UpsertStream checks the messages of its stream itself.
std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
RequestInterceptors();

class IngestServiceImpl final : public IngestService::Service {
 public:
  // `runtime` is not owned and must outlive the service.
  explicit IngestServiceImpl(Runtime* runtime) : runtime_(runtime) {}

  grpc::Status Upsert(grpc::ServerContext* context,
                      const UpsertRequest* request,
                      UpsertResponse* response) override;
  // Ends with INVALID_ARGUMENT naming the index of a message it cannot
  // parse; the records before it are processed.
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

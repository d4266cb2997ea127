// SegmentService: scans, counts and named segments over the profiles table
// (enrich/segment_scan.h, enrich/segment_store.h). SegmentApi maps requests
// to the domain code over a store and is shared by the gRPC service and the
// `c360 segment` commands on a local store.
#ifndef C360_SERVER_SEGMENT_SERVICE_H_
#define C360_SERVER_SEGMENT_SERVICE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/segment.grpc.pb.h"
#include "enrich/segment_scan.h"
#include "grpcpp/grpcpp.h"
#include "server/runtime.h"
#include "store/kv_store.h"

namespace c360 {

// What a request selects, with the fields a stored segment exports.
struct SegmentSelection {
  SegmentQuery query;
  std::vector<std::string> segment_fields;
};

// The selection of a request: with `segment` set, the stored segment's
// expression, purpose and fields, else `filter`; `purpose` adds a consent
// to require; `since` (unset: none) an updated_since bound. NotFound for an
// unknown segment, InvalidArgument for a malformed filter (with the
// column).
absl::StatusOr<SegmentSelection> SelectSegment(
    const ReadView& view, const std::string& filter, const std::string& segment,
    const std::string& purpose, const google::protobuf::Timestamp& since);

class SegmentApi {
 public:
  // `store` is not owned and must outlive the API.
  explicit SegmentApi(KvStore* store) : store_(store) {}

  // Every profile the request selects, in batches to `sink`, from one
  // snapshot of the store. With `segment` set, the stored segment's
  // expression applies, and its fields unless the request names some; its
  // purpose and the request's both apply. InvalidArgument for a malformed
  // filter (with the column) or a negative limit; NotFound for an unknown
  // segment.
  absl::Status Scan(const ScanRequest& request, const ScanBatchSink& sink) const;

  // How many profiles the request selects; errors as Scan.
  absl::StatusOr<CountResponse> Count(const CountRequest& request) const;

  // Stores the segment, defined by `actor` now (enrich/segment_store.h).
  absl::StatusOr<SegmentDefinition> DefineSegment(
      const DefineSegmentRequest& request, absl::string_view actor) const;

  absl::StatusOr<ListSegmentsResponse> ListSegments() const;

 private:
  KvStore* store_;
};

class SegmentServiceImpl final : public SegmentService::Service {
 public:
  // `runtime` is not owned and must outlive the service.
  explicit SegmentServiceImpl(Runtime* runtime) : api_(&runtime->store()) {}

  // Ends with CANCELLED when the client goes away mid-stream.
  grpc::Status Scan(grpc::ServerContext* context, const ScanRequest* request,
                    grpc::ServerWriter<ScanResponse>* writer) override;
  grpc::Status Count(grpc::ServerContext* context, const CountRequest* request,
                     CountResponse* response) override;
  grpc::Status DefineSegment(grpc::ServerContext* context,
                             const DefineSegmentRequest* request,
                             SegmentDefinition* response) override;
  grpc::Status ListSegments(grpc::ServerContext* context,
                            const ListSegmentsRequest* request,
                            ListSegmentsResponse* response) override;

 private:
  SegmentApi api_;
};

}  // namespace c360

#endif  // C360_SERVER_SEGMENT_SERVICE_H_

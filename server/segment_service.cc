#include "server/segment_service.h"

#include <memory>
#include <utility>
#include <vector>

#include "enrich/segment_store.h"
#include "resolver/entity_edit.h"
#include "server/auth.h"
#include "server/services.h"

namespace c360 {
absl::StatusOr<SegmentSelection> SelectSegment(
    const ReadView& view, const std::string& filter, const std::string& segment,
    const std::string& purpose, const google::protobuf::Timestamp& since) {
  SegmentSelection selection;
  std::vector<std::string>& purposes = selection.query.purposes;
  std::string expression = filter;
  if (!segment.empty()) {
    absl::StatusOr<SegmentDefinition> stored = GetSegment(view, segment);
    if (!stored.ok()) return stored.status();
    expression = stored->expression();
    if (!stored->purpose().empty()) purposes.push_back(stored->purpose());
    selection.segment_fields.assign(stored->fields().begin(),
                                    stored->fields().end());
  }
  if (!purpose.empty() && (purposes.empty() || purposes[0] != purpose)) {
    purposes.push_back(purpose);
  }
  absl::StatusOr<SegmentFilter> compiled = SegmentFilter::Compile(expression);
  if (!compiled.ok()) return compiled.status();
  selection.query.filter = *std::move(compiled);
  selection.query.updated_since = UpdatedSinceBound(since);
  return selection;
}

absl::Status SegmentApi::Scan(const ScanRequest& request,
                              const ScanBatchSink& sink) const {
  if (request.limit() < 0) {
    return absl::InvalidArgumentError("limit must not be negative");
  }
  const std::unique_ptr<ReadView> snapshot = store_->Snapshot();
  absl::StatusOr<SegmentSelection> selection =
      SelectSegment(*snapshot, request.filter(), request.segment(), request.purpose(),
             request.updated_since());
  if (!selection.ok()) return selection.status();
  ScanOptions options;
  if (request.fields().empty()) {
    options.fields = std::move(selection->segment_fields);
  } else {
    options.fields.assign(request.fields().begin(), request.fields().end());
  }
  options.resume_token = request.resume_token();
  options.limit = request.limit();
  return SegmentScanner(*snapshot).Scan(selection->query, options, sink);
}

absl::StatusOr<CountResponse> SegmentApi::Count(
    const CountRequest& request) const {
  const std::unique_ptr<ReadView> snapshot = store_->Snapshot();
  absl::StatusOr<SegmentSelection> selection =
      SelectSegment(*snapshot, request.filter(), request.segment(), request.purpose(),
             request.updated_since());
  if (!selection.ok()) return selection.status();
  absl::StatusOr<int64_t> count =
      SegmentScanner(*snapshot).Count(selection->query);
  if (!count.ok()) return count.status();
  CountResponse response;
  response.set_count(*count);
  return response;
}

absl::StatusOr<SegmentDefinition> SegmentApi::DefineSegment(
    const DefineSegmentRequest& request, absl::string_view actor) const {
  return c360::DefineSegment(store_, request.segment(), actor, TimestampNow());
}

absl::StatusOr<ListSegmentsResponse> SegmentApi::ListSegments() const {
  absl::StatusOr<std::vector<SegmentDefinition>> segments =
      c360::ListSegments(*store_);
  if (!segments.ok()) return segments.status();
  ListSegmentsResponse response;
  for (SegmentDefinition& segment : *segments) {
    *response.add_segments() = std::move(segment);
  }
  return response;
}

grpc::Status SegmentServiceImpl::Scan(grpc::ServerContext* context,
                                      const ScanRequest* request,
                                      grpc::ServerWriter<ScanResponse>* writer) {
  return ToGrpcStatus(api_.Scan(*request, [&](const ScanResponse& batch) {
    if (context->IsCancelled() || !writer->Write(batch)) {
      return absl::CancelledError("the client stopped reading the scan");
    }
    return absl::OkStatus();
  }));
}

grpc::Status SegmentServiceImpl::Count(grpc::ServerContext*,
                                       const CountRequest* request,
                                       CountResponse* response) {
  return Answer(api_.Count(*request), response);
}

grpc::Status SegmentServiceImpl::DefineSegment(
    grpc::ServerContext* context, const DefineSegmentRequest* request,
    SegmentDefinition* response) {
  return Answer(api_.DefineSegment(*request, CallerActor(*context)), response);
}

grpc::Status SegmentServiceImpl::ListSegments(grpc::ServerContext*,
                                              const ListSegmentsRequest*,
                                              ListSegmentsResponse* response) {
  return Answer(api_.ListSegments(), response);
}

}  // namespace c360

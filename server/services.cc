#include "server/services.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "resolver/explain.h"
#include "resolver/finder.h"
#include "server/ingest.h"
#include "store/repository.h"

namespace c360 {
namespace {

constexpr int kMaxBatch = 1000;
constexpr int kStreamChunk = 256;

void Fill(const UpsertResult& result, UpsertResponse* response) {
  *response->mutable_record() = result.record;
  response->set_entity_id(result.entity_id);
  response->set_outcome(result.outcome);
  for (const std::string& id : result.merged_entity_ids) {
    response->add_merged_entity_ids(id);
  }
}

absl::StatusOr<GetProfileResponse> Lookup(const ProfileReader& profiles,
                                          const GetProfileRequest& request) {
  absl::StatusOr<ProfileLookup> lookup;
  switch (request.lookup_case()) {
    case GetProfileRequest::kEntityId:
      if (request.entity_id().empty()) {
        return absl::InvalidArgumentError("entity_id: empty");
      }
      lookup = profiles.ByEntityId(request.entity_id(), request.include_records(),
                                   request.include_candidates());
      break;
    case GetProfileRequest::kRecord:
      if (request.record().source().empty() || request.record().source_id().empty()) {
        return absl::InvalidArgumentError("record: source and source_id are required");
      }
      lookup = profiles.ByRecordKey(request.record(), request.include_records(),
                                    request.include_candidates());
      break;
    default:
      return absl::InvalidArgumentError("set entity_id or record");
  }
  if (!lookup.ok()) return lookup.status();
  GetProfileResponse response;
  *response.mutable_profile() = std::move(lookup->profile);
  response.set_redirected_from(lookup->redirected_from);
  return response;
}

using grpc::experimental::InterceptionHookPoints;

// See RequestInterceptors. When a request cannot be parsed, gRPC reports a
// received message of nullptr and answers INTERNAL without running the
// handler.
class UnparsedRequestInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit UnparsedRequestInterceptor(const char* method) : method_(method) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE) &&
        methods->GetRecvMessage() == nullptr) {
      unparsed_ = true;
    }
    if (unparsed_ && methods->QueryInterceptionHookPoint(
                         InterceptionHookPoints::PRE_SEND_STATUS)) {
      methods->ModifySendStatus(grpc::Status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat(method_, ": the request is not a valid message of its "
                                "type (is a string not valid UTF-8?)")));
    }
    methods->Proceed();
  }

 private:
  const char* method_;  // e.g. "/c360.IngestService/Upsert"
  bool unparsed_ = false;
};

class UnparsedRequestInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    using Type = grpc::experimental::ServerRpcInfo::Type;
    if (info->type() != Type::UNARY && info->type() != Type::SERVER_STREAMING) {
      return nullptr;
    }
    return new UnparsedRequestInterceptor(info->method());
  }
};

}  // namespace

absl::StatusOr<GetProfileResponse> LookupProfile(
    const ProfileReader& profiles, const GetProfileRequest& request) {
  return Lookup(profiles, request);
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
RequestInterceptors() {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<UnparsedRequestInterceptorFactory>());
  return interceptors;
}

grpc::Status IngestServiceImpl::Upsert(grpc::ServerContext*,
                                       const UpsertRequest* request,
                                       UpsertResponse* response) {
  absl::StatusOr<UpsertResult> result =
      runtime_->resolver().Upsert(request->record());
  if (!result.ok()) return ToGrpcStatus(result.status());
  Fill(*result, response);
  return grpc::Status::OK;
}

grpc::Status IngestServiceImpl::UpsertStream(
    grpc::ServerContext*, grpc::ServerReader<UpsertRequest>* reader,
    UpsertSummary* summary) {
  std::vector<SourceRecord> chunk;
  UpsertRequest request;
  bool more = true;
  while (more) {
    request.Clear();
    more = reader->Read(&request);
    if (more) {
      chunk.push_back(std::move(*request.mutable_record()));
      summary->set_received(summary->received() + 1);
    }
    if (chunk.size() < kStreamChunk && more) continue;
    absl::Status applied = ResolveChunk(runtime_->resolver(), chunk,
                                      summary->received() - chunk.size(), summary);
    if (!applied.ok()) return ToGrpcStatus(applied);
    chunk.clear();
  }
  // Reads end also at a message that cannot be parsed, which would look like
  // the end of the stream but leaves what was parsed of it in `request`: a
  // record, since every string of the request is in its record.
  if (request.has_record()) {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        absl::StrCat("message ", summary->received(),
                     " of the stream is not a valid UpsertRequest (is a string "
                     "not valid UTF-8?); the messages before it were processed"));
  }
  return grpc::Status::OK;
}

grpc::Status ProfileServiceImpl::GetProfile(grpc::ServerContext*,
                                            const GetProfileRequest* request,
                                            GetProfileResponse* response) {
  absl::StatusOr<GetProfileResponse> found = Lookup(runtime_->profiles(), *request);
  if (!found.ok()) return ToGrpcStatus(found.status());
  *response = *std::move(found);
  return grpc::Status::OK;
}

grpc::Status ProfileServiceImpl::BatchGetProfiles(
    grpc::ServerContext*, const BatchGetProfilesRequest* request,
    BatchGetProfilesResponse* response) {
  if (request->requests_size() > kMaxBatch) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("at most ", kMaxBatch, " lookups per batch, got ",
                                     request->requests_size()));
  }
  for (const GetProfileRequest& one : request->requests()) {
    absl::StatusOr<GetProfileResponse> found = Lookup(runtime_->profiles(), one);
    ProfileResult* result = response->add_results();
    if (found.ok()) {
      *result->mutable_found() = *std::move(found);
    } else {
      result->set_error(found.status().ToString());
    }
  }
  return grpc::Status::OK;
}

grpc::Status ProfileServiceImpl::FindProfiles(grpc::ServerContext*,
                                              const FindProfilesRequest* request,
                                              FindProfilesResponse* response) {
  FindQuery query;
  query.email = request->email();
  query.phone = request->phone();
  if (!request->region().empty()) query.region = request->region();
  query.name = request->name();
  query.birth_date = request->birth_date();
  if (request->limit() < 0 || request->limit() > 100) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "limit must be between 0 and 100");
  }
  if (request->limit() > 0) query.limit = request->limit();
  absl::StatusOr<std::vector<FoundEntity>> found =
      FindEntities(runtime_->store(), query);
  if (!found.ok()) return ToGrpcStatus(found.status());
  for (const FoundEntity& entity : *found) {
    absl::StatusOr<ProfileLookup> profile =
        runtime_->profiles().ByEntityId(entity.entity_id, false);
    if (!profile.ok()) return ToGrpcStatus(profile.status());
    FoundProfile* out = response->add_profiles();
    *out->mutable_profile() = std::move(profile->profile);
    for (const std::string& criterion : entity.matched_on) out->add_matched_on(criterion);
  }
  return grpc::Status::OK;
}

grpc::Status ProfileServiceImpl::WatchChanges(
    grpc::ServerContext* context, const WatchChangesRequest* request,
    grpc::ServerWriter<ChangeEvent>* writer) {
  ChangeSink sink{
      [&](const ChangeEvent& event) { return writer->Write(event); },
      [&] { return context->IsCancelled(); }};
  absl::Status followed =
      FollowChanges(runtime_->store(), runtime_->changes(),
                    request->from_sequence(), request->follow(), sink);
  if (!followed.ok()) return ToGrpcStatus(followed);
  return context->IsCancelled() ? grpc::Status::CANCELLED : grpc::Status::OK;
}

grpc::Status ProfileServiceImpl::ExplainMatch(grpc::ServerContext*,
                                              const ExplainMatchRequest* request,
                                              ExplainMatchResponse* response) {
  const MatchDecider& decider = runtime_->resolver().decider();
  absl::StatusOr<Explanation> explained =
      c360::ExplainMatch(runtime_->store(), decider, runtime_->region_for(),
                         request->left(), request->right());
  if (!explained.ok()) return ToGrpcStatus(explained.status());
  *response->mutable_evidence() = std::move(explained->evidence);
  *response->mutable_left_record() = std::move(explained->left_record);
  response->set_decision(explained->decision);
  response->set_link_threshold(decider.link_threshold());
  response->set_review_threshold(decider.review_threshold());
  return grpc::Status::OK;
}

}  // namespace c360

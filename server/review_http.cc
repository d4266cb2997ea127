#include "server/review_http.h"

#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "c360/service.pb.h"
#include "c360/steward.pb.h"
#include "google/protobuf/util/json_util.h"
#include "httplib.h"
#include "server/json_text.h"
#include "server/review_web_assets.h"  // generated: server/CMakeLists.txt
#include "server/services.h"
#include "server/steward_api.h"

namespace c360 {
namespace {

constexpr size_t kMaxBodyBytes = 1 << 20;
constexpr char kJson[] = "application/json";

std::string ErrorJson(const absl::Status& status) {
  return absl::StrCat(
      "{\"code\": ", JsonString(absl::StatusCodeToString(status.code())),
      ", \"message\": ", JsonString(status.message()), "}");
}

void Reply(httplib::Response& response,
           const absl::StatusOr<std::string>& json) {
  if (json.ok()) {
    response.status = 200;
    response.set_content(*json, kJson);
    return;
  }
  response.status = HttpStatusOf(json.status().code());
  response.set_content(ErrorJson(json.status()), kJson);
}

std::string ToJsonText(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  // Printing a well-formed message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

absl::Status FromJsonText(const std::string& body,
                          google::protobuf::Message* message) {
  absl::string_view text = absl::StripAsciiWhitespace(body);
  if (text.empty()) return absl::OkStatus();  // = {}: every field unset
  google::protobuf::util::JsonParseOptions options;
  auto parsed = google::protobuf::util::JsonStringToMessage(std::string(text),
                                                            message, options);
  if (parsed.ok()) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("the body is not a JSON ", message->GetTypeName(), ": ",
                   std::string(parsed.message())));
}

// One JSON method: parses the request, runs `call`, prints the response.
using JsonMethod = std::function<absl::StatusOr<std::string>(
    const std::string& body, const std::string& actor)>;

template <typename Request, typename Response>
JsonMethod Method(
    std::function<absl::StatusOr<Response>(const Request&, const std::string&)>
        call) {
  return [call](const std::string& body,
                const std::string& actor) -> absl::StatusOr<std::string> {
    Request request;
    if (absl::Status parsed = FromJsonText(body, &request); !parsed.ok()) {
      return parsed;
    }
    absl::StatusOr<Response> response = call(request, actor);
    if (!response.ok()) return response.status();
    return ToJsonText(*response);
  };
}

const char* ContentTypeOf(absl::string_view path) {
  if (absl::EndsWith(path, ".html")) return "text/html; charset=utf-8";
  if (absl::EndsWith(path, ".js")) return "text/javascript; charset=utf-8";
  if (absl::EndsWith(path, ".css")) return "text/css; charset=utf-8";
  return "application/octet-stream";
}

// "HOST" and PORT of "HOST:PORT"; brackets of an IPv6 host removed.
absl::StatusOr<std::pair<std::string, int>> SplitListen(
    const std::string& listen) {
  size_t colon = listen.rfind(':');
  int port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--http-listen ", listen, ": expected HOST:PORT (port 0 = any)"));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::make_pair(host, port);
}

}  // namespace

int HttpStatusOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

// What the handlers share; lives as long as the server.
struct ReviewHttpServer::State {
  explicit State(Runtime* runtime) : runtime(runtime), steward(runtime) {}

  // The caller's audit actor for a call that stands for the gRPC method
  // `method` ("/c360.StewardService/Decide"), or why it is refused.
  absl::StatusOr<std::string> Authorize(const httplib::Request& request,
                                        const std::string& method) const {
    std::vector<std::string> headers;
    for (size_t i = 0; i < request.get_header_value_count("Authorization");
         ++i) {
      headers.push_back(request.get_header_value("Authorization", i));
    }
    std::vector<absl::string_view> values(headers.begin(), headers.end());
    absl::StatusOr<const TokenEntry*> caller =
        AuthorizeCall(tokens ? &*tokens : nullptr, method, values);
    if (!caller.ok()) return caller.status();
    if (*caller == nullptr) return std::string("anonymous");
    return absl::StrCat("token:", (*caller)->name);
  }

  Runtime* runtime;
  StewardApi steward;
  std::optional<TokenTable> tokens;
  std::map<std::string, JsonMethod, std::less<>> methods;
};

absl::StatusOr<std::unique_ptr<ReviewHttpServer>> ReviewHttpServer::Start(
    Runtime* runtime, const ReviewHttpOptions& options) {
  if (absl::Status exposure =
          CheckListenExposure(options.listen, options.security);
      !exposure.ok()) {
    return exposure;
  }
  absl::StatusOr<std::pair<std::string, int>> address =
      SplitListen(options.listen);
  if (!address.ok()) return address.status();

  std::unique_ptr<ReviewHttpServer> running(new ReviewHttpServer());
  running->state_ = std::make_unique<State>(runtime);
  State* state = running->state_.get();
  if (!options.security.tokens_file.empty()) {
    absl::StatusOr<TokenTable> tokens =
        TokenTable::Load(options.security.tokens_file);
    if (!tokens.ok()) return tokens.status();
    state->tokens = *std::move(tokens);
  }

  const ServerSecurity& tls = options.security;
  if (tls.tls_cert_file.empty() != tls.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both a certificate (--tls-cert) and its key (--tls-key)");
  }
  if (!tls.tls_cert_file.empty()) {
    auto server = std::make_unique<httplib::SSLServer>(
        tls.tls_cert_file.c_str(), tls.tls_key_file.c_str(),
        tls.tls_client_ca_file.empty() ? nullptr
                                       : tls.tls_client_ca_file.c_str());
    if (!server->is_valid()) {
      return absl::InvalidArgumentError(
          "the review page cannot use the TLS certificate, key or client CA");
    }
    running->server_ = std::move(server);
  } else {
    running->server_ = std::make_unique<httplib::Server>();
  }
  httplib::Server& server = *running->server_;
  server.set_payload_max_length(kMaxBodyBytes);

  // The StewardService's methods, each over StewardApi like its gRPC
  // handler.
  StewardApi* api = &state->steward;
  state->methods = {
      {"ListReviewTasks",
       Method<ListReviewTasksRequest, ListReviewTasksResponse>(
           [api](const ListReviewTasksRequest& r, const std::string&) {
             return api->ListReviewTasks(r);
           })},
      {"GetReviewTask",
       Method<GetReviewTaskRequest, GetReviewTaskResponse>(
           [api](const GetReviewTaskRequest& r, const std::string&) {
             return api->GetReviewTask(r);
           })},
      {"EntityHistory",
       Method<EntityHistoryRequest, EntityHistoryResponse>(
           [api](const EntityHistoryRequest& r, const std::string&) {
             return api->EntityHistory(r);
           })},
      {"Decide", Method<DecideRequest, DecideResponse>(
                     [api](const DecideRequest& r, const std::string& actor) {
                       return api->Decide(r, actor);
                     })},
      {"MergeEntities",
       Method<MergeEntitiesRequest, EntityChangeResponse>(
           [api](const MergeEntitiesRequest& r, const std::string& actor) {
             return api->MergeEntities(r, actor);
           })},
      {"SplitEntity",
       Method<SplitEntityRequest, EntityChangeResponse>(
           [api](const SplitEntityRequest& r, const std::string& actor) {
             return api->SplitEntity(r, actor);
           })},
      {"LinkRecords",
       Method<LinkRecordsRequest, EntityChangeResponse>(
           [api](const LinkRecordsRequest& r, const std::string& actor) {
             return api->LinkRecords(r, actor);
           })},
      {"UnlinkRecord",
       Method<UnlinkRecordRequest, EntityChangeResponse>(
           [api](const UnlinkRecordRequest& r, const std::string& actor) {
             return api->UnlinkRecord(r, actor);
           })},
  };

  server.Post(
      R"(/api/steward/([A-Za-z]+))",
      [state](const httplib::Request& request, httplib::Response& response) {
        const std::string name = request.matches[1];
        auto method = state->methods.find(name);
        if (method == state->methods.end()) {
          Reply(response, absl::NotFoundError(absl::StrCat(
                              "StewardService has no method ", name)));
          return;
        }
        if (!absl::StartsWithIgnoreCase(
                request.get_header_value("Content-Type"), kJson)) {
          response.status = 415;
          response.set_content(
              ErrorJson(absl::InvalidArgumentError(
                  "send the request as Content-Type: application/json")),
              kJson);
          return;
        }
        absl::StatusOr<std::string> actor = state->Authorize(
            request, absl::StrCat("/c360.StewardService/", name));
        if (!actor.ok()) {
          Reply(response, actor.status());
          return;
        }
        Reply(response, method->second(request.body, *actor));
      });

  server.Get(R"(/api/profile/([^/]+))", [state](const httplib::Request& request,
                                                httplib::Response& response) {
    absl::StatusOr<std::string> actor =
        state->Authorize(request, "/c360.ProfileService/GetProfile");
    if (!actor.ok()) {
      Reply(response, actor.status());
      return;
    }
    GetProfileRequest lookup;
    lookup.set_entity_id(request.matches[1]);
    const std::string records = request.get_param_value("records");
    lookup.set_include_records(records == "1" || records == "true");
    absl::StatusOr<GetProfileResponse> found =
        LookupProfile(state->runtime->profiles(), lookup);
    if (!found.ok()) {
      Reply(response, found.status());
      return;
    }
    Reply(response, ToJsonText(*found));
  });

  server.Get("/api/config", [state](const httplib::Request&,
                                    httplib::Response& response) {
    response.set_content(
        absl::StrCat("{\"auth\": ", state->tokens ? "true" : "false", "}"),
        kJson);
  });

  // The page: files embedded at build time.
  auto serve_asset = [](const httplib::Request& request,
                        httplib::Response& response) {
    const std::string path = request.path == "/" ? "/index.html" : request.path;
    for (const WebAsset& asset : kWebAssets) {
      if (asset.path == path) {
        response.set_content(reinterpret_cast<const char*>(asset.data),
                             asset.size, ContentTypeOf(path));
        response.set_header("Cache-Control", "no-cache");
        return;
      }
    }
    response.status = 404;
    response.set_content("not found\n", "text/plain");
  };
  server.Get("/", serve_asset);
  server.Get(R"(/[a-z_]+\.(html|js|css))", serve_asset);
  // Every page and answer: no framing by other sites, no content sniffing.
  server.set_default_headers(
      {{"X-Frame-Options", "DENY"}, {"X-Content-Type-Options", "nosniff"}});

  const auto& [host, port] = *address;
  running->port_ = port == 0 ? server.bind_to_any_port(host)
                             : (server.bind_to_port(host, port) ? port : -1);
  if (running->port_ <= 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, " (--http-listen)"));
  }
  running->url_ = absl::StrCat(
      tls.tls_cert_file.empty() ? "http://" : "https://",
      options.listen.substr(0, options.listen.rfind(':')), ":", running->port_);
  httplib::Server* listening = running->server_.get();
  running->thread_ =
      std::thread([listening] { listening->listen_after_bind(); });
  return running;
}

ReviewHttpServer::~ReviewHttpServer() { Shutdown(); }

void ReviewHttpServer::Shutdown() {
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace c360

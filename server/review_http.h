// The data stewards' review page: `c360 serve --http-listen HOST:PORT`
// serves, on its own HTTP port (cpp-httplib),
//
//   GET  /, /index.html, /app.js, /style.css   the page (server/web/, embedded
//                                              into the binary at build time)
//   GET  /api/config                           {"auth": bool}: whether the API
//                                              wants a bearer token
//   POST /api/steward/METHOD                   one StewardService call: the
//                                              request message as JSON in, the
//                                              response message as JSON out
//   GET  /api/profile/ENTITY_ID[?records=1]    ProfileService.GetProfile
//
// The API runs the same code as the gRPC services (StewardApi,
// LookupProfile). JSON is protobuf's JSON mapping with the proto field names
// (`task_id`, enums by name, `"verdict": "SAME"`); POST bodies must be sent
// as `Content-Type: application/json` (so that no other web site can post
// to the API from a browser without a CORS preflight, which it never
// grants). Errors are {"code": "NOT_FOUND", "message": "..."} with the HTTP
// status of HttpStatusOf.
//
// With a tokens file, every /api/ call needs `Authorization: Bearer TOKEN`
// with the role of the gRPC service it stands for (steward; crm for
// profiles) as AuthorizeCall decides, and the audit actor is "token:NAME";
// without, the actor is "anonymous". The same exposure rule as gRPC: only
// loopback may be served without tokens or without TLS (then HTTPS with
// the server's certificate).
#ifndef C360_SERVER_REVIEW_HTTP_H_
#define C360_SERVER_REVIEW_HTTP_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/auth.h"
#include "server/runtime.h"

namespace httplib {
class Server;
}  // namespace httplib

namespace c360 {

// The HTTP status for a canonical code: 400 INVALID_ARGUMENT and
// OUT_OF_RANGE, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 404 NOT_FOUND,
// 409 FAILED_PRECONDITION, ABORTED and ALREADY_EXISTS, 429
// RESOURCE_EXHAUSTED, 501 UNIMPLEMENTED, 503 UNAVAILABLE, 504
// DEADLINE_EXCEEDED, 500 otherwise.
int HttpStatusOf(absl::StatusCode code);

struct ReviewHttpOptions {
  std::string listen = "127.0.0.1:0";  // "HOST:PORT"; port 0 picks a free one
  ServerSecurity security;             // as the gRPC server's
};

class ReviewHttpServer {
 public:
  // Binds and starts serving on a thread of its own. `runtime` is not owned
  // and must outlive the server. FailedPrecondition for a non-loopback
  // address without tokens and TLS, InvalidArgument for a bad address or
  // TLS files, Unavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<ReviewHttpServer>> Start(
      Runtime* runtime, const ReviewHttpOptions& options);
  // Stops (Shutdown).
  ~ReviewHttpServer();

  int port() const { return port_; }
  // "http://HOST:PORT" or "https://HOST:PORT".
  const std::string& url() const { return url_; }

  // Stops accepting and waits for the calls in flight. Idempotent.
  void Shutdown();

 private:
  struct State;
  ReviewHttpServer() = default;

  std::unique_ptr<State> state_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string url_;
};

}  // namespace c360

#endif  // C360_SERVER_REVIEW_HTTP_H_

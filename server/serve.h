// Running the gRPC server: in-process (RunningServer, for tests and
// benchmarks) or as the `c360 serve` process until SIGTERM or SIGINT.
#ifndef C360_SERVER_SERVE_H_
#define C360_SERVER_SERVE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "server/admin_service.h"
#include "server/auth.h"
#include "server/runtime.h"
#include "server/scoring_service.h"
#include "server/segment_service.h"
#include "server/services.h"
#include "server/steward_service.h"

namespace c360 {

// Where the server listens and how it checks its callers.
struct ServeOptions {
  std::string listen = "127.0.0.1:0";  // "HOST:PORT"; port 0 picks a free one
  ServerSecurity security;             // none: loopback only (server/auth.h)
  // The review page's HTTP address (server/review_http.h), with the same
  // security; "" = no page.
  std::string http_listen;
};

// IngestService, ProfileService, ScoringService, AdminService,
// StewardService, SegmentService, the standard health-checking service and
// server reflection over one runtime.
class RunningServer {
 public:
  // Listens as `options` say; every call is checked as MakeServerCredentials
  // describes, whose errors Start returns. `runtime` is not owned and must
  // outlive the server. Unavailable when the address cannot be bound.
  static absl::StatusOr<std::unique_ptr<RunningServer>> Start(
      Runtime* runtime, const ServeOptions& options);

  // The bound port.
  int port() const { return port_; }
  // Stops accepting calls; in-flight calls get until `grace` to finish.
  void Shutdown(absl::Duration grace);
  // Blocks until Shutdown has completed.
  void Wait() { server_->Wait(); }

 private:
  explicit RunningServer(Runtime* runtime)
      : ingest_(runtime),
        profiles_(runtime),
        scoring_(runtime),
        admin_(runtime),
        steward_(runtime),
        segments_(runtime) {}

  IngestServiceImpl ingest_;
  ProfileServiceImpl profiles_;
  ScoringServiceImpl scoring_;
  AdminServiceImpl admin_;
  StewardServiceImpl steward_;
  SegmentServiceImpl segments_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// later, so that Serve can wait for them. Call it first thing, before the
// store starts its background threads.
void BlockShutdownSignals();

// Starts a RunningServer, prints "c360 serving on HOST:PORT" to stdout, and
// with `http_listen` the review page too, printing "c360 review page on
// http://HOST:PORT" after it; returns after a graceful shutdown on SIGTERM
// or SIGINT (in-flight calls get up to 5 s); needs BlockShutdownSignals
// first.
absl::Status Serve(Runtime* runtime, const ServeOptions& options);

}  // namespace c360

#endif  // C360_SERVER_SERVE_H_

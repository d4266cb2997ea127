// Running the gRPC server: in-process (RunningServer, for tests and
// benchmarks) or as the `c360 serve` process until SIGTERM or SIGINT.
#ifndef C360_SERVER_SERVE_H_
#define C360_SERVER_SERVE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "server/runtime.h"
#include "server/scoring_service.h"
#include "server/services.h"

namespace c360 {

// IngestService, ProfileService, ScoringService, the standard
// health-checking service and server reflection over one runtime.
class RunningServer {
 public:
  // Listens on `listen` ("HOST:PORT"; port 0 picks a free one). `runtime`
  // is not owned and must outlive the server. Unavailable when the address
  // cannot be bound.
  static absl::StatusOr<std::unique_ptr<RunningServer>> Start(
      Runtime* runtime, const std::string& listen);

  // The bound port.
  int port() const { return port_; }
  // Stops accepting calls; in-flight calls get until `grace` to finish.
  void Shutdown(absl::Duration grace);
  // Blocks until Shutdown has completed.
  void Wait() { server_->Wait(); }

 private:
  explicit RunningServer(Runtime* runtime)
      : ingest_(runtime), profiles_(runtime), scoring_(runtime) {}

  IngestServiceImpl ingest_;
  ProfileServiceImpl profiles_;
  ScoringServiceImpl scoring_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// later, so that Serve can wait for them. Call it first thing, before the
// store starts its background threads.
void BlockShutdownSignals();

// Starts a RunningServer, prints "c360 serving on HOST:PORT" to stdout, and
// returns after a graceful shutdown on SIGTERM or SIGINT (in-flight calls get
// up to 5 s); needs BlockShutdownSignals first.
absl::Status Serve(Runtime* runtime, const std::string& listen);

}  // namespace c360

#endif  // C360_SERVER_SERVE_H_

// Running the gRPC server until SIGTERM or SIGINT.
#ifndef C360_SERVER_SERVE_H_
#define C360_SERVER_SERVE_H_

#include <string>

#include "absl/status/status.h"
#include "server/runtime.h"

namespace c360 {

// Blocks SIGTERM and SIGINT in the calling thread and every thread it starts
// later, so that Serve can wait for them. Call it first thing in main, before
// the store starts its background threads.
void BlockShutdownSignals();

// Serves IngestService, ProfileService, the standard health-checking service
// and server reflection on `listen` ("127.0.0.1:PORT"; port 0 picks a free
// one). Prints "c360 serving on HOST:PORT" to stdout once listening.
// Returns after a graceful shutdown on SIGTERM or SIGINT (in-flight calls get
// up to 5 s to finish); needs BlockShutdownSignals first. Unavailable when the address cannot be bound.
absl::Status Serve(Runtime* runtime, const std::string& listen);

}  // namespace c360

#endif  // C360_SERVER_SERVE_H_

#include "server/serve.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/review_http.h"

namespace c360 {
namespace {

constexpr int kMaxMessageBytes = 16 << 20;

sigset_t ShutdownSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

std::string HostOf(const std::string& listen) {
  return listen.substr(0, listen.rfind(':'));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RunningServer>> RunningServer::Start(
    Runtime* runtime, const ServeOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      MakeServerCredentials(options.listen, options.security);
  if (!credentials.ok()) return credentials.status();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  std::unique_ptr<RunningServer> running(new RunningServer(runtime));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, *credentials, &running->port_);
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.experimental().SetInterceptorCreators(RequestInterceptors());
  builder.RegisterService(&running->ingest_);
  builder.RegisterService(&running->profiles_);
  builder.RegisterService(&running->scoring_);
  builder.RegisterService(&running->admin_);
  builder.RegisterService(&running->steward_);
  builder.RegisterService(&running->segments_);
  running->server_ = builder.BuildAndStart();
  if (running->server_ == nullptr || running->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  return running;
}

void RunningServer::Shutdown(absl::Duration grace) {
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
}

void BlockShutdownSignals() {
  sigset_t signals = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

absl::Status Serve(Runtime* runtime, const ServeOptions& options) {
  runtime->FollowChangesIntoProfiles();
  absl::StatusOr<std::unique_ptr<RunningServer>> server =
      RunningServer::Start(runtime, options);
  if (!server.ok()) return server.status();
  std::printf("c360 serving on %s:%d\n", HostOf(options.listen).c_str(),
              (*server)->port());
  std::fflush(stdout);
  std::unique_ptr<ReviewHttpServer> page;
  if (!options.http_listen.empty()) {
    ReviewHttpOptions http;
    http.listen = options.http_listen;
    http.security = options.security;
    absl::StatusOr<std::unique_ptr<ReviewHttpServer>> started =
        ReviewHttpServer::Start(runtime, http);
    if (!started.ok()) {
      (*server)->Shutdown(absl::ZeroDuration());
      (*server)->Wait();
      return started.status();
    }
    page = *std::move(started);
    std::printf("c360 review page on %s\n", page->url().c_str());
    std::fflush(stdout);
  }
  std::thread waiter([&] {
    sigset_t signals = ShutdownSignals();
    int signal = 0;
    sigwait(&signals, &signal);
    std::fprintf(stderr, "c360: signal %d, shutting down\n", signal);
    if (page != nullptr) page->Shutdown();
    (*server)->Shutdown(absl::Seconds(5));
  });
  (*server)->Wait();
  waiter.join();
  return absl::OkStatus();
}

}  // namespace c360

// c360 serve, profile, find: the server and its command-line clients.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "c360/service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "server/auth.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/runtime.h"
#include "server/serve.h"

namespace c360 {
namespace {

constexpr char kDefaultServer[] = "127.0.0.1:50051";

// Args with the options of every client command: the server and how to
// reach it.
Args ClientArgs(const std::string& usage, const std::string& summary) {
  Args args(usage, summary);
  args.Option("server", "server address", kDefaultServer);
  AddClientSecurityOptions(args);
  return args;
}

absl::StatusOr<std::unique_ptr<ProfileService::Stub>> ProfileStub(
    const Args& args) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      ClientChannel(args, args.Get("server"));
  if (!channel.ok()) return channel.status();
  return ProfileService::NewStub(*channel);
}

// The options of c360 serve that say where and how to listen.
void DeclareListenOptions(Args& args) {
  args.Option("listen", "address to listen on; port 0 picks a free one",
              kDefaultServer);
  args.Option("auth-tokens", "tokens file (c360 token add): callers need a "
              "bearer token with the role of the service");
  args.Option("tls-cert", "server certificate chain (PEM): serve TLS");
  args.Option("tls-key", "server private key (PEM)");
  args.Option("tls-client-ca", "CA (PEM): require client certificates it "
              "signed (mutual TLS)");
  args.Option("http-listen", "also serve the stewards' review page and its "
              "JSON API on this HTTP address (port 0 picks a free one); off "
              "when not given");
}

ServeOptions ListenOptionsOf(const Args& args) {
  ServeOptions options;
  options.listen = args.Get("listen");
  options.security.tokens_file = args.Get("auth-tokens");
  options.security.tls_cert_file = args.Get("tls-cert");
  options.security.tls_key_file = args.Get("tls-key");
  options.security.tls_client_ca_file = args.Get("tls-client-ca");
  options.http_listen = args.Get("http-listen");
  return options;
}

int Print(const char* command, const grpc::Status& status,
          const google::protobuf::Message& response) {
  if (!status.ok()) return Fail(command, FromGrpcStatus(status));
  std::printf("%s\n", ToJson(response).c_str());
  return kExitOk;
}

}  // namespace

int RunServe(int argc, char** argv) {
  Args args("c360 serve [--db DIR] [--listen HOST:PORT] [--auth-tokens FILE] "
            "[--tls-cert FILE --tls-key FILE [--tls-client-ca FILE]] "
            "[--http-listen HOST:PORT]",
            "Serves the gRPC API (ingest, profiles, health, reflection) over "
            "the local store until SIGTERM or SIGINT; --http-listen adds the "
            "stewards' review page. Only loopback may be "
            "served without --auth-tokens and TLS (docs/operations.md).");
  args.Option("db", "local store folder", "c360-data");
  DeclareListenOptions(args);
  if (auto exit = ParseArgs(args, "serve", argc, argv)) return *exit;
  BlockShutdownSignals();
  RuntimeOptions options;
  options.db_path = args.Get("db");
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = Runtime::Open(options);
  if (!runtime.ok()) return Fail("serve", runtime.status());
  absl::Status served = Serve(runtime->get(), ListenOptionsOf(args));
  return served.ok() ? kExitOk : Fail("serve", served);
}

int RunProfile(int argc, char** argv) {
  Args args = ClientArgs(
      "c360 profile ENTITY_ID | c360 profile --source S --id X "
      "[--records] [--candidates]",
      "Fetches a unified profile over gRPC and prints it as JSON. An id "
      "retired by a merge redirects to the surviving entity.");
  args.Positionals("ENTITY_ID  a current or retired entity id");
  args.Option("source", "source system of a member record");
  args.Option("id", "source id of a member record");
  args.Flag("records", "include the member records");
  args.Flag("candidates", "include every attribute's candidate values with "
            "the survivorship rule that decided each");
  if (auto exit = ParseArgs(args, "profile", argc, argv)) return *exit;
  GetProfileRequest request;
  if (args.positionals().size() == 1 && args.Get("source").empty()) {
    request.set_entity_id(args.positionals()[0]);
  } else if (args.positionals().empty() && !args.Get("source").empty() &&
             !args.Get("id").empty()) {
    request.mutable_record()->set_source(args.Get("source"));
    request.mutable_record()->set_source_id(args.Get("id"));
  } else {
    return Fail("profile", absl::InvalidArgumentError(
                               "give ENTITY_ID, or --source and --id"));
  }
  request.set_include_records(args.GetFlag("records"));
  request.set_include_candidates(args.GetFlag("candidates"));
  auto stub = ProfileStub(args);
  if (!stub.ok()) return Fail("profile", stub.status());
  GetProfileResponse response;
  grpc::ClientContext context;
  grpc::Status status = (*stub)->GetProfile(&context, request, &response);
  return Print("profile", status, response);
}

int RunFind(int argc, char** argv) {
  Args args = ClientArgs(
      "c360 find [--email E] [--phone P] [--name N --birth-date D]",
      "Searches profiles before creating one: by e-mail, phone, or name "
      "with birth date. Prints the matches as JSON, best first.");
  args.Option("email", "e-mail address");
  args.Option("phone", "phone number");
  args.Option("region", "region of a local phone number", "FI");
  args.Option("name", "full name");
  args.Option("birth-date", "birth date YYYY-MM-DD");
  args.Option("limit", "most profiles returned", "10");
  if (auto exit = ParseArgs(args, "find", argc, argv)) return *exit;
  absl::StatusOr<int64_t> limit = args.GetInt("limit");
  if (!limit.ok()) return Fail("find", limit.status());
  FindProfilesRequest request;
  request.set_email(args.Get("email"));
  request.set_phone(args.Get("phone"));
  request.set_region(args.Get("region"));
  request.set_name(args.Get("name"));
  request.set_birth_date(args.Get("birth-date"));
  request.set_limit(static_cast<int32_t>(*limit));
  auto stub = ProfileStub(args);
  if (!stub.ok()) return Fail("find", stub.status());
  FindProfilesResponse response;
  grpc::ClientContext context;
  grpc::Status status = (*stub)->FindProfiles(&context, request, &response);
  return Print("find", status, response);
}

int RunWatch(int argc, char** argv) {
  Args args = ClientArgs(
      "c360 watch [--from SEQUENCE] [--follow]",
      "Prints the change feed as JSON Lines, one entity change per line in "
      "sequence order. Resume with --from LAST+1 to get every change exactly "
      "once; --follow keeps waiting for new changes.");
  args.Option("from", "first sequence to print", "1");
  args.Flag("follow", "keep the stream open for new changes");
  if (auto exit = ParseArgs(args, "watch", argc, argv)) return *exit;
  absl::StatusOr<int64_t> from = args.GetInt("from");
  if (!from.ok()) return Fail("watch", from.status());
  if (*from < 0) return Fail("watch", absl::InvalidArgumentError("--from must be >= 0"));
  WatchChangesRequest request;
  request.set_from_sequence(static_cast<uint64_t>(*from));
  request.set_follow(args.GetFlag("follow"));
  auto stub = ProfileStub(args);
  if (!stub.ok()) return Fail("watch", stub.status());
  grpc::ClientContext context;
  auto reader = (*stub)->WatchChanges(&context, request);
  ChangeEvent event;
  while (reader->Read(&event)) {
    std::printf("%s\n", ToJson(event, /*indent=*/false).c_str());
    std::fflush(stdout);
  }
  grpc::Status status = reader->Finish();
  return status.ok() ? kExitOk : Fail("watch", FromGrpcStatus(status));
}

}  // namespace c360

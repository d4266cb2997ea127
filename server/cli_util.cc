#include "server/cli_util.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "server/auth.h"

namespace c360 {

std::optional<int> ParseArgs(Args& args, const char* command, int argc,
                             char** argv) {
  absl::Status parsed = args.Parse(argc, argv);
  if (!parsed.ok()) return Fail(command, parsed);
  if (args.help_requested()) {
    std::fputs(args.Help().c_str(), stdout);
    return kExitOk;
  }
  return std::nullopt;
}

absl::StatusOr<std::unique_ptr<Runtime>> OpenLocalStore(const Args& args) {
  RuntimeOptions options;
  options.db_path = args.Get("db");
  return Runtime::Open(options);
}

void AddThresholdOptions(Args& args) {
  args.Option("link-probability",
              "link a pair from this match probability", "0.99");
  args.Option("review-probability",
              "send a pair to review from this match probability", "0.5");
}

absl::Status ParseThresholds(const Args& args, double* link_probability,
                             double* review_probability) {
  absl::StatusOr<double> link = args.GetDouble("link-probability");
  if (!link.ok()) return link.status();
  absl::StatusOr<double> review = args.GetDouble("review-probability");
  if (!review.ok()) return review.status();
  *link_probability = *link;
  *review_probability = *review;
  return absl::OkStatus();
}

void AddClientSecurityOptions(Args& args) {
  args.Option("token", "bearer token (default: $C360_TOKEN)");
  args.Option("tls-ca", "CA certificate (PEM) of the server; enables TLS");
  args.Option("tls-cert", "client certificate (PEM) for mutual TLS");
  args.Option("tls-key", "client private key (PEM) for mutual TLS");
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> ClientChannel(
    const Args& args, const std::string& address) {
  ClientSecurity security;
  security.token = args.Get("token");
  if (const char* token = std::getenv("C360_TOKEN");
      security.token.empty() && token != nullptr) {
    security.token = token;
  }
  security.tls_ca_file = args.Get("tls-ca");
  security.tls_cert_file = args.Get("tls-cert");
  security.tls_key_file = args.Get("tls-key");
  return OpenChannel(address, security);
}

std::string LocalActor() {
  const passwd* user = getpwuid(geteuid());
  return absl::StrCat("cli:", user != nullptr ? user->pw_name : "unknown");
}

int Fail(const char* command, const absl::Status& status) {
  std::fprintf(stderr, "c360 %s: %s\n", command,
               std::string(status.message()).c_str());
  return absl::IsInvalidArgument(status) ? kExitUsage : kExitFailure;
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

std::string ToJson(const google::protobuf::Message& message, bool indent) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = indent;
  options.preserve_proto_field_names = true;
  std::string json;
  // Printing a well-formed message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace c360

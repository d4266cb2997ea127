#include "server/cli_util.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
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

namespace {

void PrintSubcommands(const char* command, absl::Span<const Subcommand> subcommands,
                      std::FILE* out) {
  std::fprintf(out,
               "usage: c360 %s SUBCOMMAND [options]   (c360 %s SUBCOMMAND "
               "--help for more)\n\nsubcommands:\n",
               command, command);
  for (const Subcommand& s : subcommands) {
    std::fprintf(out, "  %-10s %s\n", s.name, s.summary);
  }
}

}  // namespace

int RunSubcommand(const char* command, int argc, char** argv,
                  absl::Span<const Subcommand> subcommands) {
  if (argc < 1 || std::strcmp(argv[0], "--help") == 0) {
    PrintSubcommands(command, subcommands, argc < 1 ? stderr : stdout);
    return argc < 1 ? kExitUsage : kExitOk;
  }
  for (const Subcommand& s : subcommands) {
    if (std::strcmp(argv[0], s.name) == 0) return s.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "c360 %s: unknown subcommand '%s'\n\n", command, argv[0]);
  PrintSubcommands(command, subcommands, stderr);
  return kExitUsage;
}

absl::StatusOr<absl::flat_hash_map<std::string, std::string>> ReadTruth(
    const std::string& path, int key_columns) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  absl::flat_hash_map<std::string, std::string> person_of;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (number == 1 || line.empty()) continue;
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    if (static_cast<int>(fields.size()) != key_columns + 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", number, ": expected ", key_columns + 1, " columns"));
    }
    person_of[absl::StrJoin(fields.begin(), fields.end() - 1, "/")] = fields.back();
  }
  return person_of;
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

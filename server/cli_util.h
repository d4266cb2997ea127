// Helpers shared by the subcommands: argument handling, JSON output, errors.
#ifndef C360_SERVER_CLI_UTIL_H_
#define C360_SERVER_CLI_UTIL_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/types/span.h"
#include "google/protobuf/message.h"
#include "grpcpp/channel.h"
#include "grpcpp/support/status.h"
#include "server/args.h"
#include "server/runtime.h"

namespace c360 {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejected = 3;

// Parses and handles --help. Returns the exit code to stop with, or nullopt
// to go on.
std::optional<int> ParseArgs(Args& args, const char* command, int argc,
                             char** argv);

// A subcommand of a command with several (c360 ml, c360 enrich, ...).
struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

// Runs the subcommand argv[0] names with the rest of the arguments; prints
// the list of subcommands for --help (exit 0), for no or an unknown
// subcommand (exit 2).
int RunSubcommand(const char* command, int argc, char** argv,
                  absl::Span<const Subcommand> subcommands);

// A CSV of known answers with a header row: `key_columns` key columns and
// a person id, e.g. truth.csv "source,source_id,person_id" (2) or
// provider_truth.csv "row_key,person_id" (1). Maps the key columns joined by
// '/' to the person id.
absl::StatusOr<absl::flat_hash_map<std::string, std::string>> ReadTruth(
    const std::string& path, int key_columns);

// The runtime over the local store named by the option "db".
absl::StatusOr<std::unique_ptr<Runtime>> OpenLocalStore(const Args& args);

// Declares --link-probability and --review-probability (the match model's
// thresholds, defaults 0.99 and 0.5).
void AddThresholdOptions(Args& args);

// Reads the options AddThresholdOptions declared; InvalidArgument unless
// both are numbers.
absl::Status ParseThresholds(const Args& args, double* link_probability,
                             double* review_probability);

// Declares the security options of a client command: --token (default
// $C360_TOKEN), --tls-ca, --tls-cert, --tls-key.
void AddClientSecurityOptions(Args& args);

// A channel to `address` secured as the options AddClientSecurityOptions
// declared say.
absl::StatusOr<std::shared_ptr<grpc::Channel>> ClientChannel(
    const Args& args, const std::string& address);

// "cli:<user>": the audit actor of local commands.
std::string LocalActor();

// Prints "c360 COMMAND: message" to stderr and returns kExitFailure
// (kExitUsage for InvalidArgument).
int Fail(const char* command, const absl::Status& status);

// The absl::Status with the same canonical code and message as `status`.
absl::Status FromGrpcStatus(const grpc::Status& status);

// The message as JSON with proto field names: indented for people, or on one
// line to embed in a line of JSON output.
std::string ToJson(const google::protobuf::Message& message, bool indent = true);

}  // namespace c360

#endif  // C360_SERVER_CLI_UTIL_H_

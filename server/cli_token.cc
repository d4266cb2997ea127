// c360 token add: makes a bearer token and keeps only its hash in the tokens
// file (format in server/auth.h).
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "server/auth.h"
#include "server/cli_util.h"
#include "server/commands.h"

namespace c360 {
namespace {

constexpr char kAddUsage[] =
    "c360 token add --file TOKENS --name NAME --roles ROLE[,ROLE...]";

int RunTokenAdd(int argc, char** argv) {
  Args args(kAddUsage,
            "Makes a random bearer token, prints it once on stdout and adds "
            "only its SHA-256 hash to the tokens file (created when missing). "
            "Roles: crm (profiles), ingest, steward, segment, scoring, admin "
            "(everything). A running server reads the file when it starts.");
  args.Option("file", "tokens file");
  args.Option("name", "who holds the token (1-64 of A-Z a-z 0-9 _ -)");
  args.Option("roles", "comma-separated roles");
  if (auto exit = ParseArgs(args, "token add", argc, argv)) return *exit;
  if (args.Get("file").empty() || args.Get("name").empty() ||
      args.Get("roles").empty()) {
    return Fail("token add",
                absl::InvalidArgumentError("give --file, --name and --roles"));
  }
  std::vector<std::string> roles = absl::StrSplit(args.Get("roles"), ',');
  absl::StatusOr<std::string> token =
      AddToken(args.Get("file"), args.Get("name"), roles);
  if (!token.ok()) return Fail("token add", token.status());
  std::printf("%s\n", token->c_str());
  std::fprintf(stderr,
               "c360 token add: added '%s' to %s; the token is shown only "
               "this once\n",
               args.Get("name").c_str(), args.Get("file").c_str());
  return kExitOk;
}

}  // namespace

int RunToken(int argc, char** argv) {
  if (argc >= 1 && std::strcmp(argv[0], "add") == 0) {
    return RunTokenAdd(argc - 1, argv + 1);
  }
  bool help = argc >= 1 && (std::strcmp(argv[0], "--help") == 0 ||
                            std::strcmp(argv[0], "-h") == 0);
  std::fprintf(help ? stdout : stderr,
               "usage: %s\n\nBearer tokens for c360 serve --auth-tokens "
               "(c360 token add --help).\n",
               kAddUsage);
  return help ? kExitOk : kExitUsage;
}

}  // namespace c360

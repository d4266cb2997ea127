// c360: the command line of the customer-360 engine.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "server/commands.h"

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

constexpr Command kCommands[] = {
    {"gen", "write sample data of four source systems", c360::RunGen},
    {"ingest", "load a source file (JSON Lines or mapped CSV)", c360::RunIngest},
    {"bulk-load", "initial load of an empty store, resolved in bulk", c360::RunBulkLoad},
    {"serve", "serve the gRPC API over the local store", c360::RunServe},
    {"token", "make a bearer token for serve --auth-tokens", c360::RunToken},
    {"profile", "fetch a unified profile over gRPC", c360::RunProfile},
    {"find", "search profiles by e-mail, phone, name + birth date", c360::RunFind},
    {"watch", "print the change feed", c360::RunWatch},
    {"hot-keys", "list candidate keys too common to match on", c360::RunHotKeys},
    {"eval", "measure entities against known answers", c360::RunEval},
    {"check", "verify the store's invariants", c360::RunCheck},
    {"reresolve", "rebuild every entity from records and steward decisions", c360::RunReresolve},
    {"erase", "erase a record or entity (right to be forgotten)", c360::RunErase},
    {"backup", "copy the store, also while it is served", c360::RunBackup},
    {"restore", "verify a backup and put it in place", c360::RunRestore},
    {"train-matcher", "learn the match model from the stored records", c360::RunTrainMatcher},
    {"match-report", "print the active match model's levels and weights", c360::RunMatchReport},
    {"explain", "why two records or entities match or not", c360::RunExplain},
    {"eval-bulk", "bulk match quality on FEBRL or generated data", c360::RunEvalBulk},
    {"enrich", "purchased data: import, deliveries, rules, quality report", c360::RunEnrich},
    {"segment", "select profiles: define, count, scan, export segments", c360::RunSegment},
    {"ml", "hit-rate models: import, train, score, what-if, forecast", c360::RunMl},
};

void PrintUsage(std::FILE* out) {
  std::fputs("usage: c360 COMMAND [options]   (c360 COMMAND --help for more)\n\n"
             "commands:\n", out);
  for (const Command& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
}

// XGBoost's OpenMP threads spin while they wait for work unless told
// otherwise; on a shared machine the spinning takes the cores the working
// threads need (training the Maven models took 0.3-8 s instead of 0.5 s at
// load 4). libgomp reads OMP_WAIT_POLICY when it is loaded, before main, so
// the binary sets it and starts itself again (same process id). A policy
// set by the caller is kept.
void PreferPassiveOpenMpWaits(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  setenv("OMP_WAIT_POLICY", "passive", 1);
  execv("/proc/self/exe", argv);  // returns only on failure: run as we are
}

}  // namespace

int main(int argc, char** argv) {
  PreferPassiveOpenMpWaits(argv);
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 ||
      std::strcmp(argv[1], "-h") == 0) {
    PrintUsage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  for (const Command& c : kCommands) {
    if (std::strcmp(argv[1], c.name) == 0) return c.run(argc - 2, argv + 2);
  }
  std::fprintf(stderr, "c360: unknown command '%s'\n\n", argv[1]);
  PrintUsage(stderr);
  return 2;
}

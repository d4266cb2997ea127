// c360 reresolve: rebuilds every entity of the local store from its records
// and the stewards' constraints.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "resolver/reresolve.h"
#include "server/cli_util.h"
#include "server/commands.h"

namespace c360 {
int RunReresolve(int argc, char** argv) {
  Args args("c360 reresolve [--db DIR]",
            "Resolves every stored record again, oldest first, with the active "
            "match model and every steward decision (constraints), and "
            "replaces the entities in one atomic write. Entity ids stay: an "
            "entity keeps the id of its oldest record's old entity; old ids "
            "left over become aliases. Prints a summary as JSON. Stop the "
            "server first (it holds the store).");
  args.Option("db", "local store folder", "c360-data");
  if (auto exit = ParseArgs(args, "reresolve", argc, argv)) return *exit;
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("reresolve", runtime.status());
  std::string scratch = absl::StrCat(args.Get("db"), ".reresolve-", getpid());
  std::filesystem::remove_all(scratch);
  absl::StatusOr<ReresolveStats> stats = Reresolve(
      &(*runtime)->store(), &(*runtime)->resolver(), scratch, LocalActor());
  std::filesystem::remove_all(scratch);
  if (!stats.ok()) return Fail("reresolve", stats.status());
  std::printf(
      "{\"records\": %lld, \"entities\": %lld, \"changed_entities\": %lld, "
      "\"retired_ids\": %lld}\n",
      (long long)stats->records, (long long)stats->entities,
      (long long)stats->changed_entities, (long long)stats->retired_ids);
  return kExitOk;
}

}  // namespace c360

// c360 backup and restore: a consistent copy of the store, taken through a
// running server or from a stopped store, and put back after verification.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "c360/admin.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "server/admin_service.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/json_text.h"
#include "store/consistency.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"

namespace c360 {
namespace {

namespace fs = std::filesystem;

// Backs up the store at `db`, which no process may hold open.
absl::StatusOr<BackupReply> BackupStopped(const std::string& db,
                                          const std::string& destination) {
  absl::StatusOr<std::unique_ptr<KvStore>> store =
      OpenRocksDbStore({.path = db, .create_if_missing = false});
  if (absl::IsUnavailable(store.status())) {
    return absl::UnavailableError(
        absl::StrCat(db,
                     " is in use: back it up through its server with --server "
                     "HOST:PORT (",
                     store.status().message(), ")"));
  }
  if (!store.ok()) return store.status();
  return BackupStore(**store, destination);
}

// Has the server at `address` back up its store.
absl::StatusOr<BackupReply> BackupServed(const Args& args,
                                         const std::string& destination) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      ClientChannel(args, args.Get("server"));
  if (!channel.ok()) return channel.status();
  BackupRequest request;
  request.set_destination(destination);
  BackupReply reply;
  grpc::ClientContext context;
  grpc::Status status =
      AdminService::NewStub(*channel)->Backup(&context, request, &reply);
  if (!status.ok()) return FromGrpcStatus(status);
  return reply;
}

// What a restore put in place.
struct Restored {
  StoreCensus census;
  uint64_t sequence = 0;  // the last change-log sequence
};

// Opens the store at `dir`, which must hold one of this schema version, and
// checks every invariant.
absl::StatusOr<Restored> Verify(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<KvStore>> store =
      OpenRocksDbStore({.path = dir, .create_if_missing = false});
  if (!store.ok()) return store.status();
  std::unique_ptr<ReadView> snapshot = (*store)->Snapshot();
  absl::StatusOr<StoreCensus> census = CheckStore(*snapshot);
  if (!census.ok()) return census.status();
  absl::StatusOr<StoreCounters> counters =
      Repository(snapshot.get()).GetCounters();
  if (!counters.ok()) return counters.status();
  return Restored{*census, counters->next_change() - 1};
}

// OK when the restore may go to `db`: it holds nothing, or `force` is given
// and no process holds the store in it open.
absl::Status CheckTarget(const fs::path& db, bool force) {
  std::error_code error;
  if (!fs::exists(db, error) || fs::is_empty(db, error)) {
    return absl::OkStatus();
  }
  if (!force) {
    return absl::FailedPreconditionError(
        absl::StrCat(db.string(),
                     " is not empty: restore into a new folder, or pass "
                     "--force to replace the store in it"));
  }
  return EnsureNotInUse(db.string());
}

// Copies the backup at `from` next to `db`, verifies the copy, and moves it
// into place, replacing whatever `db` held.
absl::StatusOr<Restored> Restore(const fs::path& from, const fs::path& db,
                                 bool force) {
  std::error_code error;
  if (!fs::is_directory(from, error)) {
    return absl::NotFoundError(absl::StrCat("no backup at ", from.string()));
  }
  absl::Status target = CheckTarget(db, force);
  if (!target.ok()) return target;
  const fs::path staging = db.string() + ".restoring";
  fs::remove_all(staging, error);
  fs::create_directories(db.parent_path(), error);
  fs::copy(from, staging, fs::copy_options::recursive, error);
  if (error) {
    return absl::InternalError(absl::StrCat("copying ", from.string(), " to ",
                                            staging.string(), ": ",
                                            error.message()));
  }
  absl::StatusOr<Restored> restored = Verify(staging.string());
  if (!restored.ok()) {
    fs::remove_all(staging, error);
    return absl::FailedPreconditionError(
        absl::StrCat("backup ", from.string(),
                     " cannot be restored: ", restored.status().message()));
  }
  fs::remove_all(db, error);
  fs::rename(staging, db, error);
  if (error) {
    return absl::InternalError(absl::StrCat("moving ", staging.string(), " to ",
                                            db.string(), ": ",
                                            error.message()));
  }
  return restored;
}

// `path` as an absolute folder path without a trailing separator.
fs::path FolderPath(const std::string& path) {
  fs::path folder = fs::absolute(path).lexically_normal();
  return folder.has_filename() ? folder : folder.parent_path();
}

}  // namespace

int RunBackup(int argc, char** argv) {
  Args args("c360 backup --to DIR [--db DIR | --server HOST:PORT]",
            "Writes a consistent copy of the store to the new folder --to: "
            "through a running server (--server; the folder is on the "
            "server's machine) while it goes on serving, or from a stopped "
            "store (--db). Prints the backup's path, last change sequence, "
            "bytes and files as JSON. `c360 restore` puts it back.");
  args.Option("to", "backup folder to create; must not exist");
  args.Option("db", "local store folder (server stopped)", "c360-data");
  args.Option("server",
              "back up through a running server (HOST:PORT) instead of --db");
  AddClientSecurityOptions(args);
  if (auto exit = ParseArgs(args, "backup", argc, argv)) return *exit;
  if (args.Get("to").empty()) {
    return Fail("backup", absl::InvalidArgumentError("give --to DIR"));
  }
  const std::string destination = FolderPath(args.Get("to")).string();
  absl::StatusOr<BackupReply> backup =
      args.Get("server").empty()
          ? BackupStopped(args.Get("db"), destination)
          : BackupServed(args, destination);
  if (!backup.ok()) return Fail("backup", backup.status());
  std::printf("%s\n", ToJson(*backup, /*indent=*/false).c_str());
  return kExitOk;
}

int RunRestore(int argc, char** argv) {
  Args args("c360 restore --from BACKUP_DIR --db DIR [--force]",
            "Puts a backup made by `c360 backup` in place as the store in "
            "--db, after checking that it opens, has this binary's schema "
            "version and passes every check of `c360 check`. Refuses a "
            "non-empty --db unless --force, and a store a process holds "
            "open. Prints the restored store's census as JSON.");
  args.Option("from", "backup folder");
  args.Option("db", "store folder to restore into", "c360-data");
  args.Flag("force", "replace the store in a non-empty --db");
  if (auto exit = ParseArgs(args, "restore", argc, argv)) return *exit;
  if (args.Get("from").empty()) {
    return Fail("restore",
                absl::InvalidArgumentError("give --from BACKUP_DIR"));
  }
  const fs::path from = FolderPath(args.Get("from"));
  const fs::path db = FolderPath(args.Get("db"));
  absl::StatusOr<Restored> restored = Restore(from, db, args.GetFlag("force"));
  if (!restored.ok()) return Fail("restore", restored.status());
  std::printf(
      "{\"restored\": %s, \"from\": %s, \"sequence\": %llu, \"records\": "
      "%lld, \"entities\": %lld, \"memberships\": %lld}\n",
      JsonString(db.string()).c_str(), JsonString(from.string()).c_str(),
      static_cast<unsigned long long>(restored->sequence),
      static_cast<long long>(restored->census.records),
      static_cast<long long>(restored->census.entities),
      static_cast<long long>(restored->census.memberships));
  return kExitOk;
}

}  // namespace c360

#include "server/admin_service.h"

#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/auth.h"
#include "server/services.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"

namespace c360 {
namespace {

namespace fs = std::filesystem;

// `destination` without a trailing separator; InvalidArgument unless it is
// an absolute path.
absl::StatusOr<fs::path> BackupFolder(const std::string& destination) {
  fs::path path = fs::path(destination).lexically_normal();
  if (!path.is_absolute()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the backup destination must be an absolute path, not '",
                     destination, "'"));
  }
  return path.has_filename() ? path : path.parent_path();
}

// Path, last change sequence, bytes and files of the backup at `folder`,
// read from the backup itself.
absl::StatusOr<BackupReply> Describe(const fs::path& folder) {
  absl::StatusOr<std::unique_ptr<KvStore>> backup =
      OpenRocksDbStore({.path = folder.string(), .read_only = true});
  if (!backup.ok()) return backup.status();
  absl::StatusOr<StoreCounters> counters =
      Repository(backup->get()).GetCounters();
  if (!counters.ok()) return counters.status();
  BackupReply reply;
  reply.set_path(folder.string());
  reply.set_sequence(counters->next_change() - 1);
  std::error_code error;
  for (const fs::directory_entry& entry :
       fs::directory_iterator(folder, error)) {
    if (!entry.is_regular_file()) continue;
    reply.set_files(reply.files() + 1);
    reply.set_bytes(reply.bytes() + entry.file_size());
  }
  if (error) {
    return absl::InternalError(
        absl::StrCat("listing ", folder.string(), ": ", error.message()));
  }
  return reply;
}

grpc::Status Reply(const absl::StatusOr<ErasureResult>& erased,
                   ErasureReply* reply) {
  if (!erased.ok()) return ToGrpcStatus(erased.status());
  *reply = ErasureToReply(*erased);
  return grpc::Status::OK;
}

}  // namespace

ErasureReply ErasureToReply(const ErasureResult& result) {
  ErasureReply reply;
  reply.set_entity_id(result.entity_id);
  reply.set_entity_erased(result.entity_erased);
  for (const RecordKey& key : result.records) *reply.add_records() = key;
  *reply.mutable_audit() = result.audit;
  return reply;
}

absl::StatusOr<BackupReply> BackupStore(KvStore& store,
                                        const std::string& destination) {
  absl::StatusOr<fs::path> folder = BackupFolder(destination);
  if (!folder.ok()) return folder.status();
  std::error_code error;
  if (fs::exists(*folder, error)) {
    return absl::AlreadyExistsError(absl::StrCat(
        folder->string(), " exists: a backup goes to a new folder"));
  }
  fs::create_directories(folder->parent_path(), error);
  if (error) {
    return absl::InternalError(absl::StrCat(
        "creating ", folder->parent_path().string(), ": ", error.message()));
  }
  absl::Status copied = store.Checkpoint(folder->string());
  if (!copied.ok()) return copied;
  absl::StatusOr<BackupReply> reply = Describe(*folder);
  if (!reply.ok()) fs::remove_all(*folder, error);
  return reply;
}

grpc::Status AdminServiceImpl::Backup(grpc::ServerContext*,
                                      const BackupRequest* request,
                                      BackupReply* reply) {
  absl::StatusOr<BackupReply> backup =
      BackupStore(runtime_->store(), request->destination());
  if (!backup.ok()) return ToGrpcStatus(backup.status());
  *reply = *std::move(backup);
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::EraseRecord(grpc::ServerContext* context,
                                           const EraseRecordRequest* request,
                                           ErasureReply* reply) {
  Eraser eraser(&runtime_->store(), &runtime_->resolver());
  return Reply(eraser.EraseRecord(request->record(), request->reason(),
                                  CallerActor(*context)),
               reply);
}

grpc::Status AdminServiceImpl::EraseEntity(grpc::ServerContext* context,
                                           const EraseEntityRequest* request,
                                           ErasureReply* reply) {
  Eraser eraser(&runtime_->store(), &runtime_->resolver());
  return Reply(eraser.EraseEntity(request->entity_id(), request->reason(),
                                  CallerActor(*context)),
               reply);
}

}  // namespace c360

// Backups of a live store (BackupStore, shared by `c360 backup` and the
// gRPC AdminService), erasures (ErasureToReply) and the AdminService's thin
// gRPC handlers.
#ifndef C360_SERVER_ADMIN_SERVICE_H_
#define C360_SERVER_ADMIN_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "c360/admin.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "resolver/erasure.h"
#include "server/runtime.h"
#include "store/kv_store.h"

namespace c360 {

// Writes a consistent copy of `store`, as it is at one instant, to the new
// folder `destination` (KvStore::Checkpoint) while other threads go on
// reading and writing, and describes it: its path, the last change-log
// sequence it holds, its bytes and files. `destination` must be absolute
// and must not exist; missing parents are created. InvalidArgument for a
// relative path, AlreadyExists when it exists. A copy that does not open
// read-only as a store of this schema version is removed and its error
// returned.
absl::StatusOr<BackupReply> BackupStore(KvStore& store,
                                        const std::string& destination);

// The reply describing an erasure.
ErasureReply ErasureToReply(const ErasureResult& result);

class AdminServiceImpl final : public AdminService::Service {
 public:
  // `runtime` is not owned and must outlive the service.
  explicit AdminServiceImpl(Runtime* runtime) : runtime_(runtime) {}

  grpc::Status Backup(grpc::ServerContext* context,
                      const BackupRequest* request,
                      BackupReply* reply) override;
  // The actor is the caller's identity (CallerActor).
  grpc::Status EraseRecord(grpc::ServerContext* context,
                           const EraseRecordRequest* request,
                           ErasureReply* reply) override;
  grpc::Status EraseEntity(grpc::ServerContext* context,
                           const EraseEntityRequest* request,
                           ErasureReply* reply) override;

 private:
  Runtime* runtime_;
};

}  // namespace c360

#endif  // C360_SERVER_ADMIN_SERVICE_H_

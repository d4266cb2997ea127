// c360 erase: the right to be forgotten, for a stopped store or through a
// running server (resolver/erasure.h says what is removed and what stays).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "c360/admin.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "resolver/erasure.h"
#include "server/admin_service.h"
#include "server/cli_util.h"
#include "server/commands.h"

namespace c360 {
namespace {

constexpr char kCommand[] = "erase";

// What to erase: a record ("SOURCE:ID") or an entity.
struct Target {
  RecordKey record;
  std::string entity_id;
};

absl::StatusOr<Target> TargetOf(const Args& args) {
  const std::string record = args.Get("record");
  const std::string entity = args.Get("entity");
  if (record.empty() == entity.empty()) {
    return absl::InvalidArgumentError(
        "give exactly one of --record SOURCE:ID and --entity ID");
  }
  Target target;
  target.entity_id = entity;
  if (!record.empty()) {
    std::vector<std::string> parts = absl::StrSplit(record, absl::MaxSplits(':', 1));
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--record '", record, "': give SOURCE:ID"));
    }
    target.record.set_source(parts[0]);
    target.record.set_source_id(parts[1]);
  }
  return target;
}

absl::StatusOr<ErasureReply> EraseLocally(const Args& args,
                                          const Target& target) {
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = OpenLocalStore(args);
  if (!runtime.ok()) return runtime.status();
  Eraser eraser(&(*runtime)->store(), &(*runtime)->resolver());
  absl::StatusOr<ErasureResult> result =
      target.entity_id.empty()
          ? eraser.EraseRecord(target.record, args.Get("reason"), LocalActor())
          : eraser.EraseEntity(target.entity_id, args.Get("reason"),
                               LocalActor());
  if (!result.ok()) return result.status();
  return ErasureToReply(*result);
}

absl::StatusOr<ErasureReply> EraseServed(const Args& args,
                                         const Target& target) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      ClientChannel(args, args.Get("server"));
  if (!channel.ok()) return channel.status();
  std::unique_ptr<AdminService::Stub> stub = AdminService::NewStub(*channel);
  ErasureReply reply;
  grpc::ClientContext context;
  grpc::Status status;
  if (target.entity_id.empty()) {
    EraseRecordRequest request;
    *request.mutable_record() = target.record;
    request.set_reason(args.Get("reason"));
    status = stub->EraseRecord(&context, request, &reply);
  } else {
    EraseEntityRequest request;
    request.set_entity_id(target.entity_id);
    request.set_reason(args.Get("reason"));
    status = stub->EraseEntity(&context, request, &reply);
  }
  if (!status.ok()) return FromGrpcStatus(status);
  return reply;
}

}  // namespace

int RunErase(int argc, char** argv) {
  Args args("c360 erase (--record SOURCE:ID | --entity ID) [--reason TEXT] "
            "[--db DIR | --server HOST:PORT]",
            "Erases a record, or an entity with all its records: personal "
            "data leaves records, entities, candidate keys and audit notes; "
            "the audit keeps ids, time and actor; the person's identifiers "
            "go on the suppression list, so a re-ingest needs renewed "
            "consent (attribute consent=renewed). The change feed announces "
            "it. Works on a stopped store (--db, actor cli:<user>) or through "
            "a running server (--server, role admin). Prints JSON.");
  args.Option("record", "the record to erase, SOURCE:ID");
  args.Option("entity", "the entity to erase (an alias names its live entity)");
  args.Option("reason", "why, for the audit (a request number; no personal data)");
  args.Option("db", "local store folder (server stopped)", "c360-data");
  args.Option("server", "erase through a running server (HOST:PORT) instead of --db");
  AddClientSecurityOptions(args);
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  absl::StatusOr<Target> target = TargetOf(args);
  if (!target.ok()) return Fail(kCommand, target.status());
  absl::StatusOr<ErasureReply> reply = args.Get("server").empty()
                                           ? EraseLocally(args, *target)
                                           : EraseServed(args, *target);
  if (!reply.ok()) return Fail(kCommand, reply.status());
  std::printf("%s\n", ToJson(*reply, /*indent=*/false).c_str());
  return kExitOk;
}

}  // namespace c360

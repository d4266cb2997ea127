// Backups of the real `c360 serve` process while it writes, restored and
// compared with the store as it was at the backup's change sequence; and
// the refusals of `c360 backup` and `c360 restore`.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "c360/admin.grpc.pb.h"
#include "c360/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/generator.h"
#include "store/keys.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

namespace fs = std::filesystem;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

// Member record keys ("source/source_id") by live entity id.
using Membership = std::map<std::string, std::set<std::string>>;

// Clients of one running server.
struct Client {
  explicit Client(const std::string& address)
      : channel(
            grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
        ingest(IngestService::NewStub(channel)),
        profiles(ProfileService::NewStub(channel)),
        admin(AdminService::NewStub(channel)) {}

  // Every change with a sequence of at least `from`.
  std::vector<ChangeEvent> Changes(uint64_t from = 1) {
    WatchChangesRequest request;
    request.set_from_sequence(from);
    grpc::ClientContext context;
    auto reader = profiles->WatchChanges(&context, request);
    std::vector<ChangeEvent> events;
    ChangeEvent event;
    while (reader->Read(&event)) events.push_back(event);
    EXPECT_TRUE(reader->Finish().ok());
    return events;
  }

  // The profile of an entity with its member records; fails the test when
  // there is none.
  Profile Get(const std::string& entity_id) {
    GetProfileRequest request;
    request.set_entity_id(entity_id);
    request.set_include_records(true);
    GetProfileResponse response;
    grpc::ClientContext context;
    grpc::Status status = profiles->GetProfile(&context, request, &response);
    EXPECT_TRUE(status.ok()) << entity_id << ": " << status.error_message();
    return response.profile();
  }

  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<IngestService::Stub> ingest;
  std::unique_ptr<ProfileService::Stub> profiles;
  std::unique_ptr<AdminService::Stub> admin;
};

// Records of other generated people than the files', under new ids.
std::vector<SourceRecord> MoreRecords() {
  std::vector<SourceRecord> records;
  GenerateRecords({.people = 2000, .seed = 9}, [&](const GeneratedRecord& g) {
    records.push_back(g.record);
    records.back().set_source_id("live-" + g.record.source_id());
  });
  return records;
}

// Loads the generated CRM and ERP files with `c360 ingest`, as before the
// server starts.
void IngestFiles(const std::string& dir, const std::string& db) {
  CommandRun gen =
      C360(absl::StrCat("gen --people 300 --seed 5 --out ", dir, "/data"));
  ASSERT_EQ(gen.exit_code, 0) << gen.out;
  for (const auto& [source, layout] :
       std::vector<std::pair<std::string, std::string>>{
           {"crm", "crm_contacts"}, {"erp", "erp_customers"}}) {
    CommandRun run =
        C360(absl::StrCat("ingest --db ", db, " --source ", source,
                          " --mapping ", C360_SOURCE_DIR, "/data/mappings/",
                          layout, ".map ", dir, "/data/", layout, ".csv"));
    ASSERT_EQ(run.exit_code, 0) << run.out;
  }
}

// Entity membership after the changes up to `last`, replayed from the feed:
// a created or updated entity gains the change's record, a merge also takes
// every member of the retired entity.
Membership Replay(const std::vector<ChangeEvent>& feed, uint64_t last) {
  Membership members;
  for (const ChangeEvent& change : feed) {
    if (change.sequence() > last) break;
    std::set<std::string>& into = members[change.entity_id()];
    into.insert(RecordKeyString(change.record()));
    if (change.type() != ENTITY_MERGED) continue;
    auto retired = members.find(change.retired_entity_id());
    if (retired == members.end()) {
      ADD_FAILURE() << "merge of unknown " << change.retired_entity_id();
      continue;
    }
    into.insert(retired->second.begin(), retired->second.end());
    members.erase(retired);
  }
  return members;
}

// The entities whose last change came after `last`.
std::set<std::string> ChangedAfter(const std::vector<ChangeEvent>& feed,
                                   uint64_t last) {
  std::set<std::string> changed;
  for (const ChangeEvent& change : feed) {
    if (change.sequence() <= last) continue;
    changed.insert(change.entity_id());
    changed.insert(change.retired_entity_id());
  }
  return changed;
}

std::set<std::string> Keys(const Profile& profile) {
  std::set<std::string> keys;
  for (const RecordKey& key : profile.records())
    keys.insert(RecordKeyString(key));
  return keys;
}

std::map<std::string, SourceRecord> MemberRecords(const Profile& profile) {
  std::map<std::string, SourceRecord> records;
  for (const SourceRecord& r : profile.member_records()) {
    records[RecordKeyString(KeyOf(r))] = r;
  }
  return records;
}

int64_t Records(const Membership& members) {
  int64_t n = 0;
  for (const auto& [entity, keys] : members) n += keys.size();
  return n;
}

TEST(BackupE2ETest, BackupWhileWritingRestoresTheStoreAsOfItsSequence) {
  const std::string dir = NewTestDir("backup_live");
  IngestFiles(dir, dir + "/db");
  ServerProcess server(C360_BINARY, dir + "/db");
  ASSERT_FALSE(server.address().empty()) << "server did not start";
  Client live(server.address());

  // Upserts records one by one before, during and after the backup.
  const std::vector<SourceRecord> more = MoreRecords();
  constexpr size_t kAround = 50;  // records written before and after
  std::atomic<size_t> written{0};
  std::atomic<bool> backed_up{false};
  std::thread writer([&] {
    size_t after = 0;
    for (const SourceRecord& record : more) {
      if (backed_up && ++after > kAround) break;
      UpsertRequest request;
      *request.mutable_record() = record;
      UpsertResponse response;
      grpc::ClientContext context;
      EXPECT_TRUE(live.ingest->Upsert(&context, request, &response).ok());
      ++written;
    }
  });
  while (written < kAround) std::this_thread::yield();
  BackupRequest request;
  request.set_destination(dir + "/backups/first");
  BackupReply backup;
  grpc::ClientContext context;
  grpc::Status status = live.admin->Backup(&context, request, &backup);
  const size_t written_at_backup = written;
  backed_up = true;
  writer.join();
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(backup.path(), dir + "/backups/first");
  EXPECT_GT(backup.files(), 0u);
  EXPECT_GT(backup.bytes(), 0u);
  ASSERT_LT(written_at_backup, more.size()) << "the writer finished first";
  BackupReply refused;
  grpc::ClientContext again_context;
  EXPECT_EQ(live.admin->Backup(&again_context, request, &refused).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  request.set_destination("backups/relative");
  grpc::ClientContext relative_context;
  EXPECT_EQ(
      live.admin->Backup(&relative_context, request, &refused).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);

  const std::vector<ChangeEvent> feed = live.Changes();
  const uint64_t sequence = backup.sequence();
  ASSERT_GT(sequence, 0u);
  ASSERT_LT(sequence, feed.back().sequence())
      << "nothing written after the backup";
  const Membership expected = Replay(feed, sequence);

  CommandRun restore = C360(absl::StrCat("restore --from ", backup.path(),
                                         " --db ", dir, "/restored"));
  ASSERT_EQ(restore.exit_code, 0) << restore.out;
  EXPECT_THAT(restore.out, HasSubstr(absl::StrCat("\"sequence\": ", sequence)));
  CommandRun check = C360(absl::StrCat("check --db ", dir, "/restored"));
  ASSERT_EQ(check.exit_code, 0) << check.out;
  const int64_t records = Records(expected);
  EXPECT_THAT(check.out,
              HasSubstr(absl::StrCat("\"records\": ", records,
                                     ", \"entities\": ", expected.size(),
                                     ", \"memberships\": ", records)));
  EXPECT_THAT(check.out, HasSubstr(absl::StrCat("\"changes\": ", sequence)));

  ServerProcess restored_server(C360_BINARY, dir + "/restored");
  ASSERT_FALSE(restored_server.address().empty());
  Client restored(restored_server.address());
  // The change log up to the backup's sequence, and nothing after it.
  std::vector<ChangeEvent> restored_feed = restored.Changes();
  ASSERT_EQ(restored_feed.size(), sequence);
  for (size_t i = 0; i < restored_feed.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(restored_feed[i], feed[i])) << i;
  }
  // Every entity with its members as of the sequence; every record as
  // ingested; unchanged since: the very same profile as the live one.
  const std::set<std::string> changed = ChangedAfter(feed, sequence);
  for (const auto& [entity_id, keys] : expected) {
    Profile profile = restored.Get(entity_id);
    EXPECT_EQ(Keys(profile), keys) << entity_id;
    std::map<std::string, SourceRecord> now =
        MemberRecords(live.Get(entity_id));
    for (const auto& [key, record] : MemberRecords(profile)) {
      ASSERT_EQ(now.count(key), 1u) << key;
      EXPECT_TRUE(MessageDifferencer::Equals(record, now[key])) << key;
    }
    if (changed.count(entity_id) == 0) {
      EXPECT_TRUE(MessageDifferencer::Equals(profile, live.Get(entity_id)))
          << entity_id;
    }
  }
}

// A small store in `dir`/db, loaded with `c360 ingest`, and its backup in
// `dir`/backup.
void StoreWithBackup(const std::string& dir) {
  std::ofstream(dir + "/crm.jsonl")
      << "{\"sourceId\": \"1\", \"names\": [{\"full\": \"Mikko Virtanen\"}], "
         "\"emails\": [\"mikko.virtanen@example.fi\"]}\n"
         "{\"sourceId\": \"2\", \"emails\": [\"liisa@example.fi\"]}\n";
  CommandRun ingest = C360(absl::StrCat(
      "ingest --db ", dir, "/db --source crm ", dir, "/crm.jsonl"));
  ASSERT_EQ(ingest.exit_code, 0) << ingest.out;
  CommandRun backup =
      C360(absl::StrCat("backup --db ", dir, "/db --to ", dir, "/backup"));
  ASSERT_EQ(backup.exit_code, 0) << backup.out;
  EXPECT_THAT(backup.out,
              HasSubstr(absl::StrCat("\"path\":\"", dir, "/backup\"")));
  EXPECT_THAT(backup.out, HasSubstr("\"sequence\":\"2\""));
}

// A copy of `from` at `to` whose table files hold garbage.
void CorruptCopy(const std::string& from, const std::string& to) {
  fs::copy(from, to, fs::copy_options::recursive);
  for (const fs::directory_entry& entry : fs::directory_iterator(to)) {
    if (entry.path().extension() != ".sst") continue;
    std::string garbage(entry.file_size(), 'x');
    std::ofstream(entry.path(), std::ios::trunc) << garbage;
  }
}

// A copy of `from` at `to` stamped with another schema version.
void OtherVersionCopy(const std::string& from, const std::string& to) {
  fs::copy(from, to, fs::copy_options::recursive);
  auto store = OpenRocksDbStore({.path = to});
  ASSERT_TRUE(store.ok()) << store.status();
  WriteSet stamp;
  stamp.Put(Table::kMeta, EncodeKey({"schema_version"}), "99");
  ASSERT_TRUE((*store)->Commit(stamp).ok());
}

TEST(BackupE2ETest, HelpAndBadUsage) {
  for (const char* command : {"backup", "restore"}) {
    CommandRun help = C360(absl::StrCat(command, " --help"));
    EXPECT_EQ(help.exit_code, 0) << command;
    EXPECT_THAT(help.out, HasSubstr(absl::StrCat("usage: c360 ", command)));
    CommandRun bare = C360(command);
    EXPECT_EQ(bare.exit_code, 2) << command;
  }
  EXPECT_THAT(C360("backup").out, HasSubstr("give --to DIR"));
  EXPECT_THAT(C360("restore").out, HasSubstr("give --from BACKUP_DIR"));
}

TEST(BackupE2ETest, RestoreRefusesANonEmptyTargetAndBadBackups) {
  const std::string dir = NewTestDir("backup_refusals");
  StoreWithBackup(dir);
  const std::string target = dir + "/new/target";

  CommandRun again =
      C360(absl::StrCat("backup --db ", dir, "/db --to ", dir, "/backup"));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.out, HasSubstr("exists"));
  CommandRun occupied =
      C360(absl::StrCat("restore --from ", dir, "/backup --db ", dir, "/db"));
  EXPECT_EQ(occupied.exit_code, 1);
  EXPECT_THAT(occupied.out, HasSubstr("is not empty"));
  EXPECT_THAT(occupied.out, HasSubstr("--force"));
  CommandRun missing =
      C360(absl::StrCat("restore --from ", dir, "/nope --db ", target));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.out, HasSubstr("no backup at"));

  fs::create_directories(dir + "/empty");
  CorruptCopy(dir + "/backup", dir + "/corrupt");
  OtherVersionCopy(dir + "/backup", dir + "/version99");
  for (const auto& [bad, reason] :
       std::vector<std::pair<std::string, std::string>>{
           {"empty", "does not exist"},
           {"corrupt", "Corruption"},
           {"version99", "schema version '99'"}}) {
    CommandRun run =
        C360(absl::StrCat("restore --from ", dir, "/", bad, " --db ", target));
    EXPECT_EQ(run.exit_code, 1) << bad;
    EXPECT_THAT(run.out, HasSubstr(absl::StrCat("backup ", dir, "/", bad,
                                                " cannot be restored")));
    EXPECT_THAT(run.out, HasSubstr(reason)) << bad;
    EXPECT_FALSE(fs::exists(target)) << bad;
    EXPECT_FALSE(fs::exists(target + ".restoring")) << bad;
  }
}

TEST(BackupE2ETest, AServedStoreIsBackedUpThroughItsServerOnly) {
  const std::string dir = NewTestDir("backup_served");
  StoreWithBackup(dir);
  {
    ServerProcess server(C360_BINARY, dir + "/db");
    ASSERT_FALSE(server.address().empty());
    CommandRun local =
        C360(absl::StrCat("backup --db ", dir, "/db --to ", dir, "/b2"));
    EXPECT_EQ(local.exit_code, 1);
    EXPECT_THAT(local.out, HasSubstr("--server"));
    CommandRun served = C360(absl::StrCat("backup --server ", server.address(),
                                          " --to ", dir, "/b2"));
    EXPECT_EQ(served.exit_code, 0) << served.out;
    EXPECT_THAT(served.out, HasSubstr("\"sequence\":\"2\""));
    CommandRun in_use = C360(
        absl::StrCat("restore --force --from ", dir, "/b2 --db ", dir, "/db"));
    EXPECT_EQ(in_use.exit_code, 1);
    EXPECT_THAT(in_use.out, HasSubstr("in use"));
  }
  CommandRun forced = C360(
      absl::StrCat("restore --force --from ", dir, "/b2 --db ", dir, "/db"));
  EXPECT_EQ(forced.exit_code, 0) << forced.out;
  EXPECT_THAT(forced.out, HasSubstr("\"records\": 2, \"entities\": 2"));
  EXPECT_EQ(C360(absl::StrCat("check --db ", dir, "/db")).exit_code, 0);
}

}  // namespace
}  // namespace c360

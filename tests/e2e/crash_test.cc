// Crash safety: SIGKILL the real server 20 times at random moments of a
// streaming ingest of 100,000 generated records. The loader sends batches,
// each one UpsertStream call whose summary acknowledges it, and after every
// restart re-sends from the last acknowledged position. Checks:
// - after every kill the store passes `c360 check` and holds every
//   acknowledged record;
// - in the end every record is stored exactly once: all 100,000 are there,
//   and each one's changes form one run in the change feed (a record decided
//   twice would leave two);
// - the change feed has no gaps, and a consumer that followed it across the
//   crashes, resuming after the last change it saw, saw exactly the feed's
//   final content: no change it was sent was lost in a crash.
// The kill moments come from a seed printed at the start; set
// C360_CRASH_SEED to repeat a run.
#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "c360/service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/generator.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

constexpr int64_t kRecords = 100000;
constexpr int kKills = 20;
// Records per UpsertStream call, the unit of acknowledgement.
constexpr int64_t kBatch = 1000;

// The first kRecords records of generated people (47,000 people make about
// 102,000 records).
std::vector<SourceRecord> Sample() {
  std::vector<SourceRecord> records;
  GenerateRecords({.people = 47000, .seed = 11}, [&](const GeneratedRecord& g) {
    if (static_cast<int64_t>(records.size()) < kRecords) {
      records.push_back(g.record);
    }
  });
  return records;
}

uint64_t Seed() {
  const char* given = std::getenv("C360_CRASH_SEED");
  uint64_t seed = 0;
  if (given != nullptr && absl::SimpleAtoi(given, &seed)) return seed;
  return std::random_device()();
}

// One kill position per kKills-th of the records, so that kills hit the
// ingest into a small store as well as into a full one: the kill comes right
// after the loader has written the record at that position.
std::vector<int64_t> KillPositions(uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<int64_t> positions;
  const int64_t stretch = kRecords / kKills;
  for (int i = 0; i < kKills; ++i) {
    positions.push_back(i * stretch +
                        std::uniform_int_distribution<int64_t>(0, stretch - 1)(random));
  }
  return positions;
}

// Sends records[from, records.size()) in batches of kBatch, one UpsertStream
// call each. Calls `kill` right after the record at `kill_at` is written, and
// stops at the first batch that fails (as they do once the server is gone).
// Returns the position after the last acknowledged batch.
int64_t SendFrom(const std::string& address,
                 const std::vector<SourceRecord>& records, int64_t from,
                 int64_t kill_at, const std::function<void()>& kill) {
  auto stub = IngestService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  int64_t acked = from;
  while (acked < static_cast<int64_t>(records.size())) {
    const int64_t end =
        std::min<int64_t>(acked + kBatch, static_cast<int64_t>(records.size()));
    grpc::ClientContext context;
    UpsertSummary summary;
    auto writer = stub->UpsertStream(&context, &summary);
    UpsertRequest request;
    for (int64_t i = acked; i < end; ++i) {
      *request.mutable_record() = records[i];
      if (!writer->Write(request)) break;
      if (i == kill_at) kill();
    }
    writer->WritesDone();
    if (!writer->Finish().ok()) return acked;  // the batch is not acknowledged
    EXPECT_EQ(summary.received(), end - acked);
    EXPECT_EQ(summary.rejected(), 0) << summary.DebugString();
    acked = end;
  }
  return acked;
}

// Follows the change feed in a thread from the sequence after the last one
// in `seen`, appending every change until the server goes away or Stop().
// Checks that each change comes right after the one before.
class FeedConsumer {
 public:
  FeedConsumer(const std::string& address, std::vector<ChangeEvent>* seen)
      : stub_(ProfileService::NewStub(
            grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))),
        seen_(seen),
        thread_([this] { Follow(); }) {}
  ~FeedConsumer() { Stop(); }

  // Waits (up to 60 s) until `count` changes were seen.
  bool WaitFor(size_t count) {
    absl::MutexLock lock(&mutex_);
    wanted_ = count;
    return mutex_.AwaitWithTimeout(absl::Condition(this, &FeedConsumer::Seen),
                                   absl::Seconds(60));
  }

  void Stop() {
    context_.TryCancel();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void Follow() {
    WatchChangesRequest request;
    request.set_follow(true);
    {
      absl::MutexLock lock(&mutex_);
      request.set_from_sequence(seen_->size() + 1);
    }
    auto reader = stub_->WatchChanges(&context_, request);
    ChangeEvent event;
    while (reader->Read(&event)) {
      absl::MutexLock lock(&mutex_);
      EXPECT_EQ(event.sequence(), seen_->size() + 1) << "a gap or a repeat";
      seen_->push_back(event);
    }
    reader->Finish();  // cancelled, or the server was killed
  }

  bool Seen() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return seen_->size() >= wanted_;
  }

  std::unique_ptr<ProfileService::Stub> stub_;
  grpc::ClientContext context_;
  absl::Mutex mutex_;
  std::vector<ChangeEvent>* seen_ ABSL_PT_GUARDED_BY(mutex_);
  size_t wanted_ ABSL_GUARDED_BY(mutex_) = 0;
  std::thread thread_;
};

// The whole change feed as it is stored.
std::vector<ChangeEvent> ReadFeed(const std::string& address) {
  auto stub = ProfileService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  auto reader = stub->WatchChanges(&context, WatchChangesRequest());
  std::vector<ChangeEvent> events;
  ChangeEvent event;
  while (reader->Read(&event)) events.push_back(event);
  EXPECT_TRUE(reader->Finish().ok());
  return events;
}

// The number `c360 check` printed for `name`, or -1.
int64_t CensusValue(const std::string& out, const std::string& name) {
  const std::string label = absl::StrCat("\"", name, "\": ");
  const size_t at = out.find(label);
  int64_t value = -1;
  if (at == std::string::npos) return value;
  const size_t start = at + label.size();
  absl::SimpleAtoi(out.substr(start, out.find_first_of(",}", start) - start),
                   &value);
  return value;
}

bool KilledBySigkill(int status) {
  return status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

TEST(CrashTest, KilledServerLosesNoAcknowledgedRecordAndNoChange) {
  const uint64_t seed = Seed();
  std::printf("crash test seed %llu (C360_CRASH_SEED=%llu repeats it)\n",
              static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  const std::vector<int64_t> kill_positions = KillPositions(seed);
  const std::vector<SourceRecord> records = Sample();
  ASSERT_EQ(static_cast<int64_t>(records.size()), kRecords);
  const std::string db = NewTestDir("crash") + "/db";
  const absl::Time start = absl::Now();

  std::vector<ChangeEvent> seen;  // the feed as one consumer saw it
  int64_t acked = 0;
  for (int kill = 0; kill < kKills; ++kill) {
    ServerProcess server(C360_BINARY, db);
    ASSERT_FALSE(server.address().empty()) << "restart " << kill;
    FeedConsumer consumer(server.address(), &seen);
    int status = -1;
    acked = SendFrom(server.address(), records, acked, kill_positions[kill],
                     [&] { status = server.Stop(SIGKILL); });
    ASSERT_TRUE(KilledBySigkill(status))
        << "kill " << kill << " at record " << kill_positions[kill]
        << " did not happen during the ingest";
    consumer.Stop();
    CommandRun check = C360(absl::StrCat("check --db ", db));
    ASSERT_EQ(check.exit_code, 0) << "after kill " << kill << ": " << check.out;
    const int64_t stored = CensusValue(check.out, "records");
    EXPECT_GE(stored, acked) << "acknowledged records lost in kill " << kill;
    EXPECT_LE(stored, kill_positions[kill] + 1) << "kill " << kill;
    EXPECT_GE(CensusValue(check.out, "changes"), static_cast<int64_t>(seen.size()))
        << "changes sent to the consumer lost in kill " << kill;
  }
  const absl::Duration killing = absl::Now() - start;

  ServerProcess server(C360_BINARY, db);
  ASSERT_FALSE(server.address().empty());
  std::vector<ChangeEvent> feed;
  {
    FeedConsumer consumer(server.address(), &seen);
    ASSERT_EQ(SendFrom(server.address(), records, acked, -1, nullptr), kRecords);
    feed = ReadFeed(server.address());
    EXPECT_TRUE(consumer.WaitFor(feed.size()));
  }  // closes the consumer's channel, which a stopping server would wait for
  ASSERT_EQ(server.Terminate(), 0);
  CommandRun check = C360(absl::StrCat("check --db ", db));
  ASSERT_EQ(check.exit_code, 0) << check.out;
  EXPECT_EQ(CensusValue(check.out, "records"), kRecords);
  EXPECT_EQ(CensusValue(check.out, "changes"), static_cast<int64_t>(feed.size()));

  // The feed has no gaps, and it is what the consumer saw across the crashes.
  ASSERT_EQ(seen.size(), feed.size());
  for (size_t i = 0; i < feed.size(); ++i) {
    ASSERT_EQ(feed[i].sequence(), i + 1);
    ASSERT_EQ(seen[i].SerializeAsString(), feed[i].SerializeAsString())
        << "change " << i + 1 << " differs from what the consumer was sent";
  }
  // Every record was decided once: its changes form one run of the feed.
  absl::flat_hash_map<std::string, size_t> run_end;  // record -> after its run
  for (size_t i = 0; i < feed.size(); ++i) {
    const std::string key = absl::StrCat(feed[i].record().source(), "/",
                                         feed[i].record().source_id());
    auto [it, first] = run_end.try_emplace(key, i + 1);
    ASSERT_TRUE(first || it->second == i) << key << " was decided twice";
    it->second = i + 1;
  }
  EXPECT_EQ(static_cast<int64_t>(run_end.size()), kRecords);
  std::printf("%d kills and restarts: %s; all %lld records: %s\n", kKills,
              absl::FormatDuration(killing).c_str(),
              static_cast<long long>(kRecords),
              absl::FormatDuration(absl::Now() - start).c_str());
}

}  // namespace
}  // namespace c360

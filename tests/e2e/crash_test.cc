// Crash safety: SIGKILL the real server during streaming ingest, and the
// store it leaves behind passes `c360 check`; re-sending everything after a
// restart gives every record exactly once.
#include <sys/wait.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "c360/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/generator.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

constexpr int kKills = 6;

std::vector<SourceRecord> Sample() {
  std::vector<SourceRecord> records;
  GenerateRecords({.people = 6000, .seed = 11},
                  [&](const GeneratedRecord& g) { records.push_back(g.record); });
  return records;
}

// Streams every record; returns when done or when the server goes away.
UpsertSummary StreamAll(const std::string& address,
                        const std::vector<SourceRecord>& records) {
  auto stub = IngestService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  UpsertSummary summary;
  auto writer = stub->UpsertStream(&context, &summary);
  UpsertRequest request;
  for (const SourceRecord& r : records) {
    *request.mutable_record() = r;
    if (!writer->Write(request)) break;
  }
  writer->WritesDone();
  writer->Finish().ok();  // a killed server fails the call; that is the point
  return summary;
}

TEST(CrashTest, KilledServerLeavesAConsistentStoreAndResendCompletesIt) {
  const std::string db = NewTestDir("crash") + "/db";
  const std::vector<SourceRecord> records = Sample();
  std::mt19937 random(5);
  for (int kill = 0; kill < kKills; ++kill) {
    ServerProcess server(C360_BINARY, db);
    ASSERT_FALSE(server.address().empty());
    std::thread client([&] { StreamAll(server.address(), records); });
    absl::SleepFor(absl::Milliseconds(100 + random() % 600));
    server.Stop(SIGKILL);
    client.join();
    CommandRun check = C360(absl::StrCat("check --db ", db));
    ASSERT_EQ(check.exit_code, 0) << "after kill " << kill << ": " << check.out;
  }
  ServerProcess server(C360_BINARY, db);
  ASSERT_FALSE(server.address().empty());
  UpsertSummary summary = StreamAll(server.address(), records);
  EXPECT_EQ(summary.received(), static_cast<int64_t>(records.size()));
  EXPECT_EQ(summary.rejected(), 0);
  ASSERT_EQ(server.Terminate(), 0);
  CommandRun check = C360(absl::StrCat("check --db ", db));
  ASSERT_EQ(check.exit_code, 0) << check.out;
  EXPECT_THAT(check.out, HasSubstr(absl::StrCat("\"records\": ", records.size(), ",")));
}

}  // namespace
}  // namespace c360

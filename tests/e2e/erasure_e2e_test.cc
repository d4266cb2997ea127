// The right to be forgotten as an operator uses it: `c360 erase` through a
// running server and on a stopped store, the change feed announcing it, and
// a re-ingest of the erased person refused until consent is renewed.
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kAnna[] =
    "{\"sourceId\": \"1\", \"names\": [{\"given\": \"Anna\", \"family\": "
    "\"Korhonen\"}], \"emails\": [\"anna.korhonen@example.fi\"], \"phones\": "
    "[\"+358 40 765 4321\"]}\n";
constexpr char kPiotr[] =
    "{\"sourceId\": \"2\", \"names\": [{\"given\": \"Piotr\", \"family\": "
    "\"Nowak\"}], \"emails\": [\"piotr.nowak@wp.pl\"]}\n";

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(ErasureE2ETest, EraseThroughTheServerAndOnAStoppedStore) {
  const std::string dir = NewTestDir("erasure_e2e");
  const std::string db = dir + "/db";
  Write(dir + "/crm.jsonl", absl::StrCat(kAnna, kPiotr));
  ASSERT_EQ(C360(absl::StrCat("ingest --db ", db, " --source crm ", dir,
                              "/crm.jsonl")).exit_code, 0);
  {
    ServerProcess server(C360_BINARY, db);
    ASSERT_FALSE(server.address().empty());
    const std::string at = absl::StrCat(" --server ", server.address());
    CommandRun erased = C360(absl::StrCat(
        "erase --record crm:1 --reason request-17", at));
    ASSERT_EQ(erased.exit_code, 0) << erased.out;
    EXPECT_THAT(erased.out, HasSubstr("\"entity_erased\":true"));
    CommandRun feed = C360(absl::StrCat("watch", at));
    EXPECT_THAT(feed.out, HasSubstr("ENTITY_ERASED")) << feed.out;
    CommandRun profile = C360(absl::StrCat("profile --source crm --id 1", at));
    EXPECT_EQ(profile.exit_code, 1) << profile.out;
    // The same person again: refused, and the reason names the suppression.
    Write(dir + "/again.jsonl", kAnna);
    CommandRun again = C360(absl::StrCat("ingest --source crm ", dir,
                                         "/again.jsonl", at));
    EXPECT_EQ(again.exit_code, 3) << again.out;
    EXPECT_THAT(ReadLines(dir + "/again.jsonl.rejects.jsonl").front(),
                HasSubstr("erased person"));
    CommandRun unknown = C360(absl::StrCat("erase --record crm:404", at));
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_THAT(unknown.out, HasSubstr("crm/404"));
    EXPECT_EQ(server.Terminate(), 0);
  }
  CommandRun local = C360(absl::StrCat("erase --db ", db, " --record crm:2"));
  ASSERT_EQ(local.exit_code, 0) << local.out;
  CommandRun check = C360(absl::StrCat("check --db ", db));
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_THAT(check.out, HasSubstr("\"records\": 0"));
  // A record and an entity at once is a usage error.
  CommandRun usage = C360("erase --record crm:1 --entity E0000000001");
  EXPECT_EQ(usage.exit_code, 2);
}

}  // namespace
}  // namespace c360

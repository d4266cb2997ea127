// `c360 bulk-load` as a user runs it: exit codes, rejects files, a store
// that `c360 check` accepts and `c360 ingest` continues.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/command_run.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

TEST(BulkCliTest, HelpAndBadUsage) {
  CommandRun help = C360("bulk-load --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("usage: c360 bulk-load"));
  EXPECT_EQ(C360("bulk-load").exit_code, 2);
  CommandRun bad = C360("bulk-load crm.jsonl");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.out, HasSubstr("SOURCE:MAPPING:FILE"));
}

TEST(BulkCliTest, GeneratedSourcesLoadCheckAndContinueIncrementally) {
  std::string dir = NewTestDir("bulk_cli_gen");
  CommandRun gen = C360(absl::StrCat("gen --people 200 --seed 3 --out ", dir, "/data"));
  ASSERT_EQ(gen.exit_code, 0) << gen.out;
  std::string inputs;
  for (const auto& [source, layout] :
       std::vector<std::pair<std::string, std::string>>{
           {"crm", "crm_contacts"}, {"erp", "erp_customers"},
           {"webshop", "webshop_accounts"}, {"social", "social_handles"}}) {
    absl::StrAppend(&inputs, " ", source, ":", C360_SOURCE_DIR, "/data/mappings/",
                    layout, ".map:", dir, "/data/", layout, ".csv");
  }
  const std::string db = absl::StrCat(dir, "/db");
  CommandRun load = C360(absl::StrCat("bulk-load --db ", db, inputs));
  ASSERT_EQ(load.exit_code, 0) << load.out;
  EXPECT_THAT(load.out, HasSubstr("\"rejected\": 0"));
  EXPECT_THAT(load.out, HasSubstr("\"records_per_s\": "));
  CommandRun check = C360(absl::StrCat("check --db ", db));
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_THAT(check.out, HasSubstr("\"ok\": true"));
  CommandRun eval = C360(absl::StrCat("eval --db ", db, " --truth ", dir, "/data/truth.csv"));
  EXPECT_EQ(eval.exit_code, 0) << eval.out;

  // A second bulk load is refused; incremental ingest adds to the store.
  CommandRun again = C360(absl::StrCat("bulk-load --db ", db, inputs));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.out, HasSubstr("incremental ingest"));
  std::ofstream(dir + "/more.jsonl")
      << "{\"sourceId\": \"x1\", \"emails\": [\"someone.new@example.fi\"]}\n";
  CommandRun ingest = C360(absl::StrCat("ingest --db ", db, " --source crm ", dir, "/more.jsonl"));
  EXPECT_EQ(ingest.exit_code, 0) << ingest.out;
  EXPECT_THAT(ingest.out, HasSubstr("\"created\":\"1\""));
  EXPECT_EQ(C360(absl::StrCat("check --db ", db)).exit_code, 0);
}

TEST(BulkCliTest, BadRowsGoToEachFilesRejectsWithLineAndReason) {
  std::string dir = NewTestDir("bulk_cli_rejects");
  std::ofstream(dir + "/crm.jsonl")
      << "{\"sourceId\": \"1\", \"names\": [{\"given\": \"Mikko\", \"family\": \"Virtanen\"}]}\n"
         "{not json\n"
         "{\"sourceId\": \"2\", \"emails\": [\"not-an-email\"]}\n";
  std::ofstream(dir + "/shop.jsonl")
      << "{\"sourceId\": \"u1\", \"emails\": [\"liisa@example.fi\"]}\n";
  CommandRun load = C360(absl::StrCat("bulk-load --db ", dir, "/db crm::", dir,
                                      "/crm.jsonl webshop::", dir, "/shop.jsonl"));
  EXPECT_EQ(load.exit_code, 3) << load.out;
  EXPECT_THAT(load.out, HasSubstr("\"rows\": 4, \"records\": 2, \"rejected\": 2"));
  std::vector<std::string> rejects = ReadLines(dir + "/crm.jsonl.rejects.jsonl");
  ASSERT_THAT(rejects, SizeIs(2));
  EXPECT_THAT(rejects[0], HasSubstr("\"line\":2"));
  EXPECT_THAT(rejects[1], HasSubstr("\"line\":3"));
  EXPECT_THAT(rejects[1], HasSubstr("emails[0]"));
  EXPECT_THAT(ReadLines(dir + "/shop.jsonl.rejects.jsonl"), SizeIs(0));
  EXPECT_EQ(C360(absl::StrCat("check --db ", dir, "/db")).exit_code, 0);
  CommandRun missing = C360(absl::StrCat("bulk-load --db ", dir, "/db2 crm::", dir, "/nope.jsonl"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.out, HasSubstr("cannot read"));
}

}  // namespace
}  // namespace c360

// The c360 command line as a user runs it: exit codes, JSON output, rejects
// files, --help on every command.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
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

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(CliTest, EveryCommandHasHelp) {
  for (const char* command :
       {"gen", "ingest", "serve", "profile", "find", "hot-keys", "eval", "check", "watch",
        "train-matcher", "match-report", "explain", "eval-bulk"}) {
    CommandRun run = C360(absl::StrCat(command, " --help"));
    EXPECT_EQ(run.exit_code, 0) << command;
    EXPECT_THAT(run.out, HasSubstr("usage: c360 ")) << command;
  }
  EXPECT_EQ(C360("--help").exit_code, 0);
  EXPECT_EQ(C360("no-such-command").exit_code, 2);
}

TEST(CliTest, BadUsageSaysWhat) {
  CommandRun run = C360("gen --peeple 5");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.out, HasSubstr("unknown option --peeple"));
  run = C360("gen --people many");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.out, HasSubstr("--people must be an integer"));
}

TEST(CliTest, IngestRejectsBadRowsWithLineAndReasonAndKeepsTheRest) {
  std::string dir = NewTestDir("cli_ingest");
  std::string file = dir + "/crm.jsonl";
  Write(file,
        "{\"sourceId\": \"1\", \"names\": [{\"given\": \"Mikko\", \"family\": \"Virtanen\"}]}\n"
        "{\"sourceId\": \"2\", \"emails\": [\"not-an-email\"]}\n"
        "{not json\n"
        "{\"names\": [{\"full\": \"No Id\"}]}\n"
        "{\"sourceId\": \"3\", \"emails\": [\"liisa@example.fi\"]}\n");
  std::string ingest =
      absl::StrCat("ingest --db ", dir, "/db --source crm ", file);
  CommandRun first = C360(ingest);
  EXPECT_EQ(first.exit_code, 3) << first.out;
  EXPECT_THAT(first.out, HasSubstr("\"rows\": 5, \"rejected\": 3"));
  EXPECT_THAT(first.out, HasSubstr("\"created\":\"2\""));
  std::vector<std::string> rejects = ReadLines(file + ".rejects.jsonl");
  ASSERT_THAT(rejects, SizeIs(3));
  EXPECT_THAT(rejects[0], HasSubstr("\"line\":2"));
  EXPECT_THAT(rejects[0], HasSubstr("emails[0]"));
  EXPECT_THAT(rejects[1], HasSubstr("\"line\":3"));
  EXPECT_THAT(rejects[2], HasSubstr("\"line\":4"));
  EXPECT_THAT(rejects[2], HasSubstr("source_id"));

  CommandRun again = C360(ingest);
  EXPECT_EQ(again.exit_code, 3);
  EXPECT_THAT(again.out, HasSubstr("\"unchanged\":\"2\""));
  EXPECT_THAT(again.out, ::testing::Not(HasSubstr("\"created\"")));
}

TEST(CliTest, GeneratedSourcesLoadWithTheirMappingsAndEvaluate) {
  std::string dir = NewTestDir("cli_gen");
  CommandRun gen = C360(absl::StrCat("gen --people 200 --seed 3 --out ", dir, "/data"));
  ASSERT_EQ(gen.exit_code, 0) << gen.out;
  const std::vector<std::pair<std::string, std::string>> sources = {
      {"crm", "crm_contacts"}, {"erp", "erp_customers"},
      {"webshop", "webshop_accounts"}, {"social", "social_handles"}};
  for (const auto& [source, layout] : sources) {
    CommandRun run = C360(absl::StrCat("ingest --db ", dir, "/db --source ", source,
                                " --mapping ", C360_SOURCE_DIR, "/data/mappings/",
                                layout, ".map ", dir, "/data/", layout, ".csv"));
    EXPECT_EQ(run.exit_code, 0) << run.out;
    EXPECT_THAT(run.out, HasSubstr("\"rejected\": 0"));
  }
  CommandRun eval = C360(absl::StrCat("eval --db ", dir, "/db --truth ", dir, "/data/truth.csv"));
  ASSERT_EQ(eval.exit_code, 0) << eval.out;
  EXPECT_THAT(eval.out, HasSubstr("\"pairwise\": {\"precision\": "));
  CommandRun check = C360(absl::StrCat("check --db ", dir, "/db"));
  EXPECT_EQ(check.exit_code, 0) << check.out;
  EXPECT_THAT(check.out, HasSubstr("\"ok\": true"));
  CommandRun hot = C360(absl::StrCat("hot-keys --db ", dir, "/db --max-postings 2"));
  EXPECT_EQ(hot.exit_code, 0);
  EXPECT_THAT(hot.out, HasSubstr("\"key\": \""));
}

// The number after `"key": ` in `json` (the first one), or -1.
double JsonNumber(const std::string& json, const std::string& key) {
  const std::string tag = absl::StrCat("\"", key, "\": ");
  const size_t at = json.find(tag);
  if (at == std::string::npos) return -1;
  return std::strtod(json.c_str() + at + tag.size(), nullptr);
}

TEST(CliTest, FebrlTrainsAModelThatLinksAtItsOwnThreshold) {
  CommandRun run = C360(absl::StrCat("eval-bulk ", C360_SOURCE_DIR,
                                     "/../shared/data/febrl/dataset1.csv"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(JsonNumber(run.out, "precision"), 1.0) << run.out;
  EXPECT_GE(JsonNumber(run.out, "recall"), 0.995) << run.out;
}

// Households, namesakes and colleagues share surnames, addresses, landlines
// and mailboxes. Trained in sessions that leave those fields out where they
// mislead, the model keeps them apart at the shipped threshold.
TEST(CliTest, GeneratedLookAlikesStayApart) {
  CommandRun run = C360("eval-bulk --generated 2000 --seed 42");
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_GE(JsonNumber(run.out, "precision"), 0.99) << run.out;
  EXPECT_GE(JsonNumber(run.out, "recall"), 0.6) << run.out;
  EXPECT_THAT(run.out, HasSubstr("\"session\": \"shared_contact_or_address\""));
}

TEST(CliTest, ThresholdsOutOfOrderAreRefused) {
  CommandRun run = C360(absl::StrCat(
      "eval-bulk --link-probability 0.4 --review-probability 0.6 ",
      C360_SOURCE_DIR, "/../shared/data/febrl/dataset1.csv"));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_THAT(run.out, HasSubstr("0 < review <= link < 1"));
}

TEST(CliTest, MissingInputsFailClearly) {
  std::string dir = NewTestDir("cli_missing");
  CommandRun run = C360(absl::StrCat("ingest --db ", dir, "/db --source crm ", dir, "/nope.jsonl"));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("cannot read"));
  run = C360(absl::StrCat("ingest --db ", dir, "/db --source crm ", dir, "/x.csv"));
  EXPECT_NE(run.exit_code, 0);
  run = C360("profile --server 127.0.0.1:1 E0000000001");
  EXPECT_EQ(run.exit_code, 1);
}

}  // namespace
}  // namespace c360

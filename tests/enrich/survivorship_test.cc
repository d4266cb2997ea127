#include "enrich/survivorship.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "store/rocksdb_store.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using google::protobuf::util::MessageDifferencer;
using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

SurvivorshipCandidate Of(const std::string& value, const std::string& source,
                         int day, int completeness = 1) {
  SurvivorshipCandidate c;
  c.value = value;
  c.group_key = value;
  c.origin.mutable_record()->set_source(source);
  c.origin.mutable_record()->set_source_id(value);
  *c.origin.mutable_observed_at() = TimeUtil::SecondsToTimestamp(day * 86400);
  c.completeness = completeness;
  return c;
}

SurvivorshipCandidate FromProvider(const std::string& value,
                                   const std::string& provider, int day) {
  SurvivorshipCandidate c = Of(value, provider, day);
  c.origin.set_provider(provider);
  c.origin.set_delivery_id("D" + std::to_string(day));
  return c;
}

AttributeRule RuleOf(std::vector<SurvivorshipStrategy> order,
                     ProviderUse use = PROVIDER_NEVER,
                     std::vector<std::string> priority = {}) {
  AttributeRule rule;
  rule.set_attribute("name");
  for (SurvivorshipStrategy s : order) rule.add_order(s);
  for (const std::string& source : priority) rule.add_source_priority(source);
  rule.set_provider_use(use);
  return rule;
}

// The ranked values as "value (decided_by)".
std::vector<std::string> Outcome(const std::vector<SurvivorshipCandidate>& c,
                                 const std::vector<RankedValue>& ranked) {
  std::vector<std::string> out;
  for (const RankedValue& r : ranked) {
    out.push_back(c[r.representative].value + " (" + r.decided_by + ")");
  }
  return out;
}

std::vector<std::string> Ranked(const AttributeRule& rule,
                                const std::vector<SurvivorshipCandidate>& c) {
  return Outcome(c, RankCandidates(rule, c).ranked);
}

TEST(RankCandidatesTest, MostRecentWins) {
  EXPECT_THAT(
      Ranked(RuleOf({MOST_RECENT}),
             {Of("old", "crm", 1), Of("new", "erp", 3), Of("mid", "crm", 2)}),
      ::testing::ElementsAre("new (most_recent)", "mid (most_recent)",
                             "old (most_recent)"));
}

TEST(RankCandidatesTest, MostFrequentCountsGroupsAndRecencyBreaksTies) {
  std::vector<SurvivorshipCandidate> c = {Of("a", "crm", 1), Of("a", "erp", 2),
                                          Of("a", "webshop", 3),
                                          Of("b", "crm", 9), Of("c", "erp", 5)};
  Ranking ranking = RankCandidates(RuleOf({MOST_FREQUENT, MOST_RECENT}), c);
  EXPECT_THAT(
      Outcome(c, ranking.ranked),
      ::testing::ElementsAre("a (most_frequent: 3 vs 1)",
                             "b (most_frequent: 3 vs 1)", "c (most_recent)"));
  EXPECT_EQ(ranking.ranked[0].provenance.support(), 3);
  EXPECT_EQ(ranking.ranked[0].provenance.rule(), "most_frequent");
  // The group speaks through its most recent member.
  EXPECT_EQ(ranking.ranked[0].provenance.record().source(), "webshop");
}

TEST(RankCandidatesTest, SourcePriorityBeatsRecencyAndUnlistedComeLast) {
  AttributeRule rule =
      RuleOf({SOURCE_PRIORITY, MOST_RECENT}, PROVIDER_NEVER, {"crm", "erp"});
  EXPECT_THAT(
      Ranked(rule, {Of("shop", "webshop", 9), Of("erp", "erp", 5),
                    Of("crm", "crm", 1), Of("social", "social", 8)}),
      ::testing::ElementsAre("crm (source_priority: crm before erp)",
                             "erp (source_priority: crm before erp)",
                             "shop (source_priority: erp before webshop)",
                             "social (most_recent)"));
}

TEST(RankCandidatesTest, MostCompleteThenMostRecent) {
  EXPECT_THAT(Ranked(RuleOf({MOST_COMPLETE, MOST_RECENT}),
                     {Of("1975", "crm", 9, 1), Of("1975-04-12", "erp", 1, 3),
                      Of("1975-04", "crm", 5, 2)}),
              ::testing::ElementsAre("1975-04-12 (most_complete)",
                                     "1975-04 (most_complete)",
                                     "1975 (most_complete)"));
}

TEST(RankCandidatesTest, OnlyCandidateAndEmptyKeysIgnored) {
  SurvivorshipCandidate keyless = Of("x", "crm", 9);
  keyless.group_key.clear();
  Ranking ranking =
      RankCandidates(RuleOf({MOST_RECENT}), {Of("a", "crm", 1), keyless});
  ASSERT_EQ(ranking.ranked.size(), 1u);
  EXPECT_EQ(ranking.ranked[0].decided_by, "only candidate");
  EXPECT_EQ(ranking.ranked[0].provenance.support(), 1);
}

TEST(RankCandidatesTest, ValueBreaksFullTiesWhateverTheInputOrder) {
  std::vector<SurvivorshipCandidate> c = {Of("b", "crm", 1), Of("a", "erp", 1)};
  std::vector<std::string> forward = Ranked(RuleOf({MOST_RECENT}), c);
  std::reverse(c.begin(), c.end());
  EXPECT_EQ(Ranked(RuleOf({MOST_RECENT}), c), forward);
  EXPECT_THAT(forward,
              ::testing::ElementsAre("a (value order)", "b (value order)"));
}

TEST(RankCandidatesTest, ProviderNeverLeavesProviderValuesOut) {
  std::vector<SurvivorshipCandidate> c = {Of("rec", "crm", 1),
                                          FromProvider("bought", "dnb", 9)};
  Ranking ranking = RankCandidates(RuleOf({MOST_RECENT}, PROVIDER_NEVER), c);
  EXPECT_THAT(Outcome(c, ranking.ranked),
              ::testing::ElementsAre("rec (only candidate)"));
  EXPECT_THAT(Outcome(c, ranking.left_out),
              ::testing::ElementsAre("bought (provider_never)"));
}

TEST(RankCandidatesTest, ProviderFillOnlyWithoutRecordValues) {
  AttributeRule rule = RuleOf({MOST_RECENT}, PROVIDER_FILL);
  std::vector<SurvivorshipCandidate> both = {Of("rec", "crm", 1),
                                             FromProvider("bought", "dnb", 9)};
  Ranking with_record = RankCandidates(rule, both);
  EXPECT_THAT(Outcome(both, with_record.ranked),
              ::testing::ElementsAre("rec (only candidate)"));
  EXPECT_THAT(
      Outcome(both, with_record.left_out),
      ::testing::ElementsAre("bought (provider_fill: a record has a value)"));

  std::vector<SurvivorshipCandidate> bought = {
      FromProvider("bought", "dnb", 9)};
  Ranking filled = RankCandidates(rule, bought);
  ASSERT_EQ(filled.ranked.size(), 1u);
  EXPECT_EQ(filled.ranked[0].decided_by,
            "provider_fill: no record has a value");
  EXPECT_EQ(filled.ranked[0].provenance.rule(), "provider_fill");
  EXPECT_EQ(filled.ranked[0].provenance.provider(), "dnb");
  EXPECT_EQ(filled.ranked[0].provenance.delivery_id(), "D9");
}

TEST(RankCandidatesTest, ProviderOverrideWinsOverNewerRecords) {
  EXPECT_THAT(Ranked(RuleOf({MOST_RECENT}, PROVIDER_OVERRIDE),
                     {Of("rec", "crm", 9), FromProvider("bought", "dnb", 1)}),
              ::testing::ElementsAre("bought (provider_override)",
                                     "rec (provider_override)"));
}

TEST(RankCandidatesTest, ProviderCompeteRanksProvidersAsSources) {
  AttributeRule rule = RuleOf({SOURCE_PRIORITY, MOST_RECENT}, PROVIDER_COMPETE,
                              {"provider:dnb", "crm"});
  EXPECT_THAT(Ranked(rule, {Of("rec", "crm", 9), FromProvider("old", "dnb", 1),
                            FromProvider("new", "acme", 5)}),
              ::testing::ElementsAre(
                  "old (source_priority: provider:dnb before crm)",
                  "rec (source_priority: provider:dnb before crm)",
                  "new (source_priority: crm before provider:acme)"));
  EXPECT_THAT(
      Ranked(RuleOf({MOST_RECENT}, PROVIDER_COMPETE),
             {FromProvider("old", "dnb", 1), FromProvider("new", "dnb", 5)}),
      ::testing::ElementsAre("new (most_recent)", "old (most_recent)"));
}

TEST(SurvivorshipRulesTest, RuleForFallsBackToWildcardThenDefaults) {
  absl::StatusOr<SurvivorshipRules> rules =
      ParseSurvivorshipRules(R"({"rules": [
      {"attribute": "enrichment.*", "order": ["MOST_FREQUENT"]},
      {"attribute": "enrichment.age_band", "order": ["MOST_COMPLETE"]}]})");
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(RuleFor(*rules, "enrichment.age_band").order(0), MOST_COMPLETE);
  EXPECT_EQ(RuleFor(*rules, "enrichment.industry_code").order(0),
            MOST_FREQUENT);
  // Left out: the default rule.
  EXPECT_EQ(RuleFor(*rules, "birth_date").order(0), MOST_FREQUENT);
  EXPECT_EQ(RuleFor(*rules, "consent.marketing").attribute(), "consent.*");
  // A rule without provider_use gets the default's.
  EXPECT_EQ(RuleFor(*rules, "enrichment.age_band").provider_use(),
            PROVIDER_COMPETE);
  EXPECT_EQ(RuleFor(DefaultSurvivorshipRules(), "business_id").provider_use(),
            PROVIDER_NEVER);
}

TEST(SurvivorshipRulesTest, DefaultsRoundTripThroughJson) {
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(
                  DefaultSurvivorshipRules(), &json)
                  .ok());
  absl::StatusOr<SurvivorshipRules> parsed = ParseSurvivorshipRules(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*parsed, DefaultSurvivorshipRules()));
}

TEST(SurvivorshipRulesTest, ExampleFileIsTheDefaultsWithSourcePriorityForName) {
  std::ifstream in(std::string(C360_SOURCE_DIR) + "/data/survivorship.json");
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<SurvivorshipRules> parsed = ParseSurvivorshipRules(text.str());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  AttributeRule name = RuleFor(*parsed, "name");
  EXPECT_EQ(name.order(0), SOURCE_PRIORITY);
  EXPECT_THAT(name.source_priority(),
              ::testing::ElementsAre("crm", "erp", "webshop", "social"));
  const SurvivorshipRules defaults = DefaultSurvivorshipRules();
  for (const AttributeRule& rule : defaults.rules()) {
    if (rule.attribute() == "name") continue;
    EXPECT_TRUE(
        MessageDifferencer::Equals(RuleFor(*parsed, rule.attribute()), rule))
        << rule.attribute();
  }
}

struct BadRules {
  const char* json;
  const char* error;
};

// Test names show the expected error, not the struct's bytes.
void PrintTo(const BadRules& bad, std::ostream* out) { *out << bad.error; }

class ParseErrorTest : public ::testing::TestWithParam<BadRules> {};

TEST_P(ParseErrorTest, IsInvalidArgumentNamingTheRule) {
  absl::StatusOr<SurvivorshipRules> parsed =
      ParseSurvivorshipRules(GetParam().json);
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(parsed.status()));
  EXPECT_THAT(std::string(parsed.status().message()),
              HasSubstr(GetParam().error));
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, ParseErrorTest,
    ::testing::Values(
        BadRules{
            R"({"rules": [{"attribute": "nickname", "order": ["MOST_RECENT"]}]})",
            "survivorship rule 1 (\"nickname\"): unknown attribute"},
        BadRules{R"({"rules": [{"attribute": "name", "order": ["MOST_RECENT"]},
                               {"attribute": "name", "order": ["MOST_FREQUENT"]}]})",
                 "survivorship rule 2 (\"name\"): duplicate attribute, rule 1 "
                 "has it"},
        BadRules{R"({"rules": [{"attribute": "email", "order": []}]})",
                 "survivorship rule 1 (\"email\"): order is empty"},
        BadRules{
            R"({"rules": [{"attribute": "name", "order": ["SOURCE_PRIORITY"]}]})",
            "rule 1 (\"name\"): SOURCE_PRIORITY needs a source_priority list"},
        BadRules{R"({"rules": [{"attribute": "name", "order": ["MOST_RECENT"]},
                               {"attribute": "email", "order": ["NEWEST"]}]})",
                 "survivorship rule 2 (\"email\"): "},
        BadRules{R"({"rules": [{"attribute": "phone", "order": ["MOST_RECENT"],
                                "provider_use": "SOMETIMES"}]})",
                 "survivorship rule 1 (\"phone\"): "},
        BadRules{
            R"({"rules": [{"attribute": "phone", "ordr": ["MOST_RECENT"]}]})",
            "survivorship rule 1 (\"phone\"): "},
        BadRules{R"({"rule": []})", "unknown field \"rule\""},
        BadRules{R"({"rules": [)", "not a JSON object"}));

TEST(ActiveRulesTest, DefaultUntilStoredThenTheStoredRules) {
  absl::StatusOr<std::unique_ptr<KvStore>> store =
      OpenRocksDbStore({.path = NewTestDir("survivorship")});
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<SurvivorshipRules> active = ActiveRules(**store);
  ASSERT_TRUE(active.ok()) << active.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*active, DefaultSurvivorshipRules()));

  absl::StatusOr<SurvivorshipRules> mine = ParseSurvivorshipRules(
      R"({"rules": [{"attribute": "name", "order": ["MOST_FREQUENT"]}]})");
  ASSERT_TRUE(mine.ok());
  WriteSet writes;
  PutActiveRules(*mine, &writes);
  ASSERT_TRUE((*store)->Commit(writes).ok());
  active = ActiveRules(**store);
  ASSERT_TRUE(active.ok()) << active.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*active, *mine));
}

}  // namespace
}  // namespace c360

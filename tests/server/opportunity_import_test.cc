#include "server/opportunity_import.h"

#include <fstream>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ml/opportunity_store.h"
#include "store/rocksdb_store.h"
#include "tests/ml/maven_data.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string WriteFile(const std::string& name, const std::string& text) {
  std::string path = NewTestDir("opportunity_import") + "/" + name;
  std::ofstream(path) << text;
  return path;
}

int CountIf(const std::vector<Opportunity>& opps,
            bool (*pred)(const Opportunity&)) {
  return std::count_if(opps.begin(), opps.end(), pred);
}

TEST(MavenImportTest, ImportsEveryPipelineRow) {
  absl::StatusOr<OpportunityImport> imported = ImportMavenCrm(MavenFolder());
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_TRUE(imported->rejected.empty()) << imported->rejected[0].reason;
  const std::vector<Opportunity>& opps = imported->opportunities;
  EXPECT_EQ(opps.size(), 8800u);
  EXPECT_EQ(CountIf(opps, [](auto& o) { return o.outcome() == OUTCOME_WON; }),
            4238);
  EXPECT_EQ(CountIf(opps, [](auto& o) { return o.outcome() == OUTCOME_LOST; }),
            2473);
  EXPECT_EQ(CountIf(opps, [](auto& o) { return o.customer_id().empty(); }),
            1425);
}

TEST(MavenImportTest, JoinsGtxProAndUsesListPrice) {
  const std::vector<Opportunity>& opps = MavenOpportunities();
  EXPECT_EQ(CountIf(opps, [](auto& o) { return o.series().empty(); }), 0);
  EXPECT_EQ(CountIf(opps, [](auto& o) { return o.product() == "GTXPro"; }), 0);
  EXPECT_GT(CountIf(opps, [](auto& o) { return o.product() == "GTX Pro"; }), 0);
  const Opportunity& first = opps[0];  // 1C1I7A6R, GTX Plus Basic, Won 1054
  EXPECT_EQ(first.opportunity_id(), "1C1I7A6R");
  EXPECT_EQ(first.price(), 1096);
  EXPECT_EQ(first.close_value(), 1054);
  EXPECT_EQ(first.manager(), "Dustin Brinkmann");
  EXPECT_EQ(first.account().sector(), "retail");
  for (const Opportunity& opp : opps) {
    ASSERT_GT(opp.price(), 0) << opp.opportunity_id();
  }
}

TEST(MavenImportTest, MissingFolderIsNotFound) {
  EXPECT_TRUE(absl::IsNotFound(ImportMavenCrm("/nonexistent").status()));
}

TEST(OpportunityCsvTest, RejectsBadRowsWithLineAndReason) {
  std::string path =
      WriteFile("opps.csv",
                "opportunity_id,account,product,price,sales_agent,created_at,"
                "close_date,deal_stage\n"
                "A1,Acme,\"Widget, large\",100,Ann,2017-01-02,2017-02-01,Won\n"
                "A2,Acme,Widget,-5,Ann,2017-01-02,,Engaging\n"
                "A3,Acme,Widget,10,Ann,2017-13-02,,Engaging\n"
                "A4,Acme,Widget,10,Ann,2017-01-02,,Lost\n"
                "A1,Acme,Widget,10,Ann,2017-01-02,,Engaging\n"
                "A6,Acme,Widget,10,Ann\n"
                "A7,\"Multi\nline\",Widget,10,Ann,2017-01-02,,Engaging\n"
                "A8,Acme,Widget,10,Ann,2017-01-02,2016-01-01,Lost\n");
  absl::StatusOr<OpportunityImport> imported =
      ImportOpportunityCsv(path, OpportunityCsvMapping());
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->opportunities.size(), 2u);
  EXPECT_EQ(imported->opportunities[0].product(), "Widget, large");
  EXPECT_EQ(imported->opportunities[1].customer_id(), "Multi\nline");
  std::vector<std::pair<int64_t, std::string>> rejected;
  for (const RejectedRow& row : imported->rejected) {
    rejected.emplace_back(row.line, row.reason);
  }
  EXPECT_THAT(rejected,
              ElementsAre(std::make_pair(3, "price -5 is not positive"),
                          std::make_pair(4,
                                         "bad created date '2017-13-02' "
                                         "(want YYYY-MM-DD)"),
                          std::make_pair(5, "closed deal without a close date"),
                          std::make_pair(6, "duplicate opportunity id 'A1'"),
                          std::make_pair(7, "5 cells, header has 8"),
                          std::make_pair(10, "closed before it was created")));
}

TEST(OpportunityCsvTest, MissingOutcomeColumnIsAnError) {
  std::string path =
      WriteFile("no_outcome.csv", "opportunity_id,price\nA1,10\n");
  OpportunityCsvMapping mapping;
  mapping.customer = mapping.product = mapping.owner = "";
  mapping.created_at = mapping.closed_at = "";
  absl::StatusOr<OpportunityImport> imported =
      ImportOpportunityCsv(path, mapping);
  EXPECT_TRUE(absl::IsInvalidArgument(imported.status()));
  EXPECT_THAT(imported.status().message(), HasSubstr("outcome column"));
  mapping.require_outcome = false;
  mapping.outcome = "";
  imported = ImportOpportunityCsv(path, mapping);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->opportunities[0].outcome(), OUTCOME_OPEN);
}

TEST(OpportunityCsvTest, UnknownMappedColumnIsAnError) {
  std::string path = WriteFile("x.csv", "opportunity_id,deal_stage\nA1,Won\n");
  absl::StatusOr<OpportunityImport> imported =
      ImportOpportunityCsv(path, OpportunityCsvMapping());
  EXPECT_TRUE(absl::IsInvalidArgument(imported.status()));
  EXPECT_THAT(imported.status().message(), HasSubstr("'account'"));
}

TEST(OpportunityCsvTest, MappingFileRenamesColumnsAndOutcomes) {
  absl::StatusOr<OpportunityCsvMapping> mapping = ParseOpportunityMapping(
      "# a CRM export\n"
      "delimiter = ;\n"
      "id = OppId\n"
      "customer = Account\n"
      "price = Amount  # list price\n"
      "cost = Cost\n"
      "owner = Owner\n"
      "created_at = Created\n"
      "closed_at = Closed\n"
      "outcome = Stage\n"
      "won = Closed Won, Won\n"
      "lost = Closed Lost\n"
      "attribute.satisfaction = Survey\n");
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  EXPECT_THAT(mapping->won_values, ElementsAre("Closed Won", "Won"));
  std::string path = WriteFile(
      "mapped.csv",
      "OppId;Account;product;Amount;Cost;Owner;Created;Closed;Stage;Survey\n"
      "B1;Acme;Widget;100;60;Ann;2017-01-02;2017-02-01;Closed Won;good\n"
      "B2;Acme;Widget;200;;Ann;2017-01-02;2017-03-01;Closed Lost;\n"
      "B3;Acme;Widget;300;90;Ann;2017-01-02;;Negotiation;poor\n");
  absl::StatusOr<OpportunityImport> imported =
      ImportOpportunityCsv(path, *mapping);
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->opportunities.size(), 3u);
  EXPECT_EQ(imported->opportunities[0].outcome(), OUTCOME_WON);
  EXPECT_EQ(imported->opportunities[0].cost(), 60);
  EXPECT_FALSE(imported->opportunities[1].has_cost());
  EXPECT_EQ(imported->opportunities[1].outcome(), OUTCOME_LOST);
  EXPECT_EQ(imported->opportunities[2].outcome(), OUTCOME_OPEN);
  EXPECT_EQ(imported->opportunities[0].attributes().at("satisfaction"), "good");
  EXPECT_TRUE(imported->opportunities[1].attributes().empty());  // empty cell
}

TEST(OpportunityCsvTest, MarginColumnGivesTheCost) {
  absl::StatusOr<OpportunityCsvMapping> mapping =
      ParseOpportunityMapping("margin = Margin\n");
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  std::string path = WriteFile(
      "margins.csv",
      "opportunity_id,account,product,price,sales_agent,created_at,"
      "close_date,deal_stage,Margin\n"
      "M1,Acme,Widget,200,Ann,2017-01-02,2017-02-01,Won,25%\n"
      "M2,Acme,Widget,100,Ann,2017-01-02,2017-02-01,Lost,0.4\n"
      "M3,Acme,Widget,100,Ann,2017-01-02,2017-02-01,Lost,\n"
      "M4,Acme,Widget,100,Ann,2017-01-02,2017-02-01,Lost,120%\n"
      "M5,Acme,Widget,100,Ann,2017-01-02,2017-02-01,Lost,lots\n");
  absl::StatusOr<OpportunityImport> imported =
      ImportOpportunityCsv(path, *mapping);
  ASSERT_TRUE(imported.ok()) << imported.status();
  ASSERT_EQ(imported->opportunities.size(), 3u);
  EXPECT_DOUBLE_EQ(imported->opportunities[0].cost(), 150);
  EXPECT_DOUBLE_EQ(imported->opportunities[1].cost(), 60);
  EXPECT_FALSE(imported->opportunities[2].has_cost());
  ASSERT_EQ(imported->rejected.size(), 2u);
  EXPECT_EQ(imported->rejected[0].line, 5);
  EXPECT_EQ(imported->rejected[0].reason,
            "margin '120%' must be at least 0 and below 100%");
  EXPECT_EQ(imported->rejected[1].reason, "bad margin 'lots'");

  mapping->cost = "Margin";
  absl::StatusOr<OpportunityImport> both = ImportOpportunityCsv(path, *mapping);
  EXPECT_TRUE(absl::IsInvalidArgument(both.status()));
  EXPECT_THAT(both.status().message(), HasSubstr("both a cost and a margin"));
}

TEST(OpportunityCsvTest, BadMappingLinesNameTheLine) {
  absl::Status unknown = ParseOpportunityMapping("id = X\nbudget = Y\n").status();
  EXPECT_TRUE(absl::IsInvalidArgument(unknown));
  EXPECT_EQ(unknown.message(), "mapping line 2: unknown field 'budget'");
  EXPECT_TRUE(absl::IsInvalidArgument(
      ParseOpportunityMapping("price Amount\n").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      ParseOpportunityMapping("delimiter = x\n").status()));
  EXPECT_EQ(ParseOpportunityMapping("attribute. = X\n").status().message(),
            "mapping line 1: attribute without a name");
}

TEST(OpportunityStoreTest, SavesAndLoads) {
  absl::StatusOr<std::unique_ptr<KvStore>> store =
      OpenRocksDbStore({.path = NewTestDir("opportunity_store")});
  ASSERT_TRUE(store.ok()) << store.status();
  std::vector<Opportunity> opps(MavenOpportunities().begin(),
                                MavenOpportunities().begin() + 10);
  ASSERT_TRUE(SaveOpportunities(opps, store->get()).ok());
  absl::StatusOr<std::vector<Opportunity>> loaded = LoadOpportunities(**store);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->size(), 10u);
}

}  // namespace
}  // namespace c360

#include "server/opportunity_generator.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "enrich/business_id.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/generator.h"
#include "server/opportunity_import.h"
#include "server/provider_generator.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::IsEmpty;

OpportunityGeneratorOptions Options(int64_t people, int64_t opportunities,
                                    uint64_t seed) {
  OpportunityGeneratorOptions options;
  options.providers.source.people = people;
  options.providers.source.seed = seed;
  options.opportunities = opportunities;
  return options;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<GeneratedOpportunity> Generate(
    const OpportunityGeneratorOptions& options) {
  std::vector<GeneratedOpportunity> rows;
  GenerateOpportunities(
      options, [&](const GeneratedOpportunity& o) { rows.push_back(o); });
  return rows;
}

// Won / (won + lost) of the closed deals `in` selects.
template <typename Pred>
double WonRate(const std::vector<GeneratedOpportunity>& rows, Pred in,
               int64_t* closed = nullptr) {
  int64_t won = 0, total = 0;
  for (const GeneratedOpportunity& o : rows) {
    if (o.deal_stage == "Engaging" || !in(o)) continue;
    ++total;
    won += o.deal_stage == "Won";
  }
  if (closed != nullptr) *closed = total;
  return total == 0 ? 0 : static_cast<double>(won) / total;
}

// The area under the ROC curve of `scores` for the closed deals, ties
// counted half.
double Auc(const std::vector<GeneratedOpportunity>& rows,
           const std::vector<double>& scores) {
  std::vector<std::pair<double, bool>> scored;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].deal_stage == "Engaging") continue;
    scored.emplace_back(scores[i], rows[i].deal_stage == "Won");
  }
  std::sort(scored.begin(), scored.end());
  double rank_sum = 0;
  int64_t positives = 0;
  for (size_t i = 0; i < scored.size();) {
    size_t j = i;
    while (j < scored.size() && scored[j].first == scored[i].first) ++j;
    for (size_t k = i; k < j; ++k) {
      if (scored[k].second) {
        rank_sum += (i + j + 1) / 2.0;
        ++positives;
      }
    }
    i = j;
  }
  const double negatives = scored.size() - positives;
  return (rank_sum - positives * (positives + 1) / 2.0) /
         (positives * negatives);
}

TEST(OpportunityGeneratorTest, IsDeterministicForASeed) {
  const std::string dirs[] = {NewTestDir("opp_gen_a"), NewTestDir("opp_gen_b"),
                              NewTestDir("opp_gen_c")};
  ASSERT_TRUE(WriteOpportunityFile(Options(300, 500, 7), dirs[0]).ok());
  ASSERT_TRUE(WriteOpportunityFile(Options(300, 500, 7), dirs[1]).ok());
  ASSERT_TRUE(WriteOpportunityFile(Options(300, 500, 8), dirs[2]).ok());
  const std::string text = Slurp(absl::StrCat(dirs[0], "/opportunities.csv"));
  EXPECT_GT(text.size(), 10000);
  EXPECT_EQ(text, Slurp(absl::StrCat(dirs[1], "/opportunities.csv")));
  EXPECT_NE(text, Slurp(absl::StrCat(dirs[2], "/opportunities.csv")));
}

TEST(OpportunityGeneratorTest, WritesTheHeaderAndEveryRow) {
  const std::string dir = NewTestDir("opp_gen_header");
  absl::StatusOr<OpportunityStats> stats =
      WriteOpportunityFile(Options(200, 321, 3), dir);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->opportunities, 321);
  EXPECT_EQ(stats->won + stats->lost + stats->open, 321);
  const std::vector<std::string> lines = absl::StrSplit(
      Slurp(absl::StrCat(dir, "/opportunities.csv")), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 322);
  EXPECT_EQ(lines[0],
            "opportunity_id,account,product,price,cost,lead_source,"
            "sales_agent,created_at,first_offer_at,close_date,deal_stage,"
            "satisfaction");
  EXPECT_TRUE(absl::StartsWith(lines[1], "G0000001,"));
  EXPECT_TRUE(absl::StartsWith(lines[321], "G0000321,"));
}

// Each account is the key of a CRM, ERP or web-shop record that gen writes
// about the opportunity's person, the CRM one when there is one.
TEST(OpportunityGeneratorTest, AccountsNameRecordsThatGenWrites) {
  const OpportunityGeneratorOptions options = Options(400, 800, 5);
  const std::string dir = NewTestDir("opp_gen_accounts");
  ASSERT_TRUE(WriteSampleFiles(options.providers.source, dir).ok());
  absl::flat_hash_map<std::string, int64_t> person_of;
  absl::flat_hash_map<int64_t, int> crm_records;
  for (absl::string_view line : absl::StrSplit(
           Slurp(absl::StrCat(dir, "/truth.csv")), '\n', absl::SkipEmpty())) {
    const std::vector<std::string> f = absl::StrSplit(line, ',');
    ASSERT_EQ(f.size(), 3);
    int64_t person = 0;
    if (!absl::SimpleAtoi(f[2], &person)) continue;  // the header
    person_of[absl::StrCat(f[0], "/", f[1])] = person;
    if (f[0] == "crm") ++crm_records[person];
  }
  const std::vector<GeneratedOpportunity> rows = Generate(options);
  ASSERT_EQ(rows.size(), 800);
  absl::flat_hash_map<int64_t, int> per_customer;
  for (const GeneratedOpportunity& o : rows) {
    SCOPED_TRACE(o.id);
    const auto it = person_of.find(o.account);
    ASSERT_NE(it, person_of.end()) << o.account;
    EXPECT_EQ(it->second, o.person_id);
    EXPECT_FALSE(absl::StartsWith(o.account, "social/"));
    EXPECT_EQ(absl::StartsWith(o.account, "crm/"),
              crm_records.contains(o.person_id));
    ++per_customer[o.person_id];
  }
  for (const auto& [person, count] : per_customer) {
    EXPECT_GE(count, 1);
    EXPECT_LE(count, 4);
  }
  EXPECT_GT(per_customer.size(), 200);
}

TEST(OpportunityGeneratorTest, FieldsStayInTheirRanges) {
  int64_t open = 0, unsurveyed = 0, offered = 0;
  std::string last_created;
  const std::vector<GeneratedOpportunity> rows =
      Generate(Options(500, 2000, 9));
  for (const GeneratedOpportunity& o : rows) {
    SCOPED_TRACE(o.id);
    EXPECT_GE(o.price * 100, o.list_price * 70 - 100);
    EXPECT_LE(o.price * 100, o.list_price * 110);
    EXPECT_GE(o.cost * 100, o.list_price * 55 - 100);
    EXPECT_LE(o.cost * 100, o.list_price * 75);
    EXPECT_GE(o.created_at, last_created);  // ids follow creation
    last_created = o.created_at;
    EXPECT_GE(o.created_at, "2021-01-01");
    EXPECT_LE(o.created_at, "2025-10-01");
    EXPECT_GE(o.sources, 0);
    EXPECT_LE(o.sources, 4);
    unsurveyed += o.satisfaction.empty();
    if (!o.first_offer_at.empty()) {
      ++offered;
      EXPECT_GT(o.first_offer_at, o.created_at);
      if (!o.close_date.empty()) EXPECT_LT(o.first_offer_at, o.close_date);
      EXPECT_LE(o.first_offer_at, "2025-10-01");
    }
    if (o.deal_stage == "Engaging") {
      ++open;
      EXPECT_THAT(o.close_date, IsEmpty());
      continue;
    }
    absl::CivilDay created, closed;
    ASSERT_TRUE(absl::ParseCivilTime(o.created_at, &created));
    ASSERT_TRUE(absl::ParseCivilTime(o.close_date, &closed));
    EXPECT_GE(closed - created, 7);
    EXPECT_LE(closed - created, 120);
  }
  EXPECT_NEAR(open / 2000.0, 0.15, 0.03);
  EXPECT_NEAR(unsurveyed / 2000.0, 0.20, 0.03);
  EXPECT_NEAR(offered / 2000.0, 0.80, 0.03);
}

// The purchased values the outcome depends on are the provider rows'.
TEST(OpportunityGeneratorTest, UsesTheProviderRowsAboutThePerson) {
  const OpportunityGeneratorOptions options = Options(1500, 1500, 11);
  absl::flat_hash_map<int64_t, std::string> income;
  absl::flat_hash_map<std::string, std::string> rating_by_id;
  GenerateProviderRows(
      options.providers,
      [&](const ProviderCompany& row) {
        absl::StatusOr<std::string> id =
            CanonicalBusinessId(row.business_id, row.country);
        if (id.ok()) rating_by_id[*id] = row.credit_rating;
      },
      [&](const ProviderPerson& row) {
        income[row.person_id] = row.household_income_band;
      });
  absl::flat_hash_map<int64_t, std::string> employer_rating;
  GenerateRecords(options.providers.source, [&](const GeneratedRecord& r) {
    const SourceRecord& record = r.record;
    if (record.business_id().empty()) return;
    absl::StatusOr<std::string> id = CanonicalBusinessId(
        record.business_id(), record.addresses(0).country());
    if (id.ok() && rating_by_id.contains(*id)) {
      employer_rating[r.person_id] = rating_by_id[*id];
    }
  });
  int64_t with_income = 0, with_rating = 0;
  for (const GeneratedOpportunity& o : Generate(options)) {
    SCOPED_TRACE(o.id);
    const auto band = income.find(o.person_id);
    EXPECT_EQ(o.household_income_band,
              band == income.end() ? "" : band->second);
    with_income += band != income.end();
    const auto rating = employer_rating.find(o.person_id);
    if (rating != employer_rating.end()) {
      EXPECT_EQ(o.credit_rating, rating->second);
      ++with_rating;
    }
  }
  EXPECT_GT(with_income, 600);
  EXPECT_GT(with_rating, 50);
}

// Reads the file with generated_opportunities.map: every row, satisfaction
// as an attribute.
TEST(OpportunityGeneratorTest, MappingReadsEveryRow) {
  absl::StatusOr<OpportunityCsvMapping> mapping =
      ParseOpportunityMapping(Slurp(absl::StrCat(
          C360_SOURCE_DIR, "/data/mappings/generated_opportunities.map")));
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  const std::string dir = NewTestDir("opp_gen_mapping");
  absl::StatusOr<OpportunityStats> stats =
      WriteOpportunityFile(Options(300, 700, 4), dir);
  ASSERT_TRUE(stats.ok()) << stats.status();
  absl::StatusOr<OpportunityImport> imported =
      ImportOpportunityCsv(absl::StrCat(dir, "/opportunities.csv"), *mapping);
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_THAT(imported->rejected, IsEmpty());
  EXPECT_EQ(imported->opportunities.size(), 700);
  int64_t surveyed = std::count_if(
      imported->opportunities.begin(), imported->opportunities.end(),
      [](const Opportunity& o) { return o.attributes().contains("satisfaction"); });
  EXPECT_GT(surveyed, 400);  // about 80% have a survey answer
  EXPECT_LT(surveyed, 700);
}

class OpportunityOutcomeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    rows_ = new std::vector<GeneratedOpportunity>(
        Generate(Options(5000, 8000, 21)));
  }
  static void TearDownTestSuite() { delete rows_; }
  static std::vector<GeneratedOpportunity>* rows_;
};
std::vector<GeneratedOpportunity>* OpportunityOutcomeTest::rows_ = nullptr;

TEST_F(OpportunityOutcomeTest, MoreSourcesWinMore) {
  int64_t few = 0, many = 0;
  const double rate_few = WonRate(
      *rows_, [](const GeneratedOpportunity& o) { return o.sources <= 1; },
      &few);
  const double rate_many = WonRate(
      *rows_, [](const GeneratedOpportunity& o) { return o.sources >= 3; },
      &many);
  EXPECT_GT(few, 500);
  EXPECT_GT(many, 500);
  EXPECT_GT(rate_many, rate_few + 0.15) << rate_few << " " << rate_many;
}

TEST_F(OpportunityOutcomeTest, BetterCreditRatingsWinMore) {
  int64_t good = 0, poor = 0;
  const double rate_good = WonRate(
      *rows_,
      [](const GeneratedOpportunity& o) {
        return o.credit_rating == "AAA" || o.credit_rating == "AA";
      },
      &good);
  const double rate_poor = WonRate(
      *rows_,
      [](const GeneratedOpportunity& o) {
        return o.credit_rating == "B" || o.credit_rating == "C";
      },
      &poor);
  EXPECT_GT(good, 150);
  EXPECT_GT(poor, 150);
  EXPECT_GT(rate_good, rate_poor + 0.12) << rate_poor << " " << rate_good;
}

TEST_F(OpportunityOutcomeTest, ProfileDriversCarryMuchOfTheSignal) {
  // The best a model without the profile can do: the won rate of each
  // combination of the opportunity's own fields (in-sample, so generous).
  auto cell = [](const GeneratedOpportunity& o) {
    const int discount = static_cast<int>(4 * o.price / (1.1 * o.list_price));
    return absl::StrCat(discount, o.lead_source, "|", o.satisfaction);
  };
  absl::flat_hash_map<std::string, std::pair<int64_t, int64_t>> won_total;
  for (const GeneratedOpportunity& o : *rows_) {
    if (o.deal_stage == "Engaging") continue;
    auto& [won, total] = won_total[cell(o)];
    won += o.deal_stage == "Won";
    ++total;
  }
  std::vector<double> truth, blind;
  for (const GeneratedOpportunity& o : *rows_) {
    truth.push_back(o.win_probability);
    const auto& [won, total] = won_total[cell(o)];
    blind.push_back(total == 0 ? 0 : static_cast<double>(won) / total);
  }
  const double best = Auc(*rows_, truth);
  const double without_profile = Auc(*rows_, blind);
  EXPECT_GT(best, 0.74);
  EXPECT_LT(best, 0.86);
  EXPECT_GT(best, without_profile + 0.05) << without_profile << " " << best;
}

}  // namespace
}  // namespace c360

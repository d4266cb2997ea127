// `c360 enrich` as a user runs it on generated data: provider deliveries
// imported and matched, bad rows reported with their lines while the rest
// loads, deliveries listed and re-activated, the quality report, and the
// store still consistent.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/command_run.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

std::string Mapping(const std::string& name) {
  return absl::StrCat(C360_SOURCE_DIR, "/data/mappings/", name, ".map");
}

// A store holding the generated CRM, ERP and web-shop records.
std::string LoadedStore(const std::string& dir) {
  CommandRun gen = C360(absl::StrCat("gen --people 300 --seed 11 --providers --out ",
                                     dir, "/data"));
  EXPECT_EQ(gen.exit_code, 0) << gen.out;
  const std::string db = absl::StrCat(dir, "/db");
  CommandRun load = C360(absl::StrCat(
      "bulk-load --db ", db, " crm:", Mapping("crm_contacts"), ":", dir,
      "/data/crm_contacts.csv erp:", Mapping("erp_customers"), ":", dir,
      "/data/erp_customers.csv webshop:", Mapping("webshop_accounts"), ":", dir,
      "/data/webshop_accounts.csv"));
  EXPECT_EQ(load.exit_code, 0) << load.out;
  return db;
}

TEST(EnrichCliTest, HelpAndBadUsage) {
  CommandRun help = C360("enrich --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, AllOf(HasSubstr("import"), HasSubstr("quality")));
  EXPECT_EQ(C360("enrich import --help").exit_code, 0);
  EXPECT_EQ(C360("enrich").exit_code, 2);
  CommandRun kind = C360("enrich import --provider p --kind shop x.csv");
  EXPECT_EQ(kind.exit_code, 2);
  EXPECT_THAT(kind.out, HasSubstr("--kind must be company or person"));
}

TEST(EnrichCliTest, GeneratedDeliveriesImportMatchAndReport) {
  const std::string dir = NewTestDir("enrich_cli");
  const std::string db = LoadedStore(dir);

  CommandRun companies = C360(absl::StrCat(
      "enrich import --db ", db, " --provider register --kind company --mapping ",
      Mapping("provider_company"), " --delivered 2026-10-01 ", dir,
      "/data/provider_company.csv"));
  ASSERT_EQ(companies.exit_code, 0) << companies.out;
  EXPECT_THAT(companies.out, HasSubstr("\"rejected\":0"));
  EXPECT_THAT(companies.out, Not(HasSubstr("\"by_business_id\":0,")));
  EXPECT_THAT(companies.out, Not(HasSubstr("\"entities_enriched\":0,")));

  CommandRun persons = C360(absl::StrCat(
      "enrich import --db ", db, " --provider consumer --kind person --mapping ",
      Mapping("provider_person"), " ", dir, "/data/provider_person.csv"));
  ASSERT_EQ(persons.exit_code, 0) << persons.out;
  EXPECT_THAT(persons.out, Not(HasSubstr("\"by_person_model\":0,")));
  // The match report lists every unmatched row with its line and reason.
  std::vector<std::string> report =
      ReadLines(absl::StrCat(dir, "/data/provider_person.csv.match.json"));
  ASSERT_FALSE(report.empty());
  EXPECT_THAT(report[0], HasSubstr("\"unmatched\":["));
  EXPECT_THAT(report.back(), HasSubstr("\"reason\":"));

  CommandRun deliveries = C360(absl::StrCat("enrich deliveries --db ", db));
  ASSERT_EQ(deliveries.exit_code, 0) << deliveries.out;
  EXPECT_THAT(deliveries.out, AllOf(HasSubstr("\"provider\":\"register\""),
                                    HasSubstr("\"provider\":\"consumer\"")));

  CommandRun quality = C360(absl::StrCat("enrich quality --db ", db));
  ASSERT_EQ(quality.exit_code, 0) << quality.out;
  EXPECT_THAT(quality.out, AllOf(HasSubstr("\"crm\":{\"total\":"),
                                 HasSubstr("\"register\":{\"total\":"),
                                 HasSubstr("\"match_rate\":"),
                                 HasSubstr("\"conflicts\":[")));

  CommandRun check = C360(absl::StrCat("check --db ", db));
  EXPECT_EQ(check.exit_code, 0) << check.out;
}

TEST(EnrichCliTest, BadRowsAreReportedWithLinesAndTheRestLoads) {
  const std::string dir = NewTestDir("enrich_cli_bad");
  const std::string db = LoadedStore(dir);
  const std::string file = absl::StrCat(dir, "/bad_company.csv");
  {
    std::ofstream out(file);
    out << "BusinessId,Name,Street,PostalCode,City,Country,Industry,Extra\n"
        << "1234567-1,Good Oy,Katu 1,00100,Helsinki,FI,62010,x\n"      // line 2
        << "1234567-9,Bad Check Oy,Katu 2,00100,Helsinki,FI,62010,x\n" // line 3
        << "1234567-1,Duplicate Oy,Katu 3,00100,Helsinki,FI,62010,x\n" // line 4
        << ",,,,,FI,62010,x\n";                                         // line 5
  }
  const std::string mapping = absl::StrCat(dir, "/bad.map");
  {
    std::ofstream out(mapping);
    out << "business_id = BusinessId\norganization = Name\naddress.street = Street\n"
        << "address.postcode = PostalCode\naddress.city = City\n"
        << "address.country = Country\nattribute.industry_code = Industry\n";
  }
  CommandRun run = C360(absl::StrCat("enrich import --db ", db,
                                     " --provider register --kind company --mapping ",
                                     mapping, " ", file));
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_THAT(run.out, AllOf(HasSubstr("\"accepted\":1"), HasSubstr("\"rejected\":3")));
  std::vector<std::string> rejects = ReadLines(absl::StrCat(file, ".rejects.jsonl"));
  ASSERT_THAT(rejects, SizeIs(4));
  EXPECT_THAT(rejects[0], AllOf(HasSubstr("\"line\":3"), HasSubstr("check digit")));
  EXPECT_THAT(rejects[1], AllOf(HasSubstr("\"line\":4"), HasSubstr("duplicate key")));
  EXPECT_THAT(rejects[2], HasSubstr("\"line\":5"));
  EXPECT_THAT(rejects[3], AllOf(HasSubstr("\"line\":1"), HasSubstr("'Extra'")));

  // A mapping naming a column the file lacks loads nothing.
  {
    std::ofstream out(mapping, std::ios::app);
    out << "attribute.credit_rating = Rating\n";
  }
  CommandRun wrong = C360(absl::StrCat("enrich import --db ", db,
                                       " --provider register --kind company --mapping ",
                                       mapping, " ", file));
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_THAT(wrong.out, HasSubstr("Rating"));
  CommandRun deliveries = C360(absl::StrCat("enrich deliveries --db ", db));
  EXPECT_THAT(ReadLines(absl::StrCat(file, ".rejects.jsonl")), SizeIs(4));
  EXPECT_THAT(deliveries.out, HasSubstr("\"accepted\":\"1\""));
  EXPECT_THAT(deliveries.out, Not(HasSubstr("\"rows\":\"4\",\"accepted\":\"0\"")));
}

}  // namespace
}  // namespace c360

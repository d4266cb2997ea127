#include "server/provider_generator.h"

#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "enrich/business_id.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/provider_reader.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::IsEmpty;

ProviderGeneratorOptions SmallOptions(uint64_t seed) {
  ProviderGeneratorOptions options;
  options.source.people = 400;
  options.source.seed = seed;
  options.extra_companies = 30;
  options.extra_persons = 40;
  return options;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string Mapping(const std::string& name) {
  return absl::StrCat(C360_SOURCE_DIR, "/data/mappings/", name, ".map");
}

struct Generated {
  std::vector<ProviderCompany> companies;
  std::vector<ProviderPerson> persons;
  ProviderStats stats;
};

Generated Generate(const ProviderGeneratorOptions& options) {
  Generated generated;
  generated.stats = GenerateProviderRows(
      options,
      [&](const ProviderCompany& row) { generated.companies.push_back(row); },
      [&](const ProviderPerson& row) { generated.persons.push_back(row); });
  return generated;
}

TEST(ProviderGeneratorTest, IsDeterministicForASeed) {
  const std::string first = NewTestDir("provider_gen_a");
  const std::string second = NewTestDir("provider_gen_b");
  const std::string other = NewTestDir("provider_gen_c");
  ASSERT_TRUE(WriteProviderFiles(SmallOptions(7), first).ok());
  ASSERT_TRUE(WriteProviderFiles(SmallOptions(7), second).ok());
  ASSERT_TRUE(WriteProviderFiles(SmallOptions(8), other).ok());
  for (const char* file :
       {"provider_company.csv", "provider_person.csv", "provider_truth.csv"}) {
    SCOPED_TRACE(file);
    const std::string text = Slurp(absl::StrCat(first, "/", file));
    EXPECT_GT(text.size(), 100);
    EXPECT_EQ(text, Slurp(absl::StrCat(second, "/", file)));
    EXPECT_NE(text, Slurp(absl::StrCat(other, "/", file)));
  }
}

TEST(ProviderGeneratorTest, CompanyRowsHaveValidDistinctBusinessIds) {
  const Generated generated = Generate(SmallOptions(3));
  std::set<std::string> ids;
  int64_t without_id = 0;
  for (const ProviderCompany& row : generated.companies) {
    EXPECT_FALSE(row.name.empty());
    EXPECT_FALSE(row.country.empty());
    if (row.business_id.empty()) {
      EXPECT_FALSE(row.postcode.empty()) << row.name;
      ++without_id;
      continue;
    }
    absl::StatusOr<std::string> id =
        CanonicalBusinessId(row.business_id, row.country);
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_TRUE(ids.insert(*id).second) << *id;
  }
  EXPECT_GT(without_id, 0);
  EXPECT_EQ(without_id, generated.stats.companies_without_id);
  EXPECT_EQ(static_cast<int64_t>(generated.companies.size()),
            generated.stats.companies);
  EXPECT_GE(generated.stats.companies - without_id, 30);  // the extra ones

  // Every employer a record names with its business id has a row.
  GenerateRecords(SmallOptions(3).source, [&](const GeneratedRecord& g) {
    const SourceRecord& record = g.record;
    if (record.business_id().empty() || record.organization().empty()) return;
    absl::StatusOr<std::string> id = CanonicalBusinessId(
        record.business_id(), record.addresses(0).country());
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_TRUE(ids.count(*id)) << *id;
  });
}

TEST(ProviderGeneratorTest, PersonRowsAreAboutASharePlusPeopleInNoRecord) {
  const ProviderGeneratorOptions options = SmallOptions(5);
  const Generated generated = Generate(options);
  absl::flat_hash_map<int64_t, std::set<std::string>> birth_dates;
  GenerateRecords(options.source, [&](const GeneratedRecord& g) {
    birth_dates[g.person_id].insert(g.record.birth_date());
  });
  absl::flat_hash_set<int64_t> people;
  int64_t unrelated = 0;
  for (const ProviderPerson& row : generated.persons) {
    EXPECT_TRUE(!row.full_name.empty() || !row.first_name.empty() ||
                !row.last_name.empty())
        << row.key;
    if (row.person_id < 0) {
      ++unrelated;
      continue;
    }
    EXPECT_TRUE(people.insert(row.person_id).second) << row.person_id;
    ASSERT_TRUE(birth_dates.contains(row.person_id)) << row.key;
    if (!row.birth_date.empty()) {
      EXPECT_TRUE(birth_dates[row.person_id].count(row.birth_date)) << row.key;
    }
  }
  EXPECT_EQ(unrelated, options.extra_persons);
  EXPECT_EQ(unrelated, generated.stats.unrelated_persons);
  EXPECT_EQ(static_cast<int64_t>(generated.persons.size()),
            generated.stats.persons);
  // About 60% of the people, fewer those without a named record.
  EXPECT_GT(people.size(), options.source.people * 45 / 100);
  EXPECT_LT(people.size(), options.source.people * 70 / 100);
}

TEST(ProviderGeneratorTest, FilesReadWithTheirMappingsWithoutRejections) {
  const std::string dir = NewTestDir("provider_gen_read");
  const absl::StatusOr<ProviderStats> stats =
      WriteProviderFiles(SmallOptions(11), dir);
  ASSERT_TRUE(stats.ok()) << stats.status();

  const absl::StatusOr<ProviderFile> companies =
      ReadProviderFile(absl::StrCat(dir, "/provider_company.csv"),
                       {"register", COMPANY, Mapping("provider_company")});
  ASSERT_TRUE(companies.ok()) << companies.status();
  for (const RowProblem& problem : companies->rejected) {
    ADD_FAILURE() << "line " << problem.line << ": " << problem.reason << "\n"
                  << problem.raw;
  }
  EXPECT_THAT(companies->warnings, IsEmpty());
  EXPECT_EQ(static_cast<int64_t>(companies->rows.size()), stats->companies);

  const absl::StatusOr<ProviderFile> persons =
      ReadProviderFile(absl::StrCat(dir, "/provider_person.csv"),
                       {"consumer", PERSON, Mapping("provider_person")});
  ASSERT_TRUE(persons.ok()) << persons.status();
  for (const RowProblem& problem : persons->rejected) {
    ADD_FAILURE() << "line " << problem.line << ": " << problem.reason << "\n"
                  << problem.raw;
  }
  EXPECT_THAT(persons->warnings, IsEmpty());
  ASSERT_EQ(static_cast<int64_t>(persons->rows.size()), stats->persons);
  EXPECT_EQ(persons->rows[0].attributes().count("interests"), 1);

  // The truth names every person row once, in file order.
  std::vector<std::string> truth = absl::StrSplit(
      Slurp(absl::StrCat(dir, "/provider_truth.csv")), '\n', absl::SkipEmpty());
  ASSERT_EQ(truth.size(), persons->rows.size() + 1);
  EXPECT_EQ(truth[0], "row_key,person_id");
  for (size_t i = 0; i < persons->rows.size(); ++i) {
    const std::vector<std::string> fields = absl::StrSplit(truth[i + 1], ',');
    ASSERT_EQ(fields.size(), 2) << truth[i + 1];
    EXPECT_EQ(fields[0], persons->rows[i].identity().source_id());
    int64_t person_id = 0;
    EXPECT_TRUE(absl::SimpleAtoi(fields[1], &person_id)) << truth[i + 1];
  }
}

}  // namespace
}  // namespace c360

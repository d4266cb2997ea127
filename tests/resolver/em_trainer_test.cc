// EM recovers known parameters; blocking and degenerate inputs.
#include "resolver/em_trainer.h"

#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Synthetic comparisons over three fields drawn from known m and u: level
// l of field f has probability m[f][l] for a match and u[f][l] otherwise.
constexpr ComparisonField kFields[] = {kGivenNameField, kFamilyNameField,
                                       kBirthDateField};

struct Truth {
  double prior = 0.3;
  std::vector<std::vector<double>> m, u;  // [i of kFields][level]
};

Truth MakeTruth() {
  Truth truth;
  // given_name: exact nickname fuzzy_92 fuzzy_80 swapped different
  truth.m.push_back({0, .70, .05, .10, .05, .02, .08});
  truth.u.push_back({0, .02, .01, .02, .05, .002, .898});
  // family_name: exact fuzzy_92 fuzzy_80 different
  truth.m.push_back({0, .75, .12, .05, .08});
  truth.u.push_back({0, .03, .02, .05, .90});
  // birth_date: exact transposed one_digit same_year different
  truth.m.push_back({0, .85, .03, .07, .02, .03});
  truth.u.push_back({0, .01, .001, .01, .05, .929});
  return truth;
}

std::vector<ComparisonVector> Sample(const Truth& truth, int n) {
  std::mt19937_64 random(7);
  std::bernoulli_distribution is_match(truth.prior);
  std::vector<ComparisonVector> vectors;
  for (int i = 0; i < n; ++i) {
    const bool match = is_match(random);
    ComparisonVector v{};
    for (size_t f = 0; f < std::size(kFields); ++f) {
      const auto& p = match ? truth.m[f] : truth.u[f];
      v[kFields[f]] = static_cast<uint8_t>(
          std::discrete_distribution<int>(p.begin(), p.end())(random));
    }
    vectors.push_back(v);
  }
  return vectors;
}

TEST(RunEmTest, RecoversKnownMProbabilitiesAndPrior) {
  const Truth truth = MakeTruth();
  MatchModelParams params = DefaultModelParams();
  for (size_t f = 0; f < std::size(kFields); ++f) {
    for (size_t l = 1; l < truth.u[f].size(); ++l) {
      params.levels[kFields[f]][l].u = truth.u[f][l];
    }
  }
  EmReport report;
  EmOptions options;
  options.pseudo_pairs = 0.01;
  ASSERT_TRUE(
      RunEm(CountPatterns(Sample(truth, 200000)), options, &params, &report)
          .ok());
  EXPECT_TRUE(report.converged);
  EXPECT_NEAR(params.prior, truth.prior, 0.01);
  for (size_t f = 0; f < std::size(kFields); ++f) {
    for (size_t l = 1; l < truth.m[f].size(); ++l) {
      EXPECT_NEAR(params.levels[kFields[f]][l].m, truth.m[f][l], 0.015)
          << ComparisonSchema()[kFields[f]].levels[l];
    }
  }
}

TEST(RunEmTest, NoPatternsIsAFailedPrecondition) {
  MatchModelParams params = DefaultModelParams();
  EmReport report;
  absl::Status status = RunEm({}, EmOptions(), &params, &report);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("blocking produced none"));
}

TEST(RunEmTest, IdenticalPairsAreAFailedPrecondition) {
  MatchModelParams params = DefaultModelParams();
  EmReport report;
  ComparisonVector v{};
  v[kGivenNameField] = 1;
  absl::Status status =
      RunEm(CountPatterns({v, v, v}), EmOptions(), &params, &report);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("compares the same"));
}

TEST(RunEmTest, NanIsAFailedPrecondition) {
  MatchModelParams params = DefaultModelParams();
  EmReport report;
  ComparisonVector a{}, b{};
  a[kGivenNameField] = 1;
  b[kGivenNameField] = 2;
  // Zero counts: P(match) = 0 / 0.
  absl::Status status = RunEm({{a, 0}, {b, 0}}, EmOptions(), &params, &report);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("EM degenerated at iteration 1"));
}

TEST(EstimateUTest, NeedsTwoRecords) {
  MatchModelParams params = DefaultModelParams();
  const Comparator comparator{NicknameTable()};
  EXPECT_EQ(
      EstimateU(comparator, {ComparableRecord()}, EmOptions(), &params).code(),
      absl::StatusCode::kFailedPrecondition);
}

ComparableRecord Record(const std::string& source, const std::string& id,
                        const std::string& soc_sec_id) {
  SourceRecord record;
  record.set_source(source);
  record.set_source_id(id);
  (*record.mutable_attributes())["soc_sec_id"] = soc_sec_id;
  return MakeComparable(record, "FI");
}

TEST(CandidatePairsTest, PairsRecordsSharingAKeyAndSortedDigitsMeet) {
  const std::vector<ComparableRecord> records = {Record("crm", "1", "1234567"),
                                                 Record("crm", "2", "1234576"),
                                                 Record("crm", "3", "7777777")};
  EXPECT_THAT(CandidatePairs(records, {}), ElementsAre(RecordPair(0, 1)));
}

TEST(CandidatePairsTest, OneRecordPerPersonSourcesAreNotPairedWithThemselves) {
  const std::vector<ComparableRecord> records = {Record("a", "1", "1234567"),
                                                 Record("a", "2", "1234567"),
                                                 Record("b", "3", "1234567")};
  BlockingOptions options;
  options.one_record_per_person_sources = {"a", "b"};
  EXPECT_THAT(CandidatePairs(records, options),
              ElementsAre(RecordPair(0, 2), RecordPair(1, 2)));
}

TEST(CandidatePairsTest, KeyKindsSelectWhichKeysPair) {
  const std::vector<ComparableRecord> records = {Record("crm", "1", "1234567"),
                                                 Record("crm", "2", "1234576")};
  // "1234576" meets "1234567" only through the sorted digits ("sd:").
  EXPECT_THAT(CandidatePairs(records, {}, {"sd:"}),
              ElementsAre(RecordPair(0, 1)));
  EXPECT_TRUE(CandidatePairs(records, {}, {"ss:"}).empty());
}

TEST(TrainMatchModelTest, NoSessionThatLearnsIsAFailedPreconditionWithReasons) {
  const std::vector<ComparableRecord> records = {Record("crm", "1", "1234567"),
                                                 Record("crm", "2", "7654321")};
  EmReport report;
  absl::StatusOr<std::unique_ptr<MatchModel>> model = TrainMatchModel(
      records, {}, {}, NicknameTable(), {}, EmOptions(), &report);
  ASSERT_EQ(model.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(model.status().message(),
              HasSubstr("same_birth_date: EM needs candidate pairs"));
  EXPECT_THAT(model.status().message(),
              HasSubstr("the previous model stays active"));
  EXPECT_EQ(report.sessions.size(), DefaultTrainingSessions().size());
}

TEST(TrainMatchModelTest, ASessionThatComparesOnlyItsHeldOutFieldLearnsNothing) {
  // Two people, each twice with the same social security number: the
  // soc_sec_id session learns, but holds its own field out.
  std::vector<ComparableRecord> records;
  for (const char* id : {"1111111", "1111111", "2222222", "2222222"})
    records.push_back(Record("crm", absl::StrCat(records.size()), id));
  const TrainingSession session{"ssn", {"ss:"}, {kSocSecIdField}};
  EmReport report;
  absl::StatusOr<std::unique_ptr<MatchModel>> model = TrainMatchModel(
      records, {}, {}, NicknameTable(), {}, EmOptions(), &report, {session});
  // Every compared field is missing but the held-out one: nothing to learn.
  ASSERT_FALSE(model.ok());
  EXPECT_THAT(model.status().message(), HasSubstr("compares the same"));
}

TEST(CandidatePairsTest, OversizedBlocksBringNoPairs) {
  const std::vector<ComparableRecord> records = {Record("crm", "1", "1234567"),
                                                 Record("crm", "2", "1234567"),
                                                 Record("crm", "3", "1234567")};
  BlockingOptions options;
  options.max_block_size = 2;
  EXPECT_TRUE(CandidatePairs(records, options).empty());
}

}  // namespace
}  // namespace c360

// Stored scores of the open pipeline (ml/score_open.h) over the Maven data
// with a published at-creation model.
#include "ml/score_open.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ml/model_registry.h"
#include "ml/opportunity_store.h"
#include "ml/stages.h"
#include "ml/trainer.h"
#include "server/scoring_service.h"
#include "store/keys.h"
#include "store/rocksdb_store.h"
#include "tests/ml/maven_data.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01

class ScoreOpenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenRocksDbStore({.path = NewTestDir("score_open")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ASSERT_TRUE(SaveOpportunities(MavenOpportunities(), store_.get()).ok());
  }

  // Trains a small at-creation model on Maven and publishes it.
  void Publish() {
    TrainerOptions options;
    options.family = std::string(StageFamily(ModelStage::kCreation));
    options.feature_set = StageFeatureSet(ModelStage::kCreation);
    options.parameters.set_max_rounds(30);
    options.parameters.set_nthread(1);
    absl::StatusOr<StoredModel> model =
        TrainHitRateModel(MavenOpportunities(), options);
    ASSERT_TRUE(model.ok()) << model.status();
    ModelRegistry registry(store_.get(), RegistryOptions());
    absl::StatusOr<uint64_t> version = registry.Register(*model);
    ASSERT_TRUE(version.ok()) << version.status();
    ASSERT_TRUE(registry.Publish(options.family, *version).ok());
  }

  int64_t ScoreRows() const {
    int64_t rows = 0;
    EXPECT_TRUE(store_
                    ->Scan(Table::kScores, "", "",
                           [&](absl::string_view, absl::string_view) {
                             ++rows;
                             return true;
                           })
                    .ok());
    return rows;
  }

  absl::StatusOr<StoredOpportunityScore> Stored(const std::string& id) const {
    absl::StatusOr<std::string> row =
        store_->Get(Table::kScores, OpportunityScoreKey(id));
    if (!row.ok()) return row.status();
    StoredOpportunityScore score;
    EXPECT_TRUE(score.ParseFromString(*row));
    return score;
  }

  // Σ hit_rate × price per customer key over the open opportunities, with
  // each hit rate from ScoringService's Score.
  std::map<std::string, double> ExpectedValues(
      const std::vector<Opportunity>& opportunities) {
    Scoring scoring(store_.get());
    std::map<std::string, double> values;
    for (const Opportunity& opp : opportunities) {
      if (opp.outcome() != OUTCOME_OPEN || opp.customer_id().empty()) continue;
      ScoreOpportunityRequest request;
      request.set_opportunity_id(opp.opportunity_id());
      absl::StatusOr<ScoreOpportunityResponse> score = scoring.Score(request);
      EXPECT_TRUE(score.ok()) << score.status();
      if (score.ok()) values[opp.customer_id()] += score->hit_rate() * opp.price();
    }
    return values;
  }

  std::unique_ptr<KvStore> store_;
};

int64_t OpenCount(const std::vector<Opportunity>& opportunities) {
  int64_t open = 0;
  for (const Opportunity& opp : opportunities) {
    open += opp.outcome() == OUTCOME_OPEN;
  }
  return open;
}

TEST_F(ScoreOpenTest, NoPublishedModelIsFailedPreconditionAndStoresNothing) {
  absl::StatusOr<ScoreOpenSummary> summary =
      ScoreOpenOpportunities(store_.get(), kNow);
  EXPECT_TRUE(absl::IsFailedPrecondition(summary.status())) << summary.status();
  EXPECT_THAT(summary.status().message(), HasSubstr("c360 ml publish"));
  EXPECT_EQ(ScoreRows(), 0);
}

TEST_F(ScoreOpenTest, StoresEveryOpenScoreAsScoringItDirectly) {
  Publish();
  absl::StatusOr<ScoreOpenSummary> summary =
      ScoreOpenOpportunities(store_.get(), kNow);
  ASSERT_TRUE(summary.ok()) << summary.status();
  const int64_t open = OpenCount(MavenOpportunities());
  ASSERT_EQ(open, 2089);
  EXPECT_EQ(summary->opportunities_scored, open);
  EXPECT_EQ(summary->skipped, 0);
  ASSERT_EQ(summary->by_model.size(), 1u);
  EXPECT_EQ(summary->by_model[0].family, "hit_rate_at_creation");
  EXPECT_EQ(summary->by_model[0].opportunities, open);
  EXPECT_EQ(ScoreRows(), open + summary->customers);

  Scoring scoring(store_.get());
  for (const Opportunity& opp : MavenOpportunities()) {
    absl::StatusOr<StoredOpportunityScore> stored =
        Stored(opp.opportunity_id());
    if (opp.outcome() != OUTCOME_OPEN) {
      EXPECT_TRUE(absl::IsNotFound(stored.status())) << opp.opportunity_id();
      continue;
    }
    ASSERT_TRUE(stored.ok()) << stored.status();
    ScoreOpportunityRequest request;
    request.set_opportunity_id(opp.opportunity_id());
    absl::StatusOr<ScoreOpportunityResponse> direct = scoring.Score(request);
    ASSERT_TRUE(direct.ok()) << direct.status();
    EXPECT_EQ(stored->hit_rate(), direct->hit_rate());
    EXPECT_EQ(stored->grade(), direct->grade());
    EXPECT_EQ(stored->model().version(), direct->model_version());
    EXPECT_EQ(stored->model().family(), direct->model_family());
    EXPECT_EQ(stored->customer_key(), opp.customer_id());
    EXPECT_EQ(stored->scored_at().seconds(), absl::ToUnixSeconds(kNow));
    ASSERT_EQ(stored->positive_factors_size(),
              direct->positive_factors_size());
    for (int i = 0; i < direct->positive_factors_size(); ++i) {
      EXPECT_EQ(stored->positive_factors(i).feature(),
                direct->positive_factors(i).feature());
    }
  }
}

TEST_F(ScoreOpenTest, CustomerExpectedValueIsSumOfHitRateTimesPrice) {
  Publish();
  absl::StatusOr<ScoreOpenSummary> summary =
      ScoreOpenOpportunities(store_.get(), kNow);
  ASSERT_TRUE(summary.ok()) << summary.status();
  std::map<std::string, double> expected = ExpectedValues(MavenOpportunities());
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(summary->customers, static_cast<int64_t>(expected.size()));
  Scoring scoring(store_.get());
  for (const auto& [customer, value] : expected) {
    GetCustomerScoresRequest request;
    request.set_customer_key(customer);
    absl::StatusOr<GetCustomerScoresResponse> scores =
        scoring.GetCustomerScores(request);
    ASSERT_TRUE(scores.ok()) << scores.status();
    EXPECT_NEAR(scores->customer().expected_value(), value, 1e-6 * value)
        << customer;
    EXPECT_EQ(scores->customer().open_opportunities(),
              scores->opportunities_size());
    for (const StoredOpportunityScore& opp : scores->opportunities()) {
      EXPECT_EQ(opp.customer_key(), customer);
    }
  }
  GetCustomerScoresRequest unknown;
  unknown.set_customer_key("No Such Customer");
  EXPECT_TRUE(absl::IsNotFound(scoring.GetCustomerScores(unknown).status()));
}

TEST_F(ScoreOpenTest, RerunAfterClosingOneRemovesItsScore) {
  Publish();
  ASSERT_TRUE(ScoreOpenOpportunities(store_.get(), kNow).ok());
  // An open opportunity of a customer with more than one open.
  std::vector<Opportunity> opportunities = MavenOpportunities();
  std::map<std::string, int> open_per_customer;
  for (const Opportunity& opp : opportunities) {
    if (opp.outcome() == OUTCOME_OPEN) ++open_per_customer[opp.customer_id()];
  }
  Opportunity* closed = nullptr;
  for (Opportunity& opp : opportunities) {
    if (opp.outcome() == OUTCOME_OPEN && !opp.customer_id().empty() &&
        open_per_customer[opp.customer_id()] > 1) {
      closed = &opp;
      break;
    }
  }
  ASSERT_NE(closed, nullptr);
  const std::string customer = closed->customer_id();
  Scoring scoring(store_.get());
  GetCustomerScoresRequest request;
  request.set_customer_key(customer);
  absl::StatusOr<GetCustomerScoresResponse> before =
      scoring.GetCustomerScores(request);
  ASSERT_TRUE(before.ok()) << before.status();

  closed->set_outcome(OUTCOME_WON);
  ASSERT_TRUE(SaveOpportunities({*closed}, store_.get()).ok());
  absl::StatusOr<ScoreOpenSummary> rerun =
      ScoreOpenOpportunities(store_.get(), kNow + absl::Hours(1));
  ASSERT_TRUE(rerun.ok()) << rerun.status();
  EXPECT_EQ(rerun->opportunities_scored, OpenCount(opportunities));
  EXPECT_GE(rerun->removed, 1);
  EXPECT_TRUE(absl::IsNotFound(Stored(closed->opportunity_id()).status()));

  absl::StatusOr<GetCustomerScoresResponse> after =
      scoring.GetCustomerScores(request);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->customer().open_opportunities(),
            before->customer().open_opportunities() - 1);
  EXPECT_NE(after->customer().expected_value(),
            before->customer().expected_value());
  EXPECT_NEAR(after->customer().expected_value(),
              ExpectedValues(opportunities)[customer], 1e-6);
  EXPECT_EQ(after->customer().scored_at().seconds(),
            absl::ToUnixSeconds(kNow + absl::Hours(1)));
}

}  // namespace
}  // namespace c360

// Scoring over a store: what the gRPC service and `c360 ml` answer, tested
// in-process (the wire and its status codes: tests/e2e/scoring_e2e_test.cc).
#include "server/scoring_service.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ml/model_registry.h"
#include "ml/opportunity_store.h"
#include "ml/stages.h"
#include "ml/trainer.h"
#include "store/rocksdb_store.h"
#include "tests/ml/maven_data.h"
#include "tests/ml/publish_model.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

class ScoringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenRocksDbStore({.path = NewTestDir("scoring")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ASSERT_TRUE(SaveOpportunities(MavenOpportunities(), store_.get()).ok());
  }

  // Trains a small model of `stage` on the stored opportunities and
  // publishes it with `grade_bands`.
  void Publish(ModelStage stage = ModelStage::kCreation,
               const std::vector<double>& grade_bands = {}) {
    PublishMavenModel(store_.get(), stage, grade_bands);
  }

  // A stored open opportunity with a customer.
  static const Opportunity& OpenOpportunity() {
    for (const Opportunity& opp : MavenOpportunities()) {
      if (opp.outcome() == OUTCOME_OPEN && !opp.customer_id().empty()) {
        return opp;
      }
    }
    return MavenOpportunities()[0];
  }

  std::unique_ptr<KvStore> store_;
};

TEST_F(ScoringTest, NoPublishedModelIsFailedPreconditionUntilPublished) {
  Scoring scoring(store_.get());
  ScoreOpportunityRequest request;
  request.set_opportunity_id(OpenOpportunity().opportunity_id());
  absl::Status status = scoring.Score(request).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("c360 ml publish"));
  EXPECT_TRUE(absl::IsFailedPrecondition(
      scoring.Forecast(PipelineForecastRequest()).status()));
  Publish();
  absl::StatusOr<ScoreOpportunityResponse> score = scoring.Score(request);
  ASSERT_TRUE(score.ok()) << score.status();
  EXPECT_EQ(score->model_version(), 1u);
  EXPECT_EQ(score->model_family(), "hit_rate_at_creation");
  EXPECT_GE(score->grade(), 1);
  EXPECT_LE(score->grade(), 5);
}

TEST_F(ScoringTest, InlineOpportunityScoresLikeTheStoredOne) {
  Publish();
  Scoring scoring(store_.get());
  ScoreOpportunityRequest by_id, inline_opp;
  by_id.set_opportunity_id(OpenOpportunity().opportunity_id());
  *inline_opp.mutable_opportunity() = OpenOpportunity();
  auto stored = scoring.Score(by_id);
  auto given = scoring.Score(inline_opp);
  ASSERT_TRUE(stored.ok() && given.ok());
  EXPECT_DOUBLE_EQ(stored->hit_rate(), given->hit_rate());
  EXPECT_TRUE(absl::IsInvalidArgument(
      scoring.Score(ScoreOpportunityRequest()).status()));
  inline_opp.mutable_opportunity()->set_price(0);
  EXPECT_TRUE(absl::IsInvalidArgument(scoring.Score(inline_opp).status()));
}

TEST_F(ScoringTest, WhatIfCostDefaultsToZeroWithoutAStoredCost) {
  Publish();
  Scoring scoring(store_.get());
  WhatIfPriceRequest request;
  request.set_opportunity_id(OpenOpportunity().opportunity_id());
  request.set_min_price(100);
  request.set_max_price(200);
  request.set_steps(3);
  absl::StatusOr<WhatIfPriceResponse> what_if = scoring.WhatIf(request);
  ASSERT_TRUE(what_if.ok()) << what_if.status();
  EXPECT_EQ(what_if->cost(), 0);
  ASSERT_EQ(what_if->points_size(), 3);
  EXPECT_EQ(what_if->points(1).price(), 150);
  EXPECT_EQ(what_if->points(1).margin(), 1);
  request.set_cost(150);  // above the lowest price
  EXPECT_TRUE(absl::IsInvalidArgument(scoring.WhatIf(request).status()));
  request.set_opportunity_id("no-such-id");
  EXPECT_TRUE(absl::IsNotFound(scoring.WhatIf(request).status()));
}

TEST_F(ScoringTest, ForecastFiltersBySegment) {
  Publish();
  Scoring scoring(store_.get());
  PipelineForecastRequest request;
  request.set_segment(OpenOpportunity().account().sector());
  absl::StatusOr<PipelineForecastResponse> forecast = scoring.Forecast(request);
  ASSERT_TRUE(forecast.ok()) << forecast.status();
  ASSERT_EQ(forecast->by_segment_size(), 1);
  EXPECT_EQ(forecast->by_segment(0).key(), request.segment());
  EXPECT_EQ(forecast->by_segment(0).count(), forecast->total().count());
  EXPECT_GT(forecast->total().expected_revenue(), 0);
}

TEST_F(ScoringTest, OpportunityWithAFirstOfferIsScoredByTheAfterOfferModel) {
  Publish(ModelStage::kCreation);
  Scoring scoring(store_.get());
  ScoreOpportunityRequest request;
  *request.mutable_opportunity() = OpenOpportunity();
  request.mutable_opportunity()->mutable_first_offer_at()->set_seconds(
      1500000000);
  absl::Status status = scoring.Score(request).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("hit_rate_after_offer"));
  EXPECT_THAT(status.message(), HasSubstr("--stage offer"));
  Publish(ModelStage::kAfterOffer);
  Scoring reloaded(store_.get());
  absl::StatusOr<ScoreOpportunityResponse> after = reloaded.Score(request);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->model_family(), "hit_rate_after_offer");
  EXPECT_EQ(after->model_version(), 1u);
  request.mutable_opportunity()->clear_first_offer_at();
  absl::StatusOr<ScoreOpportunityResponse> at_creation =
      reloaded.Score(request);
  ASSERT_TRUE(at_creation.ok()) << at_creation.status();
  EXPECT_EQ(at_creation->model_family(), "hit_rate_at_creation");
  absl::StatusOr<PipelineForecastResponse> forecast =
      reloaded.Forecast(PipelineForecastRequest());
  ASSERT_TRUE(forecast.ok()) << forecast.status();
  ASSERT_EQ(forecast->models_size(), 1);  // Maven has no first offer dates
  EXPECT_EQ(forecast->models(0).family(), "hit_rate_at_creation");
}

TEST_F(ScoringTest, GradesFollowThePublishedGradeBands) {
  const std::vector<double> bands = {0.1, 0.3, 0.5, 0.7};
  Publish(ModelStage::kCreation, bands);
  Scoring scoring(store_.get());
  int checked = 0;
  for (const Opportunity& opp : MavenOpportunities()) {
    if (opp.outcome() != OUTCOME_OPEN || ++checked > 50) continue;
    ScoreOpportunityRequest request;
    request.set_opportunity_id(opp.opportunity_id());
    absl::StatusOr<ScoreOpportunityResponse> score = scoring.Score(request);
    ASSERT_TRUE(score.ok()) << score.status();
    int expected = 1;
    for (double band : bands) expected += score->hit_rate() >= band;
    EXPECT_EQ(score->grade(), expected) << score->hit_rate();
  }
  EXPECT_GT(checked, 0);
}

}  // namespace
}  // namespace c360

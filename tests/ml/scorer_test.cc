#include "ml/scorer.h"

#include <cmath>
#include <memory>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ml/trainer.h"
#include "tests/ml/maven_data.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

// A scorer over the Maven data with a model trained once per process. One
// thread: ctest runs each test in its own process, in parallel, and OpenMP
// threads waiting for each other on a busy machine slow training 100-fold.
const Scorer& MavenScorer() {
  static const Scorer* scorer = [] {
    TrainerOptions options;
    options.parameters.set_max_rounds(60);
    options.parameters.set_nthread(1);
    absl::StatusOr<StoredModel> model =
        TrainHitRateModel(MavenOpportunities(), options);
    EXPECT_TRUE(model.ok()) << model.status();
    ScorerOptions scoring;
    scoring.nthread = 1;
    absl::StatusOr<std::unique_ptr<Scorer>> created =
        Scorer::Create(*model, MavenOpportunities(), scoring);
    EXPECT_TRUE(created.ok()) << created.status();
    return created->release();
  }();
  return *scorer;
}

const Opportunity& Open(int nth) {
  for (const Opportunity& opp : MavenOpportunities()) {
    if (opp.outcome() == OUTCOME_OPEN && !opp.customer_id().empty() &&
        nth-- == 0) {
      return opp;
    }
  }
  return MavenOpportunities()[0];
}

TEST(ScorerTest, ContributionsSumToTheLogitOfThePrediction) {
  for (int i = 0; i < 20; ++i) {
    const Opportunity& opp = Open(i * 37);
    absl::StatusOr<OpportunityScore> score = MavenScorer().Explain(opp);
    ASSERT_TRUE(score.ok()) << score.status();
    absl::StatusOr<double> hit = MavenScorer().HitRate(opp);
    ASSERT_TRUE(hit.ok());
    double sum = score->bias;
    for (double c : score->contributions) sum += c;
    EXPECT_NEAR(sum, std::log(*hit / (1 - *hit)), 1e-4);
    EXPECT_NEAR(score->hit_rate, *hit, 1e-5);
    EXPECT_LE(score->positive.size(), 3u);
    for (const Factor& f : score->positive) EXPECT_GT(f.contribution, 0);
    for (const Factor& f : score->negative) EXPECT_LT(f.contribution, 0);
  }
}

TEST(ScorerTest, FactorsNameValues) {
  absl::StatusOr<OpportunityScore> score =
      MavenScorer().ExplainById(Open(0).opportunity_id());
  ASSERT_TRUE(score.ok()) << score.status();
  ASSERT_FALSE(score->positive.empty() && score->negative.empty());
  const Factor& top =
      score->positive.empty() ? score->negative[0] : score->positive[0];
  EXPECT_FALSE(top.feature.empty());
  EXPECT_FALSE(top.value.empty());
}

TEST(ScorerTest, BatchEqualsSingle) {
  std::vector<Opportunity> opps(MavenOpportunities().begin(),
                                MavenOpportunities().begin() + 300);
  absl::StatusOr<std::vector<float>> batch = MavenScorer().HitRates(opps);
  ASSERT_TRUE(batch.ok()) << batch.status();
  for (size_t i = 0; i < opps.size(); ++i) {
    EXPECT_FLOAT_EQ((*batch)[i], *MavenScorer().HitRate(opps[i]));
  }
}

TEST(ScorerTest, ExplainAllEqualsExplainingOneByOne) {
  std::vector<Opportunity> opps;
  for (int i = 0; i < 5000; ++i) opps.push_back(Open(i % 50));
  opps[7].set_price(0);
  std::vector<absl::StatusOr<OpportunityScore>> all =
      MavenScorer().ExplainAll(opps);
  ASSERT_EQ(all.size(), opps.size());
  EXPECT_TRUE(absl::IsInvalidArgument(all[7].status()));
  for (size_t i : {size_t{0}, size_t{8}, size_t{4095}, size_t{4096},
                   size_t{4999}}) {
    SCOPED_TRACE(i);
    absl::StatusOr<OpportunityScore> one = MavenScorer().Explain(opps[i]);
    ASSERT_TRUE(one.ok() && all[i].ok());
    EXPECT_NEAR(all[i]->hit_rate, one->hit_rate, 1e-6);
    ASSERT_EQ(all[i]->positive.size(), one->positive.size());
    EXPECT_EQ(all[i]->positive[0].feature, one->positive[0].feature);
    EXPECT_EQ(all[i]->grade, one->grade);
  }
}

TEST(ScorerTest, GradesByBands) {
  EXPECT_EQ(MavenScorer().Grade(0.05), 1);
  EXPECT_EQ(MavenScorer().Grade(0.2), 2);
  EXPECT_EQ(MavenScorer().Grade(0.59), 3);
  EXPECT_EQ(MavenScorer().Grade(0.95), 5);
}

TEST(WhatIfTest, MarginRisesWithPriceAndBestIsTheMaximum) {
  const Opportunity& opp = Open(3);
  absl::StatusOr<PriceWhatIf> what_if =
      MavenScorer().WhatIfPrice(opp.opportunity_id(),
                                CostModel{.fixed = 0.5 * opp.price()},
                                0.6 * opp.price(), 2 * opp.price(), 15);
  ASSERT_TRUE(what_if.ok()) << what_if.status();
  ASSERT_EQ(what_if->points.size(), 15u);
  EXPECT_DOUBLE_EQ(what_if->points.front().price, 0.6 * opp.price());
  EXPECT_DOUBLE_EQ(what_if->points.back().price, 2 * opp.price());
  double best = -1;
  for (size_t i = 0; i < what_if->points.size(); ++i) {
    const PricePoint& p = what_if->points[i];
    if (i > 0) {
      EXPECT_GT(p.margin, what_if->points[i - 1].margin);
    }
    EXPECT_NEAR(p.expected_profit, p.hit_rate * (p.price - 0.5 * opp.price()),
                1e-6 * opp.price());
    best = std::max(best, p.expected_profit);
  }
  EXPECT_EQ(what_if->best.expected_profit, best);
}

TEST(WhatIfTest, CostShareOfPriceLowersEveryMarginByTheShare) {
  const Opportunity& opp = Open(3);
  CostModel fixed{.fixed = 0.3 * opp.price()};
  CostModel with_commission{.fixed = 0.3 * opp.price(), .share_of_price = 0.1};
  auto plain = MavenScorer().WhatIfPrice(opp, fixed, 0.5 * opp.price(),
                                         1.5 * opp.price(), 11);
  auto shared = MavenScorer().WhatIfPrice(opp, with_commission,
                                          0.5 * opp.price(), 1.5 * opp.price(),
                                          11);
  ASSERT_TRUE(plain.ok() && shared.ok());
  for (size_t i = 0; i < plain->points.size(); ++i) {
    const PricePoint& a = plain->points[i];
    const PricePoint& b = shared->points[i];
    EXPECT_DOUBLE_EQ(b.hit_rate, a.hit_rate);  // the model sees the price only
    EXPECT_NEAR(b.margin, a.margin - 0.1, 1e-12);
    EXPECT_NEAR(b.expected_profit,
                b.hit_rate * (b.price - 0.3 * opp.price() - 0.1 * b.price),
                1e-6 * opp.price());
  }
}

TEST(WhatIfTest, BadInputsAreInvalidArgument) {
  const Scorer& scorer = MavenScorer();
  std::string id = Open(0).opportunity_id();
  auto status = [&](double cost, double lo, double hi, int steps,
                    double share = 0) {
    return scorer
        .WhatIfPrice(id, CostModel{.fixed = cost, .share_of_price = share}, lo,
                     hi, steps)
        .status();
  };
  EXPECT_TRUE(absl::IsInvalidArgument(status(10, 0, 100, 5)));
  EXPECT_TRUE(absl::IsInvalidArgument(status(10, -5, 100, 5)));
  EXPECT_TRUE(absl::IsInvalidArgument(status(60, 50, 100, 5)));
  EXPECT_TRUE(absl::IsInvalidArgument(status(10, 100, 50, 5)));
  EXPECT_TRUE(absl::IsInvalidArgument(status(10, 50, 100, 1)));
  EXPECT_TRUE(
      absl::IsInvalidArgument(status(10, 50, 100, kMaxWhatIfSteps + 1)));
  EXPECT_TRUE(absl::IsInvalidArgument(status(10, 50, 100, 5, 1.0)));
  EXPECT_TRUE(absl::IsInvalidArgument(status(10, 50, 100, 5, -0.1)));
  // 40 + 0.25 * 50 = 52.5 > 50: over the lowest price.
  EXPECT_TRUE(absl::IsInvalidArgument(status(40, 50, 100, 5, 0.25)));
  EXPECT_TRUE(status(40, 50, 100, 5, 0.2).ok());  // exactly 50
  absl::Status unknown =
      scorer.WhatIfPrice("no-such-id", CostModel{.fixed = 10}, 50, 100, 5)
          .status();
  EXPECT_TRUE(absl::IsNotFound(unknown));
  EXPECT_THAT(unknown.message(), HasSubstr("no-such-id"));
  EXPECT_TRUE(absl::IsNotFound(scorer.ExplainById("nope").status()));
  Opportunity free = Open(0);
  free.set_price(0);
  EXPECT_TRUE(absl::IsInvalidArgument(scorer.HitRate(free).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(scorer.Explain(free).status()));
}

TEST(ForecastTest, SumsOpenPipelineByOwnerAndProduct) {
  absl::StatusOr<PipelineForecast> forecast = MavenScorer().ForecastPipeline();
  ASSERT_TRUE(forecast.ok()) << forecast.status();
  EXPECT_EQ(forecast->total.count, 1589 + 500);
  EXPECT_EQ(forecast->total.without_cost, forecast->total.count);
  double by_owner = 0, by_product = 0;
  for (const ForecastGroup& g : forecast->by_owner)
    by_owner += g.expected_revenue;
  for (const ForecastGroup& g : forecast->by_product) {
    by_product += g.expected_revenue;
  }
  EXPECT_NEAR(by_owner, forecast->total.expected_revenue, 1e-3);
  EXPECT_NEAR(by_product, forecast->total.expected_revenue, 1e-3);
  EXPECT_EQ(forecast->by_product.size(), 7u);
  EXPECT_GT(forecast->total.expected_revenue, 0);
  double by_segment = 0;
  for (const ForecastGroup& g : forecast->by_segment) {
    by_segment += g.expected_revenue;
  }
  EXPECT_NEAR(by_segment, forecast->total.expected_revenue, 1e-3);
}

TEST(ForecastTest, FilterKeepsOnlyMatchingOpportunities) {
  const std::string& owner = Open(0).owner();
  PipelineFilter filter;
  filter.owner = owner;
  absl::StatusOr<PipelineForecast> forecast =
      MavenScorer().ForecastPipeline(filter);
  ASSERT_TRUE(forecast.ok()) << forecast.status();
  ASSERT_EQ(forecast->by_owner.size(), 1u);
  EXPECT_EQ(forecast->by_owner[0].key, owner);
  EXPECT_EQ(forecast->by_owner[0].count, forecast->total.count);
  EXPECT_GT(forecast->total.count, 0);
}

}  // namespace
}  // namespace c360

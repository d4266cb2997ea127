#include "ml/evaluation.h"

#include <cmath>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c360 {
namespace {

TEST(RocAucTest, KnownValues) {
  // Perfect, inverted and random-like rankings.
  EXPECT_DOUBLE_EQ(*RocAuc({0.1f, 0.2f, 0.8f, 0.9f}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(*RocAuc({0.9f, 0.8f, 0.2f, 0.1f}, {0, 0, 1, 1}), 0.0);
  // Positives at 0.35, 0.8; negatives at 0.1, 0.4: 3 of 4 pairs ordered.
  EXPECT_DOUBLE_EQ(*RocAuc({0.1f, 0.4f, 0.35f, 0.8f}, {0, 0, 1, 1}), 0.75);
}

TEST(RocAucTest, TiesCountHalf) {
  EXPECT_DOUBLE_EQ(*RocAuc({0.5f, 0.5f, 0.5f, 0.5f}, {0, 1, 0, 1}), 0.5);
  // Pairs: (p=.5 vs n=.5) tie 0.5, (p=.5 vs n=.2) 1, (p=.9 vs both) 2.
  EXPECT_DOUBLE_EQ(*RocAuc({0.5f, 0.9f, 0.5f, 0.2f}, {1, 1, 0, 0}), 3.5 / 4);
}

TEST(RocAucTest, BadInputs) {
  EXPECT_TRUE(absl::IsInvalidArgument(RocAuc({0.1f}, {1, 0}).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(RocAuc({0.1f, 0.2f}, {1, 1}).status()));
}

TEST(RocCurveTest, EndsAtCornersAndThins) {
  std::vector<RocPoint> roc = RocCurve({0.1f, 0.4f, 0.35f, 0.8f}, {0, 0, 1, 1});
  ASSERT_EQ(roc.size(), 5u);
  EXPECT_EQ(roc.front().true_positive_rate(), 0);
  EXPECT_EQ(roc.back().false_positive_rate(), 1);
  EXPECT_EQ(roc.back().true_positive_rate(), 1);
  EXPECT_EQ(roc[1].threshold(), 0.8f);
  EXPECT_EQ(roc[1].true_positive_rate(), 0.5);
  std::vector<float> scores, labels;
  for (int i = 0; i < 1000; ++i) {
    scores.push_back(i / 1000.0f);
    labels.push_back(i % 3 == 0);
  }
  EXPECT_EQ(RocCurve(scores, labels, 11).size(), 11u);
}

TEST(ConfusionTest, CountsAtThreshold) {
  ConfusionMatrix m =
      ConfusionAt({0.1f, 0.6f, 0.5f, 0.9f, 0.3f}, {0, 0, 1, 1, 1}, 0.5);
  EXPECT_EQ(m.true_positives(), 2);
  EXPECT_EQ(m.false_positives(), 1);
  EXPECT_EQ(m.true_negatives(), 1);
  EXPECT_EQ(m.false_negatives(), 1);
}

TEST(BrierTest, MeanSquaredError) {
  EXPECT_DOUBLE_EQ(BrierScore({1, 0}, {1, 0}), 0);
  EXPECT_NEAR(BrierScore({0.5f, 0.8f}, {1, 0}), (0.25 + 0.64) / 2, 1e-7);
}

TEST(ReliabilityTest, TenBins) {
  std::vector<ReliabilityBin> table =
      ReliabilityTable({0.05f, 0.07f, 0.95f, 1.0f}, {0, 1, 1, 1});
  ASSERT_EQ(table.size(), 10u);
  EXPECT_EQ(table[0].count(), 2);
  EXPECT_NEAR(table[0].mean_predicted(), 0.06, 1e-7);
  EXPECT_DOUBLE_EQ(table[0].observed_rate(), 0.5);
  EXPECT_EQ(table[9].count(), 2);
  EXPECT_EQ(table[5].count(), 0);
  EXPECT_DOUBLE_EQ(table[9].upper(), 1.0);
}

TEST(PlattTest, RecoversAKnownScale) {
  // Outcomes drawn deterministically with p = sigmoid(2m - 1).
  std::vector<float> margins, labels;
  for (int i = 0; i < 4000; ++i) {
    double m = -3 + 6.0 * i / 4000;
    double p = 1 / (1 + std::exp(-(2 * m - 1)));
    margins.push_back(m);
    labels.push_back(std::fmod(i * 0.6180339887, 1.0) < p);
  }
  PlattScaling fit = FitPlatt(margins, labels);
  EXPECT_NEAR(fit.a, 2, 0.2);
  EXPECT_NEAR(fit.b, -1, 0.15);
}

TEST(IsotonicTest, PoolsViolatorsIntoANonDecreasingStepFunction) {
  // Scores 0.1 .. 0.6 with outcomes 0 1 0 0 1 1: (0.2, 0.3, 0.4) violate.
  const std::vector<float> scores = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f};
  const std::vector<float> labels = {0, 1, 0, 0, 1, 1};
  const std::vector<CalibrationStep> steps = FitIsotonic(scores, labels);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_FLOAT_EQ(steps[0].upper_score(), 0.1f);
  EXPECT_DOUBLE_EQ(steps[0].probability(), 0.0);
  EXPECT_FLOAT_EQ(steps[1].upper_score(), 0.4f);
  EXPECT_NEAR(steps[1].probability(), 1.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(steps[2].probability(), 1.0);
  EXPECT_NEAR(ApplyIsotonic(steps, 0.35), 1.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(ApplyIsotonic(steps, 0.05), 0.0);
  EXPECT_DOUBLE_EQ(ApplyIsotonic(steps, 0.9), 1.0);
  // Never worse in squared error than the raw scores it was fitted on.
  std::vector<float> calibrated;
  for (float s : scores) calibrated.push_back(ApplyIsotonic(steps, s));
  EXPECT_LE(BrierScore(calibrated, labels), BrierScore(scores, labels));
}

}  // namespace
}  // namespace c360

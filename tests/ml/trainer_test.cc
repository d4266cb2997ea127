#include "ml/trainer.h"

#include <algorithm>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ml/maven_data.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

TEST(StratifiedSplitTest, SeededAndStratified) {
  std::vector<float> labels(400, 0.0f);
  std::fill(labels.begin(), labels.begin() + 100, 1.0f);
  DataSplit a = StratifiedSplit(labels, 0.25, 7);
  DataSplit b = StratifiedSplit(labels, 0.25, 7);
  DataSplit c = StratifiedSplit(labels, 0.25, 8);
  EXPECT_EQ(a.validation, b.validation);
  EXPECT_NE(a.validation, c.validation);
  ASSERT_EQ(a.validation.size(), 100u);
  EXPECT_EQ(a.train.size(), 300u);
  EXPECT_EQ(std::count_if(a.validation.begin(), a.validation.end(),
                          [](int i) { return i < 100; }),
            25);
}

TEST(StratifiedFoldsTest, EveryExampleValidatesOnceWithItsClassShare) {
  std::vector<float> labels(400, 0.0f);
  std::fill(labels.begin(), labels.begin() + 100, 1.0f);
  std::vector<DataSplit> folds = StratifiedFolds(labels, 5, 7);
  ASSERT_EQ(folds.size(), 5u);
  std::vector<int> validated(400, 0);
  for (const DataSplit& fold : folds) {
    EXPECT_EQ(fold.validation.size(), 80u);
    EXPECT_EQ(fold.train.size(), 320u);
    EXPECT_EQ(std::count_if(fold.validation.begin(), fold.validation.end(),
                            [](int i) { return i < 100; }),
              20);  // a quarter won, as in the whole
    for (int i : fold.validation) ++validated[i];
  }
  EXPECT_EQ(std::count(validated.begin(), validated.end(), 1), 400);
  EXPECT_EQ(StratifiedFolds(labels, 5, 7)[2].validation, folds[2].validation);
  EXPECT_NE(StratifiedFolds(labels, 5, 8)[2].validation, folds[2].validation);
}

TEST(TrainerTest, CrossValidationGivesOneAucPerFold) {
  TrainerOptions options;
  std::vector<int> reported;
  options.on_fold = [&](int done) { reported.push_back(done); };
  absl::StatusOr<std::vector<double>> aucs =
      CrossValidate(MavenOpportunities(), options, 3);
  ASSERT_TRUE(aucs.ok()) << aucs.status();
  ASSERT_EQ(aucs->size(), 3u);
  for (double auc : *aucs) {
    EXPECT_GT(auc, 0.5);
    EXPECT_LT(auc, 0.75);
  }
  EXPECT_NE((*aucs)[0], (*aucs)[1]);  // different folds, different models
  EXPECT_THAT(reported, ::testing::ElementsAre(1, 2, 3));
  options.on_fold = nullptr;
  absl::StatusOr<std::vector<double>> again =
      CrossValidate(MavenOpportunities(), options, 3);
  ASSERT_TRUE(again.ok());
  EXPECT_THAT(*again, ::testing::ElementsAreArray(*aucs));  // seeded
  EXPECT_TRUE(absl::IsInvalidArgument(
      CrossValidate(MavenOpportunities(), options, 1).status()));
}

TEST(TrainerTest, TooFewExamplesIsFailedPrecondition) {
  std::vector<Opportunity> opps;
  for (const Opportunity& opp : MavenOpportunities()) {
    int lost = std::count_if(opps.begin(), opps.end(), [](auto& o) {
      return o.outcome() == OUTCOME_LOST;
    });
    if (opp.outcome() != OUTCOME_LOST || lost < 39) opps.push_back(opp);
  }
  absl::StatusOr<StoredModel> model = TrainHitRateModel(opps, {});
  EXPECT_TRUE(absl::IsFailedPrecondition(model.status()));
  EXPECT_THAT(model.status().message(),
              HasSubstr("4238 won and 39 lost opportunities"));
}

// Trains once on Maven with the default options.
const StoredModel& MavenModel() {
  static const StoredModel* model = [] {
    absl::StatusOr<StoredModel> trained =
        TrainHitRateModel(MavenOpportunities(), TrainerOptions());
    EXPECT_TRUE(trained.ok()) << trained.status();
    return new StoredModel(trained.ok() ? *trained : StoredModel());
  }();
  return *model;
}

TEST(TrainerTest, EarlyStoppingKeepsTheBestRound) {
  const TrainingReport& report = MavenModel().report();
  const auto& by_round = report.validation_auc_by_round();
  ASSERT_GT(report.best_rounds(), 0);
  double best = *std::max_element(by_round.begin(), by_round.end());
  EXPECT_EQ(by_round[report.best_rounds() - 1], best);
  // The first maximum is kept, and the loop ran exactly the patience past it.
  for (int i = 0; i < report.best_rounds() - 1; ++i)
    EXPECT_LT(by_round[i], best);
  int patience = DefaultTrainingParameters().early_stopping_rounds();
  EXPECT_EQ(by_round.size(),
            std::min(report.best_rounds() + patience,
                     DefaultTrainingParameters().max_rounds()));
  EXPECT_NEAR(report.validation_auc(), best, 1e-6);
}

TEST(TrainerTest, MavenModelIsHonestAndComplete) {
  const StoredModel& model = MavenModel();
  const TrainingReport& report = model.report();
  std::cout << "train AUC " << report.train_auc() << ", validation AUC "
            << report.validation_auc() << ", rounds " << report.best_rounds()
            << "\n";
  // The outcome is only weakly predictable (published test AUC 0.648): a
  // much higher validation AUC would mean a leak.
  EXPECT_GT(report.validation_auc(), 0.55);
  EXPECT_LT(report.validation_auc(), 0.75);
  EXPECT_EQ(model.data().validation_won() + model.data().train_won(), 4238);
  EXPECT_EQ(model.data().validation_lost(), 618);  // round(0.25 * 2473)
  EXPECT_EQ(report.reliability_size(), 10);
  EXPECT_EQ(report.importance_size(), model.schema().features_size());
  EXPECT_GT(report.importance(0).gain(), 0);
  EXPECT_FALSE(model.model().empty());
  EXPECT_GT(report.brier(), 0);
  EXPECT_LT(report.brier(), 0.25);
}

}  // namespace
}  // namespace c360

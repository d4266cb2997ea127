// Training of hit-rate models: closed opportunities become examples (won =
// 1, lost = 0), a seeded stratified split holds out a validation share, and
// XGBoost boosts round by round in our own loop, keeping the round with the
// best validation AUC (early stopping). Not thread-safe per call; calls on
// different data may run concurrently.
#ifndef C360_ML_TRAINER_H_
#define C360_ML_TRAINER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "c360/opportunity.pb.h"
#include "ml/features.h"

namespace c360 {

// eta 0.02, max_depth 3, subsample 0.8, colsample_bytree 0.8,
// min_child_weight 30, lambda 1, nthread 2, seed 42, max_rounds 1000,
// early_stopping_rounds 50, validation_fraction 0.25. Shallow, slowly
// learnt trees with large leaves: CRM outcomes are noisy, and on the Maven
// data and the generated opportunities these beat depth 4 / eta 0.05 /
// min_child_weight 1 in 5-fold cross-validation (0.584 vs 0.570 and 0.753
// vs 0.744 mean AUC).
TrainingParameters DefaultTrainingParameters();

struct TrainerOptions {
  // Family the model belongs to in the registry.
  std::string family = "hit_rate";
  // Which columns the model sees.
  FeatureSet feature_set = FeatureSet::kAfterFirstOffer;
  // Scales of ordinal text columns.
  FeatureConfig features;
  // The customers' unified profiles, for the profile columns; null: none.
  std::shared_ptr<const CustomerProfiles> profiles;
  // XGBoost and loop parameters.
  TrainingParameters parameters = DefaultTrainingParameters();
  // Fewer won or fewer lost examples than this is FailedPrecondition.
  int min_class_examples = 40;
  // Threshold of the report's confusion matrix.
  double report_threshold = 0.5;
  // Fit Platt and isotonic calibration on the validation split (reported
  // with the Brier score each gives; the scorer uses the raw XGBoost hit
  // rate).
  bool calibrate = false;
  // Where the data came from, for the training-data summary.
  std::string source;
  // Called with the number of rounds done after each boosting round, e.g.
  // to draw progress; may be empty. Not called by CrossValidate.
  std::function<void(int rounds)> on_round;
  // CrossValidate calls it with the number of folds done after each fold;
  // calls are serialized but may come from different threads. May be
  // empty.
  std::function<void(int folds)> on_fold;
};

// The XGBoost booster parameters (name, value) that `p` trains with, as
// passed to XGBoosterSetParam: also what another XGBoost binding needs to
// reproduce a model.
std::vector<std::pair<std::string, std::string>> XgboostParameters(
    const TrainingParameters& p);

// Example indices for training and validation.
struct DataSplit {
  std::vector<int> train;
  std::vector<int> validation;
};

// Puts round(fraction * n) of each class into validation, chosen by a
// Fisher-Yates shuffle seeded with `seed` (same seed, same split on every
// platform); both lists ascending.
DataSplit StratifiedSplit(const std::vector<float>& labels, double fraction,
                          uint64_t seed);

// `folds` splits of the examples: each class shuffled as StratifiedSplit
// does, its i-th example validating in fold i % folds; every example
// validates in exactly one fold. Lists ascending.
std::vector<DataSplit> StratifiedFolds(const std::vector<float>& labels,
                                       int folds, uint64_t seed);

// The matrices a model is trained on, row-major, NaN = missing.
struct TrainingData {
  FeatureSchema schema;
  std::vector<float> train_values, train_labels;
  std::vector<float> validation_values, validation_labels;
  TrainingDataSummary summary;
};

// Features and split for the closed opportunities of `opportunities` (all
// of them, open ones included, feed the customers' histories).
// FailedPrecondition naming the counts when either class has fewer than
// options.min_class_examples examples.
absl::StatusOr<TrainingData> PrepareTrainingData(
    const std::vector<Opportunity>& opportunities,
    const TrainerOptions& options);

// Trains on `data` and evaluates on its validation split. The result is an
// unpublished StoredModel without version (the registry assigns it).
// Internal when XGBoost fails.
absl::StatusOr<StoredModel> TrainModel(const TrainingData& data,
                                       const TrainerOptions& options);

// The validation AUC of each fold of a stratified `folds`-fold
// cross-validation (StratifiedFolds with the parameters' seed): a model
// trained on the other folds with `options`, early stopping on the fold.
// InvalidArgument for fewer than 2 folds or more than
// options.min_class_examples; errors of PrepareTrainingData and TrainModel.
absl::StatusOr<std::vector<double>> CrossValidate(
    const std::vector<Opportunity>& opportunities,
    const TrainerOptions& options, int folds);

// PrepareTrainingData, then TrainModel.
absl::StatusOr<StoredModel> TrainHitRateModel(
    const std::vector<Opportunity>& opportunities,
    const TrainerOptions& options);

}  // namespace c360

#endif  // C360_ML_TRAINER_H_

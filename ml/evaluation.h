// Measures of a binary hit-rate model: ROC AUC and curve, confusion matrix,
// Brier score, reliability table, Platt calibration and XGBoost feature
// importance. Labels are 1 (won) and 0 (lost); scores are hit rates unless
// a function says otherwise. All functions are pure and thread-safe.
#ifndef C360_ML_EVALUATION_H_
#define C360_ML_EVALUATION_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/opportunity.pb.h"

namespace c360 {

// The probability that a random won example scores above a random lost one,
// tied scores counting one half (the Mann-Whitney statistic over average
// ranks). InvalidArgument when the sizes differ or a class is absent.
absl::StatusOr<double> RocAuc(const std::vector<float>& scores,
                              const std::vector<float>& labels);

// The ROC curve from (0,0) to (1,1), one point per distinct score, thinned
// to at most `max_points` (keeping both ends).
std::vector<RocPoint> RocCurve(const std::vector<float>& scores,
                               const std::vector<float>& labels,
                               int max_points = 101);

// Predictions with score >= `threshold` count as won.
ConfusionMatrix ConfusionAt(const std::vector<float>& scores,
                            const std::vector<float>& labels, double threshold);

// The mean of report.cross_validation_auc(); 0 when it is empty.
double MeanCrossValidationAuc(const TrainingReport& report);

// Mean of (score - label)^2; 0 for no examples.
double BrierScore(const std::vector<float>& scores,
                  const std::vector<float>& labels);

// `bins` equal-width bins over [0, 1]; a score of 1 falls in the last bin.
std::vector<ReliabilityBin> ReliabilityTable(const std::vector<float>& scores,
                                             const std::vector<float>& labels,
                                             int bins = 10);

// p = 1 / (1 + exp(-(a * margin + b))).
struct PlattScaling {
  double a = 1;
  double b = 0;
  double Apply(double margin) const;
};

// Fits a and b by Newton's method on the log loss of `margins` (logits)
// against `labels`, with Platt's smoothed targets against overconfidence.
PlattScaling FitPlatt(const std::vector<float>& margins,
                      const std::vector<float>& labels);

// The isotonic (non-decreasing) step function of `scores` that fits
// `labels` best in squared error, by pool-adjacent-violators. Empty for no
// examples.
std::vector<CalibrationStep> FitIsotonic(const std::vector<float>& scores,
                                         const std::vector<float>& labels);

// The calibrated probability of `score` under `steps` (sorted by
// upper_score): the first step whose upper_score is at least `score`, the
// last step above them all.
double ApplyIsotonic(const std::vector<CalibrationStep>& steps, double score);

// Gain, cover and weight (split count) of each column of `schema` in the
// XGBoost model `model_bytes`, by descending gain; unused columns are 0.
absl::StatusOr<std::vector<FeatureImportance>> ModelFeatureImportance(
    absl::string_view model_bytes, const FeatureSchema& schema);

}  // namespace c360

#endif  // C360_ML_EVALUATION_H_

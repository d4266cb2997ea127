#include "ml/evaluation.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ml/xgb_handle.h"

namespace c360 {
namespace {

// Indices of `scores`, highest score first.
std::vector<size_t> DescendingOrder(const std::vector<float>& scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  return order;
}

// The model's per-feature score of one importance type, by feature name.
absl::StatusOr<absl::flat_hash_map<std::string, double>> ScoreOfType(
    void* booster, const FeatureSchema& schema, const char* type) {
  std::vector<std::string> names;
  for (const FeatureSpec& spec : schema.features()) {
    names.push_back(absl::StrCat("\"", spec.name(), "\""));
  }
  std::string config =
      absl::StrCat(R"({"importance_type": ")", type, R"(", "feature_names": [)",
                   absl::StrJoin(names, ","), "]}");
  bst_ulong n_features = 0, dims = 0;
  const char** features = nullptr;
  const bst_ulong* shape = nullptr;
  const float* scores = nullptr;
  absl::Status status = ml_internal::XgbCheck(
      XGBoosterFeatureScore(booster, config.c_str(), &n_features, &features,
                            &dims, &shape, &scores),
      "feature score");
  if (!status.ok()) return status;
  absl::flat_hash_map<std::string, double> result;
  for (bst_ulong i = 0; i < n_features; ++i) result[features[i]] = scores[i];
  return result;
}

}  // namespace

absl::StatusOr<double> RocAuc(const std::vector<float>& scores,
                              const std::vector<float>& labels) {
  if (scores.size() != labels.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(scores.size(), " scores but ", labels.size(), " labels"));
  }
  std::vector<size_t> order = DescendingOrder(scores);
  std::reverse(order.begin(), order.end());  // ascending ranks
  double positive_rank_sum = 0;
  double positives = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) ++j;
    double average_rank = (i + 1 + j) / 2.0;  // ranks i+1 .. j
    for (size_t k = i; k < j; ++k) {
      if (labels[order[k]] > 0.5f) {
        positive_rank_sum += average_rank;
        ++positives;
      }
    }
    i = j;
  }
  double negatives = static_cast<double>(scores.size()) - positives;
  if (positives == 0 || negatives == 0) {
    return absl::InvalidArgumentError("AUC needs both won and lost examples");
  }
  return (positive_rank_sum - positives * (positives + 1) / 2) /
         (positives * negatives);
}

std::vector<RocPoint> RocCurve(const std::vector<float>& scores,
                               const std::vector<float>& labels,
                               int max_points) {
  double positives = std::count_if(labels.begin(), labels.end(),
                                   [](float l) { return l > 0.5f; });
  double negatives = static_cast<double>(labels.size()) - positives;
  std::vector<RocPoint> points(1);
  points[0].set_threshold(std::numeric_limits<double>::infinity());
  std::vector<size_t> order = DescendingOrder(scores);
  double tp = 0, fp = 0;
  for (size_t i = 0; i < order.size(); ++i) {
    (labels[order[i]] > 0.5f ? tp : fp) += 1;
    if (i + 1 < order.size() && scores[order[i + 1]] == scores[order[i]]) {
      continue;
    }
    RocPoint point;
    point.set_threshold(scores[order[i]]);
    point.set_false_positive_rate(negatives > 0 ? fp / negatives : 0);
    point.set_true_positive_rate(positives > 0 ? tp / positives : 0);
    points.push_back(point);
  }
  if (max_points < 2 || static_cast<int>(points.size()) <= max_points) {
    return points;
  }
  std::vector<RocPoint> thinned;
  for (int i = 0; i < max_points; ++i) {
    thinned.push_back(points[i * (points.size() - 1) / (max_points - 1)]);
  }
  return thinned;
}

ConfusionMatrix ConfusionAt(const std::vector<float>& scores,
                            const std::vector<float>& labels,
                            double threshold) {
  ConfusionMatrix m;
  m.set_threshold(threshold);
  for (size_t i = 0; i < scores.size(); ++i) {
    bool predicted = scores[i] >= threshold;
    bool won = labels[i] > 0.5f;
    if (predicted && won) m.set_true_positives(m.true_positives() + 1);
    if (predicted && !won) m.set_false_positives(m.false_positives() + 1);
    if (!predicted && !won) m.set_true_negatives(m.true_negatives() + 1);
    if (!predicted && won) m.set_false_negatives(m.false_negatives() + 1);
  }
  return m;
}

double MeanCrossValidationAuc(const TrainingReport& report) {
  if (report.cross_validation_auc_size() == 0) return 0;
  double sum = 0;
  for (double auc : report.cross_validation_auc()) sum += auc;
  return sum / report.cross_validation_auc_size();
}

double BrierScore(const std::vector<float>& scores,
                  const std::vector<float>& labels) {
  if (scores.empty()) return 0;
  double sum = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    double d = static_cast<double>(scores[i]) - labels[i];
    sum += d * d;
  }
  return sum / scores.size();
}

std::vector<ReliabilityBin> ReliabilityTable(const std::vector<float>& scores,
                                             const std::vector<float>& labels,
                                             int bins) {
  std::vector<ReliabilityBin> table(bins);
  std::vector<double> predicted(bins), won(bins);
  for (size_t i = 0; i < scores.size(); ++i) {
    int bin = std::clamp(static_cast<int>(scores[i] * bins), 0, bins - 1);
    table[bin].set_count(table[bin].count() + 1);
    predicted[bin] += scores[i];
    won[bin] += labels[i] > 0.5f;
  }
  for (int b = 0; b < bins; ++b) {
    table[b].set_lower(static_cast<double>(b) / bins);
    table[b].set_upper(static_cast<double>(b + 1) / bins);
    if (table[b].count() == 0) continue;
    table[b].set_mean_predicted(predicted[b] / table[b].count());
    table[b].set_observed_rate(won[b] / table[b].count());
  }
  return table;
}

double PlattScaling::Apply(double margin) const {
  return 1.0 / (1.0 + std::exp(-(a * margin + b)));
}

PlattScaling FitPlatt(const std::vector<float>& margins,
                      const std::vector<float>& labels) {
  double positives = std::count_if(labels.begin(), labels.end(),
                                   [](float l) { return l > 0.5f; });
  double negatives = static_cast<double>(labels.size()) - positives;
  double hi = (positives + 1) / (positives + 2);
  double lo = 1 / (negatives + 2);
  PlattScaling fit;
  for (int iteration = 0; iteration < 50; ++iteration) {
    // Gradient and Hessian of the log loss in (a, b).
    double ga = 0, gb = 0, haa = 1e-12, hab = 0, hbb = 1e-12;
    for (size_t i = 0; i < margins.size(); ++i) {
      double p = fit.Apply(margins[i]);
      double t = labels[i] > 0.5f ? hi : lo;
      double w = p * (1 - p);
      ga += (p - t) * margins[i];
      gb += p - t;
      haa += w * margins[i] * margins[i];
      hab += w * margins[i];
      hbb += w;
    }
    double det = haa * hbb - hab * hab;
    if (det <= 0) break;
    double da = (hbb * ga - hab * gb) / det;
    double db = (haa * gb - hab * ga) / det;
    fit.a -= da;
    fit.b -= db;
    if (std::abs(da) + std::abs(db) < 1e-10) break;
  }
  return fit;
}

std::vector<CalibrationStep> FitIsotonic(const std::vector<float>& scores,
                                         const std::vector<float>& labels) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return scores[a] < scores[b]; });
  // Blocks of pooled examples: label sum, count, highest score.
  struct Block {
    double sum = 0;
    double count = 0;
    double upper = 0;
  };
  std::vector<Block> blocks;
  for (size_t i : order) {
    blocks.push_back({labels[i] > 0.5f ? 1.0 : 0.0, 1, scores[i]});
    // Pool while the previous block's mean is not below the last one's.
    while (blocks.size() > 1) {
      const Block& last = blocks.back();
      Block& previous = blocks[blocks.size() - 2];
      if (previous.sum * last.count < last.sum * previous.count) break;
      previous.sum += last.sum;
      previous.count += last.count;
      previous.upper = last.upper;
      blocks.pop_back();
    }
  }
  std::vector<CalibrationStep> steps;
  for (const Block& block : blocks) {
    CalibrationStep step;
    step.set_upper_score(block.upper);
    step.set_probability(block.sum / block.count);
    steps.push_back(step);
  }
  return steps;
}

double ApplyIsotonic(const std::vector<CalibrationStep>& steps, double score) {
  auto it = std::lower_bound(
      steps.begin(), steps.end(), score,
      [](const CalibrationStep& step, double s) { return step.upper_score() < s; });
  if (it == steps.end()) return steps.empty() ? score : steps.back().probability();
  return it->probability();
}

absl::StatusOr<std::vector<FeatureImportance>> ModelFeatureImportance(
    absl::string_view model_bytes, const FeatureSchema& schema) {
  absl::StatusOr<ml_internal::Booster> booster =
      ml_internal::LoadBooster(model_bytes);
  if (!booster.ok()) return booster.status();
  const char* types[] = {"gain", "cover", "weight"};
  absl::flat_hash_map<std::string, double> by_type[3];
  for (int t = 0; t < 3; ++t) {
    auto scores = ScoreOfType(booster->get(), schema, types[t]);
    if (!scores.ok()) return scores.status();
    by_type[t] = *std::move(scores);
  }
  std::vector<FeatureImportance> result;
  for (const FeatureSpec& spec : schema.features()) {
    FeatureImportance importance;
    importance.set_feature(spec.name());
    importance.set_gain(by_type[0][spec.name()]);
    importance.set_cover(by_type[1][spec.name()]);
    importance.set_weight(by_type[2][spec.name()]);
    result.push_back(importance);
  }
  std::stable_sort(
      result.begin(), result.end(),
      [](const auto& a, const auto& b) { return a.gain() > b.gain(); });
  return result;
}

}  // namespace c360

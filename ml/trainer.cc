#include "ml/trainer.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <random>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "ml/evaluation.h"
#include "ml/xgb_handle.h"

namespace c360 {
namespace {

using ml_internal::Booster;
using ml_internal::DMatrix;
using ml_internal::XgbCheck;

// Rows `indices` of the row-major `values` with `cols` columns.
std::vector<float> TakeRows(const std::vector<float>& values, int cols,
                            const std::vector<int>& indices) {
  std::vector<float> rows;
  rows.reserve(indices.size() * cols);
  for (int i : indices) {
    rows.insert(rows.end(), values.begin() + int64_t{i} * cols,
                values.begin() + int64_t{i + 1} * cols);
  }
  return rows;
}

std::vector<float> Take(const std::vector<float>& values,
                        const std::vector<int>& indices) {
  std::vector<float> taken;
  for (int i : indices) taken.push_back(values[i]);
  return taken;
}

void CountClasses(const std::vector<float>& labels, int64_t* won,
                  int64_t* lost) {
  *won = std::count(labels.begin(), labels.end(), 1.0f);
  *lost = static_cast<int64_t>(labels.size()) - *won;
}

void SummarizeDates(const std::vector<Opportunity>& examples,
                    TrainingDataSummary* summary) {
  auto by_created = [](const Opportunity& a, const Opportunity& b) {
    return a.created_at().seconds() < b.created_at().seconds();
  };
  auto [first, last] =
      std::minmax_element(examples.begin(), examples.end(), by_created);
  *summary->mutable_first_created_at() = first->created_at();
  *summary->mutable_last_created_at() = last->created_at();
}

absl::Status SetParameters(void* booster, const TrainingParameters& p) {
  for (const auto& [name, value] : XgboostParameters(p)) {
    absl::Status status =
        XgbCheck(XGBoosterSetParam(booster, name.c_str(), value.c_str()),
                 "set parameter");
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// Boosts until `early_stopping_rounds` rounds bring no better validation
// AUC; fills report->validation_auc_by_round and best_rounds.
absl::StatusOr<Booster> Boost(void* train, void* validation,
                              const std::vector<float>& validation_labels,
                              const TrainingParameters& p,
                              const std::function<void(int)>& on_round,
                              TrainingReport* report) {
  void* cache[] = {train, validation};  // cached: each round predicts once
  BoosterHandle handle = nullptr;
  absl::Status status =
      XgbCheck(XGBoosterCreate(cache, 2, &handle), "create booster");
  if (!status.ok()) return status;
  Booster booster(handle);
  status = SetParameters(handle, p);
  int best = -1;
  double best_auc = -1;
  for (int round = 0; status.ok() && round < p.max_rounds() &&
                      round - best <= p.early_stopping_rounds();
       ++round) {
    status = XgbCheck(XGBoosterUpdateOneIter(handle, round, train), "update");
    if (!status.ok()) break;
    absl::StatusOr<std::vector<float>> scores =
        ml_internal::Predict(handle, validation, 0);
    absl::StatusOr<double> auc =
        scores.ok() ? RocAuc(*scores, validation_labels) : scores.status();
    if (!auc.ok()) return auc.status();
    report->add_validation_auc_by_round(*auc);
    if (on_round) on_round(round + 1);
    if (*auc > best_auc) {
      best = round;
      best_auc = *auc;
    }
  }
  if (!status.ok()) return status;
  BoosterHandle sliced = nullptr;
  status = XgbCheck(XGBoosterSlice(handle, 0, best + 1, 1, &sliced), "slice");
  if (!status.ok()) return status;
  report->set_best_rounds(best + 1);
  return Booster(sliced);
}

// Fills the validation measures of `report` from the kept model.
// Platt (already fitted) and isotonic calibration of the validation hit
// rates, with the Brier score each gives.
void ReportCalibrations(const std::vector<float>& scores,
                        const std::vector<float>& margins,
                        const std::vector<float>& labels,
                        const PlattScaling& platt, TrainingReport* report) {
  const std::vector<CalibrationStep> steps = FitIsotonic(scores, labels);
  std::vector<float> by_platt, by_isotonic;
  for (size_t i = 0; i < scores.size(); ++i) {
    by_platt.push_back(static_cast<float>(platt.Apply(margins[i])));
    by_isotonic.push_back(static_cast<float>(ApplyIsotonic(steps, scores[i])));
  }
  for (const CalibrationStep& step : steps) *report->add_isotonic() = step;
  report->set_brier_platt(BrierScore(by_platt, labels));
  report->set_brier_isotonic(BrierScore(by_isotonic, labels));
}

absl::Status Evaluate(void* booster, void* train, void* validation,
                      const TrainingData& data, const TrainerOptions& options,
                      TrainingReport* report) {
  auto train_scores = ml_internal::Predict(booster, train, 0);
  auto scores = ml_internal::Predict(booster, validation, 0);
  auto margins = ml_internal::Predict(booster, validation, 1);
  if (!train_scores.ok()) return train_scores.status();
  if (!scores.ok()) return scores.status();
  if (!margins.ok()) return margins.status();
  const std::vector<float>& labels = data.validation_labels;
  absl::StatusOr<double> train_auc = RocAuc(*train_scores, data.train_labels);
  absl::StatusOr<double> auc = RocAuc(*scores, labels);
  if (!train_auc.ok()) return train_auc.status();
  if (!auc.ok()) return auc.status();
  report->set_train_auc(*train_auc);
  report->set_validation_auc(*auc);
  for (const RocPoint& p : RocCurve(*scores, labels)) *report->add_roc() = p;
  *report->mutable_confusion() =
      ConfusionAt(*scores, labels, options.report_threshold);
  report->set_brier(BrierScore(*scores, labels));
  for (const ReliabilityBin& bin : ReliabilityTable(*scores, labels)) {
    *report->add_reliability() = bin;
  }
  PlattScaling platt =
      options.calibrate ? FitPlatt(*margins, labels) : PlattScaling();
  report->set_platt_a(platt.a);
  report->set_platt_b(platt.b);
  if (options.calibrate) ReportCalibrations(*scores, *margins, labels, platt, report);
  return absl::OkStatus();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> XgboostParameters(
    const TrainingParameters& p) {
  return {
      {"objective", "binary:logistic"},
      {"tree_method", "hist"},
      {"eta", absl::StrCat(p.eta())},
      {"max_depth", absl::StrCat(p.max_depth())},
      {"subsample", absl::StrCat(p.subsample())},
      {"colsample_bytree", absl::StrCat(p.colsample_bytree())},
      {"min_child_weight", absl::StrCat(p.min_child_weight())},
      {"lambda", absl::StrCat(p.lambda())},
      {"nthread", absl::StrCat(p.nthread())},
      {"seed", absl::StrCat(p.seed())},
      {"verbosity", "0"},
  };
}

TrainingParameters DefaultTrainingParameters() {
  TrainingParameters p;
  p.set_eta(0.02);
  p.set_max_depth(3);
  p.set_subsample(0.8);
  p.set_colsample_bytree(0.8);
  p.set_min_child_weight(30);
  p.set_lambda(1);
  p.set_nthread(2);
  p.set_seed(42);
  p.set_max_rounds(1000);
  p.set_early_stopping_rounds(50);
  p.set_validation_fraction(0.25);
  return p;
}

namespace {

// Each class's example indices in a seeded Fisher-Yates order (the same
// order on every platform), lost (0) first.
std::vector<std::vector<int>> ShuffledClasses(const std::vector<float>& labels,
                                              uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<std::vector<int>> classes;
  for (float label : {0.0f, 1.0f}) {
    std::vector<int>& members = classes.emplace_back();
    for (size_t i = 0; i < labels.size(); ++i) {
      if (labels[i] == label) members.push_back(static_cast<int>(i));
    }
    for (size_t i = members.size(); i > 1; --i) {
      std::swap(members[i - 1], members[random() % i]);
    }
  }
  return classes;
}

// The closed opportunities as labelled feature rows, encoded once for any
// number of splits.
struct EncodedExamples {
  std::vector<Opportunity> examples;
  std::vector<float> labels;
  FeatureSchema schema;
  std::vector<float> values;  // row-major, schema order
};

absl::StatusOr<EncodedExamples> EncodeExamples(
    const std::vector<Opportunity>& opportunities,
    const TrainerOptions& options) {
  EncodedExamples encoded;
  for (const Opportunity& opp : opportunities) {
    if (opp.outcome() != OUTCOME_WON && opp.outcome() != OUTCOME_LOST) continue;
    encoded.examples.push_back(opp);
    encoded.labels.push_back(opp.outcome() == OUTCOME_WON ? 1.0f : 0.0f);
  }
  int64_t won = 0, lost = 0;
  CountClasses(encoded.labels, &won, &lost);
  if (won < options.min_class_examples || lost < options.min_class_examples) {
    return absl::FailedPreconditionError(
        absl::StrCat("too few examples to train: ", won, " won and ", lost,
                     " lost opportunities, need at least ",
                     options.min_class_examples, " of each"));
  }
  // Each customer's profile is read once however many deals it has.
  AccountHistory history(
      opportunities,
      options.profiles == nullptr
          ? nullptr
          : std::make_shared<MemoizedCustomerProfiles>(options.profiles));
  encoded.schema = FeatureEncoder::BuildSchema(
      options.feature_set, encoded.examples, history, options.features);
  absl::StatusOr<FeatureEncoder> encoder =
      FeatureEncoder::Create(encoded.schema);
  if (!encoder.ok()) return encoder.status();
  encoded.values = encoder->EncodeAll(encoded.examples, history);
  return encoded;
}

TrainingData SplitExamples(const EncodedExamples& encoded,
                           const DataSplit& split,
                           const TrainerOptions& options) {
  TrainingData data;
  data.schema = encoded.schema;
  int cols = encoded.schema.features_size();
  data.train_values = TakeRows(encoded.values, cols, split.train);
  data.validation_values = TakeRows(encoded.values, cols, split.validation);
  data.train_labels = Take(encoded.labels, split.train);
  data.validation_labels = Take(encoded.labels, split.validation);
  TrainingDataSummary& s = data.summary;
  s.set_source(options.source);
  int64_t won = 0, lost = 0;
  CountClasses(data.train_labels, &won, &lost);
  s.set_train_won(won);
  s.set_train_lost(lost);
  CountClasses(data.validation_labels, &won, &lost);
  s.set_validation_won(won);
  s.set_validation_lost(lost);
  SummarizeDates(encoded.examples, &s);
  return data;
}

}  // namespace

DataSplit StratifiedSplit(const std::vector<float>& labels, double fraction,
                          uint64_t seed) {
  DataSplit split;
  for (const std::vector<int>& members : ShuffledClasses(labels, seed)) {
    size_t held_out = std::llround(fraction * members.size());
    split.validation.insert(split.validation.end(), members.begin(),
                            members.begin() + held_out);
    split.train.insert(split.train.end(), members.begin() + held_out,
                       members.end());
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.validation.begin(), split.validation.end());
  return split;
}

std::vector<DataSplit> StratifiedFolds(const std::vector<float>& labels,
                                       int folds, uint64_t seed) {
  std::vector<DataSplit> splits(folds);
  for (const std::vector<int>& members : ShuffledClasses(labels, seed)) {
    for (size_t i = 0; i < members.size(); ++i) {
      for (int f = 0; f < folds; ++f) {
        (static_cast<int>(i % folds) == f ? splits[f].validation
                                          : splits[f].train)
            .push_back(members[i]);
      }
    }
  }
  for (DataSplit& split : splits) {
    std::sort(split.train.begin(), split.train.end());
    std::sort(split.validation.begin(), split.validation.end());
  }
  return splits;
}

absl::StatusOr<TrainingData> PrepareTrainingData(
    const std::vector<Opportunity>& opportunities,
    const TrainerOptions& options) {
  absl::StatusOr<EncodedExamples> encoded =
      EncodeExamples(opportunities, options);
  if (!encoded.ok()) return encoded.status();
  const TrainingParameters& p = options.parameters;
  return SplitExamples(
      *encoded, StratifiedSplit(encoded->labels, p.validation_fraction(), p.seed()),
      options);
}

absl::StatusOr<std::vector<double>> CrossValidate(
    const std::vector<Opportunity>& opportunities,
    const TrainerOptions& options, int folds) {
  if (folds < 2 || folds > options.min_class_examples) {
    return absl::InvalidArgumentError(
        absl::StrCat("cross-validation needs 2 to ", options.min_class_examples,
                     " folds, not ", folds));
  }
  absl::StatusOr<EncodedExamples> encoded =
      EncodeExamples(opportunities, options);
  if (!encoded.ok()) return encoded.status();
  // Folds train side by side on one thread each: XGBoost's own threads
  // wait on each other every round, which costs more than they gain on
  // data this small, above all on a busy machine.
  TrainerOptions fold_options = options;
  fold_options.on_round = nullptr;
  fold_options.calibrate = false;
  fold_options.parameters.set_nthread(1);
  const std::vector<DataSplit> splits =
      StratifiedFolds(encoded->labels, folds, options.parameters.seed());
  std::vector<absl::StatusOr<StoredModel>> models(
      folds, absl::UnknownError("fold not trained"));
  std::atomic<int> next{0};
  absl::Mutex done_mutex;
  int done = 0;
  auto work = [&] {
    for (int f = next++; f < folds; f = next++) {
      models[f] = TrainModel(SplitExamples(*encoded, splits[f], options),
                             fold_options);
      absl::MutexLock lock(&done_mutex);
      if (options.on_fold) options.on_fold(++done);
    }
  };
  std::vector<std::thread> workers;
  for (int i = 1; i < std::min(folds, options.parameters.nthread()); ++i) {
    workers.emplace_back(work);
  }
  work();
  for (std::thread& worker : workers) worker.join();
  std::vector<double> aucs;
  for (const absl::StatusOr<StoredModel>& model : models) {
    if (!model.ok()) return model.status();
    aucs.push_back(model->report().validation_auc());
  }
  return aucs;
}

absl::StatusOr<StoredModel> TrainModel(const TrainingData& data,
                                       const TrainerOptions& options) {
  int cols = data.schema.features_size();
  absl::StatusOr<DMatrix> train =
      ml_internal::MakeDMatrix(data.train_values, data.train_labels.size(),
                               data.schema, data.train_labels);
  if (!train.ok()) return train.status();
  absl::StatusOr<DMatrix> validation = ml_internal::MakeDMatrix(
      data.validation_values, data.validation_values.size() / cols, data.schema,
      data.validation_labels);
  if (!validation.ok()) return validation.status();
  StoredModel model;
  absl::StatusOr<Booster> booster =
      Boost(train->get(), validation->get(), data.validation_labels,
            options.parameters, options.on_round, model.mutable_report());
  if (!booster.ok()) return booster.status();
  absl::Status status =
      Evaluate(booster->get(), train->get(), validation->get(), data, options,
               model.mutable_report());
  if (!status.ok()) return status;
  absl::StatusOr<std::string> bytes = ml_internal::SaveBooster(booster->get());
  if (!bytes.ok()) return bytes.status();
  auto importance = ModelFeatureImportance(*bytes, data.schema);
  if (!importance.ok()) return importance.status();
  for (FeatureImportance& f : *importance) {
    *model.mutable_report()->add_importance() = std::move(f);
  }
  model.set_family(options.family);
  model.mutable_created_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  *model.mutable_parameters() = options.parameters;
  *model.mutable_data() = data.summary;
  *model.mutable_schema() = data.schema;
  model.set_model(*std::move(bytes));
  return model;
}

absl::StatusOr<StoredModel> TrainHitRateModel(
    const std::vector<Opportunity>& opportunities,
    const TrainerOptions& options) {
  absl::StatusOr<TrainingData> data =
      PrepareTrainingData(opportunities, options);
  if (!data.ok()) return data.status();
  return TrainModel(*data, options);
}

}  // namespace c360

#include "ml/scorer.h"

#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "absl/memory/memory.h"
#include "absl/strings/str_cat.h"

namespace c360 {
namespace {

using ml_internal::XgbCheck;

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

absl::Status CheckPrice(const Opportunity& opp) {
  if (opp.price() > 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("opportunity '", opp.opportunity_id(), "' has price ",
                   opp.price(), "; a price must be positive"));
}

absl::Status CheckPriceRange(const CostModel& cost, double min_price,
                             double max_price, int steps) {
  if (!(min_price > 0) || !(max_price >= min_price)) {
    return absl::InvalidArgumentError(
        absl::StrCat("price range [", min_price, ", ", max_price,
                     "] must be positive and ascending"));
  }
  if (!(cost.share_of_price >= 0 && cost.share_of_price < 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cost share of price ", cost.share_of_price, " must be in [0, 1)"));
  }
  // The share cannot push the cost over the price at a higher price when it
  // does not at the lowest one.
  if (!(cost.fixed >= 0) || cost.At(min_price) > min_price) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cost ", cost.At(min_price), " must be between 0 and the lowest price ",
        min_price));
  }
  if (steps < 2 || steps > kMaxWhatIfSteps) {
    return absl::InvalidArgumentError(absl::StrCat(
        "steps ", steps, " must be between 2 and ", kMaxWhatIfSteps));
  }
  return absl::OkStatus();
}

void AddTo(ForecastGroup* group, const Opportunity& opp, double hit_rate) {
  ++group->count;
  group->expected_revenue += hit_rate * opp.price();
  if (opp.has_cost()) {
    group->expected_profit += hit_rate * (opp.price() - opp.cost());
  } else {
    ++group->without_cost;
  }
}

std::vector<ForecastGroup> Groups(std::map<std::string, ForecastGroup> map) {
  std::vector<ForecastGroup> groups;
  for (auto& [key, group] : map) {
    group.key = key;
    groups.push_back(std::move(group));
  }
  return groups;
}


void Add(const ForecastGroup& from, ForecastGroup* into) {
  into->count += from.count;
  into->expected_revenue += from.expected_revenue;
  into->expected_profit += from.expected_profit;
  into->without_cost += from.without_cost;
}

void Merge(const std::vector<ForecastGroup>& from,
           std::vector<ForecastGroup>* into) {
  std::map<std::string, ForecastGroup> merged;
  for (const ForecastGroup& g : *into) Add(g, &merged[g.key]);
  for (const ForecastGroup& g : from) Add(g, &merged[g.key]);
  *into = Groups(std::move(merged));
}

absl::StatusOr<ml_internal::Booster> LoadWithThreads(const StoredModel& model,
                                                     int nthread) {
  absl::StatusOr<ml_internal::Booster> booster =
      ml_internal::LoadBooster(model.model());
  if (!booster.ok()) return booster.status();
  absl::Status status =
      XgbCheck(XGBoosterSetParam(booster->get(), "nthread",
                                 absl::StrCat(nthread).c_str()),
               "set nthread");
  if (!status.ok()) return status;
  return booster;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Scorer>> Scorer::Create(
    const StoredModel& model, std::vector<Opportunity> opportunities,
    const ScorerOptions& default_options) {
  ScorerOptions options = default_options;
  if (model.grade_bands_size() > 0) {
    options.grade_bands.assign(model.grade_bands().begin(),
                               model.grade_bands().end());
  }
  absl::Status bands = CheckGradeBands(options.grade_bands);
  if (!bands.ok()) return bands;
  absl::StatusOr<FeatureEncoder> encoder =
      FeatureEncoder::Create(model.schema());
  if (!encoder.ok()) return encoder.status();
  absl::StatusOr<ml_internal::Booster> batch =
      LoadWithThreads(model, options.nthread);
  if (!batch.ok()) return batch.status();
  // One row gains nothing from threads but pays for waking them (a p99 of
  // milliseconds on a busy machine), so single scoring has its own booster.
  absl::StatusOr<ml_internal::Booster> single = LoadWithThreads(model, 1);
  if (!single.ok()) return single.status();
  return absl::WrapUnique(new Scorer(*std::move(encoder), *std::move(batch),
                                     *std::move(single),
                                     std::move(opportunities), options));
}

Scorer::Scorer(FeatureEncoder encoder, ml_internal::Booster batch_booster,
               ml_internal::Booster single_booster,
               std::vector<Opportunity> opportunities,
               const ScorerOptions& options)
    : encoder_(std::move(encoder)),
      booster_(std::move(batch_booster)),
      single_booster_(std::move(single_booster)),
      opportunities_(std::move(opportunities)),
      history_(opportunities_, options.profiles),
      options_(options) {
  for (size_t i = 0; i < opportunities_.size(); ++i) {
    index_[opportunities_[i].opportunity_id()] = static_cast<int>(i);
  }
}

absl::StatusOr<double> Scorer::HitRate(const Opportunity& opp) const {
  absl::Status status = CheckPrice(opp);
  if (!status.ok()) return status;
  std::vector<float> row(encoder_.num_features());
  encoder_.Encode(opp, history_, row.data());
  absl::StatusOr<std::vector<float>> hit = ml_internal::PredictDense(
      single_booster_.get(), row.data(), 1, row.size(), 0);
  if (!hit.ok()) return hit.status();
  return (*hit)[0];
}

absl::StatusOr<std::vector<float>> Scorer::HitRates(
    const std::vector<Opportunity>& opps) const {
  for (const Opportunity& opp : opps) {
    absl::Status status = CheckPrice(opp);
    if (!status.ok()) return status;
  }
  if (opps.empty()) return std::vector<float>();
  std::vector<float> values = encoder_.EncodeAll(opps, history_);
  return ml_internal::PredictDense(booster_.get(), values.data(), opps.size(),
                                   encoder_.num_features(), 0);
}

absl::StatusOr<std::vector<float>> Scorer::Contributions(
    const std::vector<float>& rows, void* booster) const {
  absl::StatusOr<ml_internal::DMatrix> matrix = ml_internal::MakeDMatrix(
      rows, rows.size() / encoder_.num_features(), encoder_.schema(), {});
  if (!matrix.ok()) return matrix.status();
  absl::MutexLock lock(&explain_mutex_);
  return ml_internal::Predict(booster, matrix->get(), 2);
}

std::vector<Factor> Scorer::TopFactors(const float* row,
                                       const std::vector<double>& contributions,
                                       bool positive) const {
  std::vector<Factor> factors;
  for (int i = 0; i < encoder_.num_features(); ++i) {
    double c = contributions[i];
    if (positive ? c <= 0 : c >= 0) continue;
    const FeatureSpec& spec = encoder_.schema().features(i);
    factors.push_back({spec.name(), FeatureValueText(spec, row[i]), c});
  }
  std::sort(factors.begin(), factors.end(), [&](const auto& a, const auto& b) {
    return positive ? a.contribution > b.contribution
                    : a.contribution < b.contribution;
  });
  if (static_cast<int>(factors.size()) > options_.top_factors) {
    factors.resize(options_.top_factors);
  }
  return factors;
}

absl::StatusOr<OpportunityScore> Scorer::Explain(const Opportunity& opp) const {
  absl::Status status = CheckPrice(opp);
  if (!status.ok()) return status;
  std::vector<float> row(encoder_.num_features());
  encoder_.Encode(opp, history_, row.data());
  absl::StatusOr<std::vector<float>> contributions =
      Contributions(row, single_booster_.get());
  if (!contributions.ok()) return contributions.status();
  return ScoreOf(row.data(), contributions->data());
}

std::vector<absl::StatusOr<OpportunityScore>> Scorer::ExplainAll(
    const std::vector<Opportunity>& opps) const {
  // Batches bound the contributions matrix (rows x (features + 1)).
  constexpr size_t kBatch = 4096;
  const int cols = encoder_.num_features();
  std::vector<absl::StatusOr<OpportunityScore>> scores;
  scores.reserve(opps.size());
  for (size_t begin = 0; begin < opps.size(); begin += kBatch) {
    std::vector<size_t> valid;  // indices into opps
    std::vector<float> rows;
    for (size_t i = begin; i < std::min(opps.size(), begin + kBatch); ++i) {
      absl::Status price = CheckPrice(opps[i]);
      scores.push_back(price.ok() ? absl::UnknownError("not scored") : price);
      if (!price.ok()) continue;
      valid.push_back(i);
      rows.resize(rows.size() + cols);
      encoder_.Encode(opps[i], history_, rows.data() + rows.size() - cols);
    }
    if (valid.empty()) continue;
    absl::StatusOr<std::vector<float>> contributions =
        Contributions(rows, booster_.get());
    for (size_t r = 0; r < valid.size(); ++r) {
      scores[valid[r]] =
          contributions.ok()
              ? absl::StatusOr<OpportunityScore>(
                    ScoreOf(rows.data() + r * cols,
                            contributions->data() + r * (cols + 1)))
              : contributions.status();
    }
  }
  return scores;
}

OpportunityScore Scorer::ScoreOf(const float* row,
                                 const float* contributions) const {
  const int cols = encoder_.num_features();
  OpportunityScore score;
  score.contributions.assign(contributions, contributions + cols);
  score.bias = contributions[cols];
  score.margin = score.bias;
  for (double c : score.contributions) score.margin += c;
  score.hit_rate = Sigmoid(score.margin);
  score.grade = Grade(score.hit_rate);
  score.positive = TopFactors(row, score.contributions, true);
  score.negative = TopFactors(row, score.contributions, false);
  return score;
}

absl::StatusOr<const Opportunity*> Scorer::Find(absl::string_view id) const {
  auto it = index_.find(id);
  if (it == index_.end()) {
    return absl::NotFoundError(absl::StrCat("unknown opportunity '", id, "'"));
  }
  return &opportunities_[it->second];
}

absl::StatusOr<OpportunityScore> Scorer::ExplainById(
    absl::string_view id) const {
  absl::StatusOr<const Opportunity*> opp = Find(id);
  if (!opp.ok()) return opp.status();
  return Explain(**opp);
}

absl::StatusOr<PriceWhatIf> Scorer::WhatIfPrice(absl::string_view id,
                                                const CostModel& cost,
                                                double min_price,
                                                double max_price,
                                                int steps) const {
  absl::StatusOr<const Opportunity*> opp = Find(id);
  if (!opp.ok()) return opp.status();
  return WhatIfPrice(**opp, cost, min_price, max_price, steps);
}

absl::StatusOr<PriceWhatIf> Scorer::WhatIfPrice(const Opportunity& opp,
                                                const CostModel& cost,
                                                double min_price,
                                                double max_price,
                                                int steps) const {
  absl::Status status = CheckPriceRange(cost, min_price, max_price, steps);
  if (!status.ok()) return status;
  std::vector<Opportunity> variants(steps, opp);
  for (int i = 0; i < steps; ++i) {
    variants[i].set_price(min_price +
                          (max_price - min_price) * i / (steps - 1));
  }
  absl::StatusOr<std::vector<float>> hits = HitRates(variants);
  if (!hits.ok()) return hits.status();
  PriceWhatIf what_if;
  for (int i = 0; i < steps; ++i) {
    PricePoint point;
    point.price = variants[i].price();
    point.hit_rate = (*hits)[i];
    point.margin = (point.price - cost.At(point.price)) / point.price;
    point.expected_profit = point.hit_rate * point.price * point.margin;
    if (i == 0 || point.expected_profit > what_if.best.expected_profit) {
      what_if.best = point;
    }
    what_if.points.push_back(point);
  }
  return what_if;
}

absl::StatusOr<PipelineForecast> Scorer::ForecastPipeline(
    const PipelineFilter& filter,
    const std::vector<CustomerGroup>& customer_groups) const {
  std::vector<Opportunity> open;
  for (const Opportunity& opp : opportunities_) {
    if (opp.outcome() == OUTCOME_OPEN && MatchesFilter(filter, opp)) {
      open.push_back(opp);
    }
  }
  absl::StatusOr<std::vector<float>> hits = HitRates(open);
  if (!hits.ok()) return hits.status();
  PipelineForecast forecast;
  std::map<std::string, ForecastGroup> by_owner, by_product, by_segment;
  for (size_t i = 0; i < open.size(); ++i) {
    AddTo(&forecast.total, open[i], (*hits)[i]);
    AddTo(&by_owner[open[i].owner()], open[i], (*hits)[i]);
    AddTo(&by_product[open[i].product()], open[i], (*hits)[i]);
    AddTo(&by_segment[open[i].account().sector()], open[i], (*hits)[i]);
  }
  forecast.by_owner = Groups(std::move(by_owner));
  forecast.by_product = Groups(std::move(by_product));
  forecast.by_segment = Groups(std::move(by_segment));
  for (const CustomerGroup& group : customer_groups) {
    ForecastGroup& total = forecast.by_customer_group.emplace_back();
    total.key = group.name;
    for (size_t i = 0; i < open.size(); ++i) {
      if (group.contains(open[i])) AddTo(&total, open[i], (*hits)[i]);
    }
  }
  return forecast;
}

bool MatchesFilter(const PipelineFilter& filter, const Opportunity& opp) {
  auto match = [](const std::string& want, const std::string& have) {
    return want.empty() || want == have;
  };
  return match(filter.owner, opp.owner()) &&
         match(filter.product, opp.product()) &&
         match(filter.segment, opp.account().sector()) &&
         (!filter.stage.has_value() || *filter.stage == StageOf(opp)) &&
         (!filter.customer_in || filter.customer_in(opp));
}

void MergeForecast(const PipelineForecast& from, PipelineForecast* into) {
  Add(from.total, &into->total);
  Merge(from.by_owner, &into->by_owner);
  Merge(from.by_product, &into->by_product);
  Merge(from.by_segment, &into->by_segment);
  Merge(from.by_customer_group, &into->by_customer_group);
}

absl::Status CheckGradeBands(const std::vector<double>& bands) {
  if (bands.size() != 4) {
    return absl::InvalidArgumentError(absl::StrCat(
        "grade bands need 4 values (lower bounds of grades 2 to 5), got ",
        bands.size()));
  }
  for (size_t i = 0; i < bands.size(); ++i) {
    if (!(bands[i] > 0 && bands[i] < 1)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "grade band ", bands[i], " is not strictly between 0 and 1"));
    }
    if (i > 0 && !(bands[i] > bands[i - 1])) {
      return absl::InvalidArgumentError(
          absl::StrCat("grade bands must increase: ", bands[i], " follows ",
                       bands[i - 1]));
    }
  }
  return absl::OkStatus();
}

int Scorer::Grade(double hit_rate) const {
  int grade = 1;
  for (double band : options_.grade_bands) grade += hit_rate >= band;
  return grade;
}

}  // namespace c360

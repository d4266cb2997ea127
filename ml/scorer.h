// Scoring with a trained hit-rate model: the hit rate of an opportunity,
// its grade and the features that pushed it up or down, what-if pricing,
// and the expected value of the open pipeline.
#ifndef C360_ML_SCORER_H_
#define C360_ML_SCORER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "c360/opportunity.pb.h"
#include "ml/features.h"
#include "ml/stages.h"
#include "ml/xgb_handle.h"

namespace c360 {

struct ScorerOptions {
  // Lower hit-rate bounds of grades 2, 3, 4 and 5, ascending; below the
  // first band is grade 1. A model published with its own bands
  // (StoredModel::grade_bands) is graded by those instead.
  std::vector<double> grade_bands = {0.2, 0.4, 0.6, 0.8};
  // Factors reported on each side.
  int top_factors = 3;
  // Threads XGBoost uses for batch scoring.
  int nthread = 2;
  // The customers' unified profiles for the profile columns of a model
  // trained with them; null: those columns are missing.
  std::shared_ptr<const CustomerProfiles> profiles;
};

// One feature's push on one prediction, in logit units (SHAP value).
struct Factor {
  std::string feature;
  // The opportunity's value of the feature, "(missing)" when unknown.
  std::string value;
  double contribution = 0;
};

struct OpportunityScore {
  // Probability that the opportunity is won.
  double hit_rate = 0;
  // The logit of hit_rate: bias + the sum of all contributions.
  double margin = 0;
  // 1 (least likely) to 5 by ScorerOptions::grade_bands.
  int grade = 1;
  // Largest positive contributions first, at most top_factors.
  std::vector<Factor> positive;
  // Most negative contributions first, at most top_factors.
  std::vector<Factor> negative;
  // The model's base logit (the contribution of no feature).
  double bias = 0;
  // Every feature's contribution in schema order, for audits and tests.
  std::vector<double> contributions;
};

// Our cost of an offer as it depends on the price: a fixed part (goods,
// delivery) and a share of the price (commissions, royalties, card fees).
struct CostModel {
  double fixed = 0;
  // 0 <= share < 1.
  double share_of_price = 0;

  double At(double price) const { return fixed + share_of_price * price; }
};

struct PricePoint {
  double price = 0;
  double hit_rate = 0;
  // (price - cost.At(price)) / price.
  double margin = 0;
  // hit_rate * price * margin.
  double expected_profit = 0;
};

struct PriceWhatIf {
  // Ascending prices from the lowest to the highest of the range.
  std::vector<PricePoint> points;
  // The point with the highest expected profit (the lowest price on ties).
  PricePoint best;
};

// Expected value of a group of open opportunities.
struct ForecastGroup {
  std::string key;
  int64_t count = 0;
  // Sum of hit_rate * price.
  double expected_revenue = 0;
  // Sum of hit_rate * price * margin over the opportunities with a cost.
  double expected_profit = 0;
  // Opportunities without a cost, left out of expected_profit.
  int64_t without_cost = 0;
};

struct PipelineForecast {
  ForecastGroup total;
  // By owner (sales agent), by product and by segment (the customer's
  // sector, "" when unknown), in key order.
  std::vector<ForecastGroup> by_owner;
  std::vector<ForecastGroup> by_product;
  std::vector<ForecastGroup> by_segment;
  // One group per CustomerGroup asked for (its name as key; names are
  // unique), in key order; a group may be empty, and groups may overlap.
  std::vector<ForecastGroup> by_customer_group;
};

// A test on an opportunity (its customer, typically); called from the
// forecasting thread only.
using OpportunityPredicate = std::function<bool(const Opportunity&)>;

// Which open opportunities a forecast covers; an empty field matches all.
struct PipelineFilter {
  std::string owner;
  std::string product;
  // The customer's sector (AccountAttributes::sector).
  std::string segment;
  // Only opportunities at this stage (StageOf); all when unset.
  std::optional<ModelStage> stage;
  // Only opportunities it accepts, e.g. whose customer is in a c360 segment
  // (server/customer_segments.h); all when empty.
  OpportunityPredicate customer_in;
};

// A named set of customers to total the pipeline of, e.g. a c360 segment.
struct CustomerGroup {
  std::string name;
  OpportunityPredicate contains;
};

// True when `opp` matches every field of `filter` (whatever its outcome).
bool MatchesFilter(const PipelineFilter& filter, const Opportunity& opp);

// Adds the counts and sums of `from` to `into`, group by group (groups
// stay in key order).
void MergeForecast(const PipelineForecast& from, PipelineForecast* into);

// OkStatus for four increasing grade bands in (0, 1); InvalidArgument
// with the reason otherwise.
absl::Status CheckGradeBands(const std::vector<double>& bands);

// The most prices a what-if evaluates.
inline constexpr int kMaxWhatIfSteps = 1000;

// A loaded model plus the opportunities it scores against (for customer
// histories and lookups by id). Thread-safe; Explain calls are serialized.
class Scorer {
 public:
  // InvalidArgument when the model's schema or the grade bands in use
  // (CheckGradeBands) are bad, Internal when XGBoost cannot load its bytes.
  static absl::StatusOr<std::unique_ptr<Scorer>> Create(
      const StoredModel& model, std::vector<Opportunity> opportunities,
      const ScorerOptions& options = ScorerOptions());

  // The hit rate of `opp`; InvalidArgument when its price is not positive.
  absl::StatusOr<double> HitRate(const Opportunity& opp) const;

  // Hit rates of `opps`, in order; InvalidArgument naming the first
  // opportunity with a price that is not positive.
  absl::StatusOr<std::vector<float>> HitRates(
      const std::vector<Opportunity>& opps) const;

  // Hit rate, grade and top factors of `opp`.
  absl::StatusOr<OpportunityScore> Explain(const Opportunity& opp) const;

  // Explain for each of `opps`, in order, computed in batches on
  // options.nthread threads (the same scores as one Explain call each; an
  // opportunity with a price that is not positive gets InvalidArgument).
  // For scoring a whole pipeline.
  std::vector<absl::StatusOr<OpportunityScore>> ExplainAll(
      const std::vector<Opportunity>& opps) const;

  // Explain for a known opportunity; NotFound for an unknown id.
  absl::StatusOr<OpportunityScore> ExplainById(absl::string_view id) const;

  // The known opportunity; NotFound for an unknown id.
  absl::StatusOr<const Opportunity*> Find(absl::string_view id) const;

  // `opp` offered at `steps` (2 to kMaxWhatIfSteps) evenly spaced prices
  // from `min_price` to `max_price` at our cost `cost`. InvalidArgument for
  // min_price <= 0, max_price < min_price, a negative fixed cost, a share
  // outside [0, 1), a cost above the lowest price or steps out of range.
  absl::StatusOr<PriceWhatIf> WhatIfPrice(const Opportunity& opp,
                                          const CostModel& cost,
                                          double min_price, double max_price,
                                          int steps) const;

  // WhatIfPrice for a known opportunity; NotFound for an unknown id.
  absl::StatusOr<PriceWhatIf> WhatIfPrice(absl::string_view id,
                                          const CostModel& cost,
                                          double min_price, double max_price,
                                          int steps) const;

  // Expected revenue and profit of the known open opportunities that match
  // `filter`, also per group of `customer_groups`.
  absl::StatusOr<PipelineForecast> ForecastPipeline(
      const PipelineFilter& filter = PipelineFilter(),
      const std::vector<CustomerGroup>& customer_groups = {}) const;

  // The grade of a hit rate under the options' bands.
  int Grade(double hit_rate) const;

 private:
  Scorer(FeatureEncoder encoder, ml_internal::Booster batch_booster,
         ml_internal::Booster single_booster,
         std::vector<Opportunity> opportunities, const ScorerOptions& options);

  // Each feature's contribution then the bias, per row of the row-major
  // `rows`, by `booster`.
  absl::StatusOr<std::vector<float>> Contributions(const std::vector<float>& rows,
                                                   void* booster) const;
  // The score of one encoded row from its contributions (bias last).
  OpportunityScore ScoreOf(const float* row, const float* contributions) const;
  std::vector<Factor> TopFactors(const float* row,
                                 const std::vector<double>& contributions,
                                 bool positive) const;

  FeatureEncoder encoder_;
  // The same model with options.nthread threads and with one thread.
  ml_internal::Booster booster_;
  ml_internal::Booster single_booster_;
  std::vector<Opportunity> opportunities_;
  absl::flat_hash_map<std::string, int> index_;
  AccountHistory history_;
  ScorerOptions options_;
  mutable absl::Mutex explain_mutex_;
};

}  // namespace c360

#endif  // C360_ML_SCORER_H_

// Model inputs of an opportunity, built only from what was known at the
// opportunity's "as-of" date, so that training never sees the future.
//
// Two feature sets:
//   at_creation        - who sells (owner, manager, regional office, lead
//                        source), the customer's firmographics (sector,
//                        revenue, employees, year established, office
//                        location, parent company) and the customer's
//                        history as of the creation date: won and lost
//                        deals and won revenue from opportunities CLOSED
//                        strictly before that date, win rate, tenure (days
//                        since the customer's first opportunity); the
//                        creation date's month and day within its quarter.
//   after_first_offer  - all of the above with the history as of the first
//                        offer date, plus what the offer says: product,
//                        series, price, days from creation to the offer.
// For Maven data the only date before the close is engage_date (imported
// as created_at, no first offer date), so both sets take their history as
// of engage_date and after_first_offer adds product, series and list price.
// An opportunity without any date (Maven "Prospecting") is scored "now":
// its history includes every closed deal.
//
// Categorical columns carry their vocabulary in the FeatureSchema (code i =
// i-th value) and go to XGBoost as feature type "c"; unknown or empty
// values are missing (NaN), so scoring tolerates values unseen in training.
#ifndef C360_ML_FEATURES_H_
#define C360_ML_FEATURES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/opportunity.pb.h"

namespace c360 {

enum class FeatureSet { kAtCreation, kAfterFirstOffer };

// "at_creation" or "after_first_offer".
absl::string_view FeatureSetName(FeatureSet set);

// The inverse of FeatureSetName; InvalidArgument for another name.
absl::StatusOr<FeatureSet> ParseFeatureSet(absl::string_view name);

// Seconds since the epoch of the date the features of `opp` describe under
// `set`; INT64_MAX ("now") when the opportunity has no date.
int64_t AsOfSeconds(const Opportunity& opp, FeatureSet set);

// The closed deals of each customer, to answer "what did we know about this
// customer at time T". Immutable after construction; thread-safe.
class AccountHistory {
 public:
  struct Summary {
    int won = 0;
    int lost = 0;
    double won_revenue = 0;
    // Days since the customer's first opportunity created before T; 0 when
    // none was or when T is "now" (INT64_MAX).
    double tenure_days = 0;
  };

  // Indexes every closed opportunity of `opportunities` by customer_id.
  explicit AccountHistory(const std::vector<Opportunity>& opportunities);

  // The customer's deals closed strictly before `as_of_seconds`.
  Summary AsOf(absl::string_view customer_id, int64_t as_of_seconds) const;

 private:
  struct Customer {
    // Close times, ascending, and running totals up to each of them.
    std::vector<int64_t> closed_at;
    std::vector<int> won_through, lost_through;
    std::vector<double> revenue_through;
    int64_t first_created = INT64_MAX;
  };
  absl::flat_hash_map<std::string, Customer> customers_;
};

// Turns opportunities into rows of floats in a schema's column order.
// Immutable; thread-safe.
class FeatureEncoder {
 public:
  // The columns of `set`, with each categorical vocabulary learnt (sorted)
  // from `examples`.
  static FeatureSchema BuildSchema(FeatureSet set,
                                   const std::vector<Opportunity>& examples);

  // An encoder for `schema` (as built above or as stored with a model);
  // InvalidArgument for an unknown feature set or column name.
  static absl::StatusOr<FeatureEncoder> Create(const FeatureSchema& schema);

  int num_features() const { return static_cast<int>(columns_.size()); }
  const FeatureSchema& schema() const { return schema_; }

  // Writes num_features() values for `opp` to `row`; NaN marks missing.
  void Encode(const Opportunity& opp, const AccountHistory& history,
              float* row) const;

  // All rows, row-major.
  std::vector<float> EncodeAll(const std::vector<Opportunity>& opps,
                               const AccountHistory& history) const;

 private:
  struct Column {
    int definition;  // index into the feature definitions
    absl::flat_hash_map<std::string, int> codes;
  };

  FeatureEncoder(FeatureSchema schema, FeatureSet set,
                 std::vector<Column> columns)
      : schema_(std::move(schema)), set_(set), columns_(std::move(columns)) {}

  FeatureSchema schema_;
  FeatureSet set_;
  std::vector<Column> columns_;
};

}  // namespace c360

#endif  // C360_ML_FEATURES_H_

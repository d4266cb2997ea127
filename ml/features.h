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
// Both sets add columns that depend on the data (present only when some
// training example has a value):
//   attribute.<name>     - the opportunity's further CRM fields
//                          (Opportunity.attributes);
//   source.<source>      - records of the customer's unified profile that
//                          the source had observed before the as-of date;
//   profile_tenure_days  - days from the profile's first such record;
//   enrichment.<name>    - the profile's purchased values whose delivery
//                          arrived before the as-of date.
// (The same names as the segment fields of a profile.) A text column
// (attribute.*, enrichment.*) is ordinal when FeatureConfig gives it a
// scale, numeric when every training value is a number (and FeatureConfig
// does not list it as categorical), else categorical.
//
// Categorical columns carry their vocabulary in the FeatureSchema (code i =
// i-th value) and go to XGBoost as feature type "c"; unknown or empty
// values are missing (NaN), so scoring tolerates values unseen in training.
// Ordinal columns carry their scale and go to XGBoost as numbers 1..n.
#ifndef C360_ML_FEATURES_H_
#define C360_ML_FEATURES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/opportunity.pb.h"
#include "ml/customer_profiles.h"

namespace c360 {

enum class FeatureSet { kAtCreation, kAfterFirstOffer };

// "at_creation" or "after_first_offer".
absl::string_view FeatureSetName(FeatureSet set);

// The inverse of FeatureSetName; InvalidArgument for another name.
absl::StatusOr<FeatureSet> ParseFeatureSet(absl::string_view name);

// Seconds since the epoch of the date the features of `opp` describe under
// `set`; INT64_MAX ("now") when the opportunity has no date.
int64_t AsOfSeconds(const Opportunity& opp, FeatureSet set);

// The closed deals of each customer and, when given, the customers' unified
// profiles, to answer "what did we know about this customer at time T".
// Immutable after construction; thread-safe.
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

  // Indexes every closed opportunity of `opportunities` by customer_id;
  // `profiles` may be null (no profile columns).
  explicit AccountHistory(
      const std::vector<Opportunity>& opportunities,
      std::shared_ptr<const CustomerProfiles> profiles = nullptr);

  // The customer's deals closed strictly before `as_of_seconds`.
  Summary AsOf(absl::string_view customer_id, int64_t as_of_seconds) const;

  // The customer's profile; nullptr without profiles or for a key that
  // names none.
  std::shared_ptr<const ProfileTimeline> Profile(
      absl::string_view customer_id) const;

 private:
  struct Customer {
    // Close times, ascending, and running totals up to each of them.
    std::vector<int64_t> closed_at;
    std::vector<int> won_through, lost_through;
    std::vector<double> revenue_through;
    int64_t first_created = INT64_MAX;
  };
  absl::flat_hash_map<std::string, Customer> customers_;
  std::shared_ptr<const CustomerProfiles> profiles_;
};

// Turns opportunities into rows of floats in a schema's column order.
// Immutable; thread-safe.
// How a row's value of `spec` reads to a person: the category or level it
// codes, the number, or "(missing)".
std::string FeatureValueText(const FeatureSpec& spec, float value);

class FeatureEncoder {
 public:
  // The columns of `set` plus the data-dependent ones `examples` have values
  // for (as of their dates in `history`), each categorical vocabulary learnt
  // (sorted) from `examples`, scales from `config`.
  static FeatureSchema BuildSchema(FeatureSet set,
                                   const std::vector<Opportunity>& examples,
                                   const AccountHistory& history,
                                   const FeatureConfig& config = {});

  // An encoder for `schema` (as built above or as stored with a model);
  // InvalidArgument for an unknown feature set or column name, or a column
  // of the wrong type.
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
  enum class Kind {
    kDefined,     // one of the fixed columns
    kAttribute,   // attribute.<key>
    kRecords,     // source.<key>
    kTenure,      // profile_tenure_days
    kPurchased,   // enrichment.<key>
  };
  struct Column {
    Kind kind = Kind::kDefined;
    int definition = -1;  // index into the fixed columns, kDefined only
    std::string key;
    // Text value -> number: category code, or rank 1..n (lower-cased
    // levels) for an ordinal column; unused for a numeric one.
    absl::flat_hash_map<std::string, int> codes;
    bool ordinal = false;
    // A number spelled as text (neither categorical nor ordinal).
    bool numeric = false;
  };

  static absl::StatusOr<Column> ParseColumn(const FeatureSpec& spec);

  FeatureEncoder(FeatureSchema schema, FeatureSet set,
                 std::vector<Column> columns)
      : schema_(std::move(schema)), set_(set), columns_(std::move(columns)) {}

  FeatureSchema schema_;
  FeatureSet set_;
  std::vector<Column> columns_;
};

}  // namespace c360

#endif  // C360_ML_FEATURES_H_

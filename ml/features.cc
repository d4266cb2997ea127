#include "ml/features.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace c360 {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
constexpr double kSecondsPerDay = 86400.0;

// What a numeric feature may look at besides the opportunity itself.
struct Context {
  bool has_customer;
  AccountHistory::Summary history;
};

// One possible column. Categorical ones read `text`, numeric ones `number`.
struct Definition {
  const char* name;
  bool offer_only;  // only in after_first_offer
  std::string (*text)(const Opportunity&);
  float (*number)(const Opportunity&, const Context&);
};

float AccountNumber(const Opportunity& o, double value) {
  return o.has_account() ? static_cast<float>(value) : kMissing;
}

float HistoryNumber(const Context& c, double value) {
  return c.has_customer ? static_cast<float>(value) : kMissing;
}

float WinRate(const Context& c) {
  int closed = c.history.won + c.history.lost;
  if (!c.has_customer || closed == 0) return kMissing;
  return static_cast<float>(c.history.won) / closed;
}

float DaysToFirstOffer(const Opportunity& o) {
  if (!o.has_first_offer_at() || !o.has_created_at()) return kMissing;
  return static_cast<float>(
      (o.first_offer_at().seconds() - o.created_at().seconds()) /
      kSecondsPerDay);
}

// The creation date's calendar day; false when there is no creation date.
bool CreatedDay(const Opportunity& o, absl::CivilDay* day) {
  if (!o.has_created_at()) return false;
  *day = absl::ToCivilDay(absl::FromUnixSeconds(o.created_at().seconds()),
                          absl::UTCTimeZone());
  return true;
}

// Sales follow the calendar: deals opened early in a quarter close at a
// different rate than those opened just before the quarter's end.
float CreatedMonth(const Opportunity& o) {
  absl::CivilDay day;
  return CreatedDay(o, &day) ? day.month() : kMissing;
}

float CreatedDayOfQuarter(const Opportunity& o) {
  absl::CivilDay day;
  if (!CreatedDay(o, &day)) return kMissing;
  int first_month = (day.month() - 1) / 3 * 3 + 1;
  return static_cast<float>(day - absl::CivilDay(day.year(), first_month, 1));
}

// Every column either set can have, in schema order.
const Definition kDefinitions[] = {
    {"owner", false, [](const Opportunity& o) { return o.owner(); }, nullptr},
    {"manager", false, [](const Opportunity& o) { return o.manager(); },
     nullptr},
    {"regional_office", false,
     [](const Opportunity& o) { return o.regional_office(); }, nullptr},
    {"lead_source", false, [](const Opportunity& o) { return o.lead_source(); },
     nullptr},
    {"sector", false, [](const Opportunity& o) { return o.account().sector(); },
     nullptr},
    {"office_location", false,
     [](const Opportunity& o) { return o.account().office_location(); },
     nullptr},
    // An account without a parent is "independent"; without an account the
    // value is unknown.
    {"subsidiary_of", false,
     [](const Opportunity& o) {
       if (!o.has_account()) return std::string();
       const std::string& parent = o.account().subsidiary_of();
       return parent.empty() ? std::string("(independent)") : parent;
     },
     nullptr},
    {"account_revenue_musd", false, nullptr,
     [](const Opportunity& o, const Context&) {
       return AccountNumber(o, o.account().revenue_musd());
     }},
    {"account_employees", false, nullptr,
     [](const Opportunity& o, const Context&) {
       return AccountNumber(o, o.account().employees());
     }},
    {"account_year_established", false, nullptr,
     [](const Opportunity& o, const Context&) {
       return AccountNumber(o, o.account().year_established());
     }},
    {"prior_won", false, nullptr,
     [](const Opportunity&, const Context& c) {
       return HistoryNumber(c, c.history.won);
     }},
    {"prior_lost", false, nullptr,
     [](const Opportunity&, const Context& c) {
       return HistoryNumber(c, c.history.lost);
     }},
    {"prior_won_revenue", false, nullptr,
     [](const Opportunity&, const Context& c) {
       return HistoryNumber(c, c.history.won_revenue);
     }},
    {"prior_win_rate", false, nullptr,
     [](const Opportunity&, const Context& c) { return WinRate(c); }},
    {"tenure_days", false, nullptr,
     [](const Opportunity&, const Context& c) {
       return HistoryNumber(c, c.history.tenure_days);
     }},
    {"created_month", false, nullptr,
     [](const Opportunity& o, const Context&) { return CreatedMonth(o); }},
    {"created_day_of_quarter", false, nullptr,
     [](const Opportunity& o, const Context&) {
       return CreatedDayOfQuarter(o);
     }},
    {"product", true, [](const Opportunity& o) { return o.product(); },
     nullptr},
    {"series", true, [](const Opportunity& o) { return o.series(); }, nullptr},
    {"price", true, nullptr,
     [](const Opportunity& o, const Context&) {
       return static_cast<float>(o.price());
     }},
    {"days_to_first_offer", true, nullptr,
     [](const Opportunity& o, const Context&) { return DaysToFirstOffer(o); }},
};
constexpr int kDefinitionCount = sizeof(kDefinitions) / sizeof(kDefinitions[0]);

int FindDefinition(absl::string_view name) {
  for (int i = 0; i < kDefinitionCount; ++i) {
    if (name == kDefinitions[i].name) return i;
  }
  return -1;
}

// Revenue of a won deal for the customer's history: the booked value when
// there is one, else the offer price.
double WonRevenue(const Opportunity& opp) {
  return opp.close_value() > 0 ? opp.close_value() : opp.price();
}

}  // namespace

absl::string_view FeatureSetName(FeatureSet set) {
  return set == FeatureSet::kAtCreation ? "at_creation" : "after_first_offer";
}

absl::StatusOr<FeatureSet> ParseFeatureSet(absl::string_view name) {
  if (name == "at_creation") return FeatureSet::kAtCreation;
  if (name == "after_first_offer") return FeatureSet::kAfterFirstOffer;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown feature set '", name,
                   "' (want at_creation or after_first_offer)"));
}

int64_t AsOfSeconds(const Opportunity& opp, FeatureSet set) {
  if (set == FeatureSet::kAfterFirstOffer && opp.has_first_offer_at()) {
    return opp.first_offer_at().seconds();
  }
  if (opp.has_created_at()) return opp.created_at().seconds();
  return std::numeric_limits<int64_t>::max();
}

AccountHistory::AccountHistory(const std::vector<Opportunity>& opportunities) {
  std::vector<const Opportunity*> closed;
  for (const Opportunity& opp : opportunities) {
    if (opp.customer_id().empty()) continue;
    Customer& customer = customers_[opp.customer_id()];
    if (opp.has_created_at()) {
      customer.first_created =
          std::min(customer.first_created, opp.created_at().seconds());
    }
    if (opp.outcome() == OUTCOME_WON || opp.outcome() == OUTCOME_LOST) {
      closed.push_back(&opp);
    }
  }
  std::stable_sort(closed.begin(), closed.end(), [](auto* a, auto* b) {
    return a->closed_at().seconds() < b->closed_at().seconds();
  });
  for (const Opportunity* opp : closed) {
    Customer& c = customers_[opp->customer_id()];
    bool won = opp->outcome() == OUTCOME_WON;
    c.closed_at.push_back(opp->closed_at().seconds());
    c.won_through.push_back((c.won_through.empty() ? 0 : c.won_through.back()) +
                            won);
    c.lost_through.push_back(
        (c.lost_through.empty() ? 0 : c.lost_through.back()) + !won);
    c.revenue_through.push_back(
        (c.revenue_through.empty() ? 0 : c.revenue_through.back()) +
        (won ? WonRevenue(*opp) : 0));
  }
}

AccountHistory::Summary AccountHistory::AsOf(absl::string_view customer_id,
                                             int64_t as_of_seconds) const {
  Summary summary;
  auto it = customers_.find(customer_id);
  if (it == customers_.end()) return summary;
  const Customer& c = it->second;
  if (c.first_created < as_of_seconds && as_of_seconds != INT64_MAX) {
    summary.tenure_days = (as_of_seconds - c.first_created) / kSecondsPerDay;
  }
  // Deals closed strictly before as_of: those before the first close time
  // that is >= as_of.
  size_t n =
      std::lower_bound(c.closed_at.begin(), c.closed_at.end(), as_of_seconds) -
      c.closed_at.begin();
  if (n == 0) return summary;
  summary.won = c.won_through[n - 1];
  summary.lost = c.lost_through[n - 1];
  summary.won_revenue = c.revenue_through[n - 1];
  return summary;
}

FeatureSchema FeatureEncoder::BuildSchema(
    FeatureSet set, const std::vector<Opportunity>& examples) {
  FeatureSchema schema;
  schema.set_feature_set(std::string(FeatureSetName(set)));
  for (const Definition& d : kDefinitions) {
    if (d.offer_only && set == FeatureSet::kAtCreation) continue;
    FeatureSpec* spec = schema.add_features();
    spec->set_name(d.name);
    if (d.text == nullptr) continue;
    spec->set_categorical(true);
    std::set<std::string> values;
    for (const Opportunity& opp : examples) values.insert(d.text(opp));
    values.erase("");
    for (const std::string& value : values) spec->add_categories(value);
  }
  return schema;
}

absl::StatusOr<FeatureEncoder> FeatureEncoder::Create(
    const FeatureSchema& schema) {
  absl::StatusOr<FeatureSet> set = ParseFeatureSet(schema.feature_set());
  if (!set.ok()) return set.status();
  std::vector<Column> columns;
  for (const FeatureSpec& spec : schema.features()) {
    int definition = FindDefinition(spec.name());
    if (definition < 0 ||
        spec.categorical() != (kDefinitions[definition].text != nullptr)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown feature column '", spec.name(), "'"));
    }
    Column column{definition, {}};
    for (int i = 0; i < spec.categories_size(); ++i) {
      column.codes[spec.categories(i)] = i;
    }
    columns.push_back(std::move(column));
  }
  return FeatureEncoder(schema, *set, std::move(columns));
}

void FeatureEncoder::Encode(const Opportunity& opp,
                            const AccountHistory& history, float* row) const {
  Context context{!opp.customer_id().empty(),
                  history.AsOf(opp.customer_id(), AsOfSeconds(opp, set_))};
  for (size_t i = 0; i < columns_.size(); ++i) {
    const Column& column = columns_[i];
    const Definition& d = kDefinitions[column.definition];
    if (d.number != nullptr) {
      row[i] = d.number(opp, context);
      continue;
    }
    auto code = column.codes.find(d.text(opp));
    row[i] = code == column.codes.end() ? kMissing
                                        : static_cast<float>(code->second);
  }
}

std::vector<float> FeatureEncoder::EncodeAll(
    const std::vector<Opportunity>& opps, const AccountHistory& history) const {
  std::vector<float> values(opps.size() * columns_.size());
  for (size_t r = 0; r < opps.size(); ++r) {
    Encode(opps[r], history, &values[r * columns_.size()]);
  }
  return values;
}

}  // namespace c360

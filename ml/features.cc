#include "ml/features.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace c360 {
namespace {

constexpr float kMissing = std::numeric_limits<float>::quiet_NaN();
constexpr double kSecondsPerDay = 86400.0;

// What a feature may look at besides the opportunity itself.
struct Context {
  bool has_customer;
  AccountHistory::Summary history;
  std::shared_ptr<const ProfileTimeline> profile;  // may be null
  int64_t as_of;
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

AccountHistory::AccountHistory(
    const std::vector<Opportunity>& opportunities,
    std::shared_ptr<const CustomerProfiles> profiles)
    : profiles_(std::move(profiles)) {
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

namespace {

constexpr absl::string_view kAttributePrefix = "attribute.";
constexpr absl::string_view kRecordsPrefix = "source.";
constexpr absl::string_view kPurchasedPrefix = "enrichment.";
constexpr absl::string_view kTenureColumn = "profile_tenure_days";

// The text a data-dependent text column reads; nullptr when missing.
const std::string* AttributeText(const Opportunity& opp,
                                 absl::string_view name) {
  auto it = opp.attributes().find(std::string(name));
  return it == opp.attributes().end() || it->second.empty() ? nullptr
                                                             : &it->second;
}

const std::string* PurchasedText(const Context& c, absl::string_view name) {
  return c.profile == nullptr ? nullptr
                              : c.profile->PurchasedBefore(name, c.as_of);
}

// A text column's spec from the values the examples hold: ordinal on a
// configured scale, numeric when every value is a number and the config
// does not say categorical, else categorical. No spec when no example has
// a value.
void AddTextColumn(const std::string& name, const std::set<std::string>& values,
                   const FeatureConfig& config, FeatureSchema* schema) {
  if (values.empty()) return;
  FeatureSpec* spec = schema->add_features();
  spec->set_name(name);
  auto scale = config.ordinal_scales().find(name);
  if (scale != config.ordinal_scales().end()) {
    spec->set_ordinal(true);
    for (const std::string& level : scale->second.levels()) {
      spec->add_categories(level);
    }
    return;
  }
  double number = 0;
  bool numeric = std::all_of(values.begin(), values.end(), [&](auto& v) {
    return absl::SimpleAtod(v, &number);
  });
  bool forced = std::find(config.categorical().begin(),
                          config.categorical().end(),
                          name) != config.categorical().end();
  if (numeric && !forced) return;
  spec->set_categorical(true);
  for (const std::string& value : values) spec->add_categories(value);
}

}  // namespace

std::shared_ptr<const ProfileTimeline> AccountHistory::Profile(
    absl::string_view customer_id) const {
  if (profiles_ == nullptr || customer_id.empty()) return nullptr;
  return profiles_->Find(customer_id);
}

FeatureSchema FeatureEncoder::BuildSchema(
    FeatureSet set, const std::vector<Opportunity>& examples,
    const AccountHistory& history, const FeatureConfig& config) {
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
  // Column name -> the values examples hold, per data-dependent kind.
  std::map<std::string, std::set<std::string>> attributes, purchased;
  std::set<std::string> sources;
  bool any_profile = false;
  for (const Opportunity& opp : examples) {
    for (const auto& [name, value] : opp.attributes()) {
      if (!value.empty()) attributes[name].insert(value);
    }
    std::shared_ptr<const ProfileTimeline> profile =
        history.Profile(opp.customer_id());
    if (profile == nullptr) continue;
    any_profile = true;
    int64_t as_of = AsOfSeconds(opp, set);
    for (const ProfileTimeline::Record& r : profile->records) {
      sources.insert(r.source);
    }
    for (const ProfileTimeline::PurchasedValue& p : profile->purchased) {
      const std::string* value = profile->PurchasedBefore(p.attribute, as_of);
      if (value != nullptr) purchased[p.attribute].insert(*value);
    }
  }
  for (const auto& [name, values] : attributes) {
    AddTextColumn(absl::StrCat(kAttributePrefix, name), values, config,
                  &schema);
  }
  if (!any_profile) return schema;
  for (const std::string& source : sources) {
    schema.add_features()->set_name(absl::StrCat(kRecordsPrefix, source));
  }
  schema.add_features()->set_name(std::string(kTenureColumn));
  for (const auto& [name, values] : purchased) {
    AddTextColumn(absl::StrCat(kPurchasedPrefix, name), values, config,
                  &schema);
  }
  return schema;
}

absl::StatusOr<FeatureEncoder::Column> FeatureEncoder::ParseColumn(
    const FeatureSpec& spec) {
  Column column;
  absl::string_view name = spec.name();
  bool text = true;
  if (absl::ConsumePrefix(&name, kAttributePrefix)) {
    column.kind = Kind::kAttribute;
  } else if (absl::ConsumePrefix(&name, kPurchasedPrefix)) {
    column.kind = Kind::kPurchased;
  } else if (absl::ConsumePrefix(&name, kRecordsPrefix)) {
    column.kind = Kind::kRecords;
    text = false;
  } else if (name == kTenureColumn) {
    column.kind = Kind::kTenure;
    text = false;
  } else {
    column.definition = FindDefinition(name);
    text = column.definition >= 0 &&
           kDefinitions[column.definition].text != nullptr;
  }
  bool typed = spec.categorical() || spec.ordinal();
  bool known = column.kind != Kind::kDefined || column.definition >= 0;
  bool fixed_type_ok =
      column.kind != Kind::kDefined || (spec.categorical() == text);
  if (!known || name.empty() || (typed && !text) || !fixed_type_ok ||
      (spec.categorical() && spec.ordinal())) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown feature column '", spec.name(), "'"));
  }
  column.key = std::string(name);
  column.ordinal = spec.ordinal();
  column.numeric = !spec.categorical() && !spec.ordinal();
  for (int i = 0; i < spec.categories_size(); ++i) {
    if (spec.ordinal()) {
      column.codes[absl::AsciiStrToLower(spec.categories(i))] = i + 1;
    } else {
      column.codes[spec.categories(i)] = i;
    }
  }
  return column;
}

absl::StatusOr<FeatureEncoder> FeatureEncoder::Create(
    const FeatureSchema& schema) {
  absl::StatusOr<FeatureSet> set = ParseFeatureSet(schema.feature_set());
  if (!set.ok()) return set.status();
  std::vector<Column> columns;
  for (const FeatureSpec& spec : schema.features()) {
    absl::StatusOr<Column> column = ParseColumn(spec);
    if (!column.ok()) return column.status();
    columns.push_back(*std::move(column));
  }
  return FeatureEncoder(schema, *set, std::move(columns));
}

namespace {

// A text value as a number of its column: the number it spells for a
// numeric column, else its code (rank on an ordinal scale); missing when
// there is none.
float TextValue(bool numeric, const absl::flat_hash_map<std::string, int>& codes,
                bool ordinal, const std::string* text) {
  if (text == nullptr) return kMissing;
  if (numeric) {
    float number = 0;
    return absl::SimpleAtof(*text, &number) ? number : kMissing;
  }
  auto code = codes.find(ordinal ? absl::AsciiStrToLower(*text) : *text);
  return code == codes.end() ? kMissing : static_cast<float>(code->second);
}

}  // namespace

void FeatureEncoder::Encode(const Opportunity& opp,
                            const AccountHistory& history, float* row) const {
  int64_t as_of = AsOfSeconds(opp, set_);
  Context context{!opp.customer_id().empty(),
                  history.AsOf(opp.customer_id(), as_of),
                  history.Profile(opp.customer_id()), as_of};
  for (size_t i = 0; i < columns_.size(); ++i) {
    const Column& column = columns_[i];
    switch (column.kind) {
      case Kind::kDefined: {
        const Definition& d = kDefinitions[column.definition];
        if (d.number != nullptr) {
          row[i] = d.number(opp, context);
        } else {
          std::string text = d.text(opp);
          row[i] = TextValue(false, column.codes, false, &text);
        }
        break;
      }
      case Kind::kAttribute:
        row[i] = TextValue(column.numeric, column.codes, column.ordinal,
                           AttributeText(opp, column.key));
        break;
      case Kind::kPurchased:
        row[i] = TextValue(column.numeric, column.codes, column.ordinal,
                           PurchasedText(context, column.key));
        break;
      case Kind::kRecords:
        row[i] = context.profile == nullptr
                     ? kMissing
                     : context.profile->RecordsBefore(column.key, as_of);
        break;
      case Kind::kTenure: {
        std::optional<double> days =
            context.profile == nullptr ? std::nullopt
                                       : context.profile->TenureDays(as_of);
        row[i] = days ? static_cast<float>(*days) : kMissing;
        break;
      }
    }
  }
}

std::string FeatureValueText(const FeatureSpec& spec, float value) {
  if (std::isnan(value)) return "(missing)";
  if (!spec.categorical() && !spec.ordinal()) return absl::StrCat(value);
  int index = static_cast<int>(value) - (spec.ordinal() ? 1 : 0);
  if (index < 0 || index >= spec.categories_size()) return absl::StrCat(value);
  return spec.categories(index);
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

#include "server/opportunity_generator.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <numeric>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "c360/record.pb.h"
#include "enrich/enrichment_store.h"
#include "server/csv.h"
#include "server/generator.h"
#include "server/generator_rng.h"
#include "server/provider_generator_data.h"

namespace c360 {
namespace {

using generator_internal::Rng;
using provider_generator_data::kCreditRatings;
using provider_generator_data::kIncomeBands;

// The opportunity choices' seed, far from the source and provider seeds.
constexpr uint64_t kChoiceSalt = 0x6f70706f7274756e;  // "opportun"
constexpr int64_t kSecondsPerDay = 86400;
constexpr absl::CivilDay kEpoch(1970, 1, 1);
constexpr int64_t kFirstDay = kFirstObservation / kSecondsPerDay;
constexpr int64_t kLastDay = kLastObservation / kSecondsPerDay;

struct Product {
  const char* name;
  int64_t list_price;  // EUR
};
constexpr Product kProducts[] = {
    {"Starter Kit", 550},       {"Team Plan", 1100},
    {"Support Plus", 900},      {"Training Day", 1500},
    {"Analytics Add-on", 3400}, {"Pro Suite", 4800},
    {"Enterprise Suite", 12500}};

constexpr const char* kSalesAgents[] = {
    "Aino Korhonen",  "Jukka Nieminen", "Katarzyna Nowak", "Piotr Zielinski",
    "Erik Lindqvist", "Sara Holm",      "Dmitri Volkov",   "Olga Smirnova",
    "James Carter",   "Emily Hughes",   "Liam Walsh",      "Maria Lahti"};

// A categorical value and its term in the win logit (opportunity_generator.h).
struct Level {
  const char* name;
  double effect;
};
constexpr Level kLeadSources[] = {{"web", 0.0},
                                  {"referral", 0.7},
                                  {"event", 0.1},
                                  {"partner", 0.3},
                                  {"cold_call", -0.6}};
// Ordinal, worst first.
constexpr Level kSatisfaction[] = {{"poor", -1.0},
                                   {"fair", -0.5},
                                   {"satisfactory", 0.0},
                                   {"good", 0.5},
                                   {"excellent", 1.0}};
// Percent of accounts at each satisfaction level.
constexpr uint64_t kSatisfactionWeights[] = {10, 20, 35, 25, 10};

// The provider's bands, best rating first and lowest income first, as
// linear terms of their position.
constexpr double RatingEffect(int i) { return 1.2 - 0.6 * i; }
constexpr double IncomeEffect(int i) { return -0.7 + 0.35 * i; }
static_assert(std::size(kCreditRatings) == 5 && std::size(kIncomeBands) == 5);

constexpr double kIntercept = -1.3;
constexpr double kPerSource = 0.85;
constexpr double kPerDiscount = 4.0;  // times (1 - price / list price)
constexpr double kSurveyed = 0.8;
constexpr double kOpen = 0.15;
constexpr int64_t kOpenWithinDays = 240;
constexpr int64_t kMinDays = 7;
constexpr int64_t kMaxDays = 120;
// Deals with an offer sent, its day 1 to kMaxOfferDays after creation (and
// before the close).
constexpr double kOffered = 0.8;
constexpr int64_t kMaxOfferDays = 21;

// Sources of the records, as GeneratedRecord names them; the account is
// taken from the first of the first three that holds a record.
constexpr absl::string_view kSources[] = {"crm", "erp", "webshop", "social"};
constexpr size_t kAccountSources = 3;

template <typename T>
int IndexOf(absl::Span<T const> values, absl::string_view value) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (value == values[i]) return static_cast<int>(i);
  }
  return -1;
}

// What the provider rows of the same options say: the credit rating (index
// in kCreditRatings) of the company rows by match key, and the income band
// (index in kIncomeBands) of the consumer rows by person.
struct ProviderFacts {
  absl::flat_hash_map<std::string, int> rating_by_key;
  absl::flat_hash_map<int64_t, int> income_by_person;
};

ProviderFacts CollectProviderFacts(const ProviderGeneratorOptions& options) {
  ProviderFacts facts;
  GenerateProviderRows(
      options,
      [&](const ProviderCompany& row) {
        // The identity the provider reader gives the row
        // (provider_company.map).
        SourceRecord identity;
        identity.set_business_id(row.business_id);
        identity.set_organization(row.name);
        PostalAddress* address = identity.add_addresses();
        address->set_postcode(row.postcode);
        address->set_country(row.country);
        const int rating =
            IndexOf(absl::MakeConstSpan(kCreditRatings), row.credit_rating);
        for (std::string& key : CompanyMatchKeys(identity)) {
          facts.rating_by_key.try_emplace(std::move(key), rating);
        }
      },
      [&](const ProviderPerson& row) {
        if (row.person_id < 0) return;
        facts.income_by_person[row.person_id] = IndexOf(
            absl::MakeConstSpan(kIncomeBands), row.household_income_band);
      });
  return facts;
}

// The rating of the company row linked to the records: a business-id match
// first, else the first name + postcode match; -1 for none.
int RatingOf(const std::vector<SourceRecord>& records,
             const ProviderFacts& facts) {
  int by_name = -1;
  for (const SourceRecord& record : records) {
    for (const std::string& key : CompanyMatchKeys(record)) {
      const auto it = facts.rating_by_key.find(key);
      if (it == facts.rating_by_key.end()) continue;
      if (absl::StartsWith(key, "bid:")) return it->second;
      if (by_name < 0) by_name = it->second;
    }
  }
  return by_name;
}

// A person who can be an account, and what the outcome depends on.
struct Customer {
  int64_t person_id = 0;
  std::string account;
  // Earliest observation of a record in each of kSources, Unix seconds.
  int64_t first_seen[std::size(kSources)];
  int rating = -1;
  int income = -1;
  int satisfaction = 0;  // the account's usual level, index in kSatisfaction
};

int64_t WeightedIndex(Rng& rng, absl::Span<const uint64_t> weights) {
  uint64_t roll =
      rng.Below(std::accumulate(weights.begin(), weights.end(), uint64_t{0}));
  size_t i = 0;
  while (roll >= weights[i]) roll -= weights[i++];
  return static_cast<int64_t>(i);
}

std::vector<Customer> CollectCustomers(
    const OpportunityGeneratorOptions& options, const ProviderFacts& facts,
    Rng& rng) {
  std::vector<Customer> customers;
  ForEachGeneratedPerson(
      options.providers.source,
      [&](int64_t person_id, const std::vector<SourceRecord>& records) {
        Customer customer;
        customer.person_id = person_id;
        std::fill(std::begin(customer.first_seen),
                  std::end(customer.first_seen),
                  std::numeric_limits<int64_t>::max());
        size_t account_source = kAccountSources;
        for (const SourceRecord& record : records) {
          const int source =
              IndexOf(absl::MakeConstSpan(kSources), record.source());
          if (source < 0) continue;
          int64_t& seen = customer.first_seen[source];
          seen = std::min<int64_t>(seen, record.observed_at().seconds());
          if (static_cast<size_t>(source) < account_source) {
            account_source = source;
            customer.account =
                absl::StrCat(record.source(), "/", record.source_id());
          }
        }
        if (customer.account.empty()) return;
        customer.rating = RatingOf(records, facts);
        const auto income = facts.income_by_person.find(person_id);
        if (income != facts.income_by_person.end())
          customer.income = income->second;
        customer.satisfaction =
            WeightedIndex(rng, absl::MakeConstSpan(kSatisfactionWeights));
        customers.push_back(std::move(customer));
      });
  return customers;
}

// One opportunity of `customer` with its outcome drawn; id not yet set.
GeneratedOpportunity Draw(const Customer& customer, Rng& rng) {
  GeneratedOpportunity o;
  o.person_id = customer.person_id;
  o.account = customer.account;
  const Product& product = rng.Pick(absl::MakeConstSpan(kProducts));
  o.product = product.name;
  o.list_price = product.list_price;
  o.price = product.list_price * rng.Between(70, 110) / 100;
  o.cost = product.list_price * rng.Between(55, 75) / 100;
  const Level& lead = rng.Pick(absl::MakeConstSpan(kLeadSources));
  o.lead_source = lead.name;
  o.sales_agent = rng.Pick(absl::MakeConstSpan(kSalesAgents));

  const bool open = rng.Chance(kOpen);
  const int64_t days = rng.Between(kMinDays, kMaxDays);
  const int64_t created =
      open ? rng.Between(kLastDay - kOpenWithinDays, kLastDay)
           : rng.Between(kFirstDay, kLastDay - days);
  o.created_at = absl::FormatCivilTime(kEpoch + created);
  for (const int64_t seen : customer.first_seen) {
    if (seen < created * kSecondsPerDay) ++o.sources;
  }

  double survey = 0;
  if (rng.Chance(kSurveyed)) {
    const int level = std::clamp<int>(
        customer.satisfaction + static_cast<int>(rng.Between(-1, 1)), 0,
        std::size(kSatisfaction) - 1);
    o.satisfaction = kSatisfaction[level].name;
    survey = kSatisfaction[level].effect;
  }
  double z = kIntercept + kPerSource * o.sources + lead.effect + survey +
             kPerDiscount * (1.0 - static_cast<double>(o.price) / o.list_price);
  if (customer.rating >= 0) {
    o.credit_rating = kCreditRatings[customer.rating];
    z += RatingEffect(customer.rating);
  }
  if (customer.income >= 0) {
    o.household_income_band = kIncomeBands[customer.income];
    z += IncomeEffect(customer.income);
  }
  o.win_probability = 1.0 / (1.0 + std::exp(-z));
  const bool won = rng.Chance(o.win_probability);
  if (open) {
    o.deal_stage = "Engaging";
  } else {
    o.deal_stage = won ? "Won" : "Lost";
    o.close_date = absl::FormatCivilTime(kEpoch + created + days);
  }
  // Drawn last, so that the draws above stay as they were without offers.
  const int64_t last_offer_day =
      open ? std::min(created + kMaxOfferDays, kLastDay)
           : created + std::min(kMaxOfferDays, days - 1);
  if (rng.Chance(kOffered) && last_offer_day > created) {
    o.first_offer_at =
        absl::FormatCivilTime(kEpoch + rng.Between(created + 1, last_offer_day));
  }
  return o;
}

}  // namespace

OpportunityStats GenerateOpportunities(
    const OpportunityGeneratorOptions& options,
    const std::function<void(const GeneratedOpportunity&)>& sink) {
  OpportunityStats stats;
  Rng rng(options.providers.source.seed ^ kChoiceSalt);
  const std::vector<Customer> customers =
      CollectCustomers(options, CollectProviderFacts(options.providers), rng);
  if (customers.empty() || options.opportunities <= 0) return stats;

  // Customers in random order, 1-4 opportunities each; round again only
  // when there are more opportunities than that.
  std::vector<size_t> order(customers.size());
  std::iota(order.begin(), order.end(), size_t{0});
  for (size_t i = order.size() - 1; i > 0; --i) {
    std::swap(order[i], order[rng.Below(i + 1)]);
  }
  std::vector<GeneratedOpportunity> drafts;
  drafts.reserve(options.opportunities);
  for (size_t i = 0;
       static_cast<int64_t>(drafts.size()) < options.opportunities; ++i) {
    if (i < order.size()) ++stats.customers;
    const int64_t count = std::min<int64_t>(
        rng.Between(1, 4), options.opportunities - drafts.size());
    for (int64_t n = 0; n < count; ++n) {
      drafts.push_back(Draw(customers[order[i % order.size()]], rng));
    }
  }
  // Ids follow creation, as a CRM numbers its opportunities.
  std::stable_sort(
      drafts.begin(), drafts.end(),
      [](const GeneratedOpportunity& a, const GeneratedOpportunity& b) {
        return a.created_at < b.created_at;
      });
  for (GeneratedOpportunity& o : drafts) {
    o.id = absl::StrFormat("G%07d", ++stats.opportunities);
    ++(o.deal_stage == "Won"    ? stats.won
       : o.deal_stage == "Lost" ? stats.lost
                                : stats.open);
    sink(o);
  }
  return stats;
}

absl::StatusOr<OpportunityStats> WriteOpportunityFile(
    const OpportunityGeneratorOptions& options, const std::string& out_dir) {
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", out_dir, ": ", error.message()));
  }
  const std::string path =
      (std::filesystem::path(out_dir) / "opportunities.csv").string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return absl::InternalError(absl::StrCat("cannot open ", path));
  out << kOpportunityCsvHeader << '\n';
  const OpportunityStats stats =
      GenerateOpportunities(options, [&](const GeneratedOpportunity& o) {
        const std::string values[] = {o.id,
                                      o.account,
                                      o.product,
                                      absl::StrCat(o.price),
                                      absl::StrCat(o.cost),
                                      o.lead_source,
                                      o.sales_agent,
                                      o.created_at,
                                      o.first_offer_at,
                                      o.close_date,
                                      o.deal_stage,
                                      o.satisfaction};
        out << absl::StrJoin(values, ",",
                             [](std::string* line, const std::string& value) {
                               line->append(csv_internal::CsvField(value, ','));
                             })
            << '\n';
      });
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return stats;
}

}  // namespace c360

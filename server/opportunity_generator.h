// Sample CRM sales opportunities about the people of the sample source files
// (server/generator.h) and of their purchased data
// (server/provider_generator.h) with the same seed, whose outcomes depend on
// what a unified profile knows about the customer, so that a hit-rate model
// can be shown to gain from profile features. Deterministic for given
// options.
//
// Customers: a random subset of the people with a CRM, ERP or web-shop
// record, each with 1 to 4 opportunities (when there are more
// opportunities than that makes, about 2.5 per such person, the customers
// come round again and get more). The account is the key
// "source/source_id" of one of the person's records: the first CRM record,
// else the ERP record, else the web-shop record.
//
// Opportunities: a product of kOpportunityProducts at its list price times
// a discount factor of 0.70-1.10, a cost of 0.55-0.75 times the list price,
// a lead source, one of 12 sales agents, a creation day spread over the
// records' observation period (kFirstObservation..kLastObservation), a
// close 7-120 days later, a first offer 1-21 days after the creation (and
// before the close) for about 80% of them, whose price the offer states,
// and the account's satisfaction survey at the time
// ("poor" .. "excellent", empty for about 20%). About 15% are open
// ("Engaging", no close date, created in the last 240 days of the period);
// the others are "Won" or "Lost" by a draw with the win probability
//
//   p = 1 / (1 + exp(-z)),  z = -1.3
//       + 0.85 * sources    (0-4: crm, erp, webshop, social sources holding a
//                            record of the person observed before the day
//                            the opportunity was created)
//       + rating            (the employer's credit_rating in the register
//                            row linked to the person's records, by
//                            CompanyMatchKeys as enrichment links it, a
//                            business-id match first: AAA +1.2, AA +0.6,
//                            A 0, B -0.6, C -1.2; no linked row 0)
//       + income            (household_income_band of the person's consumer
//                            row: "<20k" -0.7, "20-40k" -0.35, "40-60k" 0,
//                            "60-100k" +0.35, "100k+" +0.7; no row 0)
//       + 4.0 * (1 - price / list price)      (+1.2 .. -0.4)
//       + lead              (referral +0.7, partner +0.3, event +0.1, web 0,
//                            cold_call -0.6)
//       + satisfaction      (poor -1.0, fair -0.5, satisfactory 0,
//                            good +0.5, excellent +1.0; none 0)
//
// About half the closed deals are won. Ranking closed deals by p gives an
// AUC near 0.79; by what the deal's own fields (price, lead source,
// satisfaction) tell, near 0.68.
//
// The credit rating and consumer row are the very rows GenerateProviderRows
// writes for the same ProviderGeneratorOptions, whether or not the provider
// files are written.
#ifndef C360_SERVER_OPPORTUNITY_GENERATOR_H_
#define C360_SERVER_OPPORTUNITY_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "server/provider_generator.h"

namespace c360 {

struct OpportunityGeneratorOptions {
  // The people, seed and provider rows the opportunities are about.
  ProviderGeneratorOptions providers;
  // Rows of opportunities.csv.
  int64_t opportunities = 1000;
};

// One opportunity: the CSV row and the truth behind its outcome.
struct GeneratedOpportunity {
  std::string id;       // "G0000001", ... in order of creation
  std::string account;  // "crm/0037R0000AbCdE"
  std::string product;
  int64_t list_price = 0;
  int64_t price = 0;
  int64_t cost = 0;
  std::string lead_source;  // web, referral, event, partner or cold_call
  std::string sales_agent;
  std::string created_at;      // YYYY-MM-DD
  std::string first_offer_at;  // YYYY-MM-DD, before the close; empty for
                               // about 20% (no offer sent yet)
  std::string close_date;      // YYYY-MM-DD; empty when open
  std::string deal_stage;    // "Won", "Lost" or "Engaging"
  std::string satisfaction;  // "poor" .. "excellent", or empty

  int64_t person_id = 0;
  int sources = 0;                    // sources with a record observed earlier
  std::string credit_rating;          // of the linked register row; "" for none
  std::string household_income_band;  // of the consumer row; "" for none
  double win_probability = 0;
};

struct OpportunityStats {
  int64_t opportunities = 0;
  int64_t customers = 0;
  int64_t won = 0;
  int64_t lost = 0;
  int64_t open = 0;
};

// The header line of opportunities.csv (without the newline).
inline constexpr char kOpportunityCsvHeader[] =
    "opportunity_id,account,product,price,cost,lead_source,sales_agent,"
    "created_at,first_offer_at,close_date,deal_stage,satisfaction";

// Generates the opportunities in id order, calling `sink` for each. Holds a
// summary of every eligible person and the opportunities in memory.
OpportunityStats GenerateOpportunities(
    const OpportunityGeneratorOptions& options,
    const std::function<void(const GeneratedOpportunity&)>& sink);

// Writes opportunities.csv (readable with
// data/mappings/generated_opportunities.map) into `out_dir`, which is
// created if missing.
absl::StatusOr<OpportunityStats> WriteOpportunityFile(
    const OpportunityGeneratorOptions& options, const std::string& out_dir);

}  // namespace c360

#endif  // C360_SERVER_OPPORTUNITY_GENERATOR_H_

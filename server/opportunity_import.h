// Reading sales opportunities from CSV files: a generic column mapping for
// any CRM export, and an adapter for Maven Analytics' "CRM + Sales
// Opportunities" data set that joins its four tables. A bad row is rejected
// with its line number and reason, never dropped silently. Files are read
// whole into memory (exports of a few hundred thousand rows).
//
// Mapping file format (ParseOpportunityMapping), one "field = value" a line:
//
//   # comment
//   delimiter = ;            # "," (default), ";", "|" or "\t"
//   id = OpportunityId       # field = CSV header column
//   price = Amount
//   cost =                   # an empty value: the export has no such column
//   margin = GrossMargin     # instead of cost: "0.25" or "25%" of the price
//   won = Won, Closed Won    # outcome values, comma-separated
//   attribute.satisfaction = Survey   # a further CRM field (model column
//                                     # attribute.satisfaction)
//
// Fields: id, customer, product, price, cost or margin, lead_source, owner,
// created_at, first_offer_at, closed_at, outcome, won, lost and any number
// of attribute.<name>. Unnamed fields keep the OpportunityCsvMapping
// defaults.
#ifndef C360_SERVER_OPPORTUNITY_IMPORT_H_
#define C360_SERVER_OPPORTUNITY_IMPORT_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/opportunity.pb.h"

namespace c360 {

// Which CSV column feeds which Opportunity field. An empty name means the
// export has no such column. Dates are YYYY-MM-DD.
struct OpportunityCsvMapping {
  char delimiter = ',';
  std::string id = "opportunity_id";
  std::string customer = "account";
  std::string product = "product";
  std::string price = "price";
  std::string cost;
  // The margin column, when the export has margins instead of costs: cost
  // = price x (1 - margin). Not both.
  std::string margin;
  std::string lead_source;
  std::string owner = "sales_agent";
  std::string created_at = "created_at";
  std::string first_offer_at;
  std::string closed_at = "close_date";
  // The stage column; values in won_values / lost_values close the deal,
  // any other value leaves it open.
  std::string outcome = "deal_stage";
  std::vector<std::string> won_values = {"Won"};
  std::vector<std::string> lost_values = {"Lost"};
  // (name, column) of further fields kept in Opportunity.attributes; an
  // empty cell is no value.
  std::vector<std::pair<std::string, std::string>> attributes;
  // When true a missing outcome column is an error (training needs it);
  // when false every opportunity is imported as open (scoring only).
  bool require_outcome = true;
};

// Parses a mapping file's text (format above). InvalidArgument names the
// line and the problem (unknown field, missing '=', bad delimiter).
absl::StatusOr<OpportunityCsvMapping> ParseOpportunityMapping(
    absl::string_view text);

// A row that was not imported.
struct RejectedRow {
  // The file it came from.
  std::string file;
  // 1-based line where the row starts.
  int64_t line = 0;
  // Why, e.g. "unknown product 'GTX Mega'".
  std::string reason;
};

// The opportunities that were read, in file order, and the rejected rows.
struct OpportunityImport {
  std::vector<Opportunity> opportunities;
  std::vector<RejectedRow> rejected;
};

// Reads `path` with `mapping`. NotFound when the file cannot be opened;
// InvalidArgument when a mapped column (or a required outcome column) is
// not in the header. Rows with a missing id, a duplicate id, a price that
// is not a positive number, a bad date, a closed deal without close date or
// a close before creation are rejected.
absl::StatusOr<OpportunityImport> ImportOpportunityCsv(
    const std::string& path, const OpportunityCsvMapping& mapping);

// Reads the Maven data set from `folder` (sales_pipeline.csv, products.csv,
// accounts.csv, sales_teams.csv). The price is products.sales_price (never
// close_value, which is 0 for lost deals); pipeline products are matched
// ignoring spaces and case ("GTXPro" = "GTX Pro"); engage_date becomes
// created_at; deals without an account keep an empty customer. Pipeline
// rows naming an unknown product, account or agent are rejected. NotFound
// or InvalidArgument when a file is missing or lacks a needed column.
absl::StatusOr<OpportunityImport> ImportMavenCrm(const std::string& folder);

}  // namespace c360

#endif  // C360_SERVER_OPPORTUNITY_IMPORT_H_

// Reading sales opportunities from CSV files: a generic column mapping for
// any CRM export, and an adapter for Maven Analytics' "CRM + Sales
// Opportunities" data set that joins its four tables. A bad row is rejected
// with its line number and reason, never dropped silently.
#ifndef C360_ML_OPPORTUNITY_IMPORT_H_
#define C360_ML_OPPORTUNITY_IMPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/opportunity.pb.h"
#include "store/kv_store.h"

namespace c360 {

// Which CSV column feeds which Opportunity field. An empty name means the
// export has no such column. Dates are YYYY-MM-DD.
struct OpportunityCsvMapping {
  std::string id = "opportunity_id";
  std::string customer = "account";
  std::string product = "product";
  std::string price = "price";
  std::string cost;
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
  // When true a missing outcome column is an error (training needs it);
  // when false every opportunity is imported as open (scoring only).
  bool require_outcome = true;
};

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

// Stores `opportunities` in Table::kOpportunities (key: EncodeKey({id})) in
// one atomic commit; an existing id is replaced.
absl::Status SaveOpportunities(const std::vector<Opportunity>& opportunities,
                               KvStore* store);

// Every stored opportunity, in id order.
absl::StatusOr<std::vector<Opportunity>> LoadOpportunities(
    const ReadView& view);

}  // namespace c360

#endif  // C360_ML_OPPORTUNITY_IMPORT_H_

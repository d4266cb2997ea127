#include "server/opportunity_import.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "server/csv.h"

namespace c360 {
namespace {

using csv_internal::CsvRow;

// Rows over this size are rejected unread: no opportunity is that large.
constexpr size_t kMaxRowBytes = 1 << 20;

// A whole CSV file: the header and every row after it.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;

  // The column's index in the header, or -1.
  int Column(absl::string_view name) const {
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  }
};

// Reads `path` with server/csv.h's tokenizer; a row whose cell count
// differs from the header's gets that as its error. NotFound when the file
// cannot be read, InvalidArgument when it has no (well-formed) header.
absl::StatusOr<CsvTable> ReadCsvTable(const std::string& path,
                                      char delimiter = ',') {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  csv_internal::CsvTokenizer tokenizer(&in, delimiter, kMaxRowBytes, 0);
  CsvRow header;
  if (!tokenizer.Next(&header)) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": no header row"));
  }
  if (!header.status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": header: ", header.status.message()));
  }
  CsvTable table;
  table.header = std::move(header.cells);
  CsvRow row;
  while (tokenizer.Next(&row)) {
    if (row.status.ok() && row.cells.size() != table.header.size()) {
      row.status = absl::InvalidArgumentError(absl::StrCat(
          row.cells.size(), " cells, header has ", table.header.size()));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

// Fills what a CSV row cannot say (Maven's joined tables); returns the
// reason to reject the row, or OK.
using RowJoin = std::function<absl::Status(const CsvRow&, Opportunity*)>;

// A mapped column's index; -1 for an unmapped one. InvalidArgument when a
// mapped column is not in the header.
absl::StatusOr<int> ColumnOf(const CsvTable& table, const std::string& name,
                             const std::string& file) {
  if (name.empty()) return -1;
  int column = table.Column(name);
  if (column < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": column '", name, "' is not in the header"));
  }
  return column;
}

struct Columns {
  int id, customer, product, price, cost, margin, lead_source, owner,
      created_at, first_offer_at, closed_at, outcome;
  // (attribute name, column) of the mapping's attribute.<name> fields.
  std::vector<std::pair<std::string, int>> attributes;
};

absl::StatusOr<Columns> ResolveColumns(const CsvTable& table,
                                       const OpportunityCsvMapping& m,
                                       const std::string& file) {
  if (m.require_outcome && (m.outcome.empty() || table.Column(m.outcome) < 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": the outcome column '", m.outcome,
        "' is missing; training needs won and lost opportunities"));
  }
  absl::Status status;  // the first unresolved column
  auto column = [&](const std::string& name) {
    absl::StatusOr<int> index = ColumnOf(table, name, file);
    if (!index.ok() && status.ok()) status = index.status();
    return index.ok() ? *index : -1;
  };
  if (!m.cost.empty() && !m.margin.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": the mapping names both a cost and a margin "
                           "column; give one"));
  }
  Columns c{column(m.id),         column(m.customer),   column(m.product),
            column(m.price),      column(m.cost),       column(m.margin),
            column(m.lead_source), column(m.owner),     column(m.created_at),
            column(m.first_offer_at), column(m.closed_at), column(m.outcome),
            {}};
  for (const auto& [name, column_name] : m.attributes) {
    c.attributes.emplace_back(name, column(column_name));
  }
  if (!status.ok()) return status;
  if (c.id < 0) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": no id column"));
  }
  return c;
}

std::string Cell(const CsvRow& row, int column) {
  if (column < 0) return "";
  return std::string(absl::StripAsciiWhitespace(row.cells[column]));
}

// Parses a YYYY-MM-DD cell into `field` of `opp`; an empty cell leaves the
// field unset (has_...() false).
absl::Status ParseDate(const std::string& text, const char* what,
                       google::protobuf::Timestamp* (Opportunity::*field)(),
                       Opportunity* opp) {
  if (text.empty()) return absl::OkStatus();
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad ", what, " '", text, "' (want YYYY-MM-DD)"));
  }
  (opp->*field)()->set_seconds((day - absl::CivilDay(1970, 1, 1)) *
                               int64_t{86400});
  return absl::OkStatus();
}

absl::Status ParseMoney(const std::string& text, const char* what,
                        double* out) {
  if (!absl::SimpleAtod(text, out)) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad ", what, " '", text, "'"));
  }
  return absl::OkStatus();
}

// "0.25" or "25%" as 0.25; a margin must be in [0, 1).
absl::StatusOr<double> ParseMargin(absl::string_view text) {
  absl::string_view number = text;
  bool percent = absl::ConsumeSuffix(&number, "%");
  double margin = 0;
  if (!absl::SimpleAtod(number, &margin)) {
    return absl::InvalidArgumentError(absl::StrCat("bad margin '", text, "'"));
  }
  if (percent) margin /= 100;
  if (!(margin >= 0 && margin < 1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "margin '", text, "' must be at least 0 and below 100%"));
  }
  return margin;
}

OpportunityOutcome ParseOutcome(const std::string& stage,
                                const OpportunityCsvMapping& m) {
  auto in = [&](const std::vector<std::string>& values) {
    return std::find(values.begin(), values.end(), stage) != values.end();
  };
  if (in(m.won_values)) return OUTCOME_WON;
  if (in(m.lost_values)) return OUTCOME_LOST;
  return OUTCOME_OPEN;
}

absl::Status ParseFields(const CsvRow& row, const Columns& c,
                         const OpportunityCsvMapping& m, Opportunity* opp) {
  opp->set_opportunity_id(Cell(row, c.id));
  if (opp->opportunity_id().empty()) {
    return absl::InvalidArgumentError("empty opportunity id");
  }
  opp->set_customer_id(Cell(row, c.customer));
  opp->set_product(Cell(row, c.product));
  opp->set_lead_source(Cell(row, c.lead_source));
  opp->set_owner(Cell(row, c.owner));
  opp->set_outcome(c.outcome < 0 ? OUTCOME_OPEN
                                 : ParseOutcome(Cell(row, c.outcome), m));
  for (const auto& [name, column] : c.attributes) {
    std::string value = Cell(row, column);
    if (!value.empty()) (*opp->mutable_attributes())[name] = std::move(value);
  }
  if (c.price >= 0) {
    double price = 0;
    absl::Status status = ParseMoney(Cell(row, c.price), "price", &price);
    if (!status.ok()) return status;
    opp->set_price(price);
  }
  if (c.cost >= 0 && !Cell(row, c.cost).empty()) {
    double cost = 0;
    absl::Status status = ParseMoney(Cell(row, c.cost), "cost", &cost);
    if (!status.ok()) return status;
    opp->set_cost(cost);
  }
  if (c.margin >= 0 && !Cell(row, c.margin).empty()) {
    absl::StatusOr<double> margin = ParseMargin(Cell(row, c.margin));
    if (!margin.ok()) return margin.status();
    opp->set_cost(opp->price() * (1 - *margin));
  }
  absl::Status status = ParseDate(Cell(row, c.created_at), "created date",
                                  &Opportunity::mutable_created_at, opp);
  if (status.ok()) {
    status = ParseDate(Cell(row, c.first_offer_at), "first offer date",
                       &Opportunity::mutable_first_offer_at, opp);
  }
  if (status.ok()) {
    status = ParseDate(Cell(row, c.closed_at), "close date",
                       &Opportunity::mutable_closed_at, opp);
  }
  return status;
}

// Checks that hold whatever the source: a positive price, a closed deal
// with a close date on or after its creation.
absl::Status Validate(const Opportunity& opp) {
  if (!(opp.price() > 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("price ", opp.price(), " is not positive"));
  }
  bool closed = opp.outcome() != OUTCOME_OPEN;
  if (closed && !opp.has_closed_at()) {
    return absl::InvalidArgumentError("closed deal without a close date");
  }
  if (closed && opp.has_created_at() &&
      opp.closed_at().seconds() < opp.created_at().seconds()) {
    return absl::InvalidArgumentError("closed before it was created");
  }
  return absl::OkStatus();
}

absl::StatusOr<OpportunityImport> ImportRows(const CsvTable& table,
                                             const OpportunityCsvMapping& m,
                                             const std::string& file,
                                             const RowJoin& join) {
  absl::StatusOr<Columns> columns = ResolveColumns(table, m, file);
  if (!columns.ok()) return columns.status();
  OpportunityImport result;
  absl::flat_hash_set<std::string> seen;
  for (const CsvRow& row : table.rows) {
    Opportunity opp;
    absl::Status status =
        row.status.ok() ? ParseFields(row, *columns, m, &opp) : row.status;
    if (status.ok() && join) status = join(row, &opp);
    if (status.ok()) status = Validate(opp);
    if (status.ok() && !seen.insert(opp.opportunity_id()).second) {
      status = absl::InvalidArgumentError(absl::StrCat(
          "duplicate opportunity id '", opp.opportunity_id(), "'"));
    }
    if (!status.ok()) {
      result.rejected.push_back(
          {file, row.line, std::string(status.message())});
      continue;
    }
    result.opportunities.push_back(std::move(opp));
  }
  return result;
}

// ---- Maven ----

// "GTXPro" and "GTX Pro" name the same product.
std::string ProductKey(absl::string_view name) {
  return absl::AsciiStrToLower(absl::StrReplaceAll(name, {{" ", ""}}));
}

// The rows of a lookup table by the value of its first column, with the
// named columns resolved.
struct Lookup {
  absl::flat_hash_map<std::string, const CsvRow*> rows;
  std::vector<int> columns;
};

absl::StatusOr<Lookup> IndexTable(const CsvTable& table,
                                  const std::vector<std::string>& columns,
                                  const std::string& file,
                                  std::string (*key)(absl::string_view)) {
  Lookup lookup;
  for (const std::string& name : columns) {
    absl::StatusOr<int> column = ColumnOf(table, name, file);
    if (!column.ok()) return column.status();
    lookup.columns.push_back(*column);
  }
  for (const CsvRow& row : table.rows) {
    if (!row.status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file, " line ", row.line, ": ", row.status.message()));
    }
    lookup.rows[key(row.cells[lookup.columns[0]])] = &row;
  }
  return lookup;
}

std::string Verbatim(absl::string_view s) { return std::string(s); }

struct MavenTables {
  CsvTable products, accounts, teams;
  Lookup product_rows, account_rows, team_rows;
};

absl::Status JoinProduct(const MavenTables& t, Opportunity* opp) {
  auto it = t.product_rows.rows.find(ProductKey(opp->product()));
  if (it == t.product_rows.rows.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown product '", opp->product(), "'"));
  }
  const std::vector<int>& c = t.product_rows.columns;
  opp->set_product(Cell(*it->second, c[0]));
  opp->set_series(Cell(*it->second, c[1]));
  double price = 0;
  absl::Status status =
      ParseMoney(Cell(*it->second, c[2]), "sales_price", &price);
  opp->set_price(price);
  return status;
}

absl::Status JoinAccount(const MavenTables& t, Opportunity* opp) {
  if (opp->customer_id().empty()) return absl::OkStatus();
  auto it = t.account_rows.rows.find(opp->customer_id());
  if (it == t.account_rows.rows.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown account '", opp->customer_id(), "'"));
  }
  const CsvRow& row = *it->second;
  const std::vector<int>& c = t.account_rows.columns;
  AccountAttributes* account = opp->mutable_account();
  account->set_name(Cell(row, c[0]));
  account->set_sector(Cell(row, c[1]));
  account->set_office_location(Cell(row, c[5]));
  account->set_subsidiary_of(Cell(row, c[6]));
  double revenue = 0, employees = 0, year = 0;
  if (!absl::SimpleAtod(Cell(row, c[2]), &year) ||
      !absl::SimpleAtod(Cell(row, c[3]), &revenue) ||
      !absl::SimpleAtod(Cell(row, c[4]), &employees)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "account '", opp->customer_id(), "' has non-numeric firmographics"));
  }
  account->set_year_established(static_cast<int32_t>(year));
  account->set_revenue_musd(revenue);
  account->set_employees(static_cast<int64_t>(employees));
  return absl::OkStatus();
}

absl::Status JoinTeam(const MavenTables& t, Opportunity* opp) {
  auto it = t.team_rows.rows.find(opp->owner());
  if (it == t.team_rows.rows.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown sales agent '", opp->owner(), "'"));
  }
  opp->set_manager(Cell(*it->second, t.team_rows.columns[1]));
  opp->set_regional_office(Cell(*it->second, t.team_rows.columns[2]));
  return absl::OkStatus();
}

absl::Status ReadMavenTables(const std::string& folder, MavenTables* t) {
  struct Spec {
    const char* file;
    CsvTable* table;
    Lookup* lookup;
    std::vector<std::string> columns;
    std::string (*key)(absl::string_view);
  };
  const Spec specs[] = {{"products.csv",
                         &t->products,
                         &t->product_rows,
                         {"product", "series", "sales_price"},
                         ProductKey},
                        {"accounts.csv",
                         &t->accounts,
                         &t->account_rows,
                         {"account", "sector", "year_established", "revenue",
                          "employees", "office_location", "subsidiary_of"},
                         Verbatim},
                        {"sales_teams.csv",
                         &t->teams,
                         &t->team_rows,
                         {"sales_agent", "manager", "regional_office"},
                         Verbatim}};
  for (const Spec& spec : specs) {
    std::string path = absl::StrCat(folder, "/", spec.file);
    absl::StatusOr<CsvTable> table = ReadCsvTable(path);
    if (!table.ok()) return table.status();
    *spec.table = *std::move(table);
    absl::StatusOr<Lookup> lookup =
        IndexTable(*spec.table, spec.columns, path, spec.key);
    if (!lookup.ok()) return lookup.status();
    *spec.lookup = *std::move(lookup);
  }
  return absl::OkStatus();
}

OpportunityCsvMapping MavenPipelineMapping() {
  OpportunityCsvMapping m;
  m.price.clear();  // from products.csv: close_value leaks the outcome
  m.created_at = "engage_date";
  return m;
}

}  // namespace

absl::StatusOr<OpportunityImport> ImportOpportunityCsv(
    const std::string& path, const OpportunityCsvMapping& mapping) {
  absl::StatusOr<CsvTable> table = ReadCsvTable(path, mapping.delimiter);
  if (!table.ok()) return table.status();
  return ImportRows(*table, mapping, path, nullptr);
}

absl::StatusOr<OpportunityImport> ImportMavenCrm(const std::string& folder) {
  MavenTables tables;
  absl::Status status = ReadMavenTables(folder, &tables);
  if (!status.ok()) return status;
  std::string path = absl::StrCat(folder, "/sales_pipeline.csv");
  absl::StatusOr<CsvTable> pipeline = ReadCsvTable(path);
  if (!pipeline.ok()) return pipeline.status();
  int close_value = pipeline->Column("close_value");
  RowJoin join = [&](const CsvRow& row, Opportunity* opp) {
    absl::Status s = JoinProduct(tables, opp);
    if (s.ok()) s = JoinAccount(tables, opp);
    if (s.ok()) s = JoinTeam(tables, opp);
    double value = 0;
    if (s.ok() && absl::SimpleAtod(Cell(row, close_value), &value)) {
      opp->set_close_value(value);
    }
    return s;
  };
  return ImportRows(*pipeline, MavenPipelineMapping(), path, join);
}

}  // namespace c360

// Parsing of opportunity mapping files; the format is described in
// opportunity_import.h.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/opportunity_import.h"

namespace c360 {
namespace {

// The mapping's column fields by name.
std::vector<std::pair<absl::string_view, std::string*>> ColumnFields(
    OpportunityCsvMapping* m) {
  return {{"id", &m->id},
          {"customer", &m->customer},
          {"product", &m->product},
          {"price", &m->price},
          {"cost", &m->cost},
          {"margin", &m->margin},
          {"lead_source", &m->lead_source},
          {"owner", &m->owner},
          {"created_at", &m->created_at},
          {"first_offer_at", &m->first_offer_at},
          {"closed_at", &m->closed_at},
          {"outcome", &m->outcome}};
}

std::vector<std::string> ValueList(absl::string_view value) {
  std::vector<std::string> values;
  for (absl::string_view v : absl::StrSplit(value, ',', absl::SkipEmpty())) {
    v = absl::StripAsciiWhitespace(v);
    if (!v.empty()) values.emplace_back(v);
  }
  return values;
}

absl::Status SetDelimiter(absl::string_view value, OpportunityCsvMapping* m) {
  if (value == "\\t") {
    m->delimiter = '\t';
  } else if (value == "," || value == ";" || value == "|") {
    m->delimiter = value[0];
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown delimiter '", value, "' (use ',', ';', '|' or '\\t')"));
  }
  return absl::OkStatus();
}

absl::Status SetField(absl::string_view field, absl::string_view value,
                      OpportunityCsvMapping* m) {
  if (field == "delimiter") return SetDelimiter(value, m);
  if (field == "won" || field == "lost") {
    (field == "won" ? m->won_values : m->lost_values) = ValueList(value);
    return absl::OkStatus();
  }
  if (absl::ConsumePrefix(&field, "attribute.")) {
    if (field.empty()) return absl::InvalidArgumentError("attribute without a name");
    m->attributes.emplace_back(field, value);
    return absl::OkStatus();
  }
  for (auto& [name, column] : ColumnFields(m)) {
    if (name == field) {
      *column = std::string(value);
      return absl::OkStatus();
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("unknown field '", field, "'"));
}

}  // namespace

absl::StatusOr<OpportunityCsvMapping> ParseOpportunityMapping(
    absl::string_view text) {
  OpportunityCsvMapping mapping;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    size_t eq = line.find('=');
    absl::Status status =
        eq == absl::string_view::npos
            ? absl::InvalidArgumentError("expected 'field = value'")
            : SetField(absl::StripAsciiWhitespace(line.substr(0, eq)),
                       absl::StripAsciiWhitespace(line.substr(eq + 1)),
                       &mapping);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("mapping line ", number, ": ", status.message()));
    }
  }
  return mapping;
}

}  // namespace c360

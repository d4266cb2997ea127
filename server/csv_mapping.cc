// Parsing of CSV mapping files; the format is described in record_reader.h.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "resolver/record_validator.h"
#include "server/csv.h"
#include "server/record_reader.h"

namespace c360 {
namespace {

using csv_internal::TargetKind;

// The line without its comment. A '#' inside a quoted constant is text.
absl::string_view StripComment(absl::string_view line) {
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == '#' && !quoted) return line.substr(0, i);
  }
  return line;
}

bool IsMapped(const CsvMapping& mapping, absl::string_view target) {
  return std::any_of(
      mapping.fields.begin(), mapping.fields.end(),
      [target](const CsvMapping::Field& f) { return f.target == target; });
}

absl::Status ParseDelimiter(absl::string_view value, CsvMapping* mapping) {
  if (value == "\\t") {
    mapping->delimiter = '\t';
  } else if (value == "," || value == ";" || value == "|") {
    mapping->delimiter = value[0];
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown delimiter '", value, "' (use ',', ';', '|' or '\\t')"));
  }
  return absl::OkStatus();
}

absl::Status ParseBirthDateFormat(absl::string_view value,
                                  CsvMapping* mapping) {
  if (!csv_internal::IsBirthDateFormat(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown birth_date_format '", value, "'"));
  }
  mapping->birth_date_format = std::string(value);
  return absl::OkStatus();
}

absl::Status ParseField(absl::string_view target, absl::string_view value,
                        CsvMapping* mapping) {
  const TargetKind kind = csv_internal::KindOfTarget(target);
  if (kind == TargetKind::kUnknown) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown target '", target, "'"));
  }
  if (kind == TargetKind::kSingle && IsMapped(*mapping, target)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", target, "' is mapped twice"));
  }
  if (value.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", target, "' has no column"));
  }
  CsvMapping::Field field;
  field.target = std::string(target);
  if (value.front() != '"') {
    field.column = std::string(value);
  } else if (value.size() >= 2 && value.back() == '"') {
    field.constant = std::string(value.substr(1, value.size() - 2));
    field.is_constant = true;
  } else {
    return absl::InvalidArgumentError("unterminated quoted constant");
  }
  mapping->fields.push_back(std::move(field));
  return absl::OkStatus();
}

absl::Status ParseLine(absl::string_view line, CsvMapping* mapping) {
  if (!IsValidUtf8(line)) return absl::InvalidArgumentError("invalid UTF-8");
  line = absl::StripAsciiWhitespace(StripComment(line));
  if (line.empty()) return absl::OkStatus();
  const size_t equals = line.find('=');
  if (equals == absl::string_view::npos) {
    return absl::InvalidArgumentError("missing '='");
  }
  const absl::string_view key =
      absl::StripAsciiWhitespace(line.substr(0, equals));
  const absl::string_view value =
      absl::StripAsciiWhitespace(line.substr(equals + 1));
  if (key == "delimiter") return ParseDelimiter(value, mapping);
  if (key == "birth_date_format") return ParseBirthDateFormat(value, mapping);
  return ParseField(key, value, mapping);
}

}  // namespace

absl::StatusOr<CsvMapping> ParseCsvMapping(absl::string_view text,
                                           RowKeys keys) {
  CsvMapping mapping;
  int number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++number;
    const absl::Status status = ParseLine(line, &mapping);
    if (!status.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line ", number, ": ", status.message()));
    }
  }
  if (keys == RowKeys::kInRow && !IsMapped(mapping, "source_id")) {
    return absl::InvalidArgumentError("no source_id mapping");
  }
  return mapping;
}

absl::StatusOr<CsvMapping> LoadCsvMapping(const std::string& path,
                                          RowKeys keys) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot open mapping file '", path, "'"));
  }
  const std::string text{std::istreambuf_iterator<char>(in),
                         std::istreambuf_iterator<char>()};
  absl::StatusOr<CsvMapping> mapping = ParseCsvMapping(text, keys);
  if (!mapping.ok()) {
    return absl::Status(mapping.status().code(),
                        absl::StrCat(path, ": ", mapping.status().message()));
  }
  return mapping;
}

}  // namespace c360

// Fuzzes the CSV reader with its mapping (server/record_reader.h,
// server/csv.h). The input is a mapping file, a line "%%", and the CSV
// file; without the "%%" line all of it is CSV read with a mapping of every
// target to a column of the target's name. Checks:
// - the mapping parses or is rejected naming its line;
// - every row comes back as a valid record or as a rejection with its line
//   number (fuzz_checks.h), and an accepted record reads back the same from
//   JSON Lines;
// - every row the tokenizer splits without a problem, written back with
//   each cell quoted, splits into the same cells.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "resolver/record_validator.h"
#include "server/csv.h"
#include "server/record_reader.h"
#include "tests/fuzz/fuzz_checks.h"

namespace c360 {
namespace {

using csv_internal::CsvRow;
using csv_internal::CsvTokenizer;

constexpr char kSource[] = "erp";
constexpr absl::string_view kSeparator = "\n%%\n";
constexpr size_t kMaxRowBytes = 1 << 20;
constexpr size_t kMaxRawBytes = 4 << 10;

constexpr char kEveryTarget[] = R"(
source_id = source_id
observed_at = observed_at
name.full = name.full
name.given = name.given
name.middle = name.middle
name.family = name.family
email = email
email = email2
phone = phone
phone = phone2
address.street = address.street
address.house_number = address.house_number
address.postcode = address.postcode
address.city = address.city
address.country = address.country
birth_date = birth_date
organization = organization
business_id = business_id
social.platform = "x"
social.handle = social.handle
social.display_name = social.display_name
attribute.segment = attribute.segment
)";

// A rejected mapping names the line of its first problem, or says that
// source_id is not mapped.
void CheckMappingError(const absl::Status& status, absl::string_view text) {
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  FUZZ_CHECK(IsValidUtf8(status.message()));
  if (status.message() == "no source_id mapping") return;
  absl::string_view message = status.message();
  FUZZ_CHECK(absl::ConsumePrefix(&message, "line "));
  int line = 0;
  FUZZ_CHECK(absl::SimpleAtoi(message.substr(0, message.find(':')), &line));
  FUZZ_CHECK(line >= 1 && line <= std::count(text.begin(), text.end(), '\n') + 1);
}

// `cells` as one CSV row with every cell quoted.
std::string QuotedRow(const std::vector<std::string>& cells, char delimiter) {
  std::string row;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) row.push_back(delimiter);
    absl::StrAppend(&row, "\"", absl::StrReplaceAll(cells[i], {{"\"", "\"\""}}),
                    "\"");
  }
  return row + "\n";
}

void CheckTokenizerRoundTrip(const std::string& csv, char delimiter) {
  std::istringstream in(csv);
  CsvTokenizer tokenizer(&in, delimiter, kMaxRowBytes, kMaxRawBytes);
  CsvRow row;
  while (tokenizer.Next(&row)) {
    if (!row.status.ok()) continue;
    std::istringstream again_in(QuotedRow(row.cells, delimiter));
    CsvTokenizer again(&again_in, delimiter, kMaxRowBytes, kMaxRawBytes);
    CsvRow same;
    FUZZ_CHECK(again.Next(&same));
    FUZZ_CHECK(same.status.ok());
    FUZZ_CHECK(same.cells == row.cells);
    FUZZ_CHECK(!again.Next(&same));
  }
}

void ReadAll(const std::string& csv, CsvMapping mapping) {
  std::istringstream in(csv);
  absl::StatusOr<std::unique_ptr<RecordReader>> reader =
      NewCsvReader(&in, kSource, std::move(mapping));
  if (!reader.ok()) {
    FUZZ_CHECK(reader.status().code() == absl::StatusCode::kInvalidArgument);
    FUZZ_CHECK(IsValidUtf8(reader.status().message()));
    return;
  }
  const int64_t lines = fuzz::LineCount(csv);
  int64_t previous_line = 1;  // the header's
  int64_t previous_bytes = (*reader)->bytes_read();
  ReadResult row;
  while ((*reader)->Next(&row)) {
    fuzz::CheckRow(row, kSource, previous_line, lines);
    if (row.record.ok()) fuzz::CheckJsonRoundTrip(*row.record);
    FUZZ_CHECK((*reader)->bytes_read() > previous_bytes);
    previous_line = row.line;
    previous_bytes = (*reader)->bytes_read();
  }
  FUZZ_CHECK(previous_bytes <= static_cast<int64_t>(csv.size()));
}

void Run(absl::string_view input) {
  const size_t separator = input.find(kSeparator);
  const bool has_mapping = separator != absl::string_view::npos;
  const absl::string_view mapping_text =
      has_mapping ? input.substr(0, separator) : kEveryTarget;
  const std::string csv(
      has_mapping ? input.substr(separator + kSeparator.size()) : input);
  absl::StatusOr<CsvMapping> mapping = ParseCsvMapping(mapping_text);
  if (!mapping.ok()) {
    CheckMappingError(mapping.status(), mapping_text);
    return;
  }
  CheckTokenizerRoundTrip(csv, mapping->delimiter);
  ReadAll(csv, *std::move(mapping));
}

}  // namespace
}  // namespace c360

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  c360::Run(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

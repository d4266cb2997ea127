// A small RFC 4180 CSV reader for ml/ (which may not depend on server/'s
// streaming reader): the whole file in memory, which suits opportunity
// exports and lookup tables of a few hundred thousand rows. Internal to ml/.
#ifndef C360_ML_CSV_TABLE_H_
#define C360_ML_CSV_TABLE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c360 {
namespace ml_internal {

struct CsvRow {
  // 1-based line where the row starts.
  int64_t line = 0;
  std::vector<std::string> cells;
  // Non-empty when the row is malformed (e.g. an unterminated quote, text
  // after a closing quote, or a cell count unlike the header's).
  std::string error;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;

  // The column's index in the header, or -1.
  int Column(absl::string_view name) const;
};

// Reads `path`: the first row is the header; fields may be quoted with '"'
// (holding commas, doubled quotes and line ends); rows end at "\n" or
// "\r\n"; blank lines and a UTF-8 byte order mark are skipped. NotFound when
// the file cannot be read, InvalidArgument when it has no header.
absl::StatusOr<CsvTable> ReadCsvTable(const std::string& path);

// Parses CSV text as ReadCsvTable does.
absl::StatusOr<CsvTable> ParseCsvTable(absl::string_view text);

}  // namespace ml_internal
}  // namespace c360

#endif  // C360_ML_CSV_TABLE_H_

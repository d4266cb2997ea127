#include "ml/csv_table.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace c360 {
namespace ml_internal {
namespace {

// Cursor over the text; tracks the line for row numbers.
class CsvParser {
 public:
  explicit CsvParser(absl::string_view text) : text_(text) {
    if (absl::StartsWith(text_, "\xEF\xBB\xBF")) pos_ = 3;
  }

  // Reads the next non-blank row; false at the end of the text.
  bool Next(CsvRow* row) {
    while (pos_ < text_.size() && AtLineEnd()) SkipLineEnd();
    if (pos_ >= text_.size()) return false;
    *row = CsvRow();
    row->line = line_;
    do {
      row->cells.push_back(ReadCell(row));
    } while (pos_ < text_.size() && text_[pos_++] == ',');
    return true;
  }

 private:
  bool AtLineEnd() const {
    return text_[pos_] == '\n' ||
           (text_[pos_] == '\r' && pos_ + 1 < text_.size() &&
            text_[pos_ + 1] == '\n');
  }
  void SkipLineEnd() {
    pos_ += text_[pos_] == '\r' ? 2 : 1;
    ++line_;
  }

  // Reads one cell and leaves the cursor on its ',' or line end, which
  // Next() then consumes (a line end ends the row).
  std::string ReadCell(CsvRow* row) {
    if (pos_ < text_.size() && text_[pos_] == '"') return ReadQuoted(row);
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) ++pos_;
    std::string cell(text_.substr(start, pos_ - start));
    if (pos_ < text_.size() && AtLineEnd()) EndRow();
    return cell;
  }

  std::string ReadQuoted(CsvRow* row) {
    std::string cell;
    ++pos_;
    while (true) {
      if (pos_ >= text_.size()) {
        row->error = "unterminated quoted field";
        return cell;
      }
      char c = text_[pos_++];
      if (c == '"' && pos_ < text_.size() && text_[pos_] == '"') {
        cell.push_back('"');
        ++pos_;
      } else if (c == '"') {
        break;
      } else {
        if (c == '\n') ++line_;
        cell.push_back(c);
      }
    }
    if (pos_ < text_.size() && AtLineEnd()) {
      EndRow();
    } else if (pos_ < text_.size() && text_[pos_] != ',') {
      row->error = "text after a closing quote";
      while (pos_ < text_.size() && text_[pos_] != ',' && !AtLineEnd()) ++pos_;
      if (pos_ < text_.size() && AtLineEnd()) EndRow();
    }
    return cell;
  }

  // Consumes the line end but one byte, so that Next()'s `text_[pos_++]`
  // sees a byte that is not ',' and stops the row.
  void EndRow() {
    if (text_[pos_] == '\r') ++pos_;
    ++line_;
  }

  absl::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
};

}  // namespace

int CsvTable::Column(absl::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

absl::StatusOr<CsvTable> ParseCsvTable(absl::string_view text) {
  CsvParser parser(text);
  CsvRow header;
  if (!parser.Next(&header)) {
    return absl::InvalidArgumentError("CSV has no header row");
  }
  CsvTable table;
  table.header = std::move(header.cells);
  CsvRow row;
  while (parser.Next(&row)) {
    if (row.error.empty() && row.cells.size() != table.header.size()) {
      row.error = absl::StrCat(row.cells.size(), " cells, header has ",
                               table.header.size());
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::StatusOr<CsvTable> ReadCsvTable(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<CsvTable> table = ParseCsvTable(text.str());
  if (!table.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", table.status().message()));
  }
  return table;
}

}  // namespace ml_internal
}  // namespace c360

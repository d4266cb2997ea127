// Internals of the CSV reader, shared by csv_mapping.cc and
// record_reader.cc: an RFC 4180 tokenizer and the mapping targets; and the
// one field quoting rule of the CSV writers (generator, segment export). Not
// part of the server's interface.
#ifndef C360_SERVER_CSV_H_
#define C360_SERVER_CSV_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "c360/record.pb.h"

namespace c360 {
namespace csv_internal {

// `value` as one RFC 4180 field: quoted only when it holds the delimiter, a
// quote or a line end, with quotes doubled.
std::string CsvField(absl::string_view value, char delimiter);

// Skipped at the start of a file: editors on Windows start UTF-8 with it.
inline constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

// One row as the tokenizer read it.
struct CsvRow {
  // 1-based line where the row starts.
  int64_t line = 0;
  // The cells; empty when the row was oversized.
  std::vector<std::string> cells;
  // The first bytes of the row's text, without its line end.
  std::string raw;
  // InvalidArgument for an unterminated quote, text after a closing quote
  // or an oversized row; the row was still read to its end.
  absl::Status status;
};

// Splits CSV text into rows. Quoted fields may hold delimiters, doubled
// quotes and line ends; rows end at "\n" or "\r\n" outside quotes. A UTF-8
// byte order mark at the start is skipped, as are blank lines.
class CsvTokenizer {
 public:
  // Reads from `in` (not owned). Rows over `max_row_bytes` are rejected
  // without being held whole; CsvRow::raw keeps at most `max_raw_bytes`.
  CsvTokenizer(std::istream* in, char delimiter, size_t max_row_bytes,
               size_t max_raw_bytes);

  // Reads the next non-blank row. Returns false at end of input.
  bool Next(CsvRow* row);

  // Bytes consumed so far.
  int64_t bytes_read() const { return bytes_read_; }

 private:
  int Peek();
  char Skip();
  void Record(CsvRow* row, char c);
  void Take(CsvRow* row);
  bool TakeCarriageReturn(CsvRow* row);
  bool Oversized() const { return row_bytes_ > max_row_bytes_; }
  void Append(CsvRow* row, char c);
  void ReadRow(CsvRow* row);
  bool ReadQuoted(CsvRow* row);
  size_t ReadPlain(CsvRow* row);
  void SkipByteOrderMark();

  std::istream* in_;
  const int delimiter_;  // as Peek() returns it
  const size_t max_row_bytes_;
  const size_t max_raw_bytes_;
  std::string buffer_;  // a chunk of input; buffer_[pos_] is the next byte
  size_t pos_ = 0;
  int64_t bytes_read_ = 0;
  int64_t line_ = 1;
  size_t row_bytes_ = 0;
};

// How a mapping target ("name.given", "email", "attribute.segment") may be
// used: not at all, once, or several times.
enum class TargetKind { kUnknown, kSingle, kRepeatable };

TargetKind KindOfTarget(absl::string_view target);

// Whether `format` is a birth_date_format the mapping file may name.
bool IsBirthDateFormat(absl::string_view format);

// Stores the non-empty `value` into `target` (of a kind other than kUnknown)
// of `record`. Converts a birth_date from `birth_date_format` to ISO 8601 and
// an observed_at ("YYYY-MM-DD" or RFC 3339) to a Timestamp; InvalidArgument
// when the value does not have that form.
absl::Status SetTarget(absl::string_view target, absl::string_view value,
                       absl::string_view birth_date_format,
                       SourceRecord* record);

}  // namespace csv_internal
}  // namespace c360

#endif  // C360_SERVER_CSV_H_

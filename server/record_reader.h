// Reading source files into SourceRecords: JSON Lines (the proto3 JSON
// mapping of c360.SourceRecord, one object per line) and CSV with a column
// mapping file. A bad row never stops the file: it comes back as a rejection
// with its line number and reason, and reading goes on with the next row.
//
// Mapping file format (see data/mappings/*.map):
//
//   # comment
//   delimiter = ;                  # "," (default), ";", "|" or "\t"
//   birth_date_format = DD.MM.YYYY # YYYY-MM-DD (default), DD.MM.YYYY,
//                                  # DD/MM/YYYY, MM/DD/YYYY or YYYYMMDD
//   source_id = CustomerNo         # target = CSV header column
//   name.given = FirstName
//   email = Email                  # repeatable targets may appear
//   email = Email2                 #   several times
//   social.platform = "instagram"  # a quoted value is a constant
//
// Targets: source_id, observed_at (ISO 8601 date or RFC 3339 date-time),
// name.full, name.given, name.middle, name.family, email*, phone*,
// address.street, address.house_number, address.postcode, address.city,
// address.country, birth_date, organization, business_id, social.platform,
// social.handle, social.display_name, attribute.<name>* (* = repeatable).
// Every mapped column must exist in the CSV header; source_id is required
// (unless keys are RowKeys::kDerived). Empty cells are absent values. A
// UTF-8 byte order mark at the start of either format is skipped.
//
// Readers are not thread-safe; use one per thread.
#ifndef C360_SERVER_RECORD_READER_H_
#define C360_SERVER_RECORD_READER_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c360/record.pb.h"

namespace c360 {

// One row of input: a record, or the reason it was rejected.
struct ReadResult {
  // 1-based line number where the row starts.
  int64_t line = 0;
  // The parsed record (with `source` set), or InvalidArgument with a reason
  // that names the field or column, e.g. "column 'Email': invalid UTF-8".
  absl::StatusOr<SourceRecord> record;
  // The raw row text (at most 4 KiB of it), for the rejects file.
  std::string raw;
};

// A stream of rows from one file.
class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // Reads the next row into `result`. Returns false at end of input.
  virtual bool Next(ReadResult* result) = 0;
  // Bytes of input consumed so far, for progress reporting.
  virtual int64_t bytes_read() const = 0;
};

// Whether each row names its own key (source_id), or the reader's caller
// derives keys from other fields (company-register rows are keyed by their
// business id). With kDerived a mapping need not map source_id, and a row
// without one gets "line:<N>" (its line) so that it validates; the caller
// replaces it.
enum class RowKeys { kInRow, kDerived };

// How a CSV file's columns map onto SourceRecord fields.
struct CsvMapping {
  char delimiter = ',';
  std::string birth_date_format = "YYYY-MM-DD";
  // (target, column or constant) in file order.
  struct Field {
    std::string target;
    std::string column;     // CSV header name; empty when constant is set
    std::string constant;   // value of a quoted constant
    bool is_constant = false;
  };
  std::vector<Field> fields;
};

// Parses a mapping file's text. InvalidArgument names the line and the
// problem (unknown target, missing '=', unknown setting value, no source_id
// when keys are kInRow).
absl::StatusOr<CsvMapping> ParseCsvMapping(absl::string_view text,
                                           RowKeys keys = RowKeys::kInRow);

// Reads and parses a mapping file.
absl::StatusOr<CsvMapping> LoadCsvMapping(const std::string& path,
                                          RowKeys keys = RowKeys::kInRow);

// A reader of JSON Lines from `in` (not owned; must outlive the reader).
// Records get `source` set to `source`; a record naming another source is
// rejected.
std::unique_ptr<RecordReader> NewJsonLinesReader(
    std::istream* in, std::string source, RowKeys keys = RowKeys::kInRow);

// A reader of CSV (RFC 4180: quoted fields, doubled quotes, newlines inside
// quotes) from `in` (not owned). Reads the header row at once:
// InvalidArgument if it lacks a mapped column.
absl::StatusOr<std::unique_ptr<RecordReader>> NewCsvReader(
    std::istream* in, std::string source, CsvMapping mapping,
    RowKeys keys = RowKeys::kInRow);

// Writes rejected rows as JSON Lines: {"line":N,"reason":"...","raw":"..."}.
class RejectsWriter {
 public:
  explicit RejectsWriter(std::ostream* out) : out_(out) {}
  void Write(int64_t line, absl::string_view reason, absl::string_view raw);

 private:
  std::ostream* out_;
};

}  // namespace c360

#endif  // C360_SERVER_RECORD_READER_H_

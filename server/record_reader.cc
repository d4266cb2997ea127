#include "server/record_reader.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/json_util.h"
#include "resolver/record_validator.h"
#include "server/csv.h"
#include "server/json_text.h"

namespace c360 {
namespace {

// Longest JSON line or CSV row read; longer ones are rejected.
constexpr size_t kMaxRowBytes = 1 << 20;
// Most of a row's text kept for the rejects file.
constexpr size_t kMaxRawBytes = 4 << 10;

absl::Status OversizedRow() {
  return absl::InvalidArgumentError(
      absl::StrCat("row is over ", kMaxRowBytes, " bytes"));
}

// The last step for both formats, so that a record is accepted or rejected
// the same way whichever way it arrives.
absl::StatusOr<SourceRecord> Finish(SourceRecord record,
                                    const std::string& source, RowKeys keys,
                                    int64_t line) {
  if (!record.source().empty() && record.source() != source) {
    // Escaped because the value has not been validated yet.
    return absl::InvalidArgumentError(
        absl::StrCat("source: '", absl::CHexEscape(record.source()),
                     "' is not this file's source '", source, "'"));
  }
  record.set_source(source);
  if (keys == RowKeys::kDerived && record.source_id().empty()) {
    record.set_source_id(absl::StrCat("line:", line));
  }
  absl::Status status = ValidateRecord(record);
  if (!status.ok()) return status;
  return record;
}

class JsonLinesReader : public RecordReader {
 public:
  JsonLinesReader(std::istream* in, std::string source, RowKeys keys)
      : in_(in), source_(std::move(source)), keys_(keys) {}

  bool Next(ReadResult* result) override;
  int64_t bytes_read() const override { return bytes_read_; }

 private:
  bool ReadLine();
  absl::StatusOr<SourceRecord> Parse() const;

  std::istream* in_;
  const std::string source_;
  const RowKeys keys_;
  std::string line_;  // the current line, cut after kMaxRowBytes + 1 bytes
  bool oversized_ = false;
  int64_t line_number_ = 0;
  int64_t bytes_read_ = 0;
};

bool JsonLinesReader::Next(ReadResult* result) {
  do {
    if (!ReadLine()) return false;
  } while (!oversized_ && absl::StripAsciiWhitespace(line_).empty());
  result->line = line_number_;
  result->raw = line_.substr(0, kMaxRawBytes);
  result->record = Parse();
  return true;
}

// Reads the next line into line_ without its line end, holding no more of
// it than is needed to tell that it is oversized. False at end of input.
bool JsonLinesReader::ReadLine() {
  std::streambuf* buffer = in_->rdbuf();
  if (buffer->sgetc() == EOF) return false;
  line_.clear();
  bool cut = false;
  int c;
  while ((c = buffer->sbumpc()) != EOF) {
    ++bytes_read_;
    if (c == '\n') break;
    if (line_.size() > kMaxRowBytes) {
      cut = true;
    } else {
      line_.push_back(static_cast<char>(c));
    }
  }
  if (!cut && !line_.empty() && line_.back() == '\r') line_.pop_back();
  // The byte order mark is not part of the first row.
  const absl::string_view mark = csv_internal::kByteOrderMark;
  if (++line_number_ == 1 && absl::StartsWith(line_, mark)) {
    line_.erase(0, mark.size());
  }
  oversized_ = cut || line_.size() > kMaxRowBytes;
  return true;
}

absl::StatusOr<SourceRecord> JsonLinesReader::Parse() const {
  if (oversized_) return OversizedRow();
  // Checked here because the JSON parser's own complaint would not say so.
  if (!IsValidUtf8(line_)) return absl::InvalidArgumentError("invalid UTF-8");
  SourceRecord record;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;  // a misspelled field is an error
  const auto status =
      google::protobuf::util::JsonStringToMessage(line_, &record, options);
  if (!status.ok()) {
    // Past its first line the parser's message repeats the input with a
    // caret, which the rejects file already holds.
    const absl::string_view message(status.message().data(),
                                    status.message().size());
    return absl::InvalidArgumentError(
        absl::StrCat("invalid JSON: ", message.substr(0, message.find('\n'))));
  }
  return Finish(std::move(record), source_, keys_, line_number_);
}

// Checked before a cell is converted, so that no message quotes an
// oversized or malformed value.
absl::Status CheckCell(absl::string_view value) {
  const size_t limit = ValidationLimits().max_field_bytes;
  if (value.size() > limit) {
    return absl::InvalidArgumentError(
        absl::StrCat("value is ", value.size(), " bytes, limit is ", limit));
  }
  if (!IsValidUtf8(value)) return absl::InvalidArgumentError("invalid UTF-8");
  return absl::OkStatus();
}

class CsvReader : public RecordReader {
 public:
  CsvReader(std::istream* in, std::string source, CsvMapping mapping,
            RowKeys keys)
      : source_(std::move(source)),
        mapping_(std::move(mapping)),
        keys_(keys),
        tokenizer_(in, mapping_.delimiter, kMaxRowBytes, kMaxRawBytes) {}

  // Checks the mapping and finds its columns in the header row.
  absl::Status ReadHeader();

  bool Next(ReadResult* result) override;
  int64_t bytes_read() const override { return tokenizer_.bytes_read(); }

 private:
  absl::Status CheckMapping() const;
  absl::StatusOr<int> FindColumn(const CsvMapping::Field& field) const;
  absl::StatusOr<SourceRecord> ToRecord() const;
  absl::Status Apply(const CsvMapping::Field& field, int column,
                     SourceRecord* record) const;

  const std::string source_;
  const CsvMapping mapping_;
  const RowKeys keys_;
  csv_internal::CsvTokenizer tokenizer_;
  csv_internal::CsvRow row_;  // the current row; reused to keep its buffers
  size_t columns_ = 0;
  // For each of mapping_.fields, its column, or -1 for a constant.
  std::vector<int> field_columns_;
};

// A mapping built in code has not been through ParseCsvMapping.
absl::Status CsvReader::CheckMapping() const {
  if (!csv_internal::IsBirthDateFormat(mapping_.birth_date_format)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown birth_date_format '", mapping_.birth_date_format, "'"));
  }
  for (const CsvMapping::Field& field : mapping_.fields) {
    if (csv_internal::KindOfTarget(field.target) ==
        csv_internal::TargetKind::kUnknown) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown target '", field.target, "'"));
    }
  }
  return absl::OkStatus();
}

absl::Status CsvReader::ReadHeader() {
  absl::Status status = CheckMapping();
  if (!status.ok()) return status;
  if (!tokenizer_.Next(&row_)) {
    return absl::InvalidArgumentError("no header row");
  }
  if (!row_.status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("header row: ", row_.status.message()));
  }
  columns_ = row_.cells.size();
  for (const CsvMapping::Field& field : mapping_.fields) {
    absl::StatusOr<int> column = FindColumn(field);
    if (!column.ok()) return column.status();
    field_columns_.push_back(*column);
  }
  return absl::OkStatus();
}

absl::StatusOr<int> CsvReader::FindColumn(
    const CsvMapping::Field& field) const {
  if (field.is_constant) return -1;
  const auto& header = row_.cells;
  const auto found = std::find_if(
      header.begin(), header.end(), [&field](const std::string& name) {
        return absl::StripAsciiWhitespace(name) == field.column;
      });
  if (found == header.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("column '", field.column, "' (mapped to ", field.target,
                     ") is not in the CSV header"));
  }
  return static_cast<int>(found - header.begin());
}

bool CsvReader::Next(ReadResult* result) {
  if (!tokenizer_.Next(&row_)) return false;
  result->line = row_.line;
  result->raw = row_.raw;
  result->record = ToRecord();
  return true;
}

absl::StatusOr<SourceRecord> CsvReader::ToRecord() const {
  if (!row_.status.ok()) return row_.status;
  if (row_.cells.size() != columns_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected ", columns_, " columns, found ", row_.cells.size()));
  }
  SourceRecord record;
  for (size_t i = 0; i < mapping_.fields.size(); ++i) {
    absl::Status status = Apply(mapping_.fields[i], field_columns_[i], &record);
    if (!status.ok()) return status;
  }
  return Finish(std::move(record), source_, keys_, row_.line);
}

// Stores one mapped value. Errors name the column, or the target of a
// constant, since the record's field paths mean little to whoever fixes a
// CSV file.
absl::Status CsvReader::Apply(const CsvMapping::Field& field, int column,
                              SourceRecord* record) const {
  const absl::string_view value =
      field.is_constant ? absl::string_view(field.constant)
                        : absl::StripAsciiWhitespace(row_.cells[column]);
  if (value.empty()) return absl::OkStatus();
  absl::Status status = CheckCell(value);
  if (status.ok()) {
    status = csv_internal::SetTarget(field.target, value,
                                     mapping_.birth_date_format, record);
  }
  if (status.ok()) return status;
  const std::string where = field.is_constant
                                ? absl::StrCat("constant for ", field.target)
                                : absl::StrCat("column '", field.column, "'");
  return absl::InvalidArgumentError(
      absl::StrCat(where, ": ", status.message()));
}

}  // namespace

std::unique_ptr<RecordReader> NewJsonLinesReader(std::istream* in,
                                                 std::string source,
                                                 RowKeys keys) {
  return std::make_unique<JsonLinesReader>(in, std::move(source), keys);
}

absl::StatusOr<std::unique_ptr<RecordReader>> NewCsvReader(std::istream* in,
                                                           std::string source,
                                                           CsvMapping mapping,
                                                           RowKeys keys) {
  auto reader = std::make_unique<CsvReader>(in, std::move(source),
                                            std::move(mapping), keys);
  absl::Status status = reader->ReadHeader();
  if (!status.ok()) return status;
  return std::unique_ptr<RecordReader>(std::move(reader));
}

void RejectsWriter::Write(int64_t line, absl::string_view reason,
                          absl::string_view raw) {
  *out_ << "{\"line\":" << line << ",\"reason\":" << JsonString(reason)
        << ",\"raw\":" << JsonString(raw) << "}\n";
}

}  // namespace c360

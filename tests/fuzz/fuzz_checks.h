// Property checks shared by the libFuzzer targets in this folder. A failed
// check prints what failed and aborts, which libFuzzer reports as a crash
// and saves the input that caused it.
#ifndef C360_TESTS_FUZZ_FUZZ_CHECKS_H_
#define C360_TESTS_FUZZ_FUZZ_CHECKS_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "resolver/record_validator.h"
#include "server/record_reader.h"

// Aborts with the failed condition and where it is when `condition` is false.
#define FUZZ_CHECK(condition)                                            \
  do {                                                                   \
    if (!(condition)) {                                                  \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__,   \
                   __LINE__, #condition);                                \
      std::abort();                                                      \
    }                                                                    \
  } while (false)

namespace c360 {
namespace fuzz {

// Number of lines in `text` as the readers count them: a last line without
// a line end counts too.
inline int64_t LineCount(absl::string_view text) {
  int64_t lines = 0;
  for (const char c : text) lines += c == '\n';
  return lines + (!text.empty() && text.back() != '\n');
}

// What every row of every reader must be, whatever the input: a row starts
// on a line of the input after the previous row's; an accepted record
// carries `source` and passes validation; a rejection is InvalidArgument
// with a reason of valid UTF-8, and the rejects file gets one JSON line
// that reads back as the row's line, reason and raw text (its invalid UTF-8
// as U+FFFD). `previous_line` is the previous row's line, 0 for the first.
inline void CheckRow(const ReadResult& row, const std::string& source,
                     int64_t previous_line, int64_t input_lines) {
  FUZZ_CHECK(row.line > previous_line);
  FUZZ_CHECK(row.line <= input_lines);
  FUZZ_CHECK(row.raw.size() <= 4096);
  if (row.record.ok()) {
    FUZZ_CHECK(row.record->source() == source);
    FUZZ_CHECK(ValidateRecord(*row.record).ok());
    return;
  }
  const absl::Status& status = row.record.status();
  FUZZ_CHECK(status.code() == absl::StatusCode::kInvalidArgument);
  FUZZ_CHECK(!status.message().empty());
  FUZZ_CHECK(IsValidUtf8(status.message()));

  std::ostringstream out;
  RejectsWriter(&out).Write(row.line, status.message(), row.raw);
  const std::string line = out.str();
  FUZZ_CHECK(line.find('\n') == line.size() - 1);
  FUZZ_CHECK(IsValidUtf8(line));
  google::protobuf::Struct parsed;
  FUZZ_CHECK(google::protobuf::util::JsonStringToMessage(line, &parsed).ok());
  const auto& fields = parsed.fields();
  FUZZ_CHECK(fields.at("line").number_value() == row.line);
  FUZZ_CHECK(fields.at("reason").string_value() == status.message());
  if (IsValidUtf8(row.raw)) FUZZ_CHECK(fields.at("raw").string_value() == row.raw);
}

// An accepted record reads back the same from its own JSON line, so that a
// record accepted from one format is accepted from the other.
inline void CheckJsonRoundTrip(const SourceRecord& record) {
  std::string json;
  FUZZ_CHECK(google::protobuf::util::MessageToJsonString(record, &json).ok());
  std::istringstream in(json);
  std::unique_ptr<RecordReader> reader =
      NewJsonLinesReader(&in, record.source());
  ReadResult again;
  FUZZ_CHECK(reader->Next(&again));
  FUZZ_CHECK(again.line == 1);
  FUZZ_CHECK(again.record.ok());
  FUZZ_CHECK(google::protobuf::util::MessageDifferencer::Equals(*again.record,
                                                                record));
  FUZZ_CHECK(!reader->Next(&again));
}

}  // namespace fuzz
}  // namespace c360

#endif  // C360_TESTS_FUZZ_FUZZ_CHECKS_H_

// Fuzzes the JSON Lines reader (server/record_reader.h) with the input as a
// whole file: every non-blank line comes back as a valid record or as a
// rejection with its line number (fuzz_checks.h), never a crash, and every
// accepted record reads back the same from its own JSON line.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>

#include "server/record_reader.h"
#include "tests/fuzz/fuzz_checks.h"

namespace c360 {
namespace {

constexpr char kSource[] = "crm";

void ReadAll(const std::string& text) {
  std::istringstream in(text);
  std::unique_ptr<RecordReader> reader = NewJsonLinesReader(&in, kSource);
  const int64_t lines = fuzz::LineCount(text);
  int64_t previous_line = 0;
  int64_t previous_bytes = 0;
  ReadResult row;
  while (reader->Next(&row)) {
    fuzz::CheckRow(row, kSource, previous_line, lines);
    if (row.record.ok()) fuzz::CheckJsonRoundTrip(*row.record);
    FUZZ_CHECK(reader->bytes_read() > previous_bytes);
    previous_line = row.line;
    previous_bytes = reader->bytes_read();
  }
  FUZZ_CHECK(reader->bytes_read() == static_cast<int64_t>(text.size()));
}

}  // namespace
}  // namespace c360

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  c360::ReadAll(std::string(reinterpret_cast<const char*>(data), size));
  return 0;
}

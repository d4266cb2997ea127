#include "server/json_text.h"

#include <algorithm>

#include "absl/strings/str_format.h"
#include "resolver/record_validator.h"

namespace c360 {
namespace {

// Appends `text`, which is valid UTF-8, escaped for a JSON string.
void AppendJsonEscaped(absl::string_view text, std::string* out) {
  for (const char c : text) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(out, "\\u%04x", c);
        } else {
          out->push_back(c);
        }
    }
  }
}

}  // namespace

std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  while (!text.empty()) {
    const size_t valid = ValidUtf8PrefixLength(text);
    AppendJsonEscaped(text.substr(0, valid), &out);
    if (valid < text.size()) out += "\\ufffd";
    text.remove_prefix(std::min(valid + 1, text.size()));
  }
  out += '"';
  return out;
}

}  // namespace c360

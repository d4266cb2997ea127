// Writing JSON text by hand where a whole message type would be overkill
// (summaries, rejects files).
#ifndef C360_SERVER_JSON_TEXT_H_
#define C360_SERVER_JSON_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace c360 {

// `text` as a quoted JSON string. JSON must be UTF-8 but the text may be
// anything (a rejected row), so each byte that is not part of valid UTF-8
// becomes U+FFFD.
std::string JsonString(absl::string_view text);

}  // namespace c360

#endif  // C360_SERVER_JSON_TEXT_H_

// Writing JSON text by hand where a whole message type would be overkill
// (summaries, rejects files).
#ifndef C360_SERVER_JSON_TEXT_H_
#define C360_SERVER_JSON_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "resolver/em_trainer.h"
#include "resolver/match_model.h"

namespace c360 {

// `text` as a quoted JSON string. JSON must be UTF-8 but the text may be
// anything (a rejected row), so each byte that is not part of valid UTF-8
// becomes U+FFFD.
std::string JsonString(absl::string_view text);

// A JSON array with one object per comparison field of the model: each
// level's m and u probability and weight (log2 m/u).
std::string MatchModelFieldsJson(const MatchModel& model);

// A JSON array with what each training session of `report` did.
std::string TrainingSessionsJson(const EmReport& report);

}  // namespace c360

#endif  // C360_SERVER_JSON_TEXT_H_

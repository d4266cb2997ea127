#include "server/json_text.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
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

std::string MatchModelFieldsJson(const MatchModel& model) {
  std::string json = "[";
  for (int f = 0; f < kNumComparisonFields; ++f) {
    const FieldSchema& field = ComparisonSchema()[f];
    absl::StrAppend(&json, f ? ",\n  " : "\n  ", "{\"field\": ",
                    JsonString(field.name), ", \"levels\": [");
    for (size_t l = 1; l < field.levels.size(); ++l) {
      const LevelProbabilities& p = model.params().levels[f][l];
      absl::StrAppendFormat(&json,
                            "%s{\"level\": %s, \"m\": %.6g, \"u\": %.6g, "
                            "\"weight\": %.3f}",
                            l > 1 ? ", " : "", JsonString(field.levels[l]), p.m,
                            p.u, model.LevelWeight(f, static_cast<int>(l)));
    }
    absl::StrAppend(&json, "]}");
  }
  return json + "\n]";
}

std::string TrainingSessionsJson(const EmReport& report) {
  std::string json = "[";
  for (const SessionReport& session : report.sessions) {
    absl::StrAppendFormat(
        &json,
        "%s\n  {\"session\": %s, \"pairs\": %d, \"iterations\": %d, "
        "\"converged\": %s, \"prior\": %.4f, \"skipped\": %s}",
        json.size() > 1 ? "," : "", JsonString(session.name), session.pairs,
        session.iterations, session.converged ? "true" : "false",
        session.prior, JsonString(session.skipped));
  }
  return json + "]";
}

}  // namespace c360

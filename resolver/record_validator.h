// Validation of incoming records, shared by every way a record enters c360
// (files, gRPC Upsert, UpsertStream) so that all of them accept and reject
// the same things for the same reasons.
#ifndef C360_RESOLVER_RECORD_VALIDATOR_H_
#define C360_RESOLVER_RECORD_VALIDATOR_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "c360/record.pb.h"

namespace c360 {

// Limits on what one record may hold.
struct ValidationLimits {
  // Longest value of any single string field, in bytes.
  size_t max_field_bytes = 1024;
  // Most entries in any repeated field or in `attributes`.
  int max_repeated = 32;
};

// Returns OK when `record` may be ingested, else InvalidArgument whose message
// names the field and the problem, e.g. "emails[1]: 'foo' is not an e-mail
// address". Checks: source matches [a-z0-9_-]{1,64}; source_id is present
// and at most 256 bytes; every string is valid UTF-8 without NUL bytes and
// within max_field_bytes; repeated fields within max_repeated; e-mails parse
// (NormalizeEmail); phones hold 4-20 digits and only digits, spaces and
// "+()-./"; birth_date parses (ParseBirthDate); address.country, when set,
// is two ASCII letters.
absl::Status ValidateRecord(const SourceRecord& record,
                            const ValidationLimits& limits = {});

// Length of the longest prefix of `text` that is well-formed UTF-8 (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF). Shared with the
// file readers, which check raw input before parsing it.
size_t ValidUtf8PrefixLength(absl::string_view text);

// Whether all of `text` is well-formed UTF-8.
inline bool IsValidUtf8(absl::string_view text) {
  return ValidUtf8PrefixLength(text) == text.size();
}

}  // namespace c360

#endif  // C360_RESOLVER_RECORD_VALIDATOR_H_

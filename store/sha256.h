// SHA-256 digests, for values kept only as hashes: API tokens
// (server/auth.h) and the identifiers of erased people (resolver/erasure.h).
#ifndef C360_STORE_SHA256_H_
#define C360_STORE_SHA256_H_

#include <string>

#include "absl/strings/string_view.h"

namespace c360 {

// SHA-256 of `data` as 64 lowercase hex digits.
std::string Sha256Hex(absl::string_view data);

}  // namespace c360

#endif  // C360_STORE_SHA256_H_

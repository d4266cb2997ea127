// Order-preserving key encoding for the store's tables.
//
// A key is a tuple of byte strings. Each part is written with every 0x00 byte
// escaped as 0x00 0xFF and is terminated by 0x00 0x01. So:
//   - byte order of encoded keys equals the lexicographic order of the tuples;
//   - the encoding of a tuple is a byte prefix of the encoding of every tuple
//     that extends it, which makes "all keys under (a, b)" one prefix scan;
//   - no part can bleed into the next, whatever bytes it holds.
// Sequence numbers are 8-byte big-endian so that they sort numerically.
#ifndef C360_STORE_KEYS_H_
#define C360_STORE_KEYS_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c360 {

// Appends one encoded part to `key`.
void AppendKeyPart(absl::string_view part, std::string* key);

// Encodes a tuple of parts.
std::string EncodeKey(std::initializer_list<absl::string_view> parts);

// Decodes a key made of encoded parts. InvalidArgument on a malformed key
// (a dangling escape, an unknown escape byte or a missing terminator).
absl::StatusOr<std::vector<std::string>> DecodeKey(absl::string_view key);

// 8-byte big-endian encoding of a sequence number.
std::string EncodeSequence(uint64_t sequence);

// Decodes EncodeSequence's output; InvalidArgument unless exactly 8 bytes.
absl::StatusOr<uint64_t> DecodeSequence(absl::string_view bytes);

// The smallest string greater than every string that starts with `prefix`,
// or "" when there is none (prefix empty or all 0xFF): an exclusive upper
// bound for prefix scans.
std::string PrefixSuccessor(absl::string_view prefix);

}  // namespace c360

#endif  // C360_STORE_KEYS_H_

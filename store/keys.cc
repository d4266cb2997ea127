#include "store/keys.h"

#include "absl/strings/str_cat.h"

namespace c360 {
namespace {

constexpr char kEscape = '\x00';
constexpr char kEscapedZero = '\xFF';
constexpr char kTerminator = '\x01';

}  // namespace

void AppendKeyPart(absl::string_view part, std::string* key) {
  for (char c : part) {
    key->push_back(c);
    if (c == kEscape) key->push_back(kEscapedZero);
  }
  key->push_back(kEscape);
  key->push_back(kTerminator);
}

std::string EncodeKey(std::initializer_list<absl::string_view> parts) {
  std::string key;
  for (absl::string_view part : parts) AppendKeyPart(part, &key);
  return key;
}

absl::StatusOr<std::vector<std::string>> DecodeKey(absl::string_view key) {
  std::vector<std::string> parts;
  std::string current;
  for (size_t i = 0; i < key.size(); ++i) {
    if (key[i] != kEscape) {
      current.push_back(key[i]);
      continue;
    }
    if (i + 1 == key.size()) {
      return absl::InvalidArgumentError("key ends inside an escape");
    }
    char next = key[++i];
    if (next == kEscapedZero) {
      current.push_back(kEscape);
    } else if (next == kTerminator) {
      parts.push_back(std::move(current));
      current.clear();
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown escape byte at offset ", i));
    }
  }
  if (!current.empty()) {
    return absl::InvalidArgumentError("key has an unterminated last part");
  }
  return parts;
}

std::string EncodeSequence(uint64_t sequence) {
  std::string bytes(8, '\0');
  for (int i = 7; i >= 0; --i) {
    bytes[i] = static_cast<char>(sequence & 0xFF);
    sequence >>= 8;
  }
  return bytes;
}

absl::StatusOr<uint64_t> DecodeSequence(absl::string_view bytes) {
  if (bytes.size() != 8) {
    return absl::InvalidArgumentError(
        absl::StrCat("sequence must be 8 bytes, got ", bytes.size()));
  }
  uint64_t sequence = 0;
  for (char c : bytes) sequence = (sequence << 8) | static_cast<uint8_t>(c);
  return sequence;
}

std::string PrefixSuccessor(absl::string_view prefix) {
  std::string limit(prefix);
  while (!limit.empty()) {
    if (static_cast<uint8_t>(limit.back()) != 0xFF) {
      limit.back() = static_cast<char>(static_cast<uint8_t>(limit.back()) + 1);
      return limit;
    }
    limit.pop_back();
  }
  return limit;
}

}  // namespace c360

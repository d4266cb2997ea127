#include "resolver/suppression.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "store/sha256.h"

namespace c360 {
namespace {

// Hashes `value` with its kind's tag, so that equal text of two kinds
// gives two hashes.
void Add(const char* kind, const char* tag, const std::string& value,
         std::vector<SuppressionKey>* keys) {
  keys->push_back({kind, Sha256Hex(absl::StrCat(tag, value))});
}

// All tokens of the name, sorted, so that the order they were given in
// does not matter.
std::string NameTokens(const NormalizedName& name) {
  std::vector<std::string> tokens = name.given;
  tokens.insert(tokens.end(), name.family.begin(), name.family.end());
  tokens.insert(tokens.end(), name.unordered.begin(), name.unordered.end());
  std::sort(tokens.begin(), tokens.end());
  return absl::StrJoin(tokens, " ");
}

}  // namespace

std::vector<SuppressionKey> SuppressionKeys(const NormalizedRecord& record) {
  std::vector<SuppressionKey> keys;
  for (const std::string& email : record.emails) Add("email", "em:", email, &keys);
  for (const std::string& phone : record.phones) Add("phone", "ph:", phone, &keys);
  for (const std::string& handle : record.handles) {
    Add("social handle", "sh:", handle, &keys);
  }
  if (record.birth_date.has_value() && record.birth_date->day != 0) {
    std::string date = FormatBirthDate(*record.birth_date);
    for (const NormalizedName& name : record.names) {
      std::string tokens = NameTokens(name);
      if (!tokens.empty()) {
        Add("name and birth date", "nb:", absl::StrCat(tokens, "|", date), &keys);
      }
    }
  }
  return keys;
}

bool HasRenewedConsent(const SourceRecord& record) {
  auto it = record.attributes().find(kConsentAttribute);
  return it != record.attributes().end() && it->second == kConsentRenewed;
}

void Suppress(const NormalizedRecord& record,
              const google::protobuf::Timestamp& now, RepositoryWrites* writes) {
  for (const SuppressionKey& key : SuppressionKeys(record)) {
    SuppressedIdentifier entry;
    entry.set_kind(key.kind);
    *entry.mutable_since() = now;
    writes->PutSuppressed(key.hash, entry);
  }
}

absl::StatusOr<std::vector<std::string>> AdmitNewRecord(
    const Repository& repo, const SourceRecord& record,
    const NormalizedRecord& normalized) {
  std::vector<std::string> suppressed;
  for (const SuppressionKey& key : SuppressionKeys(normalized)) {
    absl::StatusOr<SuppressedIdentifier> entry = repo.GetSuppressed(key.hash);
    if (absl::IsNotFound(entry.status())) continue;
    if (!entry.ok()) return entry.status();
    if (!HasRenewedConsent(record)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "record matches an erased person (suppressed identifier: ",
          entry->kind(), "); send it with renewed consent to re-create"));
    }
    suppressed.push_back(key.hash);
  }
  return suppressed;
}

}  // namespace c360

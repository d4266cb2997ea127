#include "resolver/normalized_record.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace c360 {
namespace {

std::vector<std::string> FoldedTokens(absl::string_view text) {
  if (text.empty()) return {};
  return NameTokens(FoldNameVariants(NormalizeName(text)));
}

void Append(std::vector<std::string> tokens, std::vector<std::string>* out) {
  for (std::string& token : tokens) out->push_back(std::move(token));
}

NormalizedName NormalizeOneName(const PersonName& name) {
  NormalizedName out;
  out.given = FoldedTokens(name.given());
  Append(FoldedTokens(name.middle()), &out.given);
  out.family = FoldedTokens(name.family());
  if (out.given.empty() && out.family.empty()) {
    out.unordered = FoldedTokens(name.full());
  }
  return out;
}

// Social records often carry no name but a display name ("Mikko V."): its
// tokens, in unknown order, are the only name evidence they have.
void AddDisplayNames(const SourceRecord& record, NormalizedRecord* out) {
  for (const SocialHandle& handle : record.social_handles()) {
    NormalizedName name;
    name.unordered = FoldedTokens(handle.display_name());
    if (!name.unordered.empty()) out->names.push_back(std::move(name));
  }
}

void AddUnique(std::string value, std::vector<std::string>* out) {
  if (value.empty()) return;
  if (std::find(out->begin(), out->end(), value) != out->end()) return;
  out->push_back(std::move(value));
}

void NormalizeContacts(const SourceRecord& record, absl::string_view region,
                       NormalizedRecord* out) {
  for (const std::string& email : record.emails()) {
    absl::StatusOr<std::string> normalized = NormalizeEmail(email);
    if (normalized.ok()) AddUnique(CanonicalEmail(*normalized), &out->emails);
  }
  for (const std::string& phone : record.phones()) {
    absl::StatusOr<std::string> e164 = NormalizePhone(phone, region);
    if (e164.ok()) AddUnique(*std::move(e164), &out->phones);
  }
  for (const SocialHandle& handle : record.social_handles()) {
    std::string normalized = NormalizeHandle(handle.handle());
    if (normalized.empty()) continue;
    AddUnique(absl::StrCat(NormalizeHandle(handle.platform()), ":", normalized),
              &out->handles);
  }
}

void NormalizeAddresses(const SourceRecord& record, NormalizedRecord* out) {
  for (const PostalAddress& address : record.addresses()) {
    AddUnique(NormalizePostcode(address.postcode()), &out->postcodes);
    // Some systems keep the number in the street line ("Vasagatan 113B"),
    // others apart: normalizing the joined text makes both meet.
    AddUnique(NormalizeName(absl::StrCat(address.street(), " ",
                                         address.house_number())),
              &out->streets);
  }
}

}  // namespace

NormalizedRecord NormalizeRecord(const SourceRecord& record,
                                 absl::string_view default_region) {
  NormalizedRecord out;
  out.key.set_source(record.source());
  out.key.set_source_id(record.source_id());
  for (const PersonName& name : record.names()) {
    NormalizedName normalized = NormalizeOneName(name);
    if (!normalized.given.empty() || !normalized.family.empty() ||
        !normalized.unordered.empty()) {
      out.names.push_back(std::move(normalized));
    }
  }
  if (out.names.empty()) AddDisplayNames(record, &out);
  std::string region(default_region);
  if (!record.addresses().empty() && !record.addresses(0).country().empty()) {
    region = absl::AsciiStrToUpper(record.addresses(0).country());
  }
  NormalizeContacts(record, region, &out);
  NormalizeAddresses(record, &out);
  if (!record.birth_date().empty()) {
    absl::StatusOr<BirthDate> date = ParseBirthDate(record.birth_date());
    if (date.ok()) out.birth_date = *date;
  }
  out.business_id = NormalizeBusinessId(record.business_id());
  return out;
}

std::vector<std::string> AllNameTokens(const NormalizedRecord& record) {
  std::vector<std::string> tokens;
  for (const NormalizedName& name : record.names) {
    for (const auto* part : {&name.given, &name.family, &name.unordered}) {
      for (const std::string& token : *part) AddUnique(token, &tokens);
    }
  }
  return tokens;
}

}  // namespace c360

#include "resolver/candidate_keys.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace c360 {
namespace {

bool HasFullDate(const NormalizedRecord& record) {
  return record.birth_date.has_value() && record.birth_date->day != 0;
}

// Family tokens, or all tokens of names given in unknown order.
std::vector<std::string> FamilyTokens(const NormalizedRecord& record) {
  std::vector<std::string> tokens;
  for (const NormalizedName& name : record.names) {
    tokens.insert(tokens.end(), name.family.begin(), name.family.end());
    tokens.insert(tokens.end(), name.unordered.begin(), name.unordered.end());
  }
  return tokens;
}

void AddNameKeys(const NormalizedRecord& record, std::vector<std::string>* keys) {
  if (HasFullDate(record)) {
    std::string date = FormatBirthDate(*record.birth_date);
    for (const std::string& token : AllNameTokens(record)) {
      if (token.size() >= 2) keys->push_back(absl::StrCat("nd:", token, "|", date));
    }
  }
  for (const std::string& token : FamilyTokens(record)) {
    if (token.size() < 2) continue;
    for (const std::string& postcode : record.postcodes) {
      keys->push_back(absl::StrCat("np:", token, "|", postcode));
    }
  }
}

}  // namespace

std::vector<std::string> CandidateKeys(const NormalizedRecord& record) {
  std::vector<std::string> keys;
  for (const std::string& email : record.emails) keys.push_back("em:" + email);
  for (const std::string& phone : record.phones) keys.push_back("ph:" + phone);
  if (!record.business_id.empty()) keys.push_back("bi:" + record.business_id);
  for (const std::string& handle : record.handles) keys.push_back("sh:" + handle);
  AddNameKeys(record, &keys);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

std::vector<std::string> BlockingKeys(const ComparableRecord& record) {
  std::vector<std::string> keys = CandidateKeys(record.normalized);
  auto add = [&keys](const char* kind, const std::string& a,
                     const std::string& b) {
    if (!a.empty() && !b.empty()) keys.push_back(absl::StrCat(kind, a, "|", b));
  };
  if (!record.soc_sec_id.empty()) {
    keys.push_back("ss:" + record.soc_sec_id);
    // The digits sorted: transposed digits still meet.
    std::string sorted = record.soc_sec_id;
    std::sort(sorted.begin(), sorted.end());
    keys.push_back("sd:" + sorted);
  }
  if (record.birth_digits.size() == 8)
    keys.push_back("bd:" + record.birth_digits);
  add("gf:", std::min(record.given, record.family),
      std::max(record.given, record.family));
  add("gp:", record.given, record.postcode);
  add("gc:", record.given, record.city);
  add("fc:", record.family, record.city);
  add("sn:", record.street, record.house_number);
  add("sp:", record.street, record.postcode);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace c360

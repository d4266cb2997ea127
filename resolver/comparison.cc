#include "resolver/comparison.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "resolver/normalize.h"

namespace c360 {
namespace {

// Level indices of the schema's level lists below.
enum StringLevel : uint8_t {
  kStrExact = 1,
  kStrFuzzy92,
  kStrFuzzy80,
  kStrDifferent
};
enum GivenLevel : uint8_t {
  kGivenExact = 1,
  kGivenNickname,
  kGivenFuzzy92,
  kGivenFuzzy80,
  kGivenSwapped,
  kGivenDifferent
};
enum DateLevel : uint8_t {
  kDateExact = 1,
  kDateTransposed,
  kDateOneDigit,
  kDateSameYear,
  kDateDifferent,
  kDateOtherGeneration
};
enum DigitsLevel : uint8_t {
  kDigitsExact = 1,
  kDigitsOneDigit,
  kDigitsTransposed,
  kDigitsDifferent
};
enum ContactLevel : uint8_t {
  kContactExact = 1,
  kContactPartial,
  kContactDifferent
};
enum ExactLevel : uint8_t { kExactSame = 1, kExactDifferent };
enum SocialLevel : uint8_t {
  kSocialHandle = 1,
  kSocialNameYear,
  kSocialName,
  kSocialDisplayName,
  kSocialDifferent
};

// Birth years at least this far apart belong to different generations.
constexpr int kGenerationYears = 15;

// Jaro-Winkler cut-offs of the fuzzy levels: 0.92 keeps one typo in a
// typical name, 0.80 two typos or a dropped syllable.
constexpr double kFuzzyHigh = 0.92;
constexpr double kFuzzyLow = 0.80;

// JaroWinkler when it can reach kFuzzyLow, else 0 (every caller only
// compares the result with kFuzzyLow or more). With c shared characters
// Jaro is at most (c/|a| + c/|b| + 1) / 3, and with a common prefix of p
// (at most 4) Jaro-Winkler is Jaro (1 - p/10) + p/10: a character count
// and a prefix settle most pairs of different values without the quadratic
// Jaro.
double Similarity(absl::string_view a, absl::string_view b) {
  if (a.empty() || b.empty()) return 0;
  uint8_t counts[64] = {};
  for (char c : a) ++counts[c & 63];  // buckets only overcount: still a bound
  int shared = 0;
  for (char c : b) {
    if (counts[c & 63] > 0) {
      --counts[c & 63];
      ++shared;
    }
  }
  const double jaro_bound = (static_cast<double>(shared) / a.size() +
                             static_cast<double>(shared) / b.size() + 1) /
                            3;
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() &&
         a[prefix] == b[prefix]) {
    ++prefix;
  }
  const double boost = prefix / 10.0;
  const double bound = jaro_bound * (1 - boost) + boost;
  return bound < kFuzzyLow ? 0 : JaroWinkler(a, b);
}

std::vector<FieldSchema> BuildSchema() {
  const std::vector<std::string> strings = {"missing", "exact", "fuzzy_92",
                                            "fuzzy_80", "different"};
  const std::vector<std::string> digits = {"missing", "exact", "one_digit",
                                           "transposed", "different"};
  const std::vector<std::string> exact = {"missing", "exact", "different"};
  std::vector<FieldSchema> schema(kNumComparisonFields);
  schema[kGivenNameField] = {"given_name",
                             {"missing", "exact", "nickname", "fuzzy_92",
                              "fuzzy_80", "swapped", "different"}};
  schema[kFamilyNameField] = {"family_name", strings};
  schema[kBirthDateField] = {"birth_date",
                             {"missing", "exact", "transposed", "one_digit",
                              "same_year", "different", "other_generation"}};
  schema[kSocSecIdField] = {"soc_sec_id", digits};
  schema[kEmailField] = {"email",
                         {"missing", "exact", "same_local_part", "different"}};
  schema[kPhoneField] = {"phone",
                         {"missing", "exact", "last_7_digits", "different"}};
  schema[kStreetField] = {"street", strings};
  schema[kHouseNumberField] = {"house_number", digits};
  schema[kAddressLine2Field] = {"address_line2", strings};
  schema[kCityField] = {"city", strings};
  schema[kPostcodeField] = {"postcode", digits};
  schema[kRegionField] = {"region", exact};
  schema[kBusinessIdField] = {"business_id", exact};
  schema[kSocialField] = {"social",
                          {"missing", "exact_handle", "handle_name_year",
                           "handle_name", "display_name", "different"}};
  return schema;
}

std::string Fold(absl::string_view text) {
  return FoldNameVariants(NormalizeName(text));
}

std::string DigitsOf(absl::string_view text) {
  std::string digits;
  for (char c : text) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  return digits;
}

std::string Attribute(const SourceRecord& record, const char* key) {
  auto it = record.attributes().find(key);
  return it == record.attributes().end() ? "" : it->second;
}

void SetNames(ComparableRecord* out) {
  if (out->normalized.names.empty()) return;
  const NormalizedName& name = out->normalized.names[0];
  out->given_tokens = name.given;
  out->family_tokens = name.family;
  // A full name in unknown order: first token given, the rest family; the
  // "swapped" level catches "Virtanen Mikko". An initial ("Mikko V.") is no
  // family name: the social comparison weighs it (display_name).
  if (!name.unordered.empty()) {
    out->given_tokens = {name.unordered[0]};
    out->family_tokens.clear();
    for (size_t i = 1; i < name.unordered.size(); ++i) {
      if (name.unordered[i].size() > 1)
        out->family_tokens.push_back(name.unordered[i]);
    }
  }
  out->given = absl::StrJoin(out->given_tokens, " ");
  out->family = absl::StrJoin(out->family_tokens, " ");
}

// "mikko_virtanen84" -> "mikovirtanen": the letters, folded.
std::string FoldedLetters(absl::string_view text) {
  std::string letters;
  for (char c : text) {
    if (absl::ascii_isalpha(static_cast<unsigned char>(c)))
      letters.push_back(c);
  }
  return absl::StrReplaceAll(Fold(letters), {{" ", ""}});
}

// "mikko_virtanen84" -> letters "mikovirtanen" (folded), digits "84".
void AddHandle(absl::string_view platform_handle, ComparableRecord* out) {
  absl::string_view handle =
      platform_handle.substr(platform_handle.find(':') + 1);
  out->handle_letters.push_back(FoldedLetters(handle));
  out->handle_digits.push_back(DigitsOf(handle));
}

void SetHandles(ComparableRecord* out) {
  for (const std::string& handle : out->normalized.handles)
    AddHandle(handle, out);
}

uint8_t CompareDigits(absl::string_view a, absl::string_view b) {
  if (a.empty() || b.empty()) return kMissingLevel;
  if (a == b) return kDigitsExact;
  if (OneEditApart(a, b)) return kDigitsOneDigit;
  return AdjacentTransposition(a, b) ? kDigitsTransposed : kDigitsDifferent;
}

uint8_t CompareExact(absl::string_view a, absl::string_view b) {
  if (a.empty() || b.empty()) return kMissingLevel;
  return a == b ? kExactSame : kExactDifferent;
}

uint8_t CompareBirthDates(absl::string_view a, absl::string_view b) {
  if (a.size() < 4 || b.size() < 4) return kMissingLevel;
  const bool full = a.size() == 8 && b.size() == 8;
  if (full && a == b) return kDateExact;
  if (full && a.substr(0, 4) == b.substr(0, 4) &&
      a.substr(4, 2) == b.substr(6, 2) && a.substr(6, 2) == b.substr(4, 2)) {
    return kDateTransposed;
  }
  if (full && (OneEditApart(a, b) || AdjacentTransposition(a, b)))
    return kDateOneDigit;
  const size_t common = std::min(a.size(), b.size());
  if (!full && a.substr(0, common) == b.substr(0, common)) return kDateSameYear;
  if (a.substr(0, 4) == b.substr(0, 4)) return kDateSameYear;
  // Years a generation apart are no typo: parent and child.
  int year_a = 0, year_b = 0;
  if (absl::SimpleAtoi(a.substr(0, 4), &year_a) &&
      absl::SimpleAtoi(b.substr(0, 4), &year_b) &&
      std::abs(year_a - year_b) >= kGenerationYears) {
    return kDateOtherGeneration;
  }
  return kDateDifferent;
}

bool SharesAny(const std::vector<std::string>& a,
               const std::vector<std::string>& b) {
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  }
  return false;
}

// A local part both records' e-mails share ("mikko.virtanen" at two
// providers), or "".
std::string SharedLocalPart(const std::vector<std::string>& a,
                            const std::vector<std::string>& b) {
  for (const std::string& x : a) {
    for (const std::string& y : b) {
      const std::string local = x.substr(0, x.find('@'));
      if (local == y.substr(0, y.find('@'))) return local;
    }
  }
  return "";
}

uint8_t CompareEmails(const std::vector<std::string>& a,
                      const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return kMissingLevel;
  if (SharesAny(a, b)) return kContactExact;
  return SharedLocalPart(a, b).empty() ? kContactDifferent : kContactPartial;
}

absl::string_view Last7(absl::string_view phone) {
  return phone.size() <= 7 ? phone : phone.substr(phone.size() - 7);
}

uint8_t ComparePhones(const std::vector<std::string>& a,
                      const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return kMissingLevel;
  if (SharesAny(a, b)) return kContactExact;
  for (const std::string& x : a) {
    for (const std::string& y : b) {
      if (Last7(x) == Last7(y)) return kContactPartial;
    }
  }
  return kContactDifferent;
}

// The name similarity of the two joined forms, or a subset of tokens
// ("anna" in "anna liisa") as a strong fuzzy match.
double NameSimilarity(const std::string& a, const std::string& b,
                      const std::vector<std::string>& a_tokens,
                      const std::vector<std::string>& b_tokens) {
  const auto& shorter =
      a_tokens.size() <= b_tokens.size() ? a_tokens : b_tokens;
  const auto& longer = a_tokens.size() <= b_tokens.size() ? b_tokens : a_tokens;
  bool subset = !shorter.empty();
  for (const std::string& token : shorter) {
    subset = subset &&
             std::find(longer.begin(), longer.end(), token) != longer.end();
  }
  return subset ? std::max(kFuzzyHigh, Similarity(a, b)) : Similarity(a, b);
}

// Given and family names written in each other's place: both cross pairs
// agree and agree better than the straight pairs.
bool NamesSwapped(const ComparableRecord& a, const ComparableRecord& b) {
  if (a.given.empty() || a.family.empty() || b.given.empty() ||
      b.family.empty()) {
    return false;
  }
  const double cross1 = Similarity(a.given, b.family);
  const double cross2 = Similarity(a.family, b.given);
  if (cross1 < kFuzzyHigh || cross2 < kFuzzyHigh) return false;
  return cross1 + cross2 >
         Similarity(a.given, b.given) + Similarity(a.family, b.family);
}

// Whether `letters` (a folded handle) spells the person: family name and
// given name or its initial.
bool HandleSpellsName(const std::string& letters, const ComparableRecord& r) {
  if (r.family_tokens.empty() || r.given.empty()) return false;
  const std::string& family = r.family_tokens.back();
  if (family.size() < 3 || letters.find(family) == std::string::npos)
    return false;
  return letters.find(r.given_tokens[0]) != std::string::npos ||
         letters[0] == r.given[0];
}

// "Mikko V." against Mikko Virtanen: a given token and the family initial.
bool DisplayNameFits(const std::vector<std::string>& tokens,
                     const ComparableRecord& r) {
  if (tokens.size() < 2 || r.given_tokens.empty() || r.family.empty()) {
    return false;
  }
  const std::string& last = tokens.back();
  const bool family_fits =
      last == r.family || (last.size() == 1 && last[0] == r.family[0]);
  return family_fits && tokens[0] == r.given_tokens[0];
}

// The handle/display-name evidence of `social`'s identities about `person`.
uint8_t SocialEvidence(const ComparableRecord& social,
                       const ComparableRecord& person) {
  for (size_t i = 0; i < social.handle_letters.size(); ++i) {
    if (!HandleSpellsName(social.handle_letters[i], person)) continue;
    const std::string& digits = social.handle_digits[i];
    const bool year = person.birth_digits.size() >= 4 && digits.size() >= 2 &&
                      person.birth_digits.find(digits) < 4;
    return year ? kSocialNameYear : kSocialName;
  }
  return DisplayNameFits(social.display_tokens, person)
             ? uint8_t{kSocialDisplayName}
             : kMissingLevel;
}

bool HasSocial(const ComparableRecord& r) {
  return !r.handle_letters.empty() || !r.display_tokens.empty();
}

// The stronger (lower, non-missing) of two levels.
uint8_t Stronger(uint8_t x, uint8_t y) {
  if (x == kMissingLevel) return y;
  return y == kMissingLevel ? x : std::min(x, y);
}

bool HasFullName(const ComparableRecord& r) {
  return !r.given.empty() && !r.family.empty();
}

uint8_t CompareSocial(const ComparableRecord& a, const ComparableRecord& b) {
  if (!HasSocial(a) && !HasSocial(b)) return kMissingLevel;
  if (SharesAny(a.normalized.handles, b.normalized.handles))
    return kSocialHandle;
  const uint8_t level = Stronger(SocialEvidence(a, b), SocialEvidence(b, a));
  // A handle or display name that spells a name both records carry adds
  // nothing the name comparison has not counted; birth-year digits do.
  if ((level == kSocialName || level == kSocialDisplayName) &&
      HasFullName(a) && HasFullName(b)) {
    return kMissingLevel;
  }
  if (level != kMissingLevel) return level;
  // A handle that does not spell a nameless record's name says nothing;
  // two different identities on both sides are a (weak) disagreement.
  return HasSocial(a) && HasSocial(b) ? uint8_t{kSocialDifferent}
                                      : kMissingLevel;
}

// Names compared as joined strings, a token subset counting as fuzzy_92.
uint8_t CompareNameParts(const std::string& a, const std::string& b,
                         const std::vector<std::string>& a_tokens,
                         const std::vector<std::string>& b_tokens) {
  if (a.empty() || b.empty()) return kMissingLevel;
  if (a == b) return kStrExact;
  const double similarity = NameSimilarity(a, b, a_tokens, b_tokens);
  if (similarity >= kFuzzyHigh) return kStrFuzzy92;
  return similarity >= kFuzzyLow ? kStrFuzzy80 : kStrDifferent;
}

uint8_t CompareStrings(const std::string& a, const std::string& b) {
  return CompareNameParts(a, b, {}, {});
}

}  // namespace

const std::vector<FieldSchema>& ComparisonSchema() {
  static const std::vector<FieldSchema>* const schema =
      new std::vector<FieldSchema>(BuildSchema());
  return *schema;
}

int LevelIndex(ComparisonField field, absl::string_view level) {
  const std::vector<std::string>& levels = ComparisonSchema()[field].levels;
  auto it = std::find(levels.begin(), levels.end(), level);
  return it == levels.end() ? -1 : static_cast<int>(it - levels.begin());
}

ComparableRecord MakeComparable(const NormalizedRecord& normalized) {
  ComparableRecord out;
  out.normalized = normalized;
  SetNames(&out);
  if (normalized.birth_date) {
    out.birth_digits = DigitsOf(FormatBirthDate(*normalized.birth_date));
  }
  if (!normalized.streets.empty()) out.street = normalized.streets[0];
  if (!normalized.postcodes.empty()) out.postcode = normalized.postcodes[0];
  SetHandles(&out);
  return out;
}

ComparableRecord MakeComparable(const SourceRecord& record,
                                absl::string_view default_region) {
  ComparableRecord out =
      MakeComparable(NormalizeRecord(record, default_region));
  out.birth_digits = DigitsOf(record.birth_date());
  out.soc_sec_id = DigitsOf(Attribute(record, kSocSecIdAttribute));
  out.address_line2 = NormalizeName(Attribute(record, kAddressLine2Attribute));
  out.region = NormalizeName(Attribute(record, kRegionAttribute));
  if (!record.addresses().empty()) {
    const PostalAddress& address = record.addresses(0);
    out.street = NormalizeName(address.street());
    out.house_number = NormalizeName(address.house_number());
    out.city = NormalizeName(address.city());
  }
  for (const SocialHandle& handle : record.social_handles()) {
    for (std::string& token : NameTokens(Fold(handle.display_name()))) {
      out.display_tokens.push_back(std::move(token));
    }
  }
  return out;
}

NicknameTable NicknameTable::FromGroups(
    const std::vector<std::string>& groups) {
  NicknameTable table;
  for (const std::string& group : groups) {
    std::vector<std::string> names;
    for (absl::string_view name :
         absl::StrSplit(group, absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
      std::string folded = Fold(name);
      if (!folded.empty()) names.push_back(std::move(folded));
    }
    if (names.size() < 2) continue;
    const int id = static_cast<int>(table.groups_.size());
    for (const std::string& name : names) table.groups_of_[name].push_back(id);
    table.groups_.push_back(absl::StrJoin(names, " "));
  }
  return table;
}

absl::StatusOr<NicknameTable> NicknameTable::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read nickname file " + path);
  std::vector<std::string> groups;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    groups.push_back(line);
  }
  return FromGroups(groups);
}

bool NicknameTable::AreVariants(absl::string_view a,
                                absl::string_view b) const {
  auto ia = groups_of_.find(a);
  auto ib = groups_of_.find(b);
  if (ia == groups_of_.end() || ib == groups_of_.end()) return false;
  for (int group : ia->second) {
    if (std::find(ib->second.begin(), ib->second.end(), group) !=
        ib->second.end()) {
      return true;
    }
  }
  return false;
}

std::string DefaultNicknamePath(absl::string_view source_dir) {
  return std::string(source_dir) + "/data/nicknames.tsv";
}

bool OneEditApart(absl::string_view a, absl::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size())
    return i < a.size() && a.substr(i + 1) == b.substr(i + 1);
  return a.substr(i) == b.substr(i + 1);
}

bool AdjacentTransposition(absl::string_view a, absl::string_view b) {
  if (a.size() != b.size()) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
         a.substr(i + 2) == b.substr(i + 2);
}

bool Comparator::NameVariants(const std::vector<std::string>& a,
                              const std::vector<std::string>& b) const {
  for (const std::string& x : a) {
    for (const std::string& y : b) {
      if (nicknames_.AreVariants(x, y)) return true;
    }
  }
  return false;
}

uint8_t Comparator::CompareGiven(const ComparableRecord& a,
                                 const ComparableRecord& b,
                                 bool swapped) const {
  if (a.given.empty() || b.given.empty()) return kMissingLevel;
  if (swapped) return kGivenSwapped;
  if (a.given == b.given) return kGivenExact;
  if (NameVariants(a.given_tokens, b.given_tokens)) return kGivenNickname;
  const double similarity =
      NameSimilarity(a.given, b.given, a.given_tokens, b.given_tokens);
  if (similarity >= kFuzzyHigh) return kGivenFuzzy92;
  return similarity >= kFuzzyLow ? kGivenFuzzy80 : kGivenDifferent;
}

namespace {

// Whether the shared local part of the two records' e-mails is nothing but
// the name both carry: two providers' "mikko.virtanen" are two people as
// often as the name is common, and the names have counted that already.
// Digits (a birth year) are news.
bool LocalPartIsTheName(const ComparableRecord& a, const ComparableRecord& b) {
  const std::string local =
      SharedLocalPart(a.normalized.emails, b.normalized.emails);
  if (local.empty() || !DigitsOf(local).empty()) return false;
  const std::string letters = FoldedLetters(local);
  return HasFullName(a) && HasFullName(b) && HandleSpellsName(letters, a) &&
         HandleSpellsName(letters, b);
}

}  // namespace

ComparisonVector Comparator::Compare(const ComparableRecord& a,
                                     const ComparableRecord& b) const {
  ComparisonVector v{};
  const bool swapped = NamesSwapped(a, b);
  v[kGivenNameField] = CompareGiven(a, b, swapped);
  v[kFamilyNameField] =
      swapped
          ? CompareNameParts(a.family, b.given, a.family_tokens, b.given_tokens)
          : CompareNameParts(a.family, b.family, a.family_tokens,
                             b.family_tokens);
  v[kBirthDateField] = CompareBirthDates(a.birth_digits, b.birth_digits);
  v[kSocSecIdField] = CompareDigits(a.soc_sec_id, b.soc_sec_id);
  v[kEmailField] = CompareEmails(a.normalized.emails, b.normalized.emails);
  if (v[kEmailField] == kContactPartial && LocalPartIsTheName(a, b))
    v[kEmailField] = kMissingLevel;
  v[kPhoneField] = ComparePhones(a.normalized.phones, b.normalized.phones);
  v[kStreetField] = CompareStrings(a.street, b.street);
  v[kHouseNumberField] = CompareDigits(a.house_number, b.house_number);
  v[kAddressLine2Field] = CompareStrings(a.address_line2, b.address_line2);
  v[kCityField] = CompareStrings(a.city, b.city);
  v[kPostcodeField] = CompareDigits(a.postcode, b.postcode);
  v[kRegionField] = CompareExact(a.region, b.region);
  v[kBusinessIdField] =
      CompareExact(a.normalized.business_id, b.normalized.business_id);
  v[kSocialField] = CompareSocial(a, b);
  return v;
}

std::string FieldValue(const ComparableRecord& r, ComparisonField field) {
  switch (field) {
    case kGivenNameField: return r.given;
    case kFamilyNameField: return r.family;
    case kBirthDateField: return r.birth_digits;
    case kSocSecIdField: return r.soc_sec_id;
    case kEmailField: return absl::StrJoin(r.normalized.emails, ", ");
    case kPhoneField: return absl::StrJoin(r.normalized.phones, ", ");
    case kStreetField: return r.street;
    case kHouseNumberField: return r.house_number;
    case kAddressLine2Field: return r.address_line2;
    case kCityField: return r.city;
    case kPostcodeField: return r.postcode;
    case kRegionField: return r.region;
    case kBusinessIdField: return r.normalized.business_id;
    case kSocialField:
      return absl::StrJoin({absl::StrJoin(r.normalized.handles, ", "),
                            absl::StrJoin(r.display_tokens, " ")},
                           " / ");
    case kNumComparisonFields: break;
  }
  return "";
}

void AttachFieldValues(const ComparableRecord& left, const ComparableRecord& right,
                       MatchEvidence* evidence) {
  for (FieldEvidence& f : *evidence->mutable_fields()) {
    for (int i = 0; i < kNumComparisonFields; ++i) {
      if (ComparisonSchema()[i].name != f.field()) continue;
      f.set_left_value(FieldValue(left, static_cast<ComparisonField>(i)));
      f.set_right_value(FieldValue(right, static_cast<ComparisonField>(i)));
    }
  }
}

}  // namespace c360

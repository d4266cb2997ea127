#include "enrich/business_id.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"
#include "resolver/normalize.h"

namespace c360 {
namespace {

// Ids of countries without a known checksum are kept up to this length.
constexpr size_t kMaxOtherIdLength = 20;

// A national id with a check digit in its last place.
struct Scheme {
  const char* country;    // ISO 3166-1 alpha-2
  const char* adjective;  // for messages: "Finnish"
  const char* name;       // "Y-tunnus"
  size_t digits;
  // The check digit for the digits before it, or -1 when none fits.
  int (*check_digit)(absl::string_view payload);
};

int WeightedSum(absl::string_view digits, absl::Span<const int> weights) {
  int sum = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    sum += (digits[i] - '0') * weights[i];
  }
  return sum;
}

constexpr Scheme kFinland = {"FI", "Finnish", "Y-tunnus", 8,
                             &YTunnusCheckDigit};
constexpr Scheme kPoland = {"PL", "Polish", "NIP", 10, &NipCheckDigit};
constexpr Scheme kSweden = {"SE", "Swedish", "organisationsnummer", 10,
                            &LuhnCheckDigit};
constexpr const Scheme* kSchemes[] = {&kFinland, &kPoland, &kSweden};

const Scheme* SchemeOf(absl::string_view country) {
  for (const Scheme* scheme : kSchemes) {
    if (country == scheme->country) return scheme;
  }
  return nullptr;
}

absl::Status Invalid(absl::string_view text, absl::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat("business id \"", absl::CHexEscape(text), "\": ", reason));
}

bool IsSeparator(char c) { return c == '-' || c == '.' || c == ' '; }

bool AllDigits(absl::string_view text) {
  for (const char c : text) {
    if (!absl::ascii_isdigit(c)) return false;
  }
  return true;
}

// The id's runs of letters and digits, upper-cased; nullopt when anything
// but those and separators appears.
std::optional<std::vector<std::string>> Groups(absl::string_view text) {
  for (const char c : text) {
    if (!absl::ascii_isalnum(c) && !IsSeparator(c)) return std::nullopt;
  }
  std::vector<std::string> groups = absl::StrSplit(
      absl::AsciiStrToUpper(text), absl::ByAnyChar("-. "), absl::SkipEmpty());
  return groups;
}

// A leading two-letter country code, a group of two letters or two letters
// before a digit ("FI12345678"), and the groups after it; an empty code
// and all groups when there is none.
std::pair<std::string, std::vector<std::string>> SplitCountryPrefix(
    std::vector<std::string> groups) {
  const std::string& first = groups.front();
  const bool letters = first.size() >= 2 && absl::ascii_isalpha(first[0]) &&
                       absl::ascii_isalpha(first[1]);
  if (letters && first.size() == 2 && groups.size() > 1) {
    std::string prefix = first;
    groups.erase(groups.begin());
    return {std::move(prefix), std::move(groups)};
  }
  if (letters && first.size() > 2 && absl::ascii_isdigit(first[2])) {
    std::string prefix = first.substr(0, 2);
    groups.front().erase(0, 2);
    return {std::move(prefix), std::move(groups)};
  }
  return {"", std::move(groups)};
}

// The country a grouping of digits is written in, or nullptr: 7-1 and the
// old 6-1 are Finnish, 6-4 Swedish, 3-3-2-2 and 3-2-2-3 Polish.
const Scheme* SchemeOfGrouping(const std::vector<std::string>& groups) {
  std::vector<size_t> sizes;
  for (const std::string& group : groups) {
    if (!AllDigits(group)) return nullptr;
    sizes.push_back(group.size());
  }
  using Sizes = std::vector<size_t>;
  if (sizes == Sizes{7, 1} || sizes == Sizes{6, 1}) return &kFinland;
  if (sizes == Sizes{6, 4}) return &kSweden;
  if (sizes == Sizes{3, 3, 2, 2} || sizes == Sizes{3, 2, 2, 3}) return &kPoland;
  return nullptr;
}

// Checks `digits` (the groups joined) against `scheme`. A Finnish id of 7
// digits is the old form and gets its leading zero; a Swedish VAT number
// ends in "01", which is not part of the organisationsnummer.
absl::StatusOr<std::string> Validated(const Scheme& scheme, std::string digits,
                                      bool vat, absl::string_view text) {
  if (&scheme == &kFinland && digits.size() == 7) digits.insert(0, "0");
  if (&scheme == &kSweden && vat && digits.size() == 12 &&
      absl::EndsWith(digits, "01")) {
    digits.resize(10);
  }
  if (digits.size() != scheme.digits || !AllDigits(digits)) {
    return Invalid(text, absl::StrCat("a ", scheme.adjective, " ", scheme.name,
                                      " has ", scheme.digits, " digits"));
  }
  const absl::string_view payload =
      absl::string_view(digits).substr(0, digits.size() - 1);
  const int check = scheme.check_digit(payload);
  if (check < 0) {
    return Invalid(text, absl::StrCat("no ", scheme.name, " begins with ",
                                      payload, " (no check digit fits)"));
  }
  if (digits.back() - '0' != check) {
    return Invalid(text,
                   absl::StrCat(scheme.name, " check digit should be ", check));
  }
  return absl::StrCat(scheme.country, ":", digits);
}

// An id of a country without a known checksum: its letters and digits, of
// which some must be digits (every register numbers its companies).
absl::StatusOr<std::string> OtherCountry(absl::string_view country,
                                         const std::vector<std::string>& groups,
                                         absl::string_view text) {
  std::string id = absl::StrJoin(groups, "");
  if (std::none_of(id.begin(), id.end(), absl::ascii_isdigit)) {
    return Invalid(text,
                   absl::StrCat("a ", country, " business id has digits"));
  }
  if (id.size() > kMaxOtherIdLength) {
    return Invalid(
        text, absl::StrCat("over ", kMaxOtherIdLength, " letters and digits"));
  }
  return absl::StrCat(country, ":", id);
}

// The hint as an upper-case country code, or "" when it is not one.
std::string CountryCode(absl::string_view hint) {
  hint = absl::StripAsciiWhitespace(hint);
  if (hint.size() != 2 || !absl::ascii_isalpha(hint[0]) ||
      !absl::ascii_isalpha(hint[1])) {
    return "";
  }
  return absl::AsciiStrToUpper(hint);
}

// Legal forms as NormalizeName writes them: "S.A." and "Sp. z o.o." become
// several tokens because dots separate.
constexpr absl::string_view kLegalForms[] = {
    "spolka z ograniczona odpowiedzialnoscia",
    "sp z o o",
    "s a",
    "oy",
    "oyj",
    "ab",
    "ky",
    "tmi",
    "ay",
    "ltd",
    "limited",
    "plc",
    "llc",
    "inc",
    "corp",
    "gmbh",
    "as",
    "asa",
    "sa",
    "spzoo",
    "ooo",
    "zao",
    "oao",
    "pao",
    "ao",
    "ip",
};

using Tokens = std::vector<absl::string_view>;

// kLegalForms split into tokens, built once and never destroyed.
const std::vector<Tokens>& LegalFormTokens() {
  static const auto* const forms = [] {
    auto* split = new std::vector<Tokens>();
    for (const absl::string_view form : kLegalForms) {
      split->push_back(absl::StrSplit(form, ' '));
    }
    return split;
  }();
  return *forms;
}

// The number of tokens from `at` that make up a legal form, or 0.
size_t LegalFormAt(const Tokens& tokens, size_t at) {
  for (const Tokens& form : LegalFormTokens()) {
    if (at + form.size() <= tokens.size() &&
        std::equal(form.begin(), form.end(), tokens.begin() + at)) {
      return form.size();
    }
  }
  return 0;
}

}  // namespace

int YTunnusCheckDigit(absl::string_view seven_digits) {
  const int remainder = WeightedSum(seven_digits, {7, 9, 10, 5, 8, 4, 2}) % 11;
  if (remainder == 1) return -1;
  return remainder == 0 ? 0 : 11 - remainder;
}

int NipCheckDigit(absl::string_view nine_digits) {
  const int remainder =
      WeightedSum(nine_digits, {6, 5, 7, 2, 3, 4, 5, 6, 7}) % 11;
  return remainder == 10 ? -1 : remainder;
}

int LuhnCheckDigit(absl::string_view digits) {
  int sum = 0;
  for (size_t i = 0; i < digits.size(); ++i) {
    int digit = digits[digits.size() - 1 - i] - '0';
    if (i % 2 == 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return (10 - sum % 10) % 10;
}

absl::StatusOr<std::string> CanonicalBusinessId(
    absl::string_view text, absl::string_view country_hint) {
  std::optional<std::vector<std::string>> groups =
      Groups(absl::StripAsciiWhitespace(text));
  if (!groups.has_value()) {
    return Invalid(text,
                   "only letters, digits, spaces, hyphens and dots may appear");
  }
  if (groups->empty()) return Invalid(text, "empty");
  const auto [prefix, national] = SplitCountryPrefix(*groups);
  if (const Scheme* scheme = SchemeOf(prefix)) {
    return Validated(*scheme, absl::StrJoin(national, ""), /*vat=*/true, text);
  }
  if (const Scheme* scheme = SchemeOfGrouping(*groups)) {
    return Validated(*scheme, absl::StrJoin(*groups, ""), /*vat=*/false, text);
  }
  // A hint of a country without a scheme keeps other letters in the id
  // ("SC123456" is a Scottish company number, not a country).
  const std::string hint = CountryCode(country_hint);
  const Scheme* hinted = SchemeOf(hint);
  if (!hint.empty() && hinted == nullptr) {
    return OtherCountry(hint, prefix == hint ? national : *groups, text);
  }
  if (!prefix.empty()) return OtherCountry(prefix, national, text);
  const std::string digits = absl::StrJoin(*groups, "");
  if (groups->size() > 1 || !AllDigits(digits)) {
    return Invalid(text, "not a Finnish, Polish or Swedish business id");
  }
  if (hinted != nullptr) {
    return Validated(*hinted, digits, /*vat=*/false, text);
  }
  // Of the three, only a Y-tunnus has 8 digits; 10 are a NIP or an
  // organisationsnummer, and only the address tells which.
  if (digits.size() == kFinland.digits) {
    return Validated(kFinland, digits, /*vat=*/false, text);
  }
  if (digits.size() == kPoland.digits) {
    return Invalid(text,
                   "10 digits are a Polish NIP or a Swedish "
                   "organisationsnummer; the country is unknown");
  }
  return Invalid(text, "not a Finnish, Polish or Swedish business id");
}

std::string NormalizeCompanyName(absl::string_view name) {
  const std::string normalized = NormalizeName(name);
  const Tokens tokens = absl::StrSplit(normalized, ' ', absl::SkipEmpty());
  Tokens kept;
  for (size_t i = 0; i < tokens.size();) {
    const size_t form = LegalFormAt(tokens, i);
    if (form > 0) {
      i += form;
    } else {
      kept.push_back(tokens[i++]);
    }
  }
  // Folded after the legal forms are gone, since folding rewrites them.
  return FoldNameVariants(absl::StrJoin(kept, " "));
}

}  // namespace c360

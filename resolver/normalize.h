// Normalization of the values that identify a person, so that spellings of
// the same value meet: "Jääskeläinen" and "Jaaskelainen", "Łukasz" and
// "Lukasz", "Дмитрий" and "Dmitriy"; "040 123 4567" and "+358401234567";
// "Mikko.Virtanen@Example.COM " and "mikko.virtanen@example.com".
//
// All functions are thread-safe and may be called concurrently.
#ifndef C360_RESOLVER_NORMALIZE_H_
#define C360_RESOLVER_NORMALIZE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c360 {

// Transliterates any script to Latin (ICU "Russian-Latin/BGN; Any-Latin;
// Latin-ASCII": Russian by BGN/PCGN, the rest by ICU's defaults), strips
// diacritics, drops Cyrillic soft and hard signs, lower-cases, and keeps only
// ASCII letters, digits and single spaces between tokens; hyphens,
// apostrophes, dots, whitespace and other ASCII punctuation separate tokens,
// characters without an ASCII form are dropped ("Anna-Liisa O'Brien" ->
// "anna liisa o brien", "Дмитрий" -> "dmitriy", "Наталья" -> "natalya").
// Returns "" for input with no letters or digits.
std::string NormalizeName(absl::string_view name);

// Folds the spelling variants that romanizations of the same name produce,
// for comparison only (the result is not for display): "y" and "j" become
// "i", "kh" becomes "h", "ks" becomes "x", "w" becomes "v", and doubled
// letters become single (which also collapses a final "ii" to "i"). So
// "dmitriy", "dmitry", "dmitrij" and "dmitri" all fold to "dmitri";
// "jakovlev" and "yakovlev" meet; "aleksandr" and "alexandr" meet; "yulia",
// "julia", "iuliia" and "yuliya" meet. Input must be the output of
// NormalizeName; tokens are folded one by one.
std::string FoldNameVariants(absl::string_view normalized_name);

// Splits a normalized name into its tokens ("anna liisa" -> {"anna",
// "liisa"}).
std::vector<std::string> NameTokens(absl::string_view normalized_name);

// Parses a phone number written in local or international format and returns
// it in E.164 ("+358401234567"). `default_region` (ISO 3166-1 alpha-2, e.g.
// "FI", any case) is used for numbers without a country code; when it is empty
// or unknown only numbers with a country code parse. Returns InvalidArgument
// when the text is not a possible number (length checked, not whether the
// number range is assigned). The result normalizes to itself with any region.
absl::StatusOr<std::string> NormalizePhone(absl::string_view phone,
                                           absl::string_view default_region);

// Trims and lower-cases (ASCII only; other UTF-8 is kept) an e-mail address;
// returns InvalidArgument, quoting the value, when it is not of the form
// local@domain with exactly one '@', a non-empty local part, a dotted domain
// without empty labels, and no whitespace or control characters.
absl::StatusOr<std::string> NormalizeEmail(absl::string_view email);

// The e-mail with provider rules applied for matching: for gmail.com and
// googlemail.com dots in the local part are dropped and the domain becomes
// gmail.com; for every provider a "+tag" suffix is dropped. Input must be
// the output of NormalizeEmail.
std::string CanonicalEmail(absl::string_view normalized_email);

// A postal code without spaces and hyphens, upper-cased ("00-950" ->
// "00950", "sw1a 1aa" -> "SW1A1AA").
std::string NormalizePostcode(absl::string_view postcode);

// A business id in a comparable form: ASCII letters and digits only,
// upper-cased, with a leading two-letter VAT country prefix removed
// ("FI12345678" -> "12345678", "1234567-8" -> "12345678",
// "PL 123-456-78-90" -> "1234567890").
std::string NormalizeBusinessId(absl::string_view business_id);

// A social handle in comparable form: no leading '@', lower-case, trimmed.
std::string NormalizeHandle(absl::string_view handle);

// A calendar date that may be partial (month or day 0 = unknown).
struct BirthDate {
  int year = 0;
  int month = 0;
  int day = 0;
  bool operator==(const BirthDate& o) const {
    return year == o.year && month == o.month && day == o.day;
  }
};

// Parses an ISO 8601 date "YYYY-MM-DD", "YYYY-MM" or "YYYY". Returns
// InvalidArgument for anything else, and for impossible dates (month 13,
// 30 February, a year before 1850 or after 2100).
absl::StatusOr<BirthDate> ParseBirthDate(absl::string_view text);

// Formats a date back to ISO 8601 with as many parts as are known.
std::string FormatBirthDate(const BirthDate& date);

// Jaro-Winkler similarity of two strings in [0, 1] (1 = identical), compared
// byte by byte. The common-prefix boost (0.1 per byte, at most 4) applies
// when the Jaro similarity is at least 0.7, as in Winkler's definition.
double JaroWinkler(absl::string_view a, absl::string_view b);

}  // namespace c360

#endif  // C360_RESOLVER_NORMALIZE_H_

// Normalization of the values that identify a person, so that spellings of
// the same value meet: "Jääskeläinen" and "Jaaskelainen", "Łukasz" and
// "Lukasz", "Дмитрий" and "Dmitrij"; "040 123 4567" and "+358401234567";
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

// Transliterates any script to Latin (ICU "Any-Latin; Latin-ASCII"), strips
// diacritics, lower-cases, and keeps only ASCII letters, digits and single
// spaces between tokens; hyphens, apostrophes and dots separate tokens
// ("Anna-Liisa O'Brien" -> "anna liisa o brien", "Дмитрий" -> "dmitrij").
// Returns "" for input with no letters or digits.
std::string NormalizeName(absl::string_view name);

// Folds the spelling variants that romanizations of the same name produce,
// for comparison only (the result is not for display): "y" and "j" become
// "i", "kh" becomes "h", "ks" becomes "x", "w" becomes "v", doubled letters
// are single, and a final "ii" or "i" run collapses to "i". So "dmitriy",
// "dmitry", "dmitrij" and "dmitri" all fold to "dmitri"; "jakovlev" and
// "yakovlev" meet; "aleksandr" and "alexandr" meet. Input must be the output
// of NormalizeName; tokens are folded one by one.
std::string FoldNameVariants(absl::string_view normalized_name);

// Splits a normalized name into its tokens ("anna liisa" -> {"anna",
// "liisa"}).
std::vector<std::string> NameTokens(absl::string_view normalized_name);

// Parses a phone number written in local or international format and returns
// it in E.164 ("+358401234567"). `default_region` (ISO 3166-1 alpha-2, e.g.
// "FI") is used for numbers without a country code. Returns InvalidArgument
// when the text is not a possible number for that region.
absl::StatusOr<std::string> NormalizePhone(absl::string_view phone,
                                           absl::string_view default_region);

// Trims and lower-cases an e-mail address; returns InvalidArgument when it is
// not of the form local@domain with a dotted domain.
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

// Jaro-Winkler similarity of two strings in [0, 1] (1 = identical).
double JaroWinkler(absl::string_view a, absl::string_view b);

}  // namespace c360

#endif  // C360_RESOLVER_NORMALIZE_H_

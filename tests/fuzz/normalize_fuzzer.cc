// Fuzzes the normalizers (resolver/normalize.h) with the input as a value
// of every kind; its first byte picks the default region for phones (its
// value modulo 10 indexes kRegions). Each result must have the form its
// contract states and, where the contract makes it comparable, be a fixed
// point: normalizing a normalized value gives it back, so that a value
// stored or shown in normalized form meets the same value arriving raw.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "resolver/normalize.h"
#include "resolver/record_validator.h"
#include "tests/fuzz/fuzz_checks.h"

namespace c360 {
namespace {

constexpr absl::string_view kRegions[] = {"FI", "PL", "SE", "RU", "GB",
                                          "US", "fi", "",   "ZZ", "XX"};

bool AllOf(absl::string_view text, bool (*pred)(unsigned char)) {
  return std::all_of(text.begin(), text.end(),
                     [pred](char c) { return pred(static_cast<unsigned char>(c)); });
}

bool IsLowerOrDigit(unsigned char c) {
  return absl::ascii_islower(c) || absl::ascii_isdigit(c);
}

bool HasDoubledLetter(absl::string_view text) {
  for (size_t i = 1; i < text.size(); ++i) {
    if (absl::ascii_isalpha(text[i]) && text[i] == text[i - 1]) return true;
  }
  return false;
}

// Tokens of ASCII lower-case letters and digits joined by single spaces.
void CheckTokens(absl::string_view name) {
  const std::vector<std::string> tokens = NameTokens(name);
  FUZZ_CHECK(absl::StrJoin(tokens, " ") == name);
  for (const std::string& token : tokens) {
    FUZZ_CHECK(!token.empty() && AllOf(token, &IsLowerOrDigit));
  }
}

void CheckName(absl::string_view text) {
  const std::string name = NormalizeName(text);
  CheckTokens(name);
  FUZZ_CHECK(NormalizeName(name) == name);

  // Folding is not a fixed point by design: "kkh" (Кх) folds to "kh", kept
  // apart from "h" (Х).
  const std::string folded = FoldNameVariants(name);
  CheckTokens(folded);
  for (const std::string& token : NameTokens(folded)) {
    FUZZ_CHECK(token.find_first_of("yjw") == std::string::npos);
    FUZZ_CHECK(!absl::StrContains(token, "ks"));
    FUZZ_CHECK(!HasDoubledLetter(token));
  }
}

// E.164: '+' and 1 to 15 digits; parses back to itself with any region.
void CheckPhone(absl::string_view text, absl::string_view region) {
  const absl::StatusOr<std::string> phone = NormalizePhone(text, region);
  if (!phone.ok()) {
    FUZZ_CHECK(phone.status().code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  FUZZ_CHECK(phone->size() >= 2 && phone->size() <= 16);
  FUZZ_CHECK((*phone)[0] == '+');
  FUZZ_CHECK(AllOf(absl::string_view(*phone).substr(1), &absl::ascii_isdigit));
  for (absl::string_view other : {region, absl::string_view("")}) {
    const absl::StatusOr<std::string> again = NormalizePhone(*phone, other);
    FUZZ_CHECK(again.ok() && *again == *phone);
  }
}

void CheckEmail(absl::string_view text) {
  const absl::StatusOr<std::string> email = NormalizeEmail(text);
  if (!email.ok()) {
    FUZZ_CHECK(email.status().code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  FUZZ_CHECK(std::count(email->begin(), email->end(), '@') == 1);
  FUZZ_CHECK(std::none_of(email->begin(), email->end(), [](char c) {
    return absl::ascii_isupper(c) || absl::ascii_isspace(c) ||
           absl::ascii_iscntrl(c);
  }));
  FUZZ_CHECK(!IsValidUtf8(text) || IsValidUtf8(*email));
  const absl::StatusOr<std::string> again = NormalizeEmail(*email);
  FUZZ_CHECK(again.ok() && *again == *email);

  const std::string canonical = CanonicalEmail(*email);
  FUZZ_CHECK(std::count(canonical.begin(), canonical.end(), '@') == 1);
  FUZZ_CHECK(CanonicalEmail(canonical) == canonical);
}

// A date that parses is written back exactly as it was given.
void CheckBirthDate(absl::string_view text) {
  const absl::StatusOr<BirthDate> date = ParseBirthDate(text);
  if (!date.ok()) {
    FUZZ_CHECK(date.status().code() == absl::StatusCode::kInvalidArgument);
    return;
  }
  FUZZ_CHECK(date->year >= 1850 && date->year <= 2100);
  FUZZ_CHECK(date->month >= 0 && date->month <= 12);
  FUZZ_CHECK(date->day >= 0 && date->day <= 31);
  FUZZ_CHECK(FormatBirthDate(*date) == text);
}

void CheckOthers(absl::string_view text) {
  const std::string postcode = NormalizePostcode(text);
  FUZZ_CHECK(postcode.find_first_of(" -") == std::string::npos);
  FUZZ_CHECK(std::none_of(postcode.begin(), postcode.end(), absl::ascii_islower));
  FUZZ_CHECK(NormalizePostcode(postcode) == postcode);

  const std::string business_id = NormalizeBusinessId(text);
  FUZZ_CHECK(std::all_of(business_id.begin(), business_id.end(), [](char c) {
    return absl::ascii_isupper(c) || absl::ascii_isdigit(c);
  }));

  const std::string handle = NormalizeHandle(text);
  FUZZ_CHECK(!absl::StartsWith(handle, "@"));
  FUZZ_CHECK(absl::StripAsciiWhitespace(handle) == handle);
  FUZZ_CHECK(std::none_of(handle.begin(), handle.end(), absl::ascii_isupper));
  FUZZ_CHECK(NormalizeHandle(handle) == handle);
}

// Jaro-Winkler of the input's two halves: in [0, 1], and 1 for equal
// strings.
void CheckSimilarity(absl::string_view text) {
  const absl::string_view a = text.substr(0, text.size() / 2);
  const absl::string_view b = text.substr(text.size() / 2);
  const double similarity = JaroWinkler(a, b);
  FUZZ_CHECK(similarity >= 0.0 && similarity <= 1.0);
  FUZZ_CHECK(JaroWinkler(a, a) == 1.0);
}

void Run(absl::string_view input) {
  if (input.empty()) return;
  const absl::string_view region =
      kRegions[static_cast<unsigned char>(input[0]) % std::size(kRegions)];
  const absl::string_view text = input.substr(1);
  CheckName(text);
  CheckPhone(text, region);
  CheckEmail(text);
  CheckBirthDate(text);
  CheckOthers(text);
  CheckSimilarity(text);
}

}  // namespace
}  // namespace c360

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  c360::Run(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

#include "resolver/normalize.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/synchronization/mutex.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "phonenumbers/phonenumber.pb.h"
#include "phonenumbers/phonenumberutil.h"
#include "unicode/stringpiece.h"
#include "unicode/translit.h"
#include "unicode/unistr.h"

namespace c360 {
namespace {

using ::i18n::phonenumbers::PhoneNumber;
using ::i18n::phonenumbers::PhoneNumberUtil;

// Russian goes through BGN/PCGN first because it writes Ж, Ш, Щ, Ю, Я as
// "zh", "sh", "shch", "yu", "ya", the way Russian names are usually written
// in Latin; Any-Latin alone uses ISO 9, whose diacritics Latin-ASCII strips
// to lossy "z", "s", "s", "u", "a" ("Юлия" -> "ulia"). The soft and hard
// signs come out as primes (U+02B9, U+02BA) and are dropped, as Russian
// passports drop the soft sign ("Наталья" -> "natalya"); kept, they would
// become apostrophes and split the name.
constexpr char kToAsciiId[] =
    "Russian-Latin/BGN; Any-Latin; [\\u02B9\\u02BA] Remove; Latin-ASCII";

// Built once and never destroyed, so that no thread can outlive it.
const icu::Transliterator& BaseTransliterator() {
  static const icu::Transliterator* const base = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::Transliterator* transliterator = icu::Transliterator::createInstance(
        icu::UnicodeString::fromUTF8(kToAsciiId), UTRANS_FORWARD, status);
    if (U_FAILURE(status)) {
      // Without the ICU data no non-ASCII name could be matched; better to
      // stop at startup than to resolve records wrongly.
      std::fprintf(stderr, "c360: ICU transliterator \"%s\" unavailable: %s\n",
                   kToAsciiId, u_errorName(status));
      std::abort();
    }
    return transliterator;
  }();
  return *base;
}

// transliterate() is not safe to call concurrently on one instance, so each
// thread uses its own clone. ICU still serializes the rule-based steps on an
// internal mutex; the ASCII fast path in NormalizeName keeps that off the
// common case.
icu::Transliterator& ThreadTransliterator() {
  thread_local const std::unique_ptr<icu::Transliterator> clone(
      BaseTransliterator().clone());
  return *clone;
}

std::string TransliterateToAscii(absl::string_view text) {
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  ThreadTransliterator().transliterate(unicode);
  std::string ascii;
  unicode.toUTF8String(ascii);
  return ascii;
}

// Keeps ASCII letters (lower-cased) and digits, turns every run of other
// ASCII characters into one space between tokens, and drops what
// transliteration left non-ASCII (symbols with no Latin form, invalid UTF-8).
std::string TokensOf(absl::string_view ascii) {
  std::string tokens;
  tokens.reserve(ascii.size());
  bool separated = false;
  for (const char c : ascii) {
    if (absl::ascii_isalnum(c)) {
      if (separated && !tokens.empty()) tokens.push_back(' ');
      separated = false;
      tokens.push_back(absl::ascii_tolower(c));
    } else if (absl::ascii_isascii(c)) {
      separated = true;
    }
  }
  return tokens;
}

// Rewrites the letters that romanizations disagree on, then makes doubled
// letters single (which also turns the "ii" that "iy"/"ij" became into "i").
std::string FoldToken(absl::string_view token) {
  std::string respelled;
  respelled.reserve(token.size());
  for (size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    const char next = i + 1 < token.size() ? token[i + 1] : '\0';
    if (c == 'k' && (next == 'h' || next == 's')) {
      respelled.push_back(next == 'h' ? 'h' : 'x');
      ++i;
    } else if (c == 'y' || c == 'j') {
      respelled.push_back('i');
    } else if (c == 'w') {
      respelled.push_back('v');
    } else {
      respelled.push_back(c);
    }
  }
  // A word-initial Russian "Е" is romanized "Ye", "Je", "Ie" or "E"
  // (Yelena, Jelena, Elena): after the y/j -> i step, drop the "i".
  if (respelled.size() > 2 && respelled[0] == 'i' && respelled[1] == 'e') {
    respelled.erase(0, 1);
  }
  std::string folded;
  folded.reserve(respelled.size());
  for (const char c : respelled) {
    if (folded.empty() || folded.back() != c || !absl::ascii_isalpha(c)) {
      folded.push_back(c);
    }
  }
  return folded;
}

bool IsEmailAddress(absl::string_view email) {
  const bool has_space_or_control = std::any_of(
      email.begin(), email.end(),
      [](char c) { return absl::ascii_isspace(c) || absl::ascii_iscntrl(c); });
  if (has_space_or_control) return false;
  const std::vector<absl::string_view> parts = absl::StrSplit(email, '@');
  if (parts.size() != 2 || parts[0].empty()) return false;
  const std::vector<absl::string_view> labels = absl::StrSplit(parts[1], '.');
  return labels.size() >= 2 &&
         std::none_of(labels.begin(), labels.end(),
                      [](absl::string_view label) { return label.empty(); });
}

// Reads exactly `width` ASCII digits; absl::SimpleAtoi would also accept
// signs and surrounding spaces.
bool ParseFixedDigits(absl::string_view text, size_t width, int* value) {
  if (text.size() != width) return false;
  *value = 0;
  for (const char c : text) {
    if (!absl::ascii_isdigit(c)) return false;
    *value = *value * 10 + (c - '0');
  }
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Jaro similarity: characters match when equal and at most half the longer
// length (minus one) apart; half of the matches that are out of order count
// as transpositions.
double Jaro(absl::string_view a, absl::string_view b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  const size_t half = std::max(a.size(), b.size()) / 2;
  const size_t window = half > 0 ? half - 1 : 0;
  std::vector<bool> a_matched(a.size()), b_matched(b.size());
  int matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t end = std::min(b.size(), i + window + 1);
    for (size_t j = i > window ? i - window : 0; j < end; ++j) {
      if (b_matched[j] || a[i] != b[j]) continue;
      a_matched[i] = b_matched[j] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  int out_of_order = 0;
  for (size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j]) ++j;
    if (a[i] != b[j]) ++out_of_order;
    ++j;
  }
  const double m = matches;
  return (m / a.size() + m / b.size() + (m - out_of_order / 2) / m) / 3.0;
}

// "ZZ" is libphonenumber's "no region": only numbers that carry their
// country code parse.
constexpr char kNoRegion[] = "ZZ";

// The E.164 form of `phone` read in `region`, or nothing when it is not a
// possible number there.
std::optional<std::string> ToE164(const PhoneNumberUtil& util,
                                  const std::string& phone,
                                  const std::string& region) {
  PhoneNumber number;
  if (util.Parse(phone, region, &number) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsPossibleNumber(number)) {
    return std::nullopt;
  }
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

absl::StatusOr<std::string> ParsePhone(absl::string_view phone,
                                       absl::string_view default_region) {
  // libphonenumber strips a national prefix also after a country code, so
  // a few E.164 forms shorten when parsed again ("000-02-29" in FI gives
  // +358000229, which gives +35800229). Parsing again until the form stays
  // the same makes a normalized number, looked up again, meet itself. Each
  // pass strips at most one prefix.
  constexpr int kMaxPasses = 4;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  std::string region = absl::AsciiStrToUpper(default_region);
  if (util.GetCountryCodeForRegion(region) == 0) region = kNoRegion;
  std::optional<std::string> e164 = ToE164(util, std::string(phone), region);
  for (int pass = 0; pass < kMaxPasses && e164.has_value(); ++pass) {
    std::optional<std::string> again = ToE164(util, *e164, kNoRegion);
    if (again == e164) return *std::move(e164);
    e164 = std::move(again);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", phone, "' is not a phone number for region ", region));
}

// Remembers recent answers of a costly pure function of a string: phone
// parsing (libphonenumber runs ICU regular expressions, tens of microseconds
// a number) and transliteration of non-ASCII names, which the resolver and
// profile reads meet again and again. Cleared when full rather than LRU,
// which keeps it a plain map under one lock.
template <typename Answer>
class Memo {
 public:
  template <typename Compute>
  Answer Get(std::string key, const Compute& compute) {
    {
      absl::MutexLock lock(&mutex_);
      auto it = answers_.find(key);
      if (it != answers_.end()) return it->second;
    }
    Answer answer = compute();
    absl::MutexLock lock(&mutex_);
    if (answers_.size() >= kCapacity) answers_.clear();
    answers_.emplace(std::move(key), answer);
    return answer;
  }

 private:
  static constexpr size_t kCapacity = 1 << 18;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Answer> answers_ ABSL_GUARDED_BY(mutex_);
};

Memo<absl::StatusOr<std::string>>& PhoneMemo() {
  static auto* const memo = new Memo<absl::StatusOr<std::string>>();
  return *memo;
}

Memo<std::string>& NameMemo() {
  static auto* const memo = new Memo<std::string>();
  return *memo;
}

}  // namespace

std::string NormalizeName(absl::string_view name) {
  // Most names are ASCII, for which transliteration is a costly no-op.
  if (std::all_of(name.begin(), name.end(), absl::ascii_isascii)) {
    return TokensOf(name);
  }
  return NameMemo().Get(std::string(name),
                        [&] { return TokensOf(TransliterateToAscii(name)); });
}

std::string FoldNameVariants(absl::string_view normalized_name) {
  std::string folded;
  for (const absl::string_view token :
       absl::StrSplit(normalized_name, ' ', absl::SkipEmpty())) {
    if (!folded.empty()) folded.push_back(' ');
    absl::StrAppend(&folded, FoldToken(token));
  }
  return folded;
}

std::vector<std::string> NameTokens(absl::string_view normalized_name) {
  return absl::StrSplit(normalized_name, ' ', absl::SkipEmpty());
}

absl::StatusOr<std::string> NormalizePhone(absl::string_view phone,
                                           absl::string_view default_region) {
  return PhoneMemo().Get(absl::StrCat(default_region, "|", phone),
                         [&] { return ParsePhone(phone, default_region); });
}

absl::StatusOr<std::string> NormalizeEmail(absl::string_view email) {
  std::string normalized =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(email));
  if (!IsEmailAddress(normalized)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", email, "' is not an e-mail address"));
  }
  return normalized;
}

std::string CanonicalEmail(absl::string_view normalized_email) {
  const size_t at = normalized_email.rfind('@');
  if (at == absl::string_view::npos) return std::string(normalized_email);
  absl::string_view local = normalized_email.substr(0, at);
  const absl::string_view domain = normalized_email.substr(at + 1);
  // A "+tag" reaches the same mailbox; a local part that starts with '+' has
  // no tag to drop.
  const size_t plus = local.find('+');
  if (plus != absl::string_view::npos && plus > 0) {
    local = local.substr(0, plus);
  }
  if (domain == "gmail.com" || domain == "googlemail.com") {
    return absl::StrCat(absl::StrReplaceAll(local, {{".", ""}}), "@gmail.com");
  }
  return absl::StrCat(local, "@", domain);
}

std::string NormalizePostcode(absl::string_view postcode) {
  std::string normalized;
  for (const char c : postcode) {
    if (!absl::ascii_isspace(c) && c != '-') {
      normalized.push_back(absl::ascii_toupper(c));
    }
  }
  return normalized;
}

std::string NormalizeBusinessId(absl::string_view business_id) {
  std::string normalized;
  for (const char c : business_id) {
    if (absl::ascii_isalnum(c)) normalized.push_back(absl::ascii_toupper(c));
  }
  // A VAT number is the national id behind the country code.
  if (normalized.size() > 2 && absl::ascii_isalpha(normalized[0]) &&
      absl::ascii_isalpha(normalized[1])) {
    normalized.erase(0, 2);
  }
  return normalized;
}

std::string NormalizeHandle(absl::string_view handle) {
  // Whitespace after the '@' ("@ liisa_j75") goes too.
  absl::string_view trimmed = absl::StripTrailingAsciiWhitespace(handle);
  while (!trimmed.empty() &&
         (trimmed.front() == '@' || absl::ascii_isspace(trimmed.front()))) {
    trimmed.remove_prefix(1);
  }
  return absl::AsciiStrToLower(trimmed);
}

absl::StatusOr<BirthDate> ParseBirthDate(absl::string_view text) {
  constexpr int kMinYear = 1850;
  constexpr int kMaxYear = 2100;
  const auto invalid = [text](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a birth date: ", why));
  };
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  BirthDate date;
  if (parts.size() > 3 || !ParseFixedDigits(parts[0], 4, &date.year) ||
      (parts.size() > 1 && !ParseFixedDigits(parts[1], 2, &date.month)) ||
      (parts.size() > 2 && !ParseFixedDigits(parts[2], 2, &date.day))) {
    return invalid("expected YYYY-MM-DD, YYYY-MM or YYYY");
  }
  if (date.year < kMinYear || date.year > kMaxYear) {
    return invalid(absl::StrCat("year outside ", kMinYear, "-", kMaxYear));
  }
  if (parts.size() > 1 && (date.month < 1 || date.month > 12)) {
    return invalid("no such month");
  }
  if (parts.size() > 2 &&
      (date.day < 1 || date.day > DaysInMonth(date.year, date.month))) {
    return invalid("no such day in that month");
  }
  return date;
}

std::string FormatBirthDate(const BirthDate& date) {
  if (date.year == 0) return "";
  std::string text = absl::StrCat(absl::Dec(date.year, absl::kZeroPad4));
  if (date.month == 0) return text;
  absl::StrAppend(&text, "-", absl::Dec(date.month, absl::kZeroPad2));
  if (date.day != 0) {
    absl::StrAppend(&text, "-", absl::Dec(date.day, absl::kZeroPad2));
  }
  return text;
}

double JaroWinkler(absl::string_view a, absl::string_view b) {
  // Winkler boosts only pairs that are already similar.
  constexpr double kBoostThreshold = 0.7;
  constexpr double kPrefixScale = 0.1;
  constexpr size_t kMaxPrefix = 4;
  const double jaro = Jaro(a, b);
  if (jaro < kBoostThreshold) return jaro;
  const size_t limit = std::min({kMaxPrefix, a.size(), b.size()});
  size_t prefix = 0;
  while (prefix < limit && a[prefix] == b[prefix]) ++prefix;
  return jaro + prefix * kPrefixScale * (1.0 - jaro);
}

}  // namespace c360

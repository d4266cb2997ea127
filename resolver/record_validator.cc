#include "resolver/record_validator.h"

#include <initializer_list>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "resolver/normalize.h"

namespace c360 {
namespace {

constexpr size_t kMaxSourceBytes = 64;
constexpr size_t kMaxSourceIdBytes = 256;
constexpr int kMinPhoneDigits = 4;
constexpr int kMaxPhoneDigits = 20;

// Length of the well-formed UTF-8 sequence that starts `text` (1-4), or 0.
// The second-byte ranges follow Unicode Table 3-7, which is what excludes
// overlong forms (C0, C1, E0 80-9F, F0 80-8F), surrogates (ED A0-BF) and
// code points above U+10FFFF (F4 90-BF, F5-FF).
int SequenceLength(absl::string_view text) {
  const auto byte = [text](size_t i) {
    return static_cast<unsigned char>(text[i]);
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (text.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  }
  return static_cast<int>(length);
}

absl::Status Invalid(absl::string_view path, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", problem));
}

// Every string is checked for size before content so that no message ever
// quotes an oversized or malformed value.
absl::Status CheckString(absl::string_view path, absl::string_view value,
                         size_t max_bytes) {
  if (value.size() > max_bytes) {
    return Invalid(path, absl::StrCat("value is ", value.size(),
                                      " bytes, limit is ", max_bytes));
  }
  if (!IsValidUtf8(value)) return Invalid(path, "invalid UTF-8");
  if (value.find('\0') != absl::string_view::npos) {
    return Invalid(path, "contains a NUL byte");
  }
  return absl::OkStatus();
}

// A string field of a nested message, named for error messages.
struct Part {
  absl::string_view name;
  absl::string_view value;
};

absl::Status CheckParts(absl::string_view path,
                        std::initializer_list<Part> parts,
                        const ValidationLimits& limits) {
  for (const Part& part : parts) {
    absl::Status status = CheckString(absl::StrCat(path, ".", part.name),
                                      part.value, limits.max_field_bytes);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// Checks the count of a repeated field, then each item with
// `check_item(path, item)`.
template <typename T, typename CheckItem>
absl::Status CheckEach(absl::string_view field,
                       const google::protobuf::RepeatedPtrField<T>& items,
                       const ValidationLimits& limits, CheckItem check_item) {
  if (items.size() > limits.max_repeated) {
    return Invalid(field, absl::StrCat(items.size(), " entries, limit is ",
                                       limits.max_repeated));
  }
  for (int i = 0; i < items.size(); ++i) {
    absl::Status status =
        check_item(absl::StrCat(field, "[", i, "]"), items.Get(i));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

bool IsSourceChar(char c) {
  return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' ||
         c == '-';
}

absl::Status CheckKey(const SourceRecord& record,
                      const ValidationLimits& limits) {
  if (record.source().empty()) return Invalid("source", "missing");
  absl::Status status = CheckString("source", record.source(), kMaxSourceBytes);
  if (!status.ok()) return status;
  for (char c : record.source()) {
    if (!IsSourceChar(c)) {
      return Invalid("source", absl::StrCat("'", record.source(),
                                            "' may hold only a-z, 0-9, "
                                            "'_' and '-'"));
    }
  }
  if (record.source_id().empty()) return Invalid("source_id", "missing");
  return CheckString("source_id", record.source_id(), kMaxSourceIdBytes);
}

absl::Status CheckNames(const SourceRecord& record,
                        const ValidationLimits& limits) {
  return CheckEach("names", record.names(), limits,
                   [&limits](absl::string_view path, const PersonName& n) {
                     return CheckParts(path,
                                       {{"full", n.full()},
                                        {"given", n.given()},
                                        {"middle", n.middle()},
                                        {"family", n.family()}},
                                       limits);
                   });
}

absl::Status CheckEmails(const SourceRecord& record,
                         const ValidationLimits& limits) {
  return CheckEach(
      "emails", record.emails(), limits,
      [&limits](absl::string_view path, const std::string& email) {
        absl::Status status = CheckString(path, email, limits.max_field_bytes);
        if (!status.ok()) return status;
        status = NormalizeEmail(email).status();
        return status.ok() ? status : Invalid(path, status.message());
      });
}

// Why `phone` is not a plausible phone number, or "" when it is.
std::string PhoneProblem(absl::string_view phone) {
  int digits = 0;
  for (char c : phone) {
    if (absl::ascii_isdigit(c)) {
      ++digits;
    } else if (absl::string_view(" +()-./").find(c) ==
               absl::string_view::npos) {
      return absl::StrCat("'", phone, "' is not a phone number (only digits,",
                          " spaces and +()-./ are allowed)");
    }
  }
  if (digits < kMinPhoneDigits || digits > kMaxPhoneDigits) {
    return absl::StrCat("'", phone, "' is not a phone number (", digits,
                        " digits, expected ", kMinPhoneDigits, "-",
                        kMaxPhoneDigits, ")");
  }
  return "";
}

absl::Status CheckPhones(const SourceRecord& record,
                         const ValidationLimits& limits) {
  return CheckEach(
      "phones", record.phones(), limits,
      [&limits](absl::string_view path, const std::string& phone) {
        absl::Status status = CheckString(path, phone, limits.max_field_bytes);
        if (!status.ok()) return status;
        const std::string problem = PhoneProblem(phone);
        return problem.empty() ? absl::OkStatus() : Invalid(path, problem);
      });
}

absl::Status CheckCountry(absl::string_view path, absl::string_view country) {
  if (country.empty() ||
      (country.size() == 2 && absl::ascii_isalpha(country[0]) &&
       absl::ascii_isalpha(country[1]))) {
    return absl::OkStatus();
  }
  return Invalid(
      path, absl::StrCat("'", country, "' is not a two-letter country code"));
}

absl::Status CheckAddresses(const SourceRecord& record,
                            const ValidationLimits& limits) {
  return CheckEach(
      "addresses", record.addresses(), limits,
      [&limits](absl::string_view path, const PostalAddress& a) {
        absl::Status status = CheckParts(path,
                                         {{"street", a.street()},
                                          {"house_number", a.house_number()},
                                          {"postcode", a.postcode()},
                                          {"city", a.city()},
                                          {"country", a.country()}},
                                         limits);
        if (!status.ok()) return status;
        return CheckCountry(absl::StrCat(path, ".country"), a.country());
      });
}

absl::Status CheckBirthDate(const SourceRecord& record,
                            const ValidationLimits& limits) {
  absl::Status status =
      CheckString("birth_date", record.birth_date(), limits.max_field_bytes);
  if (!status.ok() || record.birth_date().empty()) return status;
  status = ParseBirthDate(record.birth_date()).status();
  return status.ok() ? status : Invalid("birth_date", status.message());
}

absl::Status CheckOrganization(const SourceRecord& record,
                               const ValidationLimits& limits) {
  absl::Status status = CheckString("organization", record.organization(),
                                    limits.max_field_bytes);
  if (!status.ok()) return status;
  return CheckString("business_id", record.business_id(),
                     limits.max_field_bytes);
}

absl::Status CheckSocialHandles(const SourceRecord& record,
                                const ValidationLimits& limits) {
  return CheckEach("social_handles", record.social_handles(), limits,
                   [&limits](absl::string_view path, const SocialHandle& h) {
                     return CheckParts(path,
                                       {{"platform", h.platform()},
                                        {"handle", h.handle()},
                                        {"display_name", h.display_name()}},
                                       limits);
                   });
}

absl::Status CheckAttributes(const SourceRecord& record,
                             const ValidationLimits& limits) {
  const auto& attributes = record.attributes();
  if (static_cast<int>(attributes.size()) > limits.max_repeated) {
    return Invalid("attributes",
                   absl::StrCat(attributes.size(), " entries, limit is ",
                                limits.max_repeated));
  }
  for (const auto& [key, value] : attributes) {
    // The key is checked before it is quoted in the value's path.
    absl::Status status =
        CheckString("attributes key", key, limits.max_field_bytes);
    if (status.ok()) {
      status = CheckString(absl::StrCat("attributes['", key, "']"), value,
                           limits.max_field_bytes);
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

using Check = absl::Status (*)(const SourceRecord&, const ValidationLimits&);

// In field-number order, so the first problem reported is the first field.
constexpr Check kChecks[] = {
    &CheckKey,          &CheckNames,         &CheckEmails,
    &CheckPhones,       &CheckAddresses,     &CheckBirthDate,
    &CheckOrganization, &CheckSocialHandles, &CheckAttributes};

}  // namespace

size_t ValidUtf8PrefixLength(absl::string_view text) {
  size_t valid = 0;
  while (valid < text.size()) {
    const int length = SequenceLength(text.substr(valid));
    if (length == 0) break;
    valid += length;
  }
  return valid;
}

absl::Status ValidateRecord(const SourceRecord& record,
                            const ValidationLimits& limits) {
  for (Check check : kChecks) {
    absl::Status status = check(record, limits);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace c360

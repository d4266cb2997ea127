#include "server/csv.h"

#include <cstdio>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/util/time_util.h"

namespace c360 {
namespace csv_internal {
namespace {

constexpr size_t kChunkBytes = 64 * 1024;

// Keeps the first problem of a row; later ones tend to be its consequences.
void Fail(CsvRow* row, absl::string_view problem) {
  if (row->status.ok()) row->status = absl::InvalidArgumentError(problem);
}

}  // namespace

CsvTokenizer::CsvTokenizer(std::istream* in, char delimiter,
                           size_t max_row_bytes, size_t max_raw_bytes)
    : in_(in),
      delimiter_(static_cast<unsigned char>(delimiter)),
      max_row_bytes_(max_row_bytes),
      max_raw_bytes_(max_raw_bytes) {}

bool CsvTokenizer::Next(CsvRow* row) {
  if (bytes_read_ == 0) SkipByteOrderMark();
  do {
    if (Peek() == EOF) return false;
    ReadRow(row);
  } while (row_bytes_ == 0);  // nothing but a line end
  return true;
}

// The next byte as an unsigned char, or EOF.
int CsvTokenizer::Peek() {
  if (pos_ == buffer_.size()) {
    buffer_.resize(kChunkBytes);
    in_->read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.resize(static_cast<size_t>(in_->gcount()));
    pos_ = 0;
    if (buffer_.empty()) return EOF;
  }
  return static_cast<unsigned char>(buffer_[pos_]);
}

// Consumes the byte Peek() returned.
char CsvTokenizer::Skip() {
  const char c = buffer_[pos_++];
  ++bytes_read_;
  if (c == '\n') ++line_;
  return c;
}

// Counts `c` as part of the row's text. Past the size limit the row is
// failed and its cells are no longer filled, which bounds memory.
void CsvTokenizer::Record(CsvRow* row, char c) {
  if (row->raw.size() < max_raw_bytes_) row->raw.push_back(c);
  if (++row_bytes_ == max_row_bytes_ + 1) {
    Fail(row, absl::StrCat("row is over ", max_row_bytes_, " bytes"));
  }
}

void CsvTokenizer::Take(CsvRow* row) { Record(row, Skip()); }

// Consumes a '\r'. Returns true when a '\n' follows, so that it is part of
// a "\r\n" line end, which the row's raw text leaves out.
bool CsvTokenizer::TakeCarriageReturn(CsvRow* row) {
  Skip();
  if (Peek() == '\n') return true;
  Record(row, '\r');
  return false;
}

void CsvTokenizer::Append(CsvRow* row, char c) {
  if (!Oversized()) row->cells.back().push_back(c);
}

void CsvTokenizer::ReadRow(CsvRow* row) {
  row->line = line_;
  row->cells.assign(1, std::string());
  row->raw.clear();
  row->status = absl::OkStatus();
  row_bytes_ = 0;
  while (true) {
    const bool quoted = Peek() == '"';
    if (quoted && !ReadQuoted(row)) break;
    if (ReadPlain(row) > 0 && quoted) {
      Fail(row, absl::StrCat("field ", row->cells.size(),
                             ": text after the closing quote"));
    }
    if (Peek() != delimiter_) break;
    Take(row);
    if (!Oversized()) row->cells.emplace_back();
  }
  if (Peek() == '\n') Skip();
  if (Oversized()) row->cells.clear();
}

// Reads a quoted field from its opening quote through its closing quote.
// Returns false when the input ends before the closing quote.
bool CsvTokenizer::ReadQuoted(CsvRow* row) {
  const int64_t opened_on = line_;
  Take(row);
  for (int c = Peek(); c != EOF; c = Peek()) {
    Take(row);
    if (c == '"') {
      if (Peek() != '"') return true;
      Take(row);
    }
    Append(row, static_cast<char>(c));
  }
  Fail(row, absl::StrCat("quote opened on line ", opened_on, " is not closed"));
  return false;
}

// Reads unquoted text up to a delimiter, a line end or the end of input,
// and returns its length in bytes. Quotes inside it are ordinary text.
size_t CsvTokenizer::ReadPlain(CsvRow* row) {
  size_t length = 0;
  for (int c = Peek(); c != EOF && c != delimiter_ && c != '\n'; c = Peek()) {
    if (c != '\r') {
      Take(row);
    } else if (TakeCarriageReturn(row)) {
      break;
    }
    Append(row, static_cast<char>(c));
    ++length;
  }
  return length;
}

void CsvTokenizer::SkipByteOrderMark() {
  if (Peek() != EOF && absl::StartsWith(absl::string_view(buffer_).substr(pos_),
                                        kByteOrderMark)) {
    pos_ += kByteOrderMark.size();
    bytes_read_ += kByteOrderMark.size();
  }
}

namespace {

constexpr absl::string_view kIsoDateFormat = "YYYY-MM-DD";
constexpr absl::string_view kBirthDateFormats[] = {
    kIsoDateFormat, "DD.MM.YYYY", "DD/MM/YYYY", "MM/DD/YYYY", "YYYYMMDD"};
constexpr absl::string_view kAttributePrefix = "attribute.";

// Targets whose value fills the first element of a repeated message field
// create that element on first use.
template <typename T>
T* First(google::protobuf::RepeatedPtrField<T>* items) {
  return items->empty() ? items->Add() : items->Mutable(0);
}

SourceRecord* Self(SourceRecord* record) { return record; }
PersonName* Name(SourceRecord* record) {
  return First(record->mutable_names());
}
PostalAddress* Address(SourceRecord* record) {
  return First(record->mutable_addresses());
}
SocialHandle* Social(SourceRecord* record) {
  return First(record->mutable_social_handles());
}

using Setter = absl::Status (*)(absl::string_view value,
                                absl::string_view birth_date_format,
                                SourceRecord* record);

template <typename Message, Message* (*Get)(SourceRecord*),
          std::string* (Message::*Field)()>
absl::Status SetString(absl::string_view value, absl::string_view,
                       SourceRecord* record) {
  *(Get(record)->*Field)() = std::string(value);
  return absl::OkStatus();
}

template <
    google::protobuf::RepeatedPtrField<std::string>* (SourceRecord::*Field)()>
absl::Status AddString(absl::string_view value, absl::string_view,
                       SourceRecord* record) {
  (record->*Field)()->Add(std::string(value));
  return absl::OkStatus();
}

// Letters of `format` stand for digits; anything else must match exactly.
bool MatchesFormat(absl::string_view value, absl::string_view format) {
  if (value.size() != format.size()) return false;
  for (size_t i = 0; i < format.size(); ++i) {
    if (absl::ascii_isalpha(format[i]) ? !absl::ascii_isdigit(value[i])
                                       : value[i] != format[i]) {
      return false;
    }
  }
  return true;
}

// The calendar check is left to ValidateRecord, so that an impossible date
// is reported the same way for every input format.
absl::Status SetBirthDate(absl::string_view value, absl::string_view format,
                          SourceRecord* record) {
  if (format == kIsoDateFormat) {  // ISO values may also be partial dates
    record->set_birth_date(std::string(value));
    return absl::OkStatus();
  }
  if (!MatchesFormat(value, format)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", value, "' does not match ", format));
  }
  record->set_birth_date(absl::StrCat(value.substr(format.find("YYYY"), 4), "-",
                                      value.substr(format.find("MM"), 2), "-",
                                      value.substr(format.find("DD"), 2)));
  return absl::OkStatus();
}

// A bare date is taken as midnight UTC.
absl::Status SetObservedAt(absl::string_view value, absl::string_view,
                           SourceRecord* record) {
  std::string text(value);
  if (MatchesFormat(value, kIsoDateFormat)) text += "T00:00:00Z";
  if (!google::protobuf::util::TimeUtil::FromString(
          text, record->mutable_observed_at())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", value, "' is not a date (YYYY-MM-DD) or RFC 3339 date-time"));
  }
  return absl::OkStatus();
}

struct Target {
  absl::string_view name;
  TargetKind kind;
  Setter set;
};

constexpr TargetKind kSingle = TargetKind::kSingle;
constexpr TargetKind kRepeatable = TargetKind::kRepeatable;

constexpr Target kTargets[] = {
    {"source_id", kSingle,
     &SetString<SourceRecord, &Self, &SourceRecord::mutable_source_id>},
    {"observed_at", kSingle, &SetObservedAt},
    {"name.full", kSingle,
     &SetString<PersonName, &Name, &PersonName::mutable_full>},
    {"name.given", kSingle,
     &SetString<PersonName, &Name, &PersonName::mutable_given>},
    {"name.middle", kSingle,
     &SetString<PersonName, &Name, &PersonName::mutable_middle>},
    {"name.family", kSingle,
     &SetString<PersonName, &Name, &PersonName::mutable_family>},
    {"email", kRepeatable, &AddString<&SourceRecord::mutable_emails>},
    {"phone", kRepeatable, &AddString<&SourceRecord::mutable_phones>},
    {"address.street", kSingle,
     &SetString<PostalAddress, &Address, &PostalAddress::mutable_street>},
    {"address.house_number", kSingle,
     &SetString<PostalAddress, &Address, &PostalAddress::mutable_house_number>},
    {"address.postcode", kSingle,
     &SetString<PostalAddress, &Address, &PostalAddress::mutable_postcode>},
    {"address.city", kSingle,
     &SetString<PostalAddress, &Address, &PostalAddress::mutable_city>},
    {"address.country", kSingle,
     &SetString<PostalAddress, &Address, &PostalAddress::mutable_country>},
    {"birth_date", kSingle, &SetBirthDate},
    {"organization", kSingle,
     &SetString<SourceRecord, &Self, &SourceRecord::mutable_organization>},
    {"business_id", kSingle,
     &SetString<SourceRecord, &Self, &SourceRecord::mutable_business_id>},
    {"social.platform", kSingle,
     &SetString<SocialHandle, &Social, &SocialHandle::mutable_platform>},
    {"social.handle", kSingle,
     &SetString<SocialHandle, &Social, &SocialHandle::mutable_handle>},
    {"social.display_name", kSingle,
     &SetString<SocialHandle, &Social, &SocialHandle::mutable_display_name>},
};

const Target* FindTarget(absl::string_view name) {
  for (const Target& target : kTargets) {
    if (target.name == name) return &target;
  }
  return nullptr;
}

bool IsAttribute(absl::string_view target) {
  return target.size() > kAttributePrefix.size() &&
         absl::StartsWith(target, kAttributePrefix);
}

}  // namespace

TargetKind KindOfTarget(absl::string_view target) {
  if (IsAttribute(target)) return kRepeatable;
  const Target* found = FindTarget(target);
  return found == nullptr ? TargetKind::kUnknown : found->kind;
}

bool IsBirthDateFormat(absl::string_view format) {
  for (absl::string_view known : kBirthDateFormats) {
    if (format == known) return true;
  }
  return false;
}

absl::Status SetTarget(absl::string_view target, absl::string_view value,
                       absl::string_view birth_date_format,
                       SourceRecord* record) {
  if (IsAttribute(target)) {
    (*record->mutable_attributes())[std::string(
        target.substr(kAttributePrefix.size()))] = std::string(value);
    return absl::OkStatus();
  }
  return FindTarget(target)->set(value, birth_date_format, record);
}

std::string CsvField(absl::string_view value, char delimiter) {
  if (value.find_first_of(std::string{delimiter, '"', '\n', '\r'}) ==
      absl::string_view::npos) {
    return std::string(value);
  }
  return absl::StrCat("\"", absl::StrReplaceAll(value, {{"\"", "\"\""}}), "\"");
}

}  // namespace csv_internal
}  // namespace c360

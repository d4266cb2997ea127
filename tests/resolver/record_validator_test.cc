#include "resolver/record_validator.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

MATCHER_P(IsInvalidArgument, fragment, "") {
  *result_listener << arg;
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         arg.message().find(fragment) != absl::string_view::npos;
}

SourceRecord GoodRecord() {
  SourceRecord record;
  record.set_source("crm");
  record.set_source_id("C-1001");
  PersonName* name = record.add_names();
  name->set_given("Mikko");
  name->set_family("Jääskeläinen");
  record.add_names()->set_full("Иванов Дмитрий");
  record.add_emails("mikko.virtanen@example.com");
  record.add_phones("+358 (40) 123-4567");
  record.add_phones("040/123.4567");
  PostalAddress* address = record.add_addresses();
  address->set_street("Mannerheimintie");
  address->set_country("FI");
  record.add_addresses()->set_country("se");
  record.set_birth_date("1984-05-17");
  record.set_organization("Virtanen Oy");
  record.add_social_handles()->set_handle("mikko_virtanen84");
  (*record.mutable_attributes())["segment"] = "gold";
  return record;
}

TEST(ValidateRecordTest, AcceptsACompleteRecord) {
  EXPECT_TRUE(ValidateRecord(GoodRecord()).ok());
}

TEST(ValidateRecordTest, AcceptsPartialBirthDates) {
  SourceRecord record = GoodRecord();
  record.set_birth_date("1984-05");
  EXPECT_TRUE(ValidateRecord(record).ok());
  record.set_birth_date("1984");
  EXPECT_TRUE(ValidateRecord(record).ok());
}

TEST(ValidateRecordTest, AcceptsAMinimalRecord) {
  SourceRecord record;
  record.set_source("web_shop-2");
  record.set_source_id("1");
  EXPECT_TRUE(ValidateRecord(record).ok());
}

TEST(ValidateRecordTest, RejectsAMissingSource) {
  SourceRecord record = GoodRecord();
  record.clear_source();
  EXPECT_THAT(ValidateRecord(record), IsInvalidArgument("source: missing"));
}

TEST(ValidateRecordTest, RejectsASourceWithOtherCharacters) {
  SourceRecord record = GoodRecord();
  record.set_source("CRM");
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("source: 'CRM' may hold only a-z, 0-9"));
  record.set_source("web shop");
  EXPECT_THAT(ValidateRecord(record), IsInvalidArgument("source: 'web shop'"));
}

TEST(ValidateRecordTest, LimitsTheSourceTo64Bytes) {
  SourceRecord record = GoodRecord();
  record.set_source(std::string(64, 'a'));
  EXPECT_TRUE(ValidateRecord(record).ok());
  record.set_source(std::string(65, 'a'));
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("source: value is 65 bytes, limit is 64"));
}

TEST(ValidateRecordTest, RejectsAMissingSourceId) {
  SourceRecord record = GoodRecord();
  record.clear_source_id();
  EXPECT_THAT(ValidateRecord(record), IsInvalidArgument("source_id: missing"));
}

TEST(ValidateRecordTest, LimitsTheSourceIdTo256Bytes) {
  SourceRecord record = GoodRecord();
  record.set_source_id(std::string(256, '7'));
  EXPECT_TRUE(ValidateRecord(record).ok());
  record.set_source_id(std::string(257, '7'));
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("source_id: value is 257 bytes, limit is 256"));
}

TEST(ValidateRecordTest, NamesTheFieldWithInvalidUtf8) {
  SourceRecord record = GoodRecord();
  record.mutable_names(0)->set_family("Virtanen\xC3");
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("names[0].family: invalid UTF-8"));
}

TEST(ValidateRecordTest, RejectsANulByte) {
  SourceRecord record = GoodRecord();
  record.mutable_addresses(0)->set_city(std::string("Hel\0sinki", 9));
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("addresses[0].city: contains a NUL byte"));
}

TEST(ValidateRecordTest, RejectsAnOversizedAttribute) {
  SourceRecord record = GoodRecord();
  (*record.mutable_attributes())["x"] = std::string(5000, 'v');
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("attributes['x']: value is 5000 bytes, "
                                "limit is 1024"));
}

TEST(ValidateRecordTest, RejectsAnAttributeKeyWithInvalidUtf8) {
  SourceRecord record = GoodRecord();
  (*record.mutable_attributes())["bad\xFF"] = "v";
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("attributes key: invalid UTF-8"));
}

TEST(ValidateRecordTest, AppliesTheFieldSizeLimitToNestedStrings) {
  SourceRecord record;
  record.set_source("social");
  record.set_source_id("s-1");
  record.add_social_handles()->set_display_name(std::string(11, 'x'));
  ValidationLimits limits;
  limits.max_field_bytes = 10;
  EXPECT_THAT(ValidateRecord(record, limits),
              IsInvalidArgument("social_handles[0].display_name: value is 11 "
                                "bytes, limit is 10"));
}

TEST(ValidateRecordTest, LimitsRepeatedFields) {
  SourceRecord record = GoodRecord();
  ValidationLimits limits;
  limits.max_repeated = 2;
  EXPECT_TRUE(ValidateRecord(record, limits).ok());
  record.add_phones("+358 9 123 456");
  EXPECT_THAT(ValidateRecord(record, limits),
              IsInvalidArgument("phones: 3 entries, limit is 2"));
}

TEST(ValidateRecordTest, LimitsAttributes) {
  SourceRecord record = GoodRecord();
  ValidationLimits limits;
  limits.max_repeated = 1;
  record.clear_names();
  record.clear_phones();
  record.clear_addresses();
  (*record.mutable_attributes())["tier"] = "2";
  EXPECT_THAT(ValidateRecord(record, limits),
              IsInvalidArgument("attributes: 2 entries, limit is 1"));
}

TEST(ValidateRecordTest, RejectsABadEmail) {
  SourceRecord record = GoodRecord();
  record.add_emails("foo");
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("emails[1]: 'foo' is not an e-mail address"));
}

TEST(ValidateRecordTest, RejectsPhonesWithOtherCharacters) {
  SourceRecord record = GoodRecord();
  record.add_phones("040 123 4567 ext 5");
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("phones[2]: '040 123 4567 ext 5' is not a "
                                "phone number (only digits"));
}

TEST(ValidateRecordTest, RejectsPhonesWithTooFewOrTooManyDigits) {
  SourceRecord record = GoodRecord();
  record.set_phones(0, "123");
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("phones[0]: '123' is not a phone number (3 "
                                "digits, expected 4-20)"));
  record.set_phones(0, std::string(21, '5'));
  EXPECT_THAT(ValidateRecord(record), IsInvalidArgument("(21 digits"));
  record.set_phones(0, "1234");
  EXPECT_TRUE(ValidateRecord(record).ok());
}

TEST(ValidateRecordTest, RejectsAnImpossibleBirthDateWithItsReason) {
  SourceRecord record = GoodRecord();
  record.set_birth_date("1984-13-01");
  const absl::Status status = ValidateRecord(record);
  EXPECT_THAT(status, IsInvalidArgument("birth_date: '1984-13-01'"));
  EXPECT_THAT(std::string(status.message()), HasSubstr("month"));
  record.set_birth_date("1984-02-30");
  EXPECT_THAT(ValidateRecord(record), IsInvalidArgument("birth_date: "));
  record.set_birth_date("17.05.1984");
  EXPECT_THAT(ValidateRecord(record), IsInvalidArgument("birth_date: "));
}

TEST(ValidateRecordTest, RejectsACountryThatIsNotTwoLetters) {
  SourceRecord record = GoodRecord();
  record.mutable_addresses(1)->set_country("FIN");
  EXPECT_THAT(ValidateRecord(record),
              IsInvalidArgument("addresses[1].country: 'FIN' is not a "
                                "two-letter country code"));
  record.mutable_addresses(1)->set_country("F1");
  EXPECT_THAT(ValidateRecord(record), IsInvalidArgument("'F1'"));
}

TEST(ValidateRecordTest, ReportsTheFirstProblemInFieldOrder) {
  SourceRecord record = GoodRecord();
  record.add_emails("bad");
  record.set_birth_date("1984-13-01");
  EXPECT_THAT(ValidateRecord(record), IsInvalidArgument("emails[1]"));
}

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("ASCII only"));
  EXPECT_TRUE(IsValidUtf8("Jääskeläinen Łukasz Дмитрий"));
  EXPECT_TRUE(IsValidUtf8("\xE2\x82\xAC"));      // U+20AC
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));      // U+E000
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

class InvalidUtf8Test : public ::testing::TestWithParam<const char*> {};

TEST_P(InvalidUtf8Test, IsRejected) { EXPECT_FALSE(IsValidUtf8(GetParam())); }

INSTANTIATE_TEST_SUITE_P(
    Sequences, InvalidUtf8Test,
    ::testing::Values("\x80",              // lone continuation byte
                      "\xC3",              // truncated 2-byte sequence
                      "\xE2\x82",          // truncated 3-byte sequence
                      "\xC0\xAF",          // overlong '/'
                      "\xC1\xBF",          // overlong
                      "\xE0\x80\xAF",      // overlong 3-byte
                      "\xF0\x80\x80\xAF",  // overlong 4-byte
                      "\xED\xA0\x80",      // surrogate U+D800
                      "\xED\xBF\xBF",      // surrogate U+DFFF
                      "\xF4\x90\x80\x80",  // U+110000
                      "\xF5\x80\x80\x80",  // lead byte past U+10FFFF
                      "\xFF",              // never in UTF-8
                      "a\xC3(b"));         // bad continuation

TEST(Utf8Test, MeasuresTheValidPrefix) {
  EXPECT_EQ(ValidUtf8PrefixLength("ab\xC0\xAF"
                                  "cd"),
            2u);
  EXPECT_EQ(ValidUtf8PrefixLength("\xC3\xA4\xE2\x82"), 2u);
  EXPECT_EQ(ValidUtf8PrefixLength("\xC3\xA4x"), 3u);
}

}  // namespace
}  // namespace c360

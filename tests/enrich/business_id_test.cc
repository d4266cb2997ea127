#include "enrich/business_id.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

// Valid ids: Y-tunnus 0112038-9 and 2345678-0, NIP 123-456-32-18,
// organisationsnummer 556012-5790 and 556677-8899.

MATCHER_P(IsCanonical, expected, "") {
  if (!arg.ok()) {
    *result_listener << arg.status();
    return false;
  }
  *result_listener << *arg;
  return *arg == expected;
}

MATCHER_P(IsRejected, reason, "") {
  *result_listener << arg.status();
  return !arg.ok() &&
         arg.status().code() == absl::StatusCode::kInvalidArgument &&
         std::string(arg.status().message()) == reason;
}

TEST(CanonicalBusinessIdTest, FinnishYTunnusInEveryWrittenForm) {
  EXPECT_THAT(CanonicalBusinessId("0112038-9", ""), IsCanonical("FI:01120389"));
  EXPECT_THAT(CanonicalBusinessId("01120389", "FI"),
              IsCanonical("FI:01120389"));
  EXPECT_THAT(CanonicalBusinessId(" 2345678-0 ", "SE"),
              IsCanonical("FI:23456780"));
  // The old form of 6 + 1 digits gets its leading zero.
  EXPECT_THAT(CanonicalBusinessId("112038-9", ""), IsCanonical("FI:01120389"));
  EXPECT_THAT(CanonicalBusinessId("FI01120389", ""),
              IsCanonical("FI:01120389"));
  EXPECT_THAT(CanonicalBusinessId("fi 0112038-9", "PL"),
              IsCanonical("FI:01120389"));
  // Of the three countries only Finland has 8 digits.
  EXPECT_THAT(CanonicalBusinessId("23456780", ""), IsCanonical("FI:23456780"));
}

TEST(CanonicalBusinessIdTest, FinnishCheckDigitsAreValidated) {
  EXPECT_THAT(
      CanonicalBusinessId("1234567-9", ""),
      IsRejected(
          "business id \"1234567-9\": Y-tunnus check digit should be 1"));
  EXPECT_THAT(
      CanonicalBusinessId("FI23456781", ""),
      IsRejected(
          "business id \"FI23456781\": Y-tunnus check digit should be 0"));
  // Remainder 1: no check digit makes these seven digits valid.
  EXPECT_THAT(CanonicalBusinessId("1000008-0", ""),
              IsRejected("business id \"1000008-0\": no Y-tunnus begins with "
                         "1000008 (no check digit fits)"));
  EXPECT_THAT(CanonicalBusinessId("FI123456789", ""),
              IsRejected("business id \"FI123456789\": a Finnish Y-tunnus has "
                         "8 digits"));
}

TEST(CanonicalBusinessIdTest, PolishNipInEveryWrittenForm) {
  for (const char* written : {"123-456-32-18", "123-45-63-218", "PL1234563218",
                              "PL 123-456-32-18", "pl123 456 32 18"}) {
    EXPECT_THAT(CanonicalBusinessId(written, ""), IsCanonical("PL:1234563218"))
        << written;
  }
  EXPECT_THAT(CanonicalBusinessId("1234563218", "pl"),
              IsCanonical("PL:1234563218"));
}

TEST(CanonicalBusinessIdTest, PolishCheckDigitsAreValidated) {
  EXPECT_THAT(
      CanonicalBusinessId("123-456-32-19", ""),
      IsRejected("business id \"123-456-32-19\": NIP check digit should be 8"));
  // Remainder 10: no NIP starts with these nine digits.
  EXPECT_THAT(CanonicalBusinessId("PL1234567890", ""),
              IsRejected("business id \"PL1234567890\": no NIP begins with "
                         "123456789 (no check digit fits)"));
}

TEST(CanonicalBusinessIdTest, SwedishOrganisationsnummerInEveryWrittenForm) {
  EXPECT_THAT(CanonicalBusinessId("556012-5790", ""),
              IsCanonical("SE:5560125790"));
  EXPECT_THAT(CanonicalBusinessId("5566778899", "SE"),
              IsCanonical("SE:5566778899"));
  // The VAT number is the organisationsnummer followed by "01".
  EXPECT_THAT(CanonicalBusinessId("SE556677889901", ""),
              IsCanonical("SE:5566778899"));
  EXPECT_THAT(CanonicalBusinessId("SE5566778899", "FI"),
              IsCanonical("SE:5566778899"));
}

TEST(CanonicalBusinessIdTest, SwedishCheckDigitsAreValidated) {
  EXPECT_THAT(CanonicalBusinessId("556677-8898", ""),
              IsRejected("business id \"556677-8898\": organisationsnummer "
                         "check digit should be 9"));
  EXPECT_THAT(CanonicalBusinessId("SE556677889802", ""),
              IsRejected("business id \"SE556677889802\": a Swedish "
                         "organisationsnummer has 10 digits"));
}

TEST(CanonicalBusinessIdTest, TheHintDecidesBareTenDigits) {
  EXPECT_THAT(CanonicalBusinessId("5560125790", "SE"),
              IsCanonical("SE:5560125790"));
  EXPECT_THAT(CanonicalBusinessId("5560125790", "PL"),
              IsRejected("business id \"5560125790\": NIP check digit should "
                         "be 7"));
  EXPECT_THAT(CanonicalBusinessId("5560125790", ""),
              IsRejected("business id \"5560125790\": 10 digits are a Polish "
                         "NIP or a Swedish organisationsnummer; the country "
                         "is unknown"));
  EXPECT_THAT(CanonicalBusinessId("5560125790", "FI"),
              IsRejected("business id \"5560125790\": a Finnish Y-tunnus has "
                         "8 digits"));
  // The grouping outranks the hint.
  EXPECT_THAT(CanonicalBusinessId("556012-5790", "PL"),
              IsCanonical("SE:5560125790"));
}

TEST(CanonicalBusinessIdTest, OtherCountriesNeedAHintOrPrefixAndNoChecksum) {
  EXPECT_THAT(CanonicalBusinessId("7707083893", "RU"),
              IsCanonical("RU:7707083893"));
  EXPECT_THAT(CanonicalBusinessId("RU7707083893", ""),
              IsCanonical("RU:7707083893"));
  EXPECT_THAT(CanonicalBusinessId("sc123456", "gb"),
              IsCanonical("GB:SC123456"));
  EXPECT_THAT(CanonicalBusinessId("01234567", "GB"),
              IsCanonical("GB:01234567"));
  EXPECT_THAT(CanonicalBusinessId("GB 01234567", "GB"),
              IsCanonical("GB:01234567"));
  EXPECT_THAT(CanonicalBusinessId("RU7707083893", "FI"),
              IsCanonical("RU:7707083893"));
  EXPECT_THAT(CanonicalBusinessId("none", "RU"),
              IsRejected("business id \"none\": a RU business id has digits"));
}

TEST(CanonicalBusinessIdTest, RejectsWhatIsNoBusinessId) {
  EXPECT_THAT(CanonicalBusinessId("12-34", ""),
              IsRejected("business id \"12-34\": not a Finnish, Polish or "
                         "Swedish business id"));
  EXPECT_THAT(CanonicalBusinessId("1234567", ""),
              IsRejected("business id \"1234567\": not a Finnish, Polish or "
                         "Swedish business id"));
  EXPECT_THAT(CanonicalBusinessId(" - ", "FI"),
              IsRejected("business id \" - \": empty"));
  EXPECT_THAT(CanonicalBusinessId("1234567/8", "FI"),
              IsRejected("business id \"1234567/8\": only letters, digits, "
                         "spaces, hyphens and dots may appear"));
  EXPECT_THAT(CanonicalBusinessId("FI1234567A", "").status().message(),
              HasSubstr("a Finnish Y-tunnus has 8 digits"));
}

// Registered companies: Nokia Oyj 0112038-9, Kone Oyj 1927400-1.
TEST(CheckDigitTest, YTunnusOfRealCompanies) {
  EXPECT_EQ(YTunnusCheckDigit("0112038"), 9);
  EXPECT_EQ(YTunnusCheckDigit("1927400"), 1);
  // Remainder 0 gives 0; remainder 1 leaves no valid digit.
  EXPECT_EQ(YTunnusCheckDigit("2345678"), 0);
  EXPECT_EQ(YTunnusCheckDigit("1000008"), -1);
}

// PKN Orlen 774-000-14-54, PKO BP 525-000-77-38.
TEST(CheckDigitTest, NipOfRealCompanies) {
  EXPECT_EQ(NipCheckDigit("774000145"), 4);
  EXPECT_EQ(NipCheckDigit("525000773"), 8);
  EXPECT_EQ(NipCheckDigit("123456321"), 8);
  // 1*6 + 1*6 + 6*7 = 54, remainder 10: no NIP begins with these digits.
  EXPECT_EQ(NipCheckDigit("100000016"), -1);
}

// AB Volvo 556012-5790, H & M Hennes & Mauritz AB 556042-7220, Spotify AB
// 556703-7485.
TEST(CheckDigitTest, LuhnOfRealOrganisationsnummer) {
  EXPECT_EQ(LuhnCheckDigit("556012579"), 0);
  EXPECT_EQ(LuhnCheckDigit("556042722"), 0);
  EXPECT_EQ(LuhnCheckDigit("556703748"), 5);
  // Any length: the card-number example 7992739871-3.
  EXPECT_EQ(LuhnCheckDigit("7992739871"), 3);
}

TEST(NormalizeCompanyNameTest, RemovesLegalFormsWhereverTheyStand) {
  EXPECT_EQ(NormalizeCompanyName("Virtanen Consulting Oy"),
            "virtanen consulting");
  EXPECT_EQ(NormalizeCompanyName("Oy Virtanen Consulting Ab"),
            "virtanen consulting");
  EXPECT_EQ(NormalizeCompanyName("Nordic Timber Oyj"), "nordic timber");
  EXPECT_EQ(NormalizeCompanyName("Nordström Bygg AB"), "nordstrom big");
  EXPECT_EQ(NormalizeCompanyName("Acme Ltd."), NormalizeCompanyName("ACME"));
  EXPECT_EQ(NormalizeCompanyName("Acme Holdings Limited"),
            NormalizeCompanyName("Acme Holdings PLC"));
  EXPECT_EQ(NormalizeCompanyName("Siemens GmbH"), "siemens");
}

TEST(NormalizeCompanyNameTest, PolishLegalFormsInEverySpelling) {
  const std::string key = NormalizeCompanyName("Softbit");
  for (const char* written :
       {"Softbit Sp. z o.o.", "Softbit sp. z o. o.", "SOFTBIT SPZOO",
        "Softbit spółka z ograniczoną odpowiedzialnością",
        "Softbit sp z o o"}) {
    EXPECT_EQ(NormalizeCompanyName(written), key) << written;
  }
  EXPECT_EQ(NormalizeCompanyName("Polbud S.A."),
            NormalizeCompanyName("Polbud"));
  EXPECT_EQ(NormalizeCompanyName("Polbud SA"), NormalizeCompanyName("Polbud"));
}

TEST(NormalizeCompanyNameTest, CyrillicAndLatinSpellingsMeet) {
  EXPECT_EQ(NormalizeCompanyName("ООО «Ромашка»"), "romashka");
  EXPECT_EQ(NormalizeCompanyName("Romashka OOO"), "romashka");
  EXPECT_EQ(NormalizeCompanyName("romashka"), "romashka");
  EXPECT_EQ(NormalizeCompanyName("АО «Северный Ветер»"),
            NormalizeCompanyName("AO \"Severny Veter\""));
  EXPECT_EQ(NormalizeCompanyName("ПАО «Уральские Машины»"),
            NormalizeCompanyName("PAO \"Uralskie Mashiny\""));
  EXPECT_EQ(NormalizeCompanyName("ИП Иванов"), NormalizeCompanyName("Ivanov"));
}

TEST(NormalizeCompanyNameTest, KeepsLegalFormLettersInsideWords) {
  // "ab" and "oy" only go as whole tokens.
  EXPECT_EQ(NormalizeCompanyName("Abloy Oy"), "abloi");
  EXPECT_EQ(NormalizeCompanyName("Rakennusliike Mäkelä & Co Oy"),
            "rakenuslike makela co");
  EXPECT_EQ(NormalizeCompanyName("Oy Ab"), "");
  EXPECT_EQ(NormalizeCompanyName(""), "");
}

}  // namespace
}  // namespace c360

#include "resolver/normalize.h"

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// FoldNameVariants(NormalizeName(name)): the key two spellings meet on.
std::string Folded(const std::string& name) {
  return FoldNameVariants(NormalizeName(name));
}

// --- NormalizeName -------------------------------------------------------

TEST(NormalizeNameTest, AsciiSeparatorsBecomeSingleSpaces) {
  EXPECT_EQ(NormalizeName("Anna-Liisa O'Brien"), "anna liisa o brien");
  EXPECT_EQ(NormalizeName("  Mikko \t Virtanen  "), "mikko virtanen");
  EXPECT_EQ(NormalizeName("J.R.R. Tolkien"), "j r r tolkien");
  EXPECT_EQ(NormalizeName("Virtanen, Mikko"), "virtanen mikko");
  EXPECT_EQ(NormalizeName("--Anna--Liisa--"), "anna liisa");
}

TEST(NormalizeNameTest, KeepsDigitsAndLowerCases) {
  EXPECT_EQ(NormalizeName("AGENT 007"), "agent 007");
  EXPECT_EQ(NormalizeName("McDonald"), "mcdonald");
}

TEST(NormalizeNameTest, NothingToKeepGivesEmpty) {
  EXPECT_EQ(NormalizeName(""), "");
  EXPECT_EQ(NormalizeName("   "), "");
  EXPECT_EQ(NormalizeName("-'. ,!?"), "");
  EXPECT_EQ(NormalizeName("—…«»"), "");
  EXPECT_EQ(NormalizeName("★☺"), "");
}

TEST(NormalizeNameTest, Finnish) {
  EXPECT_EQ(NormalizeName("Jääskeläinen"), "jaaskelainen");
  EXPECT_EQ(NormalizeName("Jääskeläinen"), NormalizeName("Jaaskelainen"));
  EXPECT_EQ(NormalizeName("Väinö Häkkinen"), "vaino hakkinen");
  EXPECT_EQ(NormalizeName("JÄÄSKELÄINEN"), "jaaskelainen");
}

TEST(NormalizeNameTest, Swedish) {
  EXPECT_EQ(NormalizeName("Åsa Öberg"), "asa oberg");
  EXPECT_EQ(NormalizeName("Björn Ångström"), "bjorn angstrom");
}

TEST(NormalizeNameTest, Polish) {
  EXPECT_EQ(NormalizeName("Łukasz"), "lukasz");
  EXPECT_EQ(NormalizeName("Zdzisław Wójcik-Żak"), "zdzislaw wojcik zak");
  EXPECT_EQ(NormalizeName("Grzegorz Brzęczyszczykiewicz"),
            "grzegorz brzeczyszczykiewicz");
  EXPECT_EQ(NormalizeName("Łódź Ćma Śnieg Źdźbło Ńa"),
            "lodz cma snieg zdzblo na");
}

TEST(NormalizeNameTest, OtherLatinLetters) {
  EXPECT_EQ(NormalizeName("Ørjan"), "orjan");
  EXPECT_EQ(NormalizeName("Søren Kierkegaard"), "soren kierkegaard");
  EXPECT_EQ(NormalizeName("ß"), "ss");
  EXPECT_EQ(NormalizeName("Straße"), "strasse");
  EXPECT_EQ(NormalizeName("Ægir Þórsson"), "aegir thorsson");
  EXPECT_EQ(NormalizeName("Đorđe"), "dorde");
  EXPECT_EQ(NormalizeName("Şükrü Çağlar"), "sukru caglar");
  EXPECT_EQ(NormalizeName("Nguyễn Văn Đức"), "nguyen van duc");
}

TEST(NormalizeNameTest, DecomposedAndCompatibilityForms) {
  // "Jääskeläinen" in NFD: a + U+0308 COMBINING DIAERESIS.
  EXPECT_EQ(NormalizeName("Ja\u0308a\u0308skela\u0308inen"), "jaaskelainen");
  EXPECT_EQ(NormalizeName("Ｍｉｋｋｏ"), "mikko");  // Fullwidth.
  // U+2019 and U+00A0 are punctuation and space outside ASCII.
  EXPECT_EQ(NormalizeName("O\u2019Brien"), "o brien");
  EXPECT_EQ(NormalizeName("Anna\u00A0Liisa"), "anna liisa");
}

TEST(NormalizeNameTest, NonAsciiPathAgreesWithAsciiFastPath) {
  // A trailing no-break space sends the name through ICU.
  for (const std::string name :
       {"Anna-Liisa O'Brien", "  J.R.R. Tolkien ", "AGENT 007", "x"}) {
    EXPECT_EQ(NormalizeName(name + "\u00A0"), NormalizeName(name)) << name;
  }
}

TEST(NormalizeNameTest, InvalidUtf8IsDropped) {
  EXPECT_EQ(NormalizeName("Mik\xFFko"), "mikko");
  EXPECT_EQ(NormalizeName("\xC3"), "");
}

// What ICU 72 "Russian-Latin/BGN; Any-Latin; [\u02B9\u02BA] Remove;
// Latin-ASCII" produces. (Plain "Any-Latin; Latin-ASCII" would give ISO 9
// without its diacritics: "dmitrij", "elkin", "sukin", "ulia", "zanna".)
TEST(NormalizeNameTest, RussianUsesBgnPcgn) {
  EXPECT_EQ(NormalizeName("Дмитрий Иванов"), "dmitriy ivanov");
  EXPECT_EQ(NormalizeName("ДМИТРИЙ ИВАНОВ"), "dmitriy ivanov");
  EXPECT_EQ(NormalizeName("Ёлкин"), "yelkin");
  EXPECT_EQ(NormalizeName("Фёдор"), "fedor");
  EXPECT_EQ(NormalizeName("Щукин"), "shchukin");
  EXPECT_EQ(NormalizeName("Юлия"), "yuliya");
  EXPECT_EQ(NormalizeName("Жанна"), "zhanna");
  EXPECT_EQ(NormalizeName("Цветаева"), "tsvetayeva");
  EXPECT_EQ(NormalizeName("Чайковский"), "chaykovskiy");
  EXPECT_EQ(NormalizeName("Хабаров"), "khabarov");
  // BGN keeps the К of Кх, so this stays apart from Хабаров.
  EXPECT_EQ(NormalizeName("Кхабаров"), "kkhabarov");
}

TEST(NormalizeNameTest, SoftAndHardSignsAreDropped) {
  EXPECT_EQ(NormalizeName("Наталья"), "natalya");
  EXPECT_EQ(NormalizeName("Ольга"), "olga");
  EXPECT_EQ(NormalizeName("Игорь"), "igor");
  EXPECT_EQ(NormalizeName("Подъячев"), "podyachev");
}

TEST(NormalizeNameTest, OtherScripts) {
  EXPECT_EQ(NormalizeName("Σωκράτης"), "sokrates");
  EXPECT_EQ(NormalizeName("李小龍"), "li xiao long");
  // Ukrainian letters outside Russian fall back to Any-Latin.
  EXPECT_EQ(NormalizeName("Ґалина Їжак"), "galina izhak");
}

TEST(NormalizeNameTest, ConcurrentCallsAgree) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Дмитрий Иванов", "dmitriy ivanov"},
      {"Jääskeläinen", "jaaskelainen"},
      {"Zdzisław Wójcik-Żak", "zdzislaw wojcik zak"},
      {"Anna-Liisa O'Brien", "anna liisa o brien"},
      {"Юлия Щукина", "yuliya shchukina"},
  };
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cases, &failures, t] {
      for (int i = 0; i < 500; ++i) {
        const auto& [input, expected] = cases[(i + t) % cases.size()];
        if (NormalizeName(input) != expected) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(failures, ElementsAre(0, 0, 0, 0));
}

// --- FoldNameVariants ----------------------------------------------------

TEST(FoldNameVariantsTest, DmitryVariantsMeet) {
  const std::string expected = "dmitri ivanov";
  EXPECT_EQ(Folded("Дмитрий Иванов"), expected);
  EXPECT_EQ(Folded("Dmitrij Ivanov"), expected);
  EXPECT_EQ(Folded("Dmitriy Ivanov"), expected);
  EXPECT_EQ(Folded("Dmitry Ivanov"), expected);
  EXPECT_EQ(Folded("Dmitri Ivanov"), expected);
  EXPECT_EQ(Folded("Dmitrii Ivanov"), expected);
}

TEST(FoldNameVariantsTest, HeaderExamples) {
  EXPECT_EQ(FoldNameVariants("jakovlev"), FoldNameVariants("yakovlev"));
  EXPECT_EQ(Folded("Яковлев"), FoldNameVariants("jakovlev"));
  EXPECT_EQ(FoldNameVariants("aleksandr"), "alexandr");
  EXPECT_EQ(FoldNameVariants("alexandr"), "alexandr");
  EXPECT_EQ(Folded("Александр"), "alexandr");
}

TEST(FoldNameVariantsTest, EachRule) {
  EXPECT_EQ(FoldNameVariants("yj"), "i");
  EXPECT_EQ(FoldNameVariants("mikhail"), "mihail");
  EXPECT_EQ(FoldNameVariants("maksim"), "maxim");
  EXPECT_EQ(FoldNameVariants("wojcik"), "voicik");
  EXPECT_EQ(FoldNameVariants("anna"), "ana");
  EXPECT_EQ(FoldNameVariants("jaaskelainen"), "iaskelainen");
  EXPECT_EQ(FoldNameVariants("dmitrii"), "dmitri");
}

TEST(FoldNameVariantsTest, YuliaVariantsMeet) {
  const std::string expected = "iulia";
  EXPECT_EQ(Folded("Юлия"), expected);
  EXPECT_EQ(Folded("Yulia"), expected);
  EXPECT_EQ(Folded("Julia"), expected);
  EXPECT_EQ(Folded("Iuliia"), expected);
  EXPECT_EQ(Folded("Yuliya"), expected);
  EXPECT_EQ(Folded("Yuliia"), expected);
}

TEST(FoldNameVariantsTest, WordInitialYeVariantsMeet) {
  EXPECT_EQ(Folded("Елена"), Folded("Elena"));
  EXPECT_EQ(Folded("Yelena"), Folded("Elena"));
  EXPECT_EQ(Folded("Jelena"), Folded("Elena"));
  EXPECT_EQ(Folded("Yekaterina"), Folded("Ekaterina"));
  // Ё is often written Е, romanized "Yo"/"Ye"/"E" at the start of a word.
  EXPECT_EQ(Folded("Ёлкин"), Folded("Elkin"));
  // Only a leading "ie" followed by more letters is folded.
  EXPECT_EQ(FoldNameVariants("ie"), "ie");
}

TEST(FoldNameVariantsTest, RussianRomanizationsMeet) {
  EXPECT_EQ(Folded("Михаил"), Folded("Mikhail"));
  EXPECT_EQ(Folded("Михаил"), Folded("Mihail"));
  EXPECT_EQ(Folded("Хабаров"), Folded("Habarov"));
  EXPECT_EQ(Folded("Щукин"), Folded("Shchukin"));
  EXPECT_EQ(Folded("Ёлкин"), Folded("Yelkin"));
  EXPECT_EQ(Folded("Алексей"), Folded("Aleksei"));
  EXPECT_EQ(Folded("Алексей"), Folded("Alexey"));
  EXPECT_EQ(Folded("Наталья"), Folded("Natalia"));
}

TEST(FoldNameVariantsTest, WhatStaysApart) {
  // Dropping the К would merge a distinct (rare) name with Хабаров.
  EXPECT_EQ(Folded("Кхабаров"), "khabarov");
  EXPECT_NE(Folded("Кхабаров"), Folded("Хабаров"));
  // ISO 9 spellings that drop letters are not folded into BGN ones.
  EXPECT_NE(Folded("Щукин"), Folded("Sukin"));
}

TEST(FoldNameVariantsTest, FoldsTokensOneByOne) {
  // A doubled letter across tokens is two tokens, not a double.
  EXPECT_EQ(FoldNameVariants("ann nils"), "an nils");
  // "k" + "h" across a token boundary is not "kh".
  EXPECT_EQ(FoldNameVariants("mak hill"), "mak hil");
  EXPECT_EQ(FoldNameVariants(""), "");
}

TEST(FoldNameVariantsTest, DigitsAreNotCollapsed) {
  EXPECT_EQ(FoldNameVariants("agent 007"), "agent 007");
}

// --- NameTokens ----------------------------------------------------------

TEST(NameTokensTest, SplitsOnSpaces) {
  EXPECT_THAT(NameTokens("anna liisa"), ElementsAre("anna", "liisa"));
  EXPECT_THAT(NameTokens("mikko"), ElementsAre("mikko"));
  EXPECT_THAT(NameTokens(""), IsEmpty());
  EXPECT_THAT(NameTokens(NormalizeName("Anna-Liisa O'Brien")),
              ElementsAre("anna", "liisa", "o", "brien"));
}

// --- NormalizePhone ------------------------------------------------------

struct PhoneCase {
  const char* text;
  const char* region;
  const char* e164;
};

class NormalizePhoneTest : public testing::TestWithParam<PhoneCase> {};

TEST_P(NormalizePhoneTest, FormatsAsE164) {
  const PhoneCase& c = GetParam();
  absl::StatusOr<std::string> phone = NormalizePhone(c.text, c.region);
  ASSERT_TRUE(phone.ok()) << phone.status();
  EXPECT_EQ(*phone, c.e164);
}

INSTANTIATE_TEST_SUITE_P(
    MobilesAndLandlines, NormalizePhoneTest,
    testing::Values(
        // Finland: mobile, international forms, Helsinki landline.
        PhoneCase{"040 123 4567", "FI", "+358401234567"},
        PhoneCase{"+358 40 1234567", "FI", "+358401234567"},
        PhoneCase{"+358 40 1234567", "SE", "+358401234567"},
        PhoneCase{"+358 40 1234567", "", "+358401234567"},
        PhoneCase{"00358401234567", "FI", "+358401234567"},
        PhoneCase{"040-1234567", "fi", "+358401234567"},
        PhoneCase{"09 123 4567", "FI", "+35891234567"},
        // Poland: mobile, Warsaw landline.
        PhoneCase{"512 345 678", "PL", "+48512345678"},
        PhoneCase{"22 123 45 67", "PL", "+48221234567"},
        // Sweden: mobile, Stockholm landline.
        PhoneCase{"070-123 45 67", "SE", "+46701234567"},
        PhoneCase{"08-123 456 78", "SE", "+46812345678"},
        // United Kingdom: 07700 900xxx is reserved for drama and so not a
        // valid number, but it is a possible one, which is all we require.
        PhoneCase{"07700 900123", "GB", "+447700900123"},
        PhoneCase{"020 7946 0018", "GB", "+442079460018"},
        // Russia: trunk prefix 8, mobile and Moscow landline.
        PhoneCase{"8 (912) 345-67-89", "RU", "+79123456789"},
        PhoneCase{"8 (495) 123-45-67", "RU", "+74951234567"},
        // An unknown region still takes numbers with a country code.
        PhoneCase{"+7 495 123 45 67", "XX", "+74951234567"},
        // The extension is not part of E.164.
        PhoneCase{"040 123 4567 ext. 89", "FI", "+358401234567"}));

TEST(NormalizePhoneErrorsTest, RejectsWhatIsNotAPossibleNumber) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"abc", "FI"},
      {"", "FI"},
      {"12", "FI"},
      {"1234567890123456789", "FI"},
      // National numbers need a known region.
      {"040 123 4567", ""},
      {"040 123 4567", "XX"},
      {"040 123 4567", "ZZ"},
      // An international call prefix means nothing without a region.
      {"00358401234567", ""},
  };
  for (const auto& [text, region] : cases) {
    const absl::StatusOr<std::string> phone = NormalizePhone(text, region);
    EXPECT_EQ(phone.status().code(), absl::StatusCode::kInvalidArgument)
        << "'" << text << "' in " << region << " gave " << phone.status();
  }
}

// Found by tests/fuzz/normalize_fuzzer: libphonenumber strips a national
// prefix also after a country code, so "+358000229" read again was
// "+35800229", and a phone shown in a profile did not find it.
TEST(NormalizePhoneRoundTripTest, ResultNormalizesToItself) {
  for (const char* text : {"000-02-29", "000229", "040 123 4567"}) {
    const absl::StatusOr<std::string> phone = NormalizePhone(text, "FI");
    ASSERT_TRUE(phone.ok()) << text << ": " << phone.status();
    EXPECT_EQ(NormalizePhone(*phone, "FI").value_or(""), *phone) << text;
    EXPECT_EQ(NormalizePhone(*phone, "").value_or(""), *phone) << text;
  }
  EXPECT_EQ(NormalizePhone("000-02-29", "FI").value_or(""), "+35800229");
}

TEST(NormalizePhoneErrorsTest, MessageQuotesValue) {
  EXPECT_THAT(NormalizePhone("abc", "FI").status().message(),
              HasSubstr("'abc'"));
}

// --- NormalizeEmail / CanonicalEmail ------------------------------------

TEST(NormalizeEmailTest, TrimsAndLowerCases) {
  EXPECT_EQ(*NormalizeEmail("Mikko.Virtanen@Example.COM "),
            "mikko.virtanen@example.com");
  EXPECT_EQ(*NormalizeEmail("\t a@b.fi\n"), "a@b.fi");
  EXPECT_EQ(*NormalizeEmail("first+tag@sub.example.co.uk"),
            "first+tag@sub.example.co.uk");
}

TEST(NormalizeEmailTest, LowerCasesAsciiOnly) {
  // "Ä" is two UTF-8 bytes and stays as it is.
  EXPECT_EQ(*NormalizeEmail("ÄKE@Esimerkki.FI"), "Äke@esimerkki.fi");
}

TEST(NormalizeEmailTest, RejectsMalformed) {
  for (const char* email :
       {"", "   ", "foo", "@example.com", "a@b@example.com", "a@example", "a@",
        "a@.example.com", "a@example..com", "a@example.com.", "a b@example.com",
        "a@exa mple.com", "a\x01@example.com"}) {
    EXPECT_EQ(NormalizeEmail(email).status().code(),
              absl::StatusCode::kInvalidArgument)
        << "'" << email << "'";
  }
}

TEST(NormalizeEmailTest, MessageQuotesValue) {
  EXPECT_EQ(NormalizeEmail("foo").status().message(),
            "'foo' is not an e-mail address");
}

TEST(CanonicalEmailTest, GmailDropsDotsAndTag) {
  EXPECT_EQ(CanonicalEmail("mikko.virtanen+news@gmail.com"),
            "mikkovirtanen@gmail.com");
  EXPECT_EQ(CanonicalEmail("mikko.virtanen@googlemail.com"),
            "mikkovirtanen@gmail.com");
  EXPECT_EQ(CanonicalEmail("mikkovirtanen@gmail.com"),
            "mikkovirtanen@gmail.com");
}

TEST(CanonicalEmailTest, OtherProvidersDropOnlyTag) {
  EXPECT_EQ(CanonicalEmail("mikko.virtanen+shop@example.fi"),
            "mikko.virtanen@example.fi");
  EXPECT_EQ(CanonicalEmail("a+b+c@example.fi"), "a@example.fi");
  EXPECT_EQ(CanonicalEmail("mikko.virtanen@example.fi"),
            "mikko.virtanen@example.fi");
  // A leading '+' is the whole local part, not a tag.
  EXPECT_EQ(CanonicalEmail("+358401234567@sms.example.fi"),
            "+358401234567@sms.example.fi");
}

TEST(CanonicalEmailTest, WorksOnNormalizeEmailOutput) {
  EXPECT_EQ(CanonicalEmail(*NormalizeEmail(" M.Virtanen+X@GoogleMail.com ")),
            "mvirtanen@gmail.com");
}

// --- Postcode, business id, handle --------------------------------------

TEST(NormalizePostcodeTest, DropsSpacesAndHyphensAndUpperCases) {
  EXPECT_EQ(NormalizePostcode("00-950"), "00950");
  EXPECT_EQ(NormalizePostcode("sw1a 1aa"), "SW1A1AA");
  EXPECT_EQ(NormalizePostcode("114 55"), "11455");
  EXPECT_EQ(NormalizePostcode(" 00100 "), "00100");
  EXPECT_EQ(NormalizePostcode(""), "");
}

TEST(NormalizeBusinessIdTest, FinnishYTunnusMeetsVatNumber) {
  EXPECT_EQ(NormalizeBusinessId("1234567-8"), "12345678");
  EXPECT_EQ(NormalizeBusinessId("FI12345678"), "12345678");
  EXPECT_EQ(NormalizeBusinessId("fi 1234567-8"), "12345678");
}

TEST(NormalizeBusinessIdTest, PolishNip) {
  EXPECT_EQ(NormalizeBusinessId("PL 123-456-78-90"), "1234567890");
  EXPECT_EQ(NormalizeBusinessId("123-456-78-90"), "1234567890");
}

TEST(NormalizeBusinessIdTest, SwedishOrganisationsnummer) {
  EXPECT_EQ(NormalizeBusinessId("556677-8899"), "5566778899");
  // The Swedish VAT number appends "01", so it does not meet the above.
  EXPECT_EQ(NormalizeBusinessId("SE556677889901"), "556677889901");
}

TEST(NormalizeBusinessIdTest, EdgeCases) {
  EXPECT_EQ(NormalizeBusinessId(""), "");
  EXPECT_EQ(NormalizeBusinessId("--"), "");
  // Two letters alone are kept: there is no id behind them.
  EXPECT_EQ(NormalizeBusinessId("FI"), "FI");
  EXPECT_EQ(NormalizeBusinessId("1a2b"), "1A2B");
}

TEST(NormalizeHandleTest, DropsAtSignTrimsAndLowerCases) {
  EXPECT_EQ(NormalizeHandle("@Mikko_V"), "mikko_v");
  EXPECT_EQ(NormalizeHandle("  @Mikko_V \n"), "mikko_v");
  EXPECT_EQ(NormalizeHandle("mikko_v"), "mikko_v");
  EXPECT_EQ(NormalizeHandle("@@mikko"), "mikko");
  EXPECT_EQ(NormalizeHandle("@"), "");
  EXPECT_EQ(NormalizeHandle(""), "");
}

// Found by tests/fuzz/normalize_fuzzer: whitespace after the '@' stayed,
// so the result was not trimmed and "@ mikko_v" missed "mikko_v".
TEST(NormalizeHandleTest, WhitespaceAfterAtSignGoes) {
  EXPECT_EQ(NormalizeHandle("@ Mikko_V"), "mikko_v");
  EXPECT_EQ(NormalizeHandle(" @\t@ mikko_v "), "mikko_v");
}

// --- Birth dates ---------------------------------------------------------

TEST(ParseBirthDateTest, FullAndPartialDates) {
  EXPECT_EQ(*ParseBirthDate("1984-07-15"), (BirthDate{1984, 7, 15}));
  EXPECT_EQ(*ParseBirthDate("1984-07"), (BirthDate{1984, 7, 0}));
  EXPECT_EQ(*ParseBirthDate("1984"), (BirthDate{1984, 0, 0}));
  EXPECT_EQ(*ParseBirthDate("1984-12-31"), (BirthDate{1984, 12, 31}));
}

TEST(ParseBirthDateTest, LeapYears) {
  EXPECT_TRUE(ParseBirthDate("2000-02-29").ok());
  EXPECT_TRUE(ParseBirthDate("2024-02-29").ok());
  EXPECT_FALSE(ParseBirthDate("1900-02-29").ok());
  EXPECT_FALSE(ParseBirthDate("2023-02-29").ok());
}

TEST(ParseBirthDateTest, YearRange) {
  EXPECT_TRUE(ParseBirthDate("1850").ok());
  EXPECT_TRUE(ParseBirthDate("2100-12-31").ok());
  EXPECT_FALSE(ParseBirthDate("1849").ok());
  EXPECT_FALSE(ParseBirthDate("1849-12-31").ok());
  EXPECT_FALSE(ParseBirthDate("2101").ok());
}

TEST(ParseBirthDateTest, RejectsMalformedAndImpossible) {
  for (const char* text :
       {"1984-13-01", "1984-02-30", "1984-04-31", "84-01-01", "1984/01/01", "",
        "1984-1-1", "1984-00", "1984-01-00", "1984-00-01", " 1984", "1984 ",
        "1984-", "1984-01-", "+984", "1984-01-01T00:00", "1984-01-01-01",
        "19840101", "abcd"}) {
    const absl::StatusOr<BirthDate> date = ParseBirthDate(text);
    EXPECT_EQ(date.status().code(), absl::StatusCode::kInvalidArgument)
        << "'" << text << "'";
  }
}

TEST(ParseBirthDateTest, MessageQuotesValue) {
  EXPECT_THAT(ParseBirthDate("1984-02-30").status().message(),
              HasSubstr("'1984-02-30'"));
}

TEST(FormatBirthDateTest, WritesKnownParts) {
  EXPECT_EQ(FormatBirthDate({1984, 7, 5}), "1984-07-05");
  EXPECT_EQ(FormatBirthDate({1984, 7, 0}), "1984-07");
  EXPECT_EQ(FormatBirthDate({1984, 0, 0}), "1984");
  EXPECT_EQ(FormatBirthDate({}), "");
}

TEST(FormatBirthDateTest, RoundTrips) {
  for (const char* text : {"1984-07-15", "2000-02-29", "1984-07", "1850"}) {
    EXPECT_EQ(FormatBirthDate(*ParseBirthDate(text)), text);
  }
}

// --- JaroWinkler ---------------------------------------------------------

TEST(JaroWinklerTest, KnownValues) {
  EXPECT_NEAR(JaroWinkler("MARTHA", "MARHTA"), 0.961, 0.001);
  EXPECT_NEAR(JaroWinkler("DWAYNE", "DUANE"), 0.84, 0.001);
  EXPECT_NEAR(JaroWinkler("DIXON", "DICKSONX"), 0.813, 0.001);
}

TEST(JaroWinklerTest, Extremes) {
  EXPECT_EQ(JaroWinkler("mikko", "mikko"), 1.0);
  EXPECT_EQ(JaroWinkler("", ""), 1.0);
  EXPECT_EQ(JaroWinkler("", "a"), 0.0);
  EXPECT_EQ(JaroWinkler("a", ""), 0.0);
  EXPECT_EQ(JaroWinkler("abc", "xyz"), 0.0);
  EXPECT_EQ(JaroWinkler("a", "a"), 1.0);
}

TEST(JaroWinklerTest, IsSymmetric) {
  EXPECT_DOUBLE_EQ(JaroWinkler("DWAYNE", "DUANE"),
                   JaroWinkler("DUANE", "DWAYNE"));
  EXPECT_DOUBLE_EQ(JaroWinkler("DIXON", "DICKSONX"),
                   JaroWinkler("DICKSONX", "DIXON"));
}

TEST(JaroWinklerTest, NoPrefixBoostBelowThreshold) {
  // Jaro = (2/8 + 2/8 + 1) / 3 = 0.5; a boost would give 0.6.
  EXPECT_DOUBLE_EQ(JaroWinkler("abcdefgh", "abxxxxxx"), 0.5);
}

TEST(JaroWinklerTest, PrefixBoostStopsAtFour) {
  // Jaro("abcdex", "abcdey") = (5/6 + 5/6 + 1) / 3 = 8/9; boost 4 * 0.1.
  EXPECT_NEAR(JaroWinkler("abcdex", "abcdey"), 8.0 / 9 + 0.4 / 9, 1e-12);
}

}  // namespace
}  // namespace c360

#include "server/provider_reader.h"

#include <fstream>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_dirs.h"

namespace c360 {

// For readable failures.
void PrintTo(const RowProblem& problem, std::ostream* out) {
  *out << "line " << problem.line << ": " << problem.reason;
}

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

constexpr char kCompanyMapping[] = R"(delimiter = ;
business_id = BusinessId
organization = Name
address.postcode = Zip
address.country = Country
attribute.credit_rating = Rating
)";

constexpr char kPersonMapping[] = R"(source_id = Key
name.given = First
name.family = Last
birth_date = Born
address.country = Country
attribute.age_band = Age
)";

MATCHER_P2(ProblemAt, line, reason, "") {
  *result_listener << "line " << arg.line << ": " << arg.reason;
  return arg.line == line && arg.reason == reason;
}

MATCHER_P2(RowAt, line, key, "") {
  *result_listener << "line " << arg.line() << ": "
                   << arg.identity().source_id();
  return arg.line() == line && arg.identity().source_id() == key;
}

class ProviderReaderTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = absl::StrCat(dir_, "/", name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  absl::StatusOr<ProviderFile> ReadCsv(ProviderKind kind,
                                       const std::string& mapping,
                                       const std::string& text) {
    return ReadProviderFile(Write("rows.csv", text),
                            {"dnb", kind, Write("rows.map", mapping)});
  }

  absl::StatusOr<ProviderFile> ReadJson(ProviderKind kind,
                                        const std::string& text) {
    return ReadProviderFile(Write("rows.jsonl", text), {"dnb", kind, ""});
  }

  const std::string dir_ = NewTestDir("provider_reader");
};

TEST_F(ProviderReaderTest, KeysCompanyRowsAndRejectsBadOnesWithTheirLines) {
  const absl::StatusOr<ProviderFile> file =
      ReadCsv(COMPANY, kCompanyMapping,
              absl::StrCat("BusinessId;Name;Zip;Country;Rating\n",
                           "0112038-9;Nokia Oyj;02610;FI;AAA\n",      // 2
                           "PL1234563218;Polbud S.A.;00-950;PL;B\n",  // 3
                           "1234567-9;Bad Check Oy;00100;FI;A\n",     // 4
                           ";Acme Oy;00 100;FI;AA\n",                 // 5
                           ";Nameless;;FI;C\n",                       // 6
                           "FI01120389;Nokia;02610;FI;AA\n",          // 7
                           "5560125790;Volvo AB;405 08;SE\n",         // 8
                           "5560125790;Volvo \xC3(;405 08;SE;A\n",    // 9
                           "5560125790;Volvo AB;405 08;se;A\n",       // 10
                           ";ACME;00100;FI;A\n"));                    // 11
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ(file->rows_read, 10);
  EXPECT_THAT(
      file->rows,
      ElementsAre(RowAt(2, "FI:01120389"), RowAt(3, "PL:1234563218"),
                  RowAt(5, "name:acme|00100"), RowAt(10, "SE:5560125790")));
  EXPECT_THAT(
      file->rejected,
      ElementsAre(
          ProblemAt(4,
                    "business id \"1234567-9\": Y-tunnus check digit should "
                    "be 1"),
          ProblemAt(6, "no business id and no company name + postcode"),
          ProblemAt(7, "duplicate key FI:01120389, first at line 2"),
          ProblemAt(8, "expected 5 columns, found 4"),
          ProblemAt(9, "column 'Name': invalid UTF-8"),
          ProblemAt(11, "duplicate key name:acme|00100, first at line 5")));
  EXPECT_EQ(file->rejected[0].raw, "1234567-9;Bad Check Oy;00100;FI;A");
  EXPECT_THAT(file->warnings, IsEmpty());
}

TEST_F(ProviderReaderTest, MovesPurchasedValuesOutOfTheIdentity) {
  const absl::StatusOr<ProviderFile> file =
      ReadCsv(COMPANY, kCompanyMapping,
              "BusinessId;Name;Zip;Country;Rating\n"
              "FI 0112038-9;Nokia Oyj;02610;FI;AAA\n");
  ASSERT_TRUE(file.ok()) << file.status();
  ASSERT_EQ(file->rows.size(), 1);
  const ProviderRow& row = file->rows[0];
  EXPECT_EQ(row.provider(), "dnb");
  EXPECT_EQ(row.kind(), COMPANY);
  EXPECT_EQ(row.identity().source(), "dnb");
  EXPECT_EQ(row.identity().business_id(), "FI:01120389");
  EXPECT_EQ(row.identity().organization(), "Nokia Oyj");
  EXPECT_EQ(row.identity().addresses(0).postcode(), "02610");
  EXPECT_THAT(row.identity().attributes(), IsEmpty());
  EXPECT_THAT(row.attributes(),
              UnorderedElementsAre(Pair("credit_rating", "AAA")));
}

TEST_F(ProviderReaderTest, ChecksPersonRows) {
  const absl::StatusOr<ProviderFile> file =
      ReadCsv(PERSON, kPersonMapping,
              absl::StrCat("Key,First,Last,Born,Country,Age\n",
                           "P1,Mikko,Virtanen,1984-05-17,FI,35-44\n",  // 2
                           ",Anna,Nieminen,,FI,25-34\n",               // 3
                           "P2,,,1990-01-01,FI,35-44\n",               // 4
                           "P3,Eve,Smith,1985-02-30,GB,35-44\n",       // 5
                           "P1,Mikko,Virtanen,,FI,\n",                 // 6
                           "P4,,Nowak,,PL,\n"));                       // 7
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_THAT(file->rows, ElementsAre(RowAt(2, "P1"), RowAt(7, "P4")));
  EXPECT_THAT(file->rows[0].attributes(),
              UnorderedElementsAre(Pair("age_band", "35-44")));
  EXPECT_THAT(
      file->rejected,
      ElementsAre(ProblemAt(3, "source_id: missing"),
                  ProblemAt(4, "names: a person row needs a name"),
                  ProblemAt(5,
                            "birth_date: '1985-02-30' is not a birth date: "
                            "no such day in that month"),
                  ProblemAt(6, "duplicate key P1, first at line 2")));
}

TEST_F(ProviderReaderTest, WarnsOfEveryUnmappedColumn) {
  const absl::StatusOr<ProviderFile> file =
      ReadCsv(COMPANY, kCompanyMapping,
              "BusinessId;Name;Zip;Country;Rating;Note; Extra \n"
              "0112038-9;Nokia Oyj;02610;FI;AAA;x;y\n");
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_THAT(file->rows, ElementsAre(RowAt(2, "FI:01120389")));
  EXPECT_THAT(
      file->warnings,
      ElementsAre(ProblemAt(1, "column 'Note' is not mapped; ignored"),
                  ProblemAt(1, "column 'Extra' is not mapped; ignored")));
}

TEST_F(ProviderReaderTest, ToleratesAByteOrderMark) {
  const absl::StatusOr<ProviderFile> csv =
      ReadCsv(COMPANY, kCompanyMapping,
              "\xEF\xBB\xBF"
              "BusinessId;Name;Zip;Country;Rating\r\n"
              "0112038-9;Nokia Oyj;02610;FI;AAA\r\n");
  ASSERT_TRUE(csv.ok()) << csv.status();
  EXPECT_THAT(csv->rows, ElementsAre(RowAt(2, "FI:01120389")));
  EXPECT_THAT(csv->warnings, IsEmpty());
  const absl::StatusOr<ProviderFile> json = ReadJson(
      PERSON,
      "\xEF\xBB\xBF{\"sourceId\":\"P1\",\"names\":[{\"full\":\"Ann\"}]}\n");
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_THAT(json->rows, ElementsAre(RowAt(1, "P1")));
  EXPECT_THAT(json->rejected, IsEmpty());
}

TEST_F(ProviderReaderTest, ReadsJsonLines) {
  const absl::StatusOr<ProviderFile> file = ReadJson(
      COMPANY,
      absl::StrCat(
          R"({"businessId":"556012-5790","organization":"Volvo AB",)",
          R"("attributes":{"employee_band":"1000+"}})", "\n",  // 1
          R"({"organization":"Volvo","addresses":[{"postcode":"405 08"}]})",
          "\n",                                                           // 2
          "{\"businessId\":\"12-34\"}\n",                                 // 3
          "{not json\n",                                                  // 4
          R"({"sourceId":"own","businessId":"SE556012579001"})", "\n"));  // 5
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_THAT(file->rows, ElementsAre(RowAt(1, "SE:5560125790"),
                                      RowAt(2, "name:volvo|40508")));
  EXPECT_THAT(file->rows[0].attributes(),
              UnorderedElementsAre(Pair("employee_band", "1000+")));
  ASSERT_EQ(file->rejected.size(), 3);
  EXPECT_THAT(file->rejected[0],
              ProblemAt(3,
                        "business id \"12-34\": not a Finnish, Polish or "
                        "Swedish business id"));
  EXPECT_EQ(file->rejected[1].line, 4);
  EXPECT_THAT(file->rejected[1].reason, HasSubstr("invalid JSON"));
  EXPECT_THAT(file->rejected[2],
              ProblemAt(5, "duplicate key SE:5560125790, first at line 1"));
}

TEST_F(ProviderReaderTest, FailsWholeWhenTheFileOrMappingIsWrong) {
  const std::string rows = "BusinessId;Name\n0112038-9;Nokia\n";
  EXPECT_THAT(ReadCsv(COMPANY, kCompanyMapping, rows).status().message(),
              HasSubstr("column 'Zip' (mapped to address.postcode) is not in "
                        "the CSV header"));
  EXPECT_THAT(ReadCsv(COMPANY, "organization = Name\nphone.mobile = M\n", rows)
                  .status()
                  .message(),
              HasSubstr("line 2: unknown target 'phone.mobile'"));
  // A person file needs the provider's own key.
  EXPECT_THAT(ReadCsv(PERSON, "name.full = Name\n", rows).status().message(),
              HasSubstr("no source_id mapping"));
  EXPECT_EQ(
      ReadProviderFile(absl::StrCat(dir_, "/missing.csv"), {"dnb", COMPANY, ""})
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  const std::string path = Write("rows.jsonl", "");
  EXPECT_EQ(ReadProviderFile(path, {"D&B", COMPANY, ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadProviderFile(path, {"dnb", PROVIDER_KIND_UNSPECIFIED, ""})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace c360

#include "server/record_reader.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;

constexpr size_t kMiB = 1 << 20;

MATCHER_P(IsInvalidArgument, fragment, "") {
  *result_listener << arg;
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         arg.message().find(fragment) != absl::string_view::npos;
}

// A row read as a record with this source_id.
MATCHER_P2(RecordAt, line, source_id, "") {
  *result_listener << "line " << arg.line << ": " << arg.record.status();
  return arg.line == line && arg.record.ok() &&
         arg.record->source_id() == source_id;
}

// A row rejected as InvalidArgument with a reason containing `fragment`.
MATCHER_P2(RejectedAt, line, fragment, "") {
  *result_listener << "line " << arg.line << ": " << arg.record.status();
  return arg.line == line && !arg.record.ok() &&
         arg.record.status().code() == absl::StatusCode::kInvalidArgument &&
         arg.record.status().message().find(fragment) !=
             absl::string_view::npos;
}

std::vector<ReadResult> ReadAll(RecordReader* reader) {
  std::vector<ReadResult> results;
  ReadResult result;
  while (reader->Next(&result)) results.push_back(result);
  return results;
}

std::vector<ReadResult> ReadJson(const std::string& text) {
  std::istringstream in(text);
  const std::unique_ptr<RecordReader> reader = NewJsonLinesReader(&in, "crm");
  std::vector<ReadResult> results = ReadAll(reader.get());
  EXPECT_EQ(reader->bytes_read(), static_cast<int64_t>(text.size()));
  return results;
}

CsvMapping MustParse(absl::string_view text) {
  absl::StatusOr<CsvMapping> mapping = ParseCsvMapping(text);
  EXPECT_TRUE(mapping.ok()) << mapping.status();
  return mapping.ok() ? *mapping : CsvMapping();
}

std::vector<ReadResult> ReadCsv(const std::string& text,
                                absl::string_view mapping) {
  std::istringstream in(text);
  auto reader = NewCsvReader(&in, "erp", MustParse(mapping));
  EXPECT_TRUE(reader.ok()) << reader.status();
  if (!reader.ok()) return {};
  std::vector<ReadResult> results = ReadAll(reader->get());
  EXPECT_EQ((*reader)->bytes_read(), static_cast<int64_t>(text.size()));
  return results;
}

// --- JSON Lines ---

TEST(JsonLinesReaderTest, ReadsRecordsAndSetsTheSource) {
  const std::vector<ReadResult> results = ReadJson(
      R"({"sourceId":"a","names":[{"given":"Mikko"}],)"
      R"("observedAt":"2024-03-01T10:15:30Z","attributes":{"tier":"1"}})"
      "\n"
      R"({"source":"crm","source_id":"b","birth_date":"1984-05"})"
      "\n");
  ASSERT_THAT(results, ElementsAre(RecordAt(1, "a"), RecordAt(2, "b")));
  const SourceRecord& record = *results[0].record;
  EXPECT_EQ(record.source(), "crm");
  EXPECT_EQ(record.names(0).given(), "Mikko");
  EXPECT_EQ(record.observed_at().seconds(), 1709288130);
  EXPECT_EQ(record.attributes().at("tier"), "1");
  EXPECT_EQ(results[1].raw,
            R"({"source":"crm","source_id":"b","birth_date":"1984-05"})");
}

TEST(JsonLinesReaderTest, RejectsBadLinesAndReadsOn) {
  const std::string big(5000, 'v');
  const std::vector<ReadResult> results = ReadJson(absl::StrCat(
      R"({"source_id":"a"})", "\n",                              // 1
      R"({"source_id":"b")", "\n",                               // 2
      R"({"source_id":"c","nmes":[]})", "\n",                    // 3
      "{\"source_id\":\"d\",\"organization\":\"Oy\xC3(\"}\n",    // 4
      R"({"organization":"Acme"})", "\n",                        // 5
      R"({"source_id":"f","source":"erp"})", "\n",               // 6
      R"({"source_id":"g","birth_date":"1984-13-01"})", "\n",    // 7
      R"({"source_id":"h","emails":["foo"]})", "\n",             // 8
      "  \n",                                                    // 9
      R"({"source_id":"j","attributes":{"x":")", big, "\"}}\n",  // 10
      R"({"source_id":"k"})", "\r\n",                            // 11
      "not json at all\n",                                       // 12
      R"({"source_id":"m"})"));                                  // 13
  EXPECT_THAT(
      results,
      ElementsAre(
          RecordAt(1, "a"),
          RejectedAt(2, "invalid JSON: Unexpected end of string"),
          RejectedAt(3, "invalid JSON: nmes: Cannot find field"),
          RejectedAt(4, "invalid UTF-8"), RejectedAt(5, "source_id: missing"),
          RejectedAt(6, "source: 'erp' is not this file's source 'crm'"),
          RejectedAt(7, "birth_date: '1984-13-01' is not a birth date"),
          RejectedAt(8, "emails[0]: 'foo' is not an e-mail address"),
          RejectedAt(10, "attributes['x']: value is 5000 bytes, limit is 1024"),
          RecordAt(11, "k"), RejectedAt(12, "invalid JSON: Unexpected token"),
          RecordAt(13, "m")));
  EXPECT_EQ(results[1].raw, R"({"source_id":"b")");
  EXPECT_THAT(std::string(results[1].record.status().message()),
              Not(HasSubstr("\n")));
  EXPECT_EQ(results[9].raw, R"({"source_id":"k"})");
}

TEST(JsonLinesReaderTest, RejectsAnOversizedLineAndReadsOn) {
  const std::string text = absl::StrCat(R"({"source_id":"a","organization":")",
                                        std::string(2 * kMiB, 'x'), "\"}\n",
                                        R"({"source_id":"b"})", "\n");
  const std::vector<ReadResult> results = ReadJson(text);
  EXPECT_THAT(results, ElementsAre(RejectedAt(1, "row is over 1048576 bytes"),
                                   RecordAt(2, "b")));
  EXPECT_THAT(results[0].raw, SizeIs(4096));
}

// JSON whitespace pads a record to an exact length.
std::string JsonLineOfSize(absl::string_view source_id, size_t size) {
  const std::string head = absl::StrCat(R"({"source_id":")", source_id, "\"");
  return absl::StrCat(head, std::string(size - head.size() - 1, ' '), "}");
}

TEST(JsonLinesReaderTest, AcceptsALineOfExactlyTheLimit) {
  const std::string text = absl::StrCat(JsonLineOfSize("a", kMiB), "\r\n",
                                        JsonLineOfSize("b", kMiB + 1), "\n");
  EXPECT_THAT(ReadJson(text),
              ElementsAre(RecordAt(1, "a"), RejectedAt(2, "row is over")));
}

TEST(JsonLinesReaderTest, SkipsAByteOrderMarkAtTheStartOnly) {
  EXPECT_THAT(ReadJson("\xEF\xBB\xBF{\"sourceId\":\"a\"}\n"
                       "\xEF\xBB\xBF{\"sourceId\":\"b\"}\n"),
              ElementsAre(RecordAt(1, "a"), RejectedAt(2, "invalid JSON")));
}

TEST(JsonLinesReaderTest, KeysRowsWithoutSourceIdByLineWhenKeysAreDerived) {
  std::istringstream in(
      "{\"organization\":\"Acme\"}\n{\"sourceId\":\"own\"}\n");
  const std::unique_ptr<RecordReader> reader =
      NewJsonLinesReader(&in, "dnb", RowKeys::kDerived);
  EXPECT_THAT(ReadAll(reader.get()),
              ElementsAre(RecordAt(1, "line:1"), RecordAt(2, "own")));
}

TEST(JsonLinesReaderTest, ReturnsNothingForEmptyInput) {
  EXPECT_THAT(ReadJson(""), SizeIs(0));
  EXPECT_THAT(ReadJson("\n\n"), SizeIs(0));
}

// --- CSV mapping ---

constexpr absl::string_view kMapping = R"(# ERP customers
delimiter = ;                  # semicolons, as Excel writes them here
birth_date_format = DD.MM.YYYY
source_id = Id
name.given = First
name.family = Last
email = Email
email = Email2
phone = Phone
birth_date = Born
address.city = City
address.country = "FI"
social.platform = "x#1"       # a '#' inside quotes is not a comment
attribute.segment = Segment
observed_at = Seen
)";

TEST(CsvMappingTest, ParsesSettingsFieldsAndConstants) {
  const CsvMapping mapping = MustParse(kMapping);
  EXPECT_EQ(mapping.delimiter, ';');
  EXPECT_EQ(mapping.birth_date_format, "DD.MM.YYYY");
  ASSERT_THAT(mapping.fields, SizeIs(12));
  EXPECT_EQ(mapping.fields[0].target, "source_id");
  EXPECT_EQ(mapping.fields[0].column, "Id");
  EXPECT_FALSE(mapping.fields[0].is_constant);
  EXPECT_EQ(mapping.fields[4].column, "Email2");
  EXPECT_TRUE(mapping.fields[9].is_constant);
  EXPECT_EQ(mapping.fields[9].constant, "x#1");
  EXPECT_EQ(mapping.fields[9].column, "");
}

TEST(CsvMappingTest, ParsesTabDelimiterAndDefaults) {
  const CsvMapping mapping = MustParse("delimiter = \\t\r\nsource_id=Id\r\n");
  EXPECT_EQ(mapping.delimiter, '\t');
  EXPECT_EQ(mapping.birth_date_format, "YYYY-MM-DD");
  EXPECT_EQ(MustParse("source_id = Id").delimiter, ',');
}

TEST(CsvMappingTest, NamesTheLineOfAnError) {
  EXPECT_THAT(ParseCsvMapping("source_id = Id\n# x\nname.first = F\n").status(),
              IsInvalidArgument("line 3: unknown target 'name.first'"));
  EXPECT_THAT(ParseCsvMapping("source_id = Id\nemail Email\n").status(),
              IsInvalidArgument("line 2: missing '='"));
  EXPECT_THAT(ParseCsvMapping("delimiter = :\nsource_id = Id\n").status(),
              IsInvalidArgument("line 1: unknown delimiter ':'"));
  EXPECT_THAT(
      ParseCsvMapping("source_id = Id\nbirth_date_format = YY-MM-DD").status(),
      IsInvalidArgument("line 2: unknown birth_date_format 'YY-MM-DD'"));
  EXPECT_THAT(ParseCsvMapping("source_id = Id\nsource_id = No\n").status(),
              IsInvalidArgument("line 2: 'source_id' is mapped twice"));
  EXPECT_THAT(ParseCsvMapping("source_id = Id\nphone =   # none\n").status(),
              IsInvalidArgument("line 2: 'phone' has no column"));
  EXPECT_THAT(
      ParseCsvMapping("source_id = Id\nsocial.platform = \"x\n").status(),
      IsInvalidArgument("line 2: unterminated quoted constant"));
  EXPECT_THAT(ParseCsvMapping("source_id = Id\nattribute. = A\n").status(),
              IsInvalidArgument("line 2: unknown target 'attribute.'"));
  EXPECT_THAT(ParseCsvMapping("source_id = Id\ncity = \xC3(\n").status(),
              IsInvalidArgument("line 2: invalid UTF-8"));
}

TEST(CsvMappingTest, RequiresSourceId) {
  EXPECT_THAT(ParseCsvMapping("# nothing\nemail = E\n").status(),
              IsInvalidArgument("no source_id mapping"));
}

TEST(CsvMappingTest, NeedsNoSourceIdWhenKeysAreDerived) {
  EXPECT_TRUE(ParseCsvMapping("organization = Name\n", RowKeys::kDerived).ok());
}

TEST(CsvReaderTest, KeysRowsWithoutSourceIdByLineWhenKeysAreDerived) {
  std::istringstream in("Name\nAcme Oy\n\nBeta Ab\n");
  auto reader =
      NewCsvReader(&in, "dnb", *ParseCsvMapping("organization = Name",
                                                RowKeys::kDerived),
                   RowKeys::kDerived);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_THAT(ReadAll(reader->get()),
              ElementsAre(RecordAt(2, "line:2"), RecordAt(4, "line:4")));
}

TEST(CsvMappingTest, LoadsAFileAndNamesItInErrors) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/record_reader_test.map");
  std::ofstream(path) << "source_id = Id\nemail = E\n";
  absl::StatusOr<CsvMapping> mapping = LoadCsvMapping(path);
  ASSERT_TRUE(mapping.ok()) << mapping.status();
  EXPECT_THAT(mapping->fields, SizeIs(2));
  std::ofstream(path) << "source_id = Id\nmail = E\n";
  EXPECT_THAT(
      LoadCsvMapping(path).status(),
      IsInvalidArgument(absl::StrCat(path, ": line 2: unknown target")));
  std::remove(path.c_str());
  EXPECT_EQ(LoadCsvMapping(path).status().code(), absl::StatusCode::kNotFound);
}

// --- CSV ---

TEST(CsvReaderTest, ReadsRowsAndRejectsBadOnesWithTheirLines) {
  const std::string text = absl::StrCat(
      "\xEF\xBB\xBFId;First;Last;Email;Email2;Phone;Born;City;Segment;Seen\r\n",
      "1;Mikko;Virtanen;mikko@example.com;;040 123 4567;17.05.1984;"
      "Helsinki;gold;2024-03-01\r\n",                              // 2
      "\r\n",                                                      // 3
      "2;\"Anna; \"\"Ann\"\"\";\"Multi\n",                         // 4
      "Line\";;anna@example.com;;;Espoo;;2024-03-01T10:15:30Z\n",  // 5
      "3;Bad;Cols\n",                                              // 6
      "4;Eve;Smith;eve\xC3(@example.com;;;;;;\n",                  // 7
      "5;Ole;Born;;;;1984-05-17;;;\n",                             // 8
      "6;Ole;Feb;;;;31.02.1984;;;\n",                              // 9
      "7;Foo;Bar;foo;;;;;;\n",                                     // 10
      ";No;Id;;;;;;;\n",                                           // 11
      "8;\"Jo\"x;Doe;;;;;;;\n",                                    // 12
      "9;Last;Good;;a@b.fi;;;;;yesterday\n",                       // 13
      "10;Final;Row;;;;;;;\n",                                     // 14
      "11;\"Never closed;;;;;;;;\n",                               // 15
      "12;x");
  const std::vector<ReadResult> results = ReadCsv(text, kMapping);
  EXPECT_THAT(
      results,
      ElementsAre(RecordAt(2, "1"), RecordAt(4, "2"),
                  RejectedAt(6, "expected 10 columns, found 3"),
                  RejectedAt(7, "column 'Email': invalid UTF-8"),
                  RejectedAt(8,
                             "column 'Born': '1984-05-17' does not match "
                             "DD.MM.YYYY"),
                  RejectedAt(9, "birth_date: '1984-02-31' is not a birth date"),
                  RejectedAt(10, "emails[0]: 'foo' is not an e-mail address"),
                  RejectedAt(11, "source_id: missing"),
                  RejectedAt(12, "field 2: text after the closing quote"),
                  RejectedAt(13, "column 'Seen': 'yesterday' is not a date"),
                  RecordAt(14, "10"),
                  RejectedAt(15, "quote opened on line 15 is not closed")));
  EXPECT_EQ(results[1].raw,
            "2;\"Anna; \"\"Ann\"\"\";\"Multi\nLine\";;anna@example.com;;;"
            "Espoo;;2024-03-01T10:15:30Z");
  EXPECT_EQ(results[2].raw, "3;Bad;Cols");
}

TEST(CsvReaderTest, MapsCellsOntoTheRecord) {
  const std::vector<ReadResult> results = ReadCsv(
      "Id;First;Last;Email;Email2;Phone;Born;City;Segment;Seen\n"
      "1; Mikko ;Virtanen;m@example.com;;040 123 4567;17.05.1984;"
      "Helsinki;gold;2024-03-01\n"
      "2;\"Anna; \"\"Ann\"\"\";\"Multi\r\nLine\";;a@example.com;;;;;"
      "2024-03-01T12:15:30+02:00\n",
      kMapping);
  ASSERT_THAT(results, ElementsAre(RecordAt(2, "1"), RecordAt(3, "2")));
  const SourceRecord& mikko = *results[0].record;
  EXPECT_EQ(mikko.source(), "erp");
  EXPECT_EQ(mikko.names(0).given(), "Mikko");
  EXPECT_EQ(mikko.names(0).family(), "Virtanen");
  EXPECT_THAT(mikko.emails(), ElementsAre("m@example.com"));
  EXPECT_THAT(mikko.phones(), ElementsAre("040 123 4567"));
  EXPECT_EQ(mikko.birth_date(), "1984-05-17");
  EXPECT_EQ(mikko.addresses(0).city(), "Helsinki");
  EXPECT_EQ(mikko.addresses(0).country(), "FI");
  EXPECT_EQ(mikko.social_handles(0).platform(), "x#1");
  EXPECT_EQ(mikko.attributes().at("segment"), "gold");
  EXPECT_EQ(mikko.observed_at().seconds(), 1709251200);
  const SourceRecord& anna = *results[1].record;
  EXPECT_EQ(anna.names(0).given(), "Anna; \"Ann\"");
  EXPECT_EQ(anna.names(0).family(), "Multi\r\nLine");
  EXPECT_THAT(anna.emails(), ElementsAre("a@example.com"));
  EXPECT_EQ(anna.birth_date(), "");
  EXPECT_EQ(anna.attributes().count("segment"), 0u);
  EXPECT_EQ(anna.observed_at().seconds(), 1709288130);
}

TEST(CsvReaderTest, ConvertsEachBirthDateFormat) {
  const std::pair<std::string, std::string> cases[] = {
      {"YYYY-MM-DD", "1984-05"},
      {"DD.MM.YYYY", "07.05.1984"},
      {"DD/MM/YYYY", "07/05/1984"},
      {"MM/DD/YYYY", "05/07/1984"},
      {"YYYYMMDD", "19840507"}};
  for (const auto& [format, value] : cases) {
    const std::vector<ReadResult> results =
        ReadCsv(absl::StrCat("Id,Born\n1,", value, "\n"),
                absl::StrCat("source_id=Id\nbirth_date=Born\n",
                             "birth_date_format=", format, "\n"));
    ASSERT_THAT(results, ElementsAre(RecordAt(2, "1"))) << format;
    EXPECT_EQ(results[0].record->birth_date(),
              format == "YYYY-MM-DD" ? "1984-05" : "1984-05-07");
  }
}

TEST(CsvReaderTest, RejectsAnOversizedRowAndReadsOn) {
  const std::string text = absl::StrCat(
      "Id,Note\n1,\"", std::string(2 * kMiB, 'x'), "\n\"\n", "2,short\n");
  const std::vector<ReadResult> results =
      ReadCsv(text, "source_id = Id\nattribute.note = Note\n");
  EXPECT_THAT(results, ElementsAre(RejectedAt(2, "row is over 1048576 bytes"),
                                   RecordAt(4, "2")));
  EXPECT_THAT(results[0].raw, SizeIs(4096));
}

TEST(CsvReaderTest, RejectsAnOversizedCellByItsColumn) {
  const std::vector<ReadResult> results = ReadCsv(
      absl::StrCat("Id,Seen\n1,", std::string(2000, '9'), "\n2,2024-01-01\n"),
      "source_id = Id\nobserved_at = Seen\n");
  EXPECT_THAT(results, ElementsAre(RejectedAt(2,
                                              "column 'Seen': value is 2000 "
                                              "bytes, limit is 1024"),
                                   RecordAt(3, "2")));
}

TEST(CsvReaderTest, NamesTheTargetOfABadConstant) {
  EXPECT_THAT(ReadCsv("Id\n1\n", "source_id = Id\nobserved_at = \"soon\""),
              ElementsAre(RejectedAt(2,
                                     "constant for observed_at: 'soon' is "
                                     "not a date")));
}

TEST(CsvReaderTest, ReadsCommaSeparatedQuotedFields) {
  const std::vector<ReadResult> results =
      ReadCsv("Id,Org\n\"1\",\"Virtanen, Oy\"\n\"\",x\n",
              "source_id = Id\norganization = Org\n");
  ASSERT_THAT(results, ElementsAre(RecordAt(2, "1"),
                                   RejectedAt(3, "source_id: missing")));
  EXPECT_EQ(results[0].record->organization(), "Virtanen, Oy");
}

TEST(CsvReaderTest, ReadsTheLastRowWithoutALineEnd) {
  EXPECT_THAT(ReadCsv("Id\n1\n\n2", "source_id = Id"),
              ElementsAre(RecordAt(2, "1"), RecordAt(4, "2")));
}

TEST(CsvReaderTest, RejectsAHeaderWithoutAMappedColumn) {
  std::istringstream in("Id;First\n1;Mikko\n");
  EXPECT_THAT(NewCsvReader(&in, "erp", MustParse(kMapping)).status(),
              IsInvalidArgument("column 'Last' (mapped to name.family) is "
                                "not in the CSV header"));
}

TEST(CsvReaderTest, RejectsInputWithoutAHeader) {
  std::istringstream in("");
  EXPECT_THAT(NewCsvReader(&in, "erp", MustParse("source_id=Id")).status(),
              IsInvalidArgument("no header row"));
}

TEST(CsvReaderTest, RejectsAnUncheckedMapping) {
  CsvMapping mapping;
  mapping.fields.push_back({"nickname", "Nick", "", false});
  std::istringstream in("Nick\n");
  EXPECT_THAT(NewCsvReader(&in, "erp", mapping).status(),
              IsInvalidArgument("unknown target 'nickname'"));
}

// --- Rejects ---

TEST(RejectsWriterTest, WritesOneEscapedJsonObjectPerLine) {
  std::ostringstream out;
  RejectsWriter writer(&out);
  writer.Write(7, "column 'A': \"x\"", "a;b\\c\n\td\x01\xFFz\xC3\xA4");
  writer.Write(8, "", "");
  EXPECT_EQ(out.str(),
            "{\"line\":7,\"reason\":\"column 'A': \\\"x\\\"\","
            "\"raw\":\"a;b\\\\c\\n\\td\\u0001\\ufffdz\xC3\xA4\"}\n"
            "{\"line\":8,\"reason\":\"\",\"raw\":\"\"}\n");
}

}  // namespace
}  // namespace c360

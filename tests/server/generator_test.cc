#include "server/generator.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "c360/record.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/record_reader.h"

namespace c360 {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::SizeIs;

std::vector<GeneratedRecord> Generate(int64_t people, uint64_t seed,
                                      GeneratorStats* stats = nullptr) {
  std::vector<GeneratedRecord> records;
  const GeneratorStats result = GenerateRecords(
      {people, seed},
      [&records](const GeneratedRecord& r) { records.push_back(r); });
  if (stats != nullptr) *stats = result;
  return records;
}

bool SameRecords(const std::vector<GeneratedRecord>& a,
                 const std::vector<GeneratedRecord>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].person_id != b[i].person_id ||
        !MessageDifferencer::Equals(a[i].record, b[i].record)) {
      return false;
    }
  }
  return true;
}

bool HasCyrillic(absl::string_view text) {
  for (const char c : text) {
    if (c == '\xD0' || c == '\xD1') return true;
  }
  return false;
}

// A fresh directory under the test temp dir, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            absl::StrCat("generator_test_", test->name(), "_", getpid());
    std::filesystem::remove_all(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string path() const { return path_.string(); }
  std::string File(absl::string_view name) const {
    return (path_ / std::string(name)).string();
  }

 private:
  std::filesystem::path path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

std::vector<std::string> Lines(const std::string& path) {
  return absl::StrSplit(ReadFile(path), '\n', absl::SkipEmpty());
}

TEST(GenerateRecordsTest, SameSeedGivesSameRecords) {
  EXPECT_TRUE(SameRecords(Generate(300, 7), Generate(300, 7)));
}

TEST(GenerateRecordsTest, DifferentSeedGivesDifferentRecords) {
  EXPECT_FALSE(SameRecords(Generate(300, 7), Generate(300, 8)));
}

TEST(GenerateRecordsTest, StatsCountTheRecords) {
  GeneratorStats stats;
  const std::vector<GeneratedRecord> records = Generate(1000, 1, &stats);
  std::map<std::string, int64_t> per_source;
  std::set<int64_t> people;
  for (const GeneratedRecord& r : records) {
    ++per_source[r.record.source()];
    people.insert(r.person_id);
  }
  EXPECT_EQ(stats.people, 1000);
  EXPECT_EQ(people.size(), 1000u);
  EXPECT_EQ(stats.records, static_cast<int64_t>(records.size()));
  EXPECT_EQ(stats.records,
            stats.crm + stats.erp + stats.webshop + stats.social);
  EXPECT_EQ(per_source["crm"], stats.crm);
  EXPECT_EQ(per_source["erp"], stats.erp);
  EXPECT_EQ(per_source["webshop"], stats.webshop);
  EXPECT_EQ(per_source["social"], stats.social);
  EXPECT_EQ(per_source.size(), 4u);
}

TEST(GenerateRecordsTest, GivesExactlyTheRequestedPeople) {
  for (const int64_t people : {0, 1, 2, 3, 17}) {
    std::set<int64_t> ids;
    for (const GeneratedRecord& r : Generate(people, 3))
      ids.insert(r.person_id);
    EXPECT_EQ(static_cast<int64_t>(ids.size()), people);
  }
}

bool IsSanePhone(absl::string_view phone) {
  int digits = 0;
  for (const char c : phone) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      ++digits;
    } else if (!absl::StrContains(" +()-", c)) {
      return false;
    }
  }
  return digits >= 7 && digits <= 15;
}

TEST(GenerateRecordsTest, RecordsAreSane) {
  std::set<std::pair<std::string, std::string>> keys;
  for (const GeneratedRecord& g : Generate(1000, 1)) {
    const SourceRecord& r = g.record;
    SCOPED_TRACE(r.DebugString());
    EXPECT_THAT(r.source(),
                ::testing::AnyOf("crm", "erp", "webshop", "social"));
    EXPECT_FALSE(r.source_id().empty());
    EXPECT_TRUE(keys.emplace(r.source(), r.source_id()).second);
    EXPECT_GT(r.observed_at().seconds(), 0);
    EXPECT_LE(r.emails_size(), 1);
    for (const std::string& email : r.emails()) {
      EXPECT_EQ(std::count(email.begin(), email.end(), '@'), 1) << email;
    }
    for (const std::string& phone : r.phones()) {
      EXPECT_TRUE(IsSanePhone(phone)) << phone;
    }
    if (!r.birth_date().empty()) {
      absl::CivilDay day;
      EXPECT_TRUE(absl::ParseCivilTime(r.birth_date(), &day));
      EXPECT_GE(day.year(), 1940);
      EXPECT_LE(day.year(), 2005);
    }
    if (r.source() == "social") {
      EXPECT_THAT(r.social_handles(), SizeIs(1));
      EXPECT_EQ(r.source_id(), absl::StrCat(r.social_handles(0).platform(), ":",
                                            r.social_handles(0).handle()));
      EXPECT_TRUE(r.names().empty() && r.addresses().empty() &&
                  r.birth_date().empty());
    } else {
      ASSERT_THAT(r.names(), SizeIs(1));
      ASSERT_THAT(r.addresses(), SizeIs(1));
      EXPECT_EQ(r.addresses(0).country().size(), 2u);
    }
  }
}

TEST(GenerateRecordsTest, PersonAppearsOncePerSourceExceptCrmDuplicates) {
  std::map<std::pair<int64_t, std::string>, int> count;
  for (const GeneratedRecord& g : Generate(1000, 1)) {
    ++count[{g.person_id, g.record.source()}];
  }
  int crm_duplicates = 0;
  for (const auto& [key, n] : count) {
    if (key.second == "crm") {
      crm_duplicates += n > 1;
    } else {
      EXPECT_EQ(n, 1) << key.first << " in " << key.second;
    }
  }
  EXPECT_GT(crm_duplicates, 0);
}

// Maps each value to the people whose records hold it.
using Holders = std::map<std::string, std::set<int64_t>>;

bool AnyShared(const Holders& holders) {
  for (const auto& [value, people] : holders) {
    if (people.size() > 1) return true;
  }
  return false;
}

TEST(GenerateRecordsTest, HardNegativesExist) {
  Holders emails, phones, full_names;
  for (const GeneratedRecord& g : Generate(1000, 1)) {
    const SourceRecord& r = g.record;
    for (const std::string& e : r.emails()) {
      emails[absl::AsciiStrToLower(e)].insert(g.person_id);
    }
    for (const std::string& p : r.phones()) phones[p].insert(g.person_id);
    for (const PersonName& n : r.names()) {
      if (!n.given().empty()) {
        full_names[absl::StrCat(n.given(), " ", n.family())].insert(
            g.person_id);
      }
    }
  }
  EXPECT_TRUE(AnyShared(emails));
  EXPECT_TRUE(AnyShared(phones));
  EXPECT_TRUE(AnyShared(full_names));
}

TEST(GenerateRecordsTest, RussiansAppearInCyrillicAndLatin) {
  bool cyrillic_name = false;
  bool cyrillic_display_name = false;
  for (const GeneratedRecord& g : Generate(1000, 1)) {
    for (const PersonName& n : g.record.names()) {
      cyrillic_name |= HasCyrillic(n.full());
    }
    for (const SocialHandle& h : g.record.social_handles()) {
      cyrillic_display_name |= HasCyrillic(h.display_name());
    }
  }
  EXPECT_TRUE(cyrillic_name);
  EXPECT_TRUE(cyrillic_display_name);
}

TEST(GenerateRecordsTest, SourcesWriteContactsDifferently) {
  bool local_phone = false, international_phone = false;
  bool lower_email = false, mixed_case_email = false;
  for (const GeneratedRecord& g : Generate(1000, 1)) {
    for (const std::string& p : g.record.phones()) {
      (absl::StartsWith(p, "+") ? international_phone : local_phone) = true;
    }
    for (const std::string& e : g.record.emails()) {
      (e == absl::AsciiStrToLower(e) ? lower_email : mixed_case_email) = true;
    }
  }
  EXPECT_TRUE(local_phone && international_phone);
  EXPECT_TRUE(lower_email && mixed_case_email);
}

// Where all but one of a person's postcodes agree, the odd one out is the
// address the person moved away from, so its record must be the oldest.
TEST(GenerateRecordsTest, MoversOldAddressIsTheOldestRecord) {
  std::map<int64_t, std::vector<const SourceRecord*>> by_person;
  const std::vector<GeneratedRecord> records = Generate(3000, 1);
  for (const GeneratedRecord& g : records) {
    if (!g.record.addresses().empty() &&
        !g.record.addresses(0).postcode().empty()) {
      by_person[g.person_id].push_back(&g.record);
    }
  }
  int movers = 0;
  for (const auto& [person, held] : by_person) {
    if (held.size() < 3) continue;
    std::map<std::string, std::vector<const SourceRecord*>> by_postcode;
    for (const SourceRecord* r : held) {
      by_postcode[r->addresses(0).postcode()].push_back(r);
    }
    if (by_postcode.size() != 2) continue;
    const auto& first = by_postcode.begin()->second;
    const auto& second = by_postcode.rbegin()->second;
    const auto& old_records = first.size() == 1 ? first : second;
    const auto& new_records = first.size() == 1 ? second : first;
    if (old_records.size() != 1) continue;
    ++movers;
    for (const SourceRecord* r : new_records) {
      EXPECT_LT(old_records[0]->observed_at().seconds(),
                r->observed_at().seconds())
          << "person " << person;
    }
  }
  EXPECT_GT(movers, 0);
}

TEST(WriteSampleFilesTest, WritesFiveFilesWithTheirHeaders) {
  TempDir dir;
  const absl::StatusOr<GeneratorStats> stats =
      WriteSampleFiles({500, 1}, dir.File("nested/out"));
  ASSERT_TRUE(stats.ok()) << stats.status();
  const auto file = [&dir](absl::string_view name) {
    return absl::StrCat(dir.path(), "/nested/out/", name);
  };
  EXPECT_EQ(Lines(file("crm_contacts.csv"))[0],
            "Id,FirstName,LastName,Email,Phone,MobilePhone,MailingStreet,"
            "MailingPostalCode,MailingCity,MailingCountry,Birthdate,"
            "AccountName,LastModifiedDate,LeadSource");
  EXPECT_EQ(Lines(file("erp_customers.csv"))[0],
            "KUNNR;NAME1;STRAS;HAUSNR;PSTLZ;ORT01;LAND1;TELF1;SMTP_ADDR;"
            "GEBDAT;STCD1;FIRMA;AEDAT");
  EXPECT_EQ(Lines(file("webshop_accounts.csv"))[0],
            "account_id,email,first_name,last_name,phone,street,zip,city,"
            "country,date_of_birth,created_at,newsletter");
  EXPECT_EQ(Lines(file("social_handles.csv"))[0],
            "profile_id,platform,handle,display_name,email,scraped_at");
  const std::vector<std::string> truth = Lines(file("truth.csv"));
  EXPECT_EQ(truth[0], "source,source_id,person_id");
  EXPECT_EQ(static_cast<int64_t>(truth.size()) - 1, stats->records);
}

TEST(WriteSampleFilesTest, SameSeedGivesByteIdenticalFiles) {
  TempDir dir;
  ASSERT_TRUE(WriteSampleFiles({300, 5}, dir.File("a")).ok());
  ASSERT_TRUE(WriteSampleFiles({300, 5}, dir.File("b")).ok());
  for (const char* name :
       {"crm_contacts.csv", "erp_customers.csv", "webshop_accounts.csv",
        "social_handles.csv", "truth.csv"}) {
    EXPECT_EQ(ReadFile(dir.File(absl::StrCat("a/", name))),
              ReadFile(dir.File(absl::StrCat("b/", name))))
        << name;
  }
}

TEST(WriteSampleFilesTest, FailsWhenTheDirectoryCannotBeMade) {
  TempDir dir;
  std::ofstream(dir.path()) << "a file, not a directory";
  EXPECT_FALSE(WriteSampleFiles({10, 1}, dir.File("out")).ok());
}

// Every row of every file reads back through its mapping file into exactly
// the record the generator made.
TEST(WriteSampleFilesTest, FilesReadBackWithTheMappingFiles) {
  TempDir dir;
  const GeneratorOptions options = {1000, 1};
  ASSERT_TRUE(WriteSampleFiles(options, dir.path()).ok());
  std::map<std::pair<std::string, std::string>, SourceRecord> generated;
  GenerateRecords(options, [&generated](const GeneratedRecord& g) {
    generated[{g.record.source(), g.record.source_id()}] = g.record;
  });

  const std::pair<const char*, const char*> files[] = {
      {"crm", "crm_contacts"},
      {"erp", "erp_customers"},
      {"webshop", "webshop_accounts"},
      {"social", "social_handles"}};
  size_t read = 0;
  for (const auto& [source, stem] : files) {
    SCOPED_TRACE(stem);
    const absl::StatusOr<CsvMapping> mapping = LoadCsvMapping(
        absl::StrCat(C360_SOURCE_DIR, "/data/mappings/", stem, ".map"));
    ASSERT_TRUE(mapping.ok()) << mapping.status();
    std::ifstream in(dir.File(absl::StrCat(stem, ".csv")), std::ios::binary);
    absl::StatusOr<std::unique_ptr<RecordReader>> reader =
        NewCsvReader(&in, source, *mapping);
    ASSERT_TRUE(reader.ok()) << reader.status();
    ReadResult row;
    while ((*reader)->Next(&row)) {
      ASSERT_TRUE(row.record.ok())
          << "line " << row.line << ": " << row.record.status() << "\n"
          << row.raw;
      const auto it = generated.find({source, row.record->source_id()});
      ASSERT_NE(it, generated.end()) << row.raw;
      EXPECT_TRUE(MessageDifferencer::Equals(*row.record, it->second))
          << "read:\n"
          << row.record->DebugString() << "generated:\n"
          << it->second.DebugString();
      ++read;
    }
  }
  EXPECT_EQ(read, generated.size());
}

}  // namespace
}  // namespace c360

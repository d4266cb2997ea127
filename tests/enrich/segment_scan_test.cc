#include "enrich/segment_scan.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "enrich/segment_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/rocksdb_store.h"
#include "tests/enrich/segment_rows.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// Profile i of the fixture: a country of three, two of every three with
// marketing consent, an e-mail shared by pairs, updated one day apart.
SegmentRow Profile(int i) {
  std::vector<std::string> emails = {absl::StrCat("p", i / 2, "@x.fi")};
  if (i % 5 == 0) emails.push_back(absl::StrCat("p", i / 2 + 1, "@x.fi"));
  return MakeSegmentRow(
      absl::StrCat("E", 1000 + i),
      {{"consent.marketing", {i % 3 == 2 ? "denied" : "granted"}},
       {"country", {i % 3 == 0 ? "FI" : i % 3 == 1 ? "SE" : "NO"}},
       {"email", emails},
       {"name", {absl::StrCat("Person ", i)}},
       {"records", {absl::StrCat(1 + i % 4)}},
       {"updated_at",
        {absl::StrCat("2026-11-", 10 + i % 20, "T08:00:00Z")}}});
}

class SegmentScanTest : public ::testing::Test {
 protected:
  static constexpr int kProfiles = 60;

  void SetUp() override {
    absl::StatusOr<std::unique_ptr<KvStore>> store =
        OpenRocksDbStore({.path = NewTestDir("segment_scan")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    std::vector<SegmentRow> rows;
    for (int i = 0; i < kProfiles; ++i) rows.push_back(Profile(i));
    ASSERT_TRUE(WriteSegmentRows(store_.get(), rows).ok());
  }

  static SegmentQuery Query(const std::string& expression) {
    absl::StatusOr<SegmentFilter> filter = SegmentFilter::Compile(expression);
    EXPECT_TRUE(filter.ok()) << filter.status();
    SegmentQuery query;
    if (filter.ok()) query.filter = *std::move(filter);
    return query;
  }

  // The batches of one scan.
  std::vector<ScanResponse> Batches(const ReadView& view,
                                   const SegmentQuery& query,
                                   const ScanOptions& options) {
    std::vector<ScanResponse> batches;
    absl::Status scanned = SegmentScanner(view).Scan(
        query, options, [&](const ScanResponse& batch) {
          batches.push_back(batch);
          return absl::OkStatus();
        });
    EXPECT_TRUE(scanned.ok()) << scanned;
    return batches;
  }

  std::vector<std::string> Ids(const SegmentQuery& query,
                               ScanOptions options = {}) {
    std::vector<std::string> ids;
    for (const ScanResponse& batch : Batches(*store_, query, options)) {
      for (const SegmentRow& row : batch.rows()) ids.push_back(row.entity_id());
    }
    return ids;
  }

  // Ids in entity order of the fixture profiles `keep` selects.
  static std::vector<std::string> Expected(bool (*keep)(int)) {
    std::vector<std::string> ids;
    for (int i = 0; i < kProfiles; ++i) {
      if (keep(i)) ids.push_back(absl::StrCat("E", 1000 + i));
    }
    return ids;
  }

  std::unique_ptr<KvStore> store_;
};

TEST_F(SegmentScanTest, FullScanSelectsByFilterInEntityOrder) {
  EXPECT_EQ(Ids(Query("records >= 3")),
            Expected([](int i) { return 1 + i % 4 >= 3; }));
  EXPECT_EQ(Ids(Query("")).size(), size_t{kProfiles});
  EXPECT_THAT(Ids(Query(R"(name = "nobody")")), IsEmpty());
}

TEST_F(SegmentScanTest, CountAgreesWithScan) {
  for (const char* expression :
       {"", "records >= 3", R"(country = "FI")",
        R"(country IN ("FI", "NO") AND records < 3)"}) {
    SegmentQuery query = Query(expression);
    absl::StatusOr<int64_t> count = SegmentScanner(*store_).Count(query);
    ASSERT_TRUE(count.ok()) << count.status();
    EXPECT_EQ(*count, static_cast<int64_t>(Ids(query).size())) << expression;
  }
}

TEST_F(SegmentScanTest, ProjectionKeepsRequestedFieldsAndEntityId) {
  ScanOptions options;
  options.fields = {"records", "country", "no_such_field"};
  options.limit = 1;
  std::vector<ScanResponse> batches = Batches(*store_, Query(""), options);
  ASSERT_EQ(batches.size(), 1u);
  ASSERT_EQ(batches[0].rows_size(), 1);
  const SegmentRow& row = batches[0].rows(0);
  EXPECT_EQ(row.entity_id(), "E1000");
  ASSERT_EQ(row.fields_size(), 2);
  EXPECT_EQ(row.fields(0).name(), "country");
  EXPECT_EQ(row.fields(1).name(), "records");
}

TEST_F(SegmentScanTest, PurposeNeedsGrantedConsent) {
  SegmentQuery query = Query(R"(country = "FI")");
  query.purposes = {"marketing"};
  // Only the NO profiles (i % 3 == 2) lack marketing consent.
  EXPECT_EQ(Ids(query), Expected([](int i) { return i % 3 == 0; }));
  query = Query("records >= 1");
  query.purposes = {"marketing"};
  EXPECT_EQ(Ids(query), Expected([](int i) { return i % 3 != 2; }));
  query.purposes = {"profiling"};  // no such consent: nobody
  EXPECT_THAT(Ids(query), IsEmpty());
}

TEST_F(SegmentScanTest, UpdatedSince) {
  SegmentQuery query = Query("");
  google::protobuf::Timestamp since;
  since.set_seconds(1794960000);  // 2026-11-18T00:00:00Z
  query.updated_since = UpdatedSinceBound(since);
  EXPECT_EQ(query.updated_since, "2026-11-18T00:00:00Z");
  EXPECT_EQ(Ids(query), Expected([](int i) { return 10 + i % 20 >= 18; }));
  since.set_nanos(1);  // rounds up to the next second
  EXPECT_EQ(UpdatedSinceBound(since), "2026-11-18T00:00:01Z");
  EXPECT_EQ(UpdatedSinceBound(google::protobuf::Timestamp()), "");
}

TEST_F(SegmentScanTest, IndexPlanReturnsTheRowsOfAFullScan) {
  for (const char* expression :
       {R"(country = "SE")", R"(country = "SE" AND records > 2)",
        R"(country IN ("NO", "FI", "DK"))",
        R"(email IN ("p3@x.fi", "p4@x.fi", "p5@x.fi", "p6@x.fi"))",
        R"(email = "p10@x.fi")"}) {
    SegmentQuery indexed = Query(expression);
    ASSERT_TRUE(indexed.filter.plan().has_value()) << expression;
    // The same selection without a plan: OR with a clause that is never
    // true keeps the rows and defeats the index.
    SegmentQuery full = Query(absl::StrCat("(", expression, ") OR name = \"-\""));
    ASSERT_FALSE(full.filter.plan().has_value());
    std::vector<std::string> by_index = Ids(indexed);
    std::sort(by_index.begin(), by_index.end());
    EXPECT_EQ(by_index, Ids(full)) << expression;
    EXPECT_EQ(*SegmentScanner(*store_).Count(indexed),
              static_cast<int64_t>(by_index.size()));
  }
}

TEST_F(SegmentScanTest, IndexPlanDeliversAnEntityOnceUnderItsFirstValue) {
  // E1010 holds p5@x.fi and p6@x.fi.
  std::vector<std::string> ids =
      Ids(Query(R"(email IN ("p6@x.fi", "p5@x.fi"))"));
  EXPECT_THAT(ids, ElementsAre("E1010", "E1011", "E1012", "E1013"));
}

TEST_F(SegmentScanTest, ResumeAtEveryPositionEqualsOneScan) {
  for (const char* expression :
       {"", "records != 2", R"(country IN ("SE", "FI"))",
        R"(email IN ("p5@x.fi", "p6@x.fi", "p20@x.fi", "p21@x.fi"))"}) {
    SCOPED_TRACE(expression);
    SegmentQuery query = Query(expression);
    const std::vector<std::string> all = Ids(query);
    ASSERT_FALSE(all.empty());
    // Every position: take `taken` rows with a limit, resume from there.
    for (size_t taken = 1; taken <= all.size(); ++taken) {
      ScanOptions first;
      first.limit = static_cast<int64_t>(taken);
      first.batch_size = 7;
      std::vector<ScanResponse> head = Batches(*store_, query, first);
      ASSERT_FALSE(head.empty());
      ScanOptions rest;
      rest.resume_token = head.back().resume_token();
      rest.batch_size = 5;
      std::vector<std::string> ids;
      for (const ScanResponse& batch : head) {
        for (const SegmentRow& row : batch.rows()) ids.push_back(row.entity_id());
      }
      for (const std::string& id : Ids(query, rest)) ids.push_back(id);
      ASSERT_EQ(ids, all) << "resumed after " << taken;
    }
  }
}

TEST_F(SegmentScanTest, EveryBatchTokenResumesAfterItsLastRow) {
  SegmentQuery query = Query(R"(country IN ("SE", "FI"))");
  ScanOptions options;
  options.batch_size = 4;
  std::vector<ScanResponse> batches = Batches(*store_, query, options);
  ASSERT_GT(batches.size(), 2u);
  for (size_t b = 0; b + 1 < batches.size(); ++b) {
    ScanOptions rest;
    rest.resume_token = batches[b].resume_token();
    std::vector<std::string> ids = Ids(query, rest);
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids.front(), batches[b + 1].rows(0).entity_id());
  }
}

TEST_F(SegmentScanTest, ForeignResumeTokenIsInvalidArgument) {
  ScanOptions options;
  options.limit = 1;
  std::vector<ScanResponse> full = Batches(*store_, Query(""), options);
  ASSERT_EQ(full.size(), 1u);
  options.resume_token = full[0].resume_token();
  absl::Status status = SegmentScanner(*store_).Scan(
      Query(R"(country = "FI")"), options,
      [](const ScanResponse&) { return absl::OkStatus(); });
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  options.resume_token = "not base64!";
  status = SegmentScanner(*store_).Scan(
      Query(""), options, [](const ScanResponse&) { return absl::OkStatus(); });
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
}

TEST_F(SegmentScanTest, BatchesStartSmallAndGrowToTheBatchSize) {
  std::vector<SegmentRow> more;
  for (int i = 0; i < 1000 - kProfiles; ++i) {
    more.push_back(MakeSegmentRow(absl::StrCat("F", i), {}));
  }
  ASSERT_TRUE(WriteSegmentRows(store_.get(), more).ok());
  std::vector<int> sizes;
  for (const ScanResponse& batch : Batches(*store_, Query(""), {})) {
    sizes.push_back(batch.rows_size());
  }
  EXPECT_THAT(sizes, ElementsAre(64, 128, 256, 512, 40));
}

TEST_F(SegmentScanTest, SinkErrorStopsTheScan) {
  ScanOptions options;
  options.batch_size = 10;
  int calls = 0;
  absl::Status status = SegmentScanner(*store_).Scan(
      Query(""), options, [&](const ScanResponse&) {
        ++calls;
        return absl::CancelledError("client went away");
      });
  EXPECT_TRUE(absl::IsCancelled(status)) << status;
  EXPECT_EQ(calls, 1);
}

TEST_F(SegmentScanTest, ScanSeesItsSnapshot) {
  std::unique_ptr<ReadView> snapshot = store_->Snapshot();
  ASSERT_TRUE(WriteSegmentRows(store_.get(),
                               {MakeSegmentRow("E0000", {{"country", {"FI"}}}),
                                MakeSegmentRow("E9999", {{"country", {"FI"}}})})
                  .ok());
  for (const char* expression : {"", R"(country = "FI")"}) {
    SegmentQuery query = Query(expression);
    std::vector<std::string> ids;
    for (const ScanResponse& batch : Batches(*snapshot, query, {})) {
      for (const SegmentRow& row : batch.rows()) ids.push_back(row.entity_id());
    }
    EXPECT_THAT(ids, ::testing::Not(::testing::Contains("E0000")));
    EXPECT_THAT(ids, ::testing::Not(::testing::Contains("E9999")));
    EXPECT_THAT(Ids(query), ::testing::Contains("E9999"));
  }
}

TEST_F(SegmentScanTest, NamedSegments) {
  SegmentDefinition definition;
  definition.set_name("fi-marketing");
  definition.set_expression(R"(country = "FI")");
  definition.set_purpose("marketing");
  definition.add_fields("email");
  google::protobuf::Timestamp now;
  now.set_seconds(1794960000);
  absl::StatusOr<SegmentDefinition> stored =
      DefineSegment(store_.get(), definition, "cli:test", now);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->defined_by(), "cli:test");
  EXPECT_EQ(stored->defined_at().seconds(), now.seconds());

  absl::StatusOr<SegmentDefinition> got = GetSegment(*store_, "fi-marketing");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), stored->SerializeAsString());
  EXPECT_TRUE(absl::IsNotFound(GetSegment(*store_, "nope").status()));

  definition.set_name("all");
  definition.set_expression("");
  ASSERT_TRUE(DefineSegment(store_.get(), definition, "cli:test", now).ok());
  absl::StatusOr<std::vector<SegmentDefinition>> list = ListSegments(*store_);
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name(), "all");
  EXPECT_EQ((*list)[1].name(), "fi-marketing");
}

TEST_F(SegmentScanTest, DefineRejectsBadExpressionsAndNames) {
  SegmentDefinition definition;
  definition.set_name("bad");
  definition.set_expression("country = ");
  absl::Status status =
      DefineSegment(store_.get(), definition, "x", {}).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("filter column 11"));
  definition.set_name("a b");
  definition.set_expression("");
  EXPECT_TRUE(absl::IsInvalidArgument(
      DefineSegment(store_.get(), definition, "x", {}).status()));
  EXPECT_TRUE(ListSegments(*store_)->empty());
}

}  // namespace
}  // namespace c360

// End-to-end segment scans: the real `c360 serve` binary over a store whose
// profiles table was written beforehand — Scan over gRPC with a filter, a
// projection and a resume token, Count, consent, a malformed filter, and
// named segments defined and exported through the `c360 segment` commands,
// against the server and on the stopped store.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "c360/segment.grpc.pb.h"
#include "enrich/segment_row_view.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "store/rocksdb_store.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/enrich/segment_rows.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr int kProfiles = 1500;

// Profile i: Finnish when i is even, marketing consent for every third,
// a name that needs CSV quoting, two sources for some.
SegmentRow Profile(int i) {
  std::vector<std::string> sources = {"crm"};
  if (i % 4 == 0) sources.push_back("erp");
  return MakeSegmentRow(
      absl::StrFormat("E%07d", i),
      {{"consent.marketing", {i % 3 == 0 ? "granted" : "denied"}},
       {"country", {i % 2 == 0 ? "FI" : "SE"}},
       {"email", {absl::StrCat("p", i, "@x.fi")}},
       {"name", {absl::StrCat("Virtanen, \"M\" ", i)}},
       {"records", {absl::StrCat(sources.size())}},
       {"source", sources}});
}

class SegmentE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = NewTestDir("segment_e2e") + "/db";
    {
      absl::StatusOr<std::unique_ptr<KvStore>> store =
          OpenRocksDbStore({.path = db_});
      ASSERT_TRUE(store.ok()) << store.status();
      std::vector<SegmentRow> rows;
      for (int i = 0; i < kProfiles; ++i) rows.push_back(Profile(i));
      ASSERT_TRUE(WriteSegmentRows(store->get(), rows).ok());
    }
    server_ = std::make_unique<ServerProcess>(C360_BINARY, db_);
    ASSERT_FALSE(server_->address().empty()) << "server did not start";
    stub_ = SegmentService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }

  // Every batch of one Scan call, and how it ended.
  grpc::Status Scan(const ScanRequest& request,
                    std::vector<ScanResponse>* batches) {
    grpc::ClientContext context;
    auto reader = stub_->Scan(&context, request);
    ScanResponse batch;
    while (reader->Read(&batch)) batches->push_back(batch);
    return reader->Finish();
  }

  static std::vector<std::string> Ids(const std::vector<ScanResponse>& batches) {
    std::vector<std::string> ids;
    for (const ScanResponse& batch : batches) {
      for (const SegmentRow& row : batch.rows()) ids.push_back(row.entity_id());
    }
    return ids;
  }

  grpc::Status Count(const CountRequest& request, int64_t* count) {
    grpc::ClientContext context;
    CountResponse response;
    grpc::Status status = stub_->Count(&context, request, &response);
    *count = response.count();
    return status;
  }

  std::string db_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<SegmentService::Stub> stub_;
};

TEST_F(SegmentE2ETest, ScanResumesWhereItStoppedAndCountAgrees) {
  ScanRequest request;
  request.set_filter(R"(country = "FI" AND records >= 1)");
  request.add_fields("email");
  std::vector<ScanResponse> all;
  ASSERT_TRUE(Scan(request, &all).ok());
  EXPECT_GT(all.size(), 1u);  // batches of 512
  std::vector<std::string> ids = Ids(all);
  ASSERT_THAT(ids, SizeIs(kProfiles / 2));
  EXPECT_EQ(ids.front(), "E0000000");
  const SegmentRow& first = all[0].rows(0);
  ASSERT_EQ(first.fields_size(), 1);
  EXPECT_EQ(first.fields(0).name(), "email");
  EXPECT_THAT(first.fields(0).values(), ElementsAre("p0@x.fi"));

  request.set_limit(600);
  std::vector<ScanResponse> head;
  ASSERT_TRUE(Scan(request, &head).ok());
  request.set_limit(0);
  request.set_resume_token(head.back().resume_token());
  std::vector<ScanResponse> rest;
  ASSERT_TRUE(Scan(request, &rest).ok());
  std::vector<std::string> resumed = Ids(head);
  EXPECT_THAT(resumed, SizeIs(600));
  for (const std::string& id : Ids(rest)) resumed.push_back(id);
  EXPECT_EQ(resumed, ids);

  CountRequest count_request;
  count_request.set_filter(request.filter());
  int64_t count = 0;
  ASSERT_TRUE(Count(count_request, &count).ok());
  EXPECT_EQ(count, kProfiles / 2);
}

TEST_F(SegmentE2ETest, PurposeLeavesOutProfilesWithoutConsent) {
  ScanRequest request;
  request.set_filter(R"(source = "erp")");
  request.set_purpose("marketing");
  std::vector<ScanResponse> batches;
  ASSERT_TRUE(Scan(request, &batches).ok());
  std::vector<std::string> ids = Ids(batches);
  // Multiples of 4 and of 3: of 12.
  EXPECT_THAT(ids, SizeIs(kProfiles / 12));
  for (const ScanResponse& batch : batches) {
    for (const SegmentRow& row : batch.rows()) {
      const SegmentField* consent = FindField(row, "consent.marketing");
      ASSERT_NE(consent, nullptr);
      EXPECT_EQ(consent->values(0), "granted");
    }
  }
  CountRequest count_request;
  count_request.set_purpose("marketing");
  int64_t count = 0;
  ASSERT_TRUE(Count(count_request, &count).ok());
  EXPECT_EQ(count, kProfiles / 3);
}

TEST_F(SegmentE2ETest, MalformedFilterIsInvalidArgumentWithTheColumn) {
  ScanRequest request;
  request.set_filter(R"(country = "FI" AND (records > ))");
  std::vector<ScanResponse> batches;
  grpc::Status status = Scan(request, &batches);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message(),
            "filter column 31: expected a value after '>' but found ')'");
  EXPECT_TRUE(batches.empty());

  CountRequest count_request;
  count_request.set_filter("country IN ()");
  int64_t count = 0;
  status = Count(count_request, &count);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("filter column 13"));

  CommandRun run = C360(absl::StrCat("segment count --server ",
                                     server_->address(), " 'country ='"));
  EXPECT_EQ(run.exit_code, 2) << run.out;
  EXPECT_THAT(run.out, HasSubstr("filter column 10: expected a value"));
}

TEST_F(SegmentE2ETest, UnknownSegmentIsNotFound) {
  ScanRequest request;
  request.set_segment("nope");
  std::vector<ScanResponse> batches;
  EXPECT_EQ(Scan(request, &batches).error_code(), grpc::StatusCode::NOT_FOUND);
  CommandRun run = C360(absl::StrCat("segment export nope --server ",
                                     server_->address()));
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_THAT(run.out, HasSubstr("no segment 'nope'"));
}

TEST_F(SegmentE2ETest, DefinedSegmentExportsThroughTheCli) {
  DefineSegmentRequest define;
  SegmentDefinition* segment = define.mutable_segment();
  segment->set_name("fi-marketing");
  segment->set_expression(R"(country = "FI")");
  segment->set_purpose("marketing");
  segment->add_fields("name");
  segment->add_fields("source");
  SegmentDefinition defined;
  grpc::ClientContext context;
  ASSERT_TRUE(stub_->DefineSegment(&context, define, &defined).ok());
  EXPECT_EQ(defined.defined_by(), "anonymous");
  EXPECT_GT(defined.defined_at().seconds(), 0);

  const std::string csv = NewTestDir("segment_e2e_out") + "/fi.csv";
  CommandRun run = C360(absl::StrCat("segment export fi-marketing --server ",
                                     server_->address(), " --format csv --out ",
                                     csv));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  std::vector<std::string> lines = ReadLines(csv);
  // Even and a multiple of 3: of 6, plus the header.
  ASSERT_THAT(lines, SizeIs(kProfiles / 6 + 1));
  EXPECT_EQ(lines[0], "entity_id,name,source");
  EXPECT_EQ(lines[1], "E0000000,\"Virtanen, \"\"M\"\" 0\",crm;erp");
  EXPECT_EQ(lines[2], "E0000006,\"Virtanen, \"\"M\"\" 6\",crm");

  run = C360(absl::StrCat("segment export fi-marketing --server ",
                          server_->address(), " --fields email,source"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  std::vector<std::string> jsonl = absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_THAT(jsonl, SizeIs(kProfiles / 6));
  EXPECT_EQ(jsonl[0],
            R"({"entity_id":"E0000000","email":"p0@x.fi","source":["crm","erp"]})");

  run = C360(absl::StrCat("segment count --segment fi-marketing --server ",
                          server_->address()));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out, absl::StrCat("{\"count\": ", kProfiles / 6, "}\n"));

  run = C360(absl::StrCat("segment define se 'country = \"SE\"' --server ",
                          server_->address()));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  run = C360(absl::StrCat("segment list --server ", server_->address()));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  std::vector<std::string> listed = absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_THAT(listed, SizeIs(2));
  EXPECT_THAT(listed[0], HasSubstr("\"name\":\"fi-marketing\""));
  EXPECT_THAT(listed[1], HasSubstr("\"name\":\"se\""));
}

TEST_F(SegmentE2ETest, CommandsWorkOnTheStoppedStore) {
  ASSERT_EQ(server_->Terminate(), 0);
  CommandRun run = C360(absl::StrCat("segment define fi --db ", db_,
                                     " 'country = \"FI\"' --fields email"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out, HasSubstr("\"defined_by\":\"cli:"));
  run = C360(absl::StrCat("segment count --db ", db_, " --segment fi"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out, absl::StrCat("{\"count\": ", kProfiles / 2, "}\n"));
  run = C360(absl::StrCat("segment scan --db ", db_,
                          " 'email IN (\"p3@x.fi\", \"p1@x.fi\")' --format csv"
                          " --fields email,country"));
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out,
            "entity_id,email,country\nE0000001,p1@x.fi,SE\nE0000003,p3@x.fi,SE\n");
}

}  // namespace
}  // namespace c360

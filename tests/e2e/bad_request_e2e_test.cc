// End-to-end: bad gRPC input against the real `c360 serve` binary. Every bad
// request gets a clear error: INVALID_ARGUMENT naming the problem, except an
// oversized message, which gRPC itself refuses with RESOURCE_EXHAUSTED
// before c360 sees it (the server accepts messages up to 16 MiB, see
// server/serve.cc). An unknown enum value is not an error in proto3 (see
// UnknownEnumValueIsHarmless). After each test the server is still serving
// and the store is unchanged.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "c360/scoring.grpc.pb.h"
#include "c360/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

constexpr int kMaxMessageBytes = 16 << 20;  // the server's receive limit

SourceRecord Record(const std::string& source, const std::string& id) {
  SourceRecord record;
  record.set_source(source);
  record.set_source_id(id);
  return record;
}

SourceRecord Liisa() {
  SourceRecord record = Record("crm", "0031");
  record.add_names()->set_given("Liisa");
  record.mutable_names(0)->set_family("Jääskeläinen");
  record.add_emails("liisa.jaaskelainen@kolumbus.fi");
  record.add_phones("040 123 4567");
  record.set_birth_date("1975-04-12");
  return record;
}

// A record whose only name is `given`, which may be any bytes.
SourceRecord WithGivenName(const std::string& given) {
  SourceRecord record = Record("crm", "utf8");
  record.add_names()->set_given(given);
  return record;
}

// What the store holds, as the API shows it: Liisa's profile with its
// records, and the whole change feed.
struct Observed {
  std::string profile;
  std::vector<std::string> changes;
  bool operator==(const Observed& o) const {
    return profile == o.profile && changes == o.changes;
  }
};

class BadRequestE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = NewTestDir("bad_request") + "/db";
    server_ = std::make_unique<ServerProcess>(C360_BINARY, db_);
    ASSERT_FALSE(server_->address().empty()) << "server did not start";
    channel_ = grpc::CreateChannel(server_->address(),
                                   grpc::InsecureChannelCredentials());
    ingest_ = IngestService::NewStub(channel_);
    profiles_ = ProfileService::NewStub(channel_);
    UpsertRequest request;
    *request.mutable_record() = Liisa();
    UpsertResponse response;
    grpc::ClientContext context;
    ASSERT_TRUE(ingest_->Upsert(&context, request, &response).ok());
    before_ = Observe();
  }

  // Checks that the server still serves and the store is as SetUp left it.
  void TearDown() override {
    if (server_->address().empty()) return;
    EXPECT_TRUE(Serving());
    EXPECT_TRUE(Observe() == before_) << "the store changed";
    // Closed first: with a client connected, a stopping server waits out its
    // 5 s grace period.
    ingest_.reset();
    profiles_.reset();
    channel_.reset();
    ASSERT_EQ(server_->Terminate(), 0);
    CommandRun check = C360(absl::StrCat("check --db ", db_));
    EXPECT_EQ(check.exit_code, 0) << check.out;
    EXPECT_THAT(check.out, HasSubstr("\"records\": 1,"));
  }

  bool Serving() {
    auto health = grpc::health::v1::Health::NewStub(channel_);
    grpc::health::v1::HealthCheckResponse response;
    grpc::ClientContext context;
    return health->Check(&context, {}, &response).ok() &&
           response.status() == grpc::health::v1::HealthCheckResponse::SERVING;
  }

  Observed Observe() {
    Observed observed;
    GetProfileRequest request;
    request.mutable_record()->set_source("crm");
    request.mutable_record()->set_source_id("0031");
    request.set_include_records(true);
    GetProfileResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(profiles_->GetProfile(&context, request, &response).ok());
    observed.profile = response.SerializeAsString();
    grpc::ClientContext watch_context;
    auto reader = profiles_->WatchChanges(&watch_context, {});
    ChangeEvent event;
    while (reader->Read(&event)) {
      observed.changes.push_back(event.SerializeAsString());
    }
    EXPECT_TRUE(reader->Finish().ok());
    return observed;
  }

  grpc::Status Upsert(const SourceRecord& record) {
    UpsertRequest request;
    *request.mutable_record() = record;
    UpsertResponse response;
    grpc::ClientContext context;
    return ingest_->Upsert(&context, request, &response);
  }

  // Streams `records`; the call's status, with the summary in `summary`.
  grpc::Status Stream(const std::vector<SourceRecord>& records,
                      UpsertSummary* summary) {
    grpc::ClientContext context;
    auto writer = ingest_->UpsertStream(&context, summary);
    UpsertRequest request;
    for (const SourceRecord& record : records) {
      *request.mutable_record() = record;
      if (!writer->Write(request)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  grpc::Status GetProfile(const GetProfileRequest& request) {
    GetProfileResponse response;
    grpc::ClientContext context;
    return profiles_->GetProfile(&context, request, &response);
  }

  std::string db_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<IngestService::Stub> ingest_;
  std::unique_ptr<ProfileService::Stub> profiles_;
  Observed before_;
};

TEST_F(BadRequestE2ETest, OversizedMessageIsRefusedByGrpc) {
  SourceRecord huge = Record("crm", "huge");
  (*huge.mutable_attributes())["notes"] = std::string(kMaxMessageBytes, 'x');
  grpc::Status status = Upsert(huge);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("larger than max"));

  UpsertSummary summary;
  status = Stream({huge}, &summary);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << status.error_message();
}

// Protobuf refuses a proto3 string that is not UTF-8 while parsing the
// request, before c360 sees it (the C++ client sends it, with a warning).
TEST_F(BadRequestE2ETest, InvalidUtf8InAStringIsRefused) {
  for (const std::string& bad : {std::string("\xff"), std::string("J\xe4\xe4"),
                                 std::string("\xc0\xaf"),
                                 std::string("\xed\xa0\x80")}) {
    grpc::Status status = Upsert(WithGivenName(bad));
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(),
                HasSubstr("/c360.IngestService/Upsert: the request is not a "
                          "valid message of its type (is a string not valid "
                          "UTF-8?)"));
  }

  GetProfileRequest lookup;
  lookup.set_entity_id("E\xff");
  grpc::Status status = GetProfile(lookup);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("GetProfile"));

  // A stream ends at the message, which is named, and would have kept the
  // records before it.
  UpsertSummary summary;
  status = Stream({WithGivenName("\xff"), Record("crm", "after")}, &summary);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(),
              HasSubstr("message 0 of the stream is not a valid UpsertRequest"));
}

TEST_F(BadRequestE2ETest, MissingRequiredFieldsAreNamed) {
  struct Case {
    SourceRecord record;
    std::string message;
  };
  const std::vector<Case> cases = {
      {SourceRecord(), "source: missing"},
      {Record("", "1"), "source: missing"},
      {Record("crm", ""), "source_id: missing"},
      {Record("CRM", "1"), "source: 'CRM' may hold only"},
  };
  for (const Case& c : cases) {
    grpc::Status status = Upsert(c.record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << c.message;
    EXPECT_THAT(status.error_message(), HasSubstr(c.message));
  }

  // A stream goes on past bad records and lists them in its summary.
  UpsertSummary summary;
  ASSERT_TRUE(Stream({cases[0].record, cases[2].record}, &summary).ok());
  EXPECT_EQ(summary.received(), 2);
  EXPECT_EQ(summary.rejected(), 2);
  ASSERT_EQ(summary.rejections_size(), 2);
  EXPECT_EQ(summary.rejections(1).index(), 1);
  EXPECT_THAT(summary.rejections(1).reason(), HasSubstr("source_id: missing"));
}

TEST_F(BadRequestE2ETest, LookupsWithoutAKeyAreNamed) {
  GetProfileRequest empty_id;
  empty_id.set_entity_id("");
  grpc::Status status = GetProfile(empty_id);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("entity_id: empty"));

  GetProfileRequest no_source_id;
  no_source_id.mutable_record()->set_source("crm");
  status = GetProfile(no_source_id);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("source_id"));

  status = GetProfile(GetProfileRequest());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("entity_id or record"));

  BatchGetProfilesRequest too_many;
  for (int i = 0; i < 1001; ++i) too_many.add_requests()->set_entity_id("E1");
  BatchGetProfilesResponse batch;
  grpc::ClientContext batch_context;
  status = profiles_->BatchGetProfiles(&batch_context, too_many, &batch);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("at most 1000"));

  FindProfilesRequest bad_limit;
  bad_limit.set_email("liisa.jaaskelainen@kolumbus.fi");
  bad_limit.set_limit(-1);
  FindProfilesResponse found;
  grpc::ClientContext find_context;
  status = profiles_->FindProfiles(&find_context, bad_limit, &found);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("limit"));

  ExplainMatchRequest half;
  half.set_left("crm/0031");
  ExplainMatchResponse explained;
  grpc::ClientContext explain_context;
  status = profiles_->ExplainMatch(&explain_context, half, &explained);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("empty"));
}

// Opportunity.outcome is the only enum of any request. Proto3 keeps an
// unknown value; scoring does not use the outcome of the opportunity it
// scores, so the value cannot change the answer. This store has no model.
TEST_F(BadRequestE2ETest, UnknownEnumValueIsHarmless) {
  auto scoring = ScoringService::NewStub(channel_);
  ScoreOpportunityRequest request;
  request.mutable_opportunity()->set_opportunity_id("X1");
  request.mutable_opportunity()->set_price(100);
  request.mutable_opportunity()->set_outcome(static_cast<OpportunityOutcome>(99));
  ScoreOpportunityResponse response;
  grpc::ClientContext context;
  grpc::Status status = scoring->ScoreOpportunity(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("no published"));
}

}  // namespace
}  // namespace c360

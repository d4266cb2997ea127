// End-to-end stewardship: the real `c360 serve` binary over real gRPC —
// a review task from ingest, listed, read and decided; the profile and the
// change feed reflect it; a second decision is refused; an alias redirects
// after a merge; `c360 reresolve` reproduces the decisions.
#include <memory>
#include <string>
#include <vector>

#include "c360/service.grpc.pb.h"
#include "c360/steward.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

SourceRecord Mikko(const std::string& source, const std::string& id) {
  SourceRecord r;
  r.set_source(source);
  r.set_source_id(id);
  r.add_names()->set_given("Mikko");
  r.mutable_names(0)->set_family("Virtanen");
  r.add_addresses()->set_postcode("00100");
  return r;
}

class StewardE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = NewTestDir("steward_e2e") + "/db";
    Start();
  }

  void Start() {
    server_ = std::make_unique<ServerProcess>(C360_BINARY, db_);
    ASSERT_FALSE(server_->address().empty()) << "server did not start";
    auto channel = grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials());
    ingest_ = IngestService::NewStub(channel);
    profiles_ = ProfileService::NewStub(channel);
    steward_ = StewardService::NewStub(channel);
  }

  std::string Upsert(const SourceRecord& record) {
    UpsertRequest request;
    *request.mutable_record() = record;
    UpsertResponse response;
    grpc::ClientContext context;
    grpc::Status status = ingest_->Upsert(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.entity_id();
  }

  grpc::Status Decide(const std::string& task, Verdict verdict,
                      DecideResponse* response) {
    DecideRequest request;
    request.set_task_id(task);
    request.set_verdict(verdict);
    request.set_note("same phone number on the call");
    grpc::ClientContext context;
    return steward_->Decide(&context, request, response);
  }

  GetProfileResponse Profile(const std::string& entity_id) {
    GetProfileRequest request;
    request.set_entity_id(entity_id);
    GetProfileResponse response;
    grpc::ClientContext context;
    grpc::Status status = profiles_->GetProfile(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  std::vector<ChangeEvent> Changes() {
    WatchChangesRequest request;
    grpc::ClientContext context;
    auto reader = profiles_->WatchChanges(&context, request);
    std::vector<ChangeEvent> events;
    ChangeEvent event;
    while (reader->Read(&event)) events.push_back(event);
    EXPECT_TRUE(reader->Finish().ok());
    return events;
  }

  std::string db_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<IngestService::Stub> ingest_;
  std::unique_ptr<ProfileService::Stub> profiles_;
  std::unique_ptr<StewardService::Stub> steward_;
};

TEST_F(StewardE2ETest, ReviewTaskIsListedReadDecidedOnceAndReresolved) {
  std::string a = Upsert(Mikko("crm", "1"));
  std::string b = Upsert(Mikko("web", "1"));
  ASSERT_NE(a, b);

  ListReviewTasksRequest list;
  list.set_source("web");
  list.set_min_score(4);
  list.set_max_score(7);
  ListReviewTasksResponse listed;
  grpc::ClientContext list_context;
  ASSERT_TRUE(steward_->ListReviewTasks(&list_context, list, &listed).ok());
  ASSERT_EQ(listed.tasks_size(), 1);
  const std::string task = listed.tasks(0).task_id();
  EXPECT_EQ(listed.tasks(0).entity_id(), a);

  GetReviewTaskRequest get;
  get.set_task_id(task);
  GetReviewTaskResponse detail;
  grpc::ClientContext get_context;
  ASSERT_TRUE(steward_->GetReviewTask(&get_context, get, &detail).ok());
  EXPECT_EQ(detail.record().source(), "web");
  EXPECT_EQ(detail.entity_records_size(), 1);
  EXPECT_GT(detail.explanation().fields_size(), 0);

  DecideResponse decided;
  grpc::Status status = Decide(task, SAME, &decided);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(decided.entity_id(), a);
  EXPECT_EQ(decided.task().decided_by(), "anonymous");

  DecideResponse again;
  grpc::Status second = Decide(task, NOT_SAME, &again);
  EXPECT_EQ(second.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(second.error_message(), HasSubstr("already decided"));

  GetProfileResponse redirected = Profile(b);
  EXPECT_EQ(redirected.profile().entity_id(), a);
  EXPECT_EQ(redirected.redirected_from(), b);
  EXPECT_EQ(redirected.profile().records_size(), 2);
  std::vector<ChangeEvent> changes = Changes();
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().type(), ENTITY_MERGED);
  EXPECT_EQ(changes.back().retired_entity_id(), b);

  grpc::Status unknown = Decide("T0000000099", SAME, &again);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);

  EntityHistoryRequest history;
  history.set_entity_id(b);
  EntityHistoryResponse events;
  grpc::ClientContext history_context;
  ASSERT_TRUE(steward_->EntityHistory(&history_context, history, &events).ok());
  ASSERT_GE(events.events_size(), 1);
  EXPECT_EQ(events.events(0).action(), "decide_same");
  EXPECT_EQ(events.events(0).note(), "same phone number on the call");

  ASSERT_EQ(server_->Terminate(), 0);
  CommandRun rerun = C360("reresolve --db " + db_);
  EXPECT_EQ(rerun.exit_code, 0) << rerun.out;
  EXPECT_THAT(rerun.out, HasSubstr("\"changed_entities\": 0"));
  CommandRun check = C360("check --db " + db_);
  EXPECT_EQ(check.exit_code, 0) << check.out;
  Start();
  EXPECT_EQ(Profile(b).profile().records_size(), 2);
}

TEST_F(StewardE2ETest, MergeOfAnEntityWithItselfIsInvalid) {
  std::string a = Upsert(Mikko("crm", "1"));
  MergeEntitiesRequest merge;
  merge.set_entity_a(a);
  merge.set_entity_b(a);
  EntityChangeResponse response;
  grpc::ClientContext context;
  grpc::Status status = steward_->MergeEntities(&context, merge, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("itself"));
}

}  // namespace
}  // namespace c360

// End-to-end: the review page's JSON API (server/review_http.h) of the real
// `c360 serve --http-listen` binary, called with cpp-httplib's client —
// list, get, decide, the errors and their HTTP codes (404 unknown task, 409
// second decision, 400 bad input, 415 not JSON), the page's files, and
// bearer tokens with the steward role (401, 403, the audit actor).
#include <sys/wait.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "c360/service.grpc.pb.h"
#include "c360/steward.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

constexpr char kPagePrefix[] = "c360 review page on ";

SourceRecord Mikko(const std::string& source, const std::string& id) {
  SourceRecord r;
  r.set_source(source);
  r.set_source_id(id);
  r.add_names()->set_given("Mikko");
  r.mutable_names(0)->set_family("Virtanen");
  r.add_addresses()->set_postcode("00100");
  return r;
}

template <typename Message>
Message FromJson(const std::string& json) {
  Message message;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << " in " << json;
  return message;
}

struct HttpAnswer {
  int status = 0;
  std::string body;
};

class ReviewHttpE2ETest : public ::testing::Test {
 protected:
  // Starts the server with `extra_args` and the page on a free port; stores
  // two records that make one review task.
  void Start(std::vector<std::string> extra_args,
             const std::string& ingest_token = "") {
    db_ = NewTestDir("review_http_e2e") + "/db";
    extra_args.push_back("--http-listen");
    extra_args.push_back("127.0.0.1:0");
    server_ = std::make_unique<ServerProcess>(C360_BINARY, db_, extra_args);
    ASSERT_FALSE(server_->address().empty()) << "server did not start";
    std::string line = server_->NextLine();
    ASSERT_TRUE(absl::StartsWith(line, kPagePrefix)) << line;
    url_ = line.substr(sizeof(kPagePrefix) - 1);
    EXPECT_TRUE(absl::StartsWith(url_, "http://127.0.0.1:")) << url_;
    http_ = std::make_unique<httplib::Client>(url_);

    auto channel = grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials());
    auto ingest = IngestService::NewStub(channel);
    for (const SourceRecord& record : {Mikko("crm", "1"), Mikko("web", "1")}) {
      UpsertRequest request;
      *request.mutable_record() = record;
      UpsertResponse response;
      grpc::ClientContext context;
      if (!ingest_token.empty()) {
        context.AddMetadata("authorization", "Bearer " + ingest_token);
      }
      ASSERT_TRUE(ingest->Upsert(&context, request, &response).ok());
      entities_.push_back(response.entity_id());
    }
  }

  HttpAnswer Post(const std::string& method, const std::string& json,
                  const std::string& token = "",
                  const char* content_type = "application/json") {
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    auto result = http_->Post(absl::StrCat("/api/steward/", method), headers,
                              json, content_type);
    if (!result) return {};
    return {result->status, result->body};
  }

  HttpAnswer Get(const std::string& path) {
    auto result = http_->Get(path);
    if (!result) return {};
    return {result->status, result->body};
  }

  std::string OpenTask(const std::string& token = "") {
    HttpAnswer listed = Post("ListReviewTasks", "{}", token);
    EXPECT_EQ(listed.status, 200) << listed.body;
    auto tasks = FromJson<ListReviewTasksResponse>(listed.body);
    EXPECT_EQ(tasks.tasks_size(), 1);
    return tasks.tasks_size() > 0 ? tasks.tasks(0).task_id() : "";
  }

  std::string db_;
  std::string url_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> http_;
  std::vector<std::string> entities_;
};

TEST_F(ReviewHttpE2ETest, ListGetDecideAndTheErrors) {
  Start({});
  ASSERT_EQ(entities_.size(), 2u);
  const std::string task = OpenTask();

  HttpAnswer got =
      Post("GetReviewTask", absl::StrCat(R"({"task_id": ")", task, R"("})"));
  ASSERT_EQ(got.status, 200) << got.body;
  auto detail = FromJson<GetReviewTaskResponse>(got.body);
  EXPECT_EQ(detail.record().source(), "web");
  ASSERT_EQ(detail.entity_records_size(), 1);
  EXPECT_EQ(detail.entity_records(0).source(), "crm");
  ASSERT_GT(detail.explanation().fields_size(), 0);
  EXPECT_NE(detail.explanation().fields(0).weight(), 0);
  EXPECT_THAT(got.body, HasSubstr("\"live_entity_id\""));  // proto names

  HttpAnswer decided = Post(
      "Decide", absl::StrCat(R"({"task_id": ")", task,
                             R"(", "verdict": "SAME", "note": "checked"})"));
  ASSERT_EQ(decided.status, 200) << decided.body;
  auto decision = FromJson<DecideResponse>(decided.body);
  EXPECT_EQ(decision.entity_id(), entities_[0]);
  EXPECT_EQ(decision.retired_entity_id(), entities_[1]);
  EXPECT_EQ(decision.task().decided_by(), "anonymous");
  EXPECT_EQ(decision.task().note(), "checked");

  HttpAnswer again = Post(
      "Decide",
      absl::StrCat(R"({"task_id": ")", task, R"(", "verdict": "NOT_SAME"})"));
  EXPECT_EQ(again.status, 409);
  EXPECT_THAT(again.body, HasSubstr("\"code\": \"FAILED_PRECONDITION\""));
  EXPECT_THAT(again.body, HasSubstr("already decided"));

  HttpAnswer unknown = Post("GetReviewTask", R"({"task_id": "T0000000099"})");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_THAT(unknown.body, HasSubstr("\"code\": \"NOT_FOUND\""));
  EXPECT_EQ(
      Post("Decide", R"({"task_id": "T0000000099", "verdict": "SAME"})").status,
      404);
  EXPECT_EQ(Post("ListReviewTasks", "{}").body,
            "{\"tasks\":[],\"next_page_token\":\"\"}");

  // Bad input: 400 with the reason; not JSON: 415; no such method: 404.
  HttpAnswer self =
      Post("MergeEntities",
           absl::StrCat(R"({"entity_a": ")", entities_[0],
                        R"(", "entity_b": ")", entities_[0], R"("})"));
  EXPECT_EQ(self.status, 400);
  EXPECT_THAT(self.body, HasSubstr("itself"));
  EXPECT_EQ(Post("Decide", R"({"verdict": "MAYBE"})").status, 400);
  EXPECT_EQ(Post("Decide", "{not json").status, 400);
  EXPECT_EQ(Post("Decide", R"({"no_such_field": 1})").status, 400);
  EXPECT_EQ(Post("ListReviewTasks", "{}", "", "text/plain").status, 415);
  EXPECT_EQ(Post("Shred", "{}").status, 404);

  // The history of the retired id answers for the survivor.
  HttpAnswer history =
      Post("EntityHistory",
           absl::StrCat(R"({"entity_id": ")", entities_[1], R"("})"));
  ASSERT_EQ(history.status, 200) << history.body;
  auto events = FromJson<EntityHistoryResponse>(history.body);
  ASSERT_GE(events.events_size(), 1);
  EXPECT_EQ(events.events(0).action(), "decide_same");

  // The profile endpoint redirects a retired id.
  HttpAnswer profile =
      Get(absl::StrCat("/api/profile/", entities_[1], "?records=1"));
  ASSERT_EQ(profile.status, 200) << profile.body;
  auto found = FromJson<GetProfileResponse>(profile.body);
  EXPECT_EQ(found.profile().entity_id(), entities_[0]);
  EXPECT_EQ(found.redirected_from(), entities_[1]);
  EXPECT_EQ(found.profile().records_size(), 2);
  EXPECT_EQ(Get("/api/profile/E0000000099").status, 404);

  // The page itself, embedded in the binary.
  HttpAnswer index = Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_THAT(index.body, HasSubstr("<title>c360"));
  EXPECT_EQ(Get("/app.js").status, 200);
  EXPECT_EQ(Get("/style.css").status, 200);
  EXPECT_EQ(Get("/secret.html").status, 404);
  EXPECT_EQ(Get("/api/config").body, "{\"auth\": false}");
}

TEST_F(ReviewHttpE2ETest, TokensNeedTheStewardRoleAndNameTheActor) {
  const std::string file = NewTestDir("review_http_tokens") + "/tokens";
  auto add = [&](const std::string& name, const std::string& roles) {
    CommandRun run = C360(absl::StrCat("token add --file ", file, " --name ",
                                       name, " --roles ", roles));
    EXPECT_EQ(run.exit_code, 0) << run.out;
    for (absl::string_view line : absl::StrSplit(run.out, '\n')) {
      if (absl::StartsWith(line, name + ".")) return std::string(line);
    }
    return std::string();
  };
  const std::string alice = add("alice", "steward");
  const std::string bob = add("bob", "crm");
  const std::string loader = add("loader", "ingest");
  Start({"--auth-tokens", file}, loader);
  EXPECT_EQ(Get("/api/config").body, "{\"auth\": true}");

  HttpAnswer anonymous = Post("ListReviewTasks", "{}");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_THAT(anonymous.body, HasSubstr("UNAUTHENTICATED"));
  EXPECT_EQ(Post("ListReviewTasks", "{}", "alice.0000").status, 401);
  HttpAnswer wrong_role = Post("ListReviewTasks", "{}", bob);
  EXPECT_EQ(wrong_role.status, 403);
  EXPECT_THAT(wrong_role.body, HasSubstr("steward"));
  EXPECT_EQ(Get("/api/profile/E0000000001").status, 401);

  const std::string task = OpenTask(alice);
  HttpAnswer decided = Post(
      "Decide",
      absl::StrCat(R"({"task_id": ")", task, R"(", "verdict": "NOT_SAME"})"),
      alice);
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(FromJson<DecideResponse>(decided.body).task().decided_by(),
            "token:alice");
  // The page's files need no token.
  EXPECT_EQ(Get("/").status, 200);
}

TEST(ReviewHttpExposureTest, RefusesANonLoopbackPageWithoutTokensAndTls) {
  const std::string db = NewTestDir("review_http_exposure") + "/db";
  ServerProcess server(C360_BINARY, db, {"--http-listen", "0.0.0.0:0"});
  // gRPC on loopback starts; the page then refuses and the server stops.
  ASSERT_FALSE(server.address().empty());
  EXPECT_EQ(server.NextLine(), "");
  int status = server.Terminate();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << status;
}

}  // namespace
}  // namespace c360

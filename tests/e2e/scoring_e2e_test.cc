// End-to-end hit-rate engine: the Maven data imported, a model trained and
// published through the real `c360 ml` commands into a fresh store, then
// the real `c360 serve` binary answering ScoringService calls over gRPC.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "c360/scoring.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/server_process.h"
#include "tests/e2e/command_run.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

// An open Maven deal with an account (sales_pipeline.csv: Engaging).
constexpr char kOpenId[] = "UP409DSB";

std::string MavenFolder() {
  return std::string(C360_SOURCE_DIR) + "/../shared/data/maven_crm";
}

// Imports the Maven data into a new store and trains a small model there
// (version 1); publishes it when `publish`. Returns the store folder.
std::string PreparedStore(bool publish) {
  std::string db = NewTestDir("scoring_e2e") + "/db";
  CommandRun run = C360(absl::StrCat("ml import --db ", db, " --maven ", MavenFolder()));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  run = C360(absl::StrCat("ml train --db ", db,
                          " --max-rounds 60 --threads 1 --cv 3"));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out, HasSubstr("\"version\": 1"));
  EXPECT_THAT(run.out, HasSubstr("\"cv_folds\": 3, \"cv_mean_auc\": 0."));
  if (publish) {
    run = C360(absl::StrCat("ml publish 1 --db ", db));
    EXPECT_EQ(run.exit_code, 0) << run.out;
  }
  return db;
}

class ScoringE2ETest : public ::testing::Test {
 protected:
  void Start(const std::string& db) {
    server_ = std::make_unique<ServerProcess>(C360_BINARY, db);
    ASSERT_FALSE(server_->address().empty()) << "server did not start";
    stub_ = ScoringService::NewStub(grpc::CreateChannel(
        server_->address(), grpc::InsecureChannelCredentials()));
  }

  grpc::Status Score(const ScoreOpportunityRequest& request,
                     ScoreOpportunityResponse* response) {
    grpc::ClientContext context;
    return stub_->ScoreOpportunity(&context, request, response);
  }
  grpc::Status WhatIf(const WhatIfPriceRequest& request,
                      WhatIfPriceResponse* response) {
    grpc::ClientContext context;
    return stub_->WhatIfPrice(&context, request, response);
  }
  grpc::Status Forecast(const PipelineForecastRequest& request,
                        PipelineForecastResponse* response) {
    grpc::ClientContext context;
    return stub_->PipelineForecast(&context, request, response);
  }

  static WhatIfPriceRequest PriceRange(double from, double to, int steps) {
    WhatIfPriceRequest request;
    request.set_opportunity_id(kOpenId);
    request.set_min_price(from);
    request.set_max_price(to);
    request.set_steps(steps);
    return request;
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<ScoringService::Stub> stub_;
};

TEST_F(ScoringE2ETest, ScoresAStoredOpportunity) {
  Start(PreparedStore(/*publish=*/true));
  ScoreOpportunityRequest request;
  request.set_opportunity_id(kOpenId);
  ScoreOpportunityResponse response;
  grpc::Status status = Score(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.opportunity_id(), kOpenId);
  EXPECT_GT(response.hit_rate(), 0);
  EXPECT_LT(response.hit_rate(), 1);
  EXPECT_GE(response.grade(), 1);
  EXPECT_LE(response.grade(), 5);
  EXPECT_EQ(response.model_version(), 1u);
  EXPECT_EQ(response.model_family(), "hit_rate_at_creation");
  EXPECT_GT(response.positive_factors_size() + response.negative_factors_size(), 0);
  for (const ScoreFactor& f : response.positive_factors()) {
    EXPECT_GT(f.contribution(), 0) << f.feature();
  }
}

TEST_F(ScoringE2ETest, WhatIfReturnsTheMostProfitablePrice) {
  Start(PreparedStore(/*publish=*/true));
  WhatIfPriceRequest request = PriceRange(1000, 6000, 11);
  request.set_cost(800);
  WhatIfPriceResponse response;
  grpc::Status status = WhatIf(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.points_size(), 11);
  double best = -1;
  for (const WhatIfPoint& p : response.points()) {
    EXPECT_NEAR(p.margin(), (p.price() - 800) / p.price(), 1e-12);
    EXPECT_NEAR(p.expected_profit(), p.hit_rate() * p.price() * p.margin(), 1e-9);
    best = std::max(best, p.expected_profit());
  }
  EXPECT_EQ(response.points(0).price(), 1000);
  EXPECT_EQ(response.points(10).price(), 6000);
  EXPECT_EQ(response.best().expected_profit(), best);
  EXPECT_EQ(response.cost(), 800);
}

TEST_F(ScoringE2ETest, ForecastGroupsAddUpToTheTotal) {
  Start(PreparedStore(/*publish=*/true));
  PipelineForecastResponse all;
  grpc::Status status = Forecast(PipelineForecastRequest(), &all);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(all.total().count(), 2089);  // Engaging + Prospecting
  double by_owner = 0;
  for (const PipelineGroup& g : all.by_owner()) by_owner += g.expected_revenue();
  EXPECT_NEAR(by_owner, all.total().expected_revenue(), 1e-6 * by_owner);
  PipelineForecastRequest one_owner;
  one_owner.set_owner(all.by_owner(0).key());
  PipelineForecastResponse mine;
  ASSERT_TRUE(Forecast(one_owner, &mine).ok());
  EXPECT_EQ(mine.total().count(), all.by_owner(0).count());
  EXPECT_NEAR(mine.total().expected_revenue(), all.by_owner(0).expected_revenue(),
              1e-6);
}

TEST_F(ScoringE2ETest, BadInputGetsExactCodes) {
  Start(PreparedStore(/*publish=*/true));
  WhatIfPriceResponse what_if;
  EXPECT_EQ(WhatIf(PriceRange(0, 100, 5), &what_if).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);  // price <= 0
  WhatIfPriceRequest expensive = PriceRange(100, 200, 5);
  expensive.set_cost(150);
  grpc::Status status = WhatIf(expensive, &what_if);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("cost 150"));
  EXPECT_EQ(WhatIf(PriceRange(100, 200, 1), &what_if).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(WhatIf(PriceRange(100, 200, 1001), &what_if).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  WhatIfPriceRequest unknown = PriceRange(100, 200, 5);
  unknown.set_opportunity_id("NO-SUCH-DEAL");
  EXPECT_EQ(WhatIf(unknown, &what_if).error_code(), grpc::StatusCode::NOT_FOUND);
  ScoreOpportunityRequest score_unknown;
  score_unknown.set_opportunity_id("NO-SUCH-DEAL");
  ScoreOpportunityResponse score;
  status = Score(score_unknown, &score);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), HasSubstr("NO-SUCH-DEAL"));
  ScoreOpportunityRequest free;
  free.mutable_opportunity()->set_opportunity_id("FREE");
  EXPECT_EQ(Score(free, &score).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ScoringE2ETest, NoPublishedModelIsFailedPrecondition) {
  Start(PreparedStore(/*publish=*/false));
  ScoreOpportunityRequest request;
  request.set_opportunity_id(kOpenId);
  ScoreOpportunityResponse response;
  grpc::Status status = Score(request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("c360 ml publish"));
}

TEST(MlCliTest, EverySubcommandHasHelp) {
  for (const char* sub :
       {"import", "train", "report", "publish", "score", "whatif", "forecast"}) {
    CommandRun run = C360(absl::StrCat("ml ", sub, " --help"));
    EXPECT_EQ(run.exit_code, 0) << sub;
    EXPECT_THAT(run.out, HasSubstr("usage: c360 ml ")) << sub;
  }
  EXPECT_EQ(C360("ml --help").exit_code, 0);
  EXPECT_EQ(C360("ml nonsense").exit_code, 2);
}

TEST(MlCliTest, TooFewExamplesStoresNoModel) {
  std::string dir = NewTestDir("ml_cli");
  std::ofstream csv(dir + "/opps.csv");
  csv << "opportunity_id,account,product,price,sales_agent,created_at,"
         "close_date,deal_stage\n";
  for (int i = 0; i < 30; ++i) {
    csv << "D" << i << ",Acme,Widget,100,Ann,2017-01-02,2017-02-01,"
        << (i % 2 ? "Won" : "Lost") << "\n";
  }
  csv.close();
  std::string db = " --db " + dir + "/db";
  CommandRun run = C360("ml import --csv " + dir + "/opps.csv" + db);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  run = C360("ml train" + db);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.out, HasSubstr("15 won and 15 lost"));
  EXPECT_NE(C360("ml report 1" + db).exit_code, 0);  // nothing stored
}

TEST(MlCliTest, ReportAndPublishRefusingAWorseModel) {
  std::string db = " --db " + PreparedStore(/*publish=*/true);
  CommandRun run = C360("ml train --max-rounds 2 --early-stopping 1" + db);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  run = C360("ml publish 2 --max-auc-drop 0" + db);
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_THAT(run.out, HasSubstr("worse than published version 1"));
  std::string html = NewTestDir("ml_report") + "/report.html";
  run = C360("ml report --html " + html + db);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  EXPECT_THAT(run.out, HasSubstr("\"validation_auc\""));
  std::ifstream in(html);
  std::string page((std::istreambuf_iterator<char>(in)), {});
  EXPECT_THAT(page, HasSubstr("ROC curve"));
  EXPECT_THAT(page, HasSubstr("Price sweep of "));
}

}  // namespace
}  // namespace c360

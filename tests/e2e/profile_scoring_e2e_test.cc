// The hit-rate engine on unified profiles, as a user runs it: generated
// people loaded and enriched, their opportunities (keyed by record keys)
// imported, models trained through `c360 ml` with and without the profile
// columns, then the real `c360 serve` scoring with profile factors, pricing
// with a cost that grows with the price, and forecasting per c360 segment
// over gRPC.
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "c360/scoring.grpc.pb.h"
#include "c360/segment.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

std::string Mapping(const std::string& name) {
  return absl::StrCat(C360_SOURCE_DIR, "/data/mappings/", name, ".map");
}

// Runs `c360 ARGS`, expecting success.
std::string RunOk(const std::string& args) {
  CommandRun run = C360(args);
  EXPECT_EQ(run.exit_code, 0) << args << "\n" << run.out;
  return run.out;
}

// The number `field` of the last JSON line of `out`.
double JsonNumber(const std::string& out, const std::string& field) {
  std::string last = out.substr(out.rfind('{'));
  google::protobuf::Struct json;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(last, &json).ok())
      << last;
  return json.fields().at(field).number_value();
}

// 1,500 generated people in three sources, with purchased company and
// consumer data delivered before any opportunity, and 6,000 opportunities.
class ProfileScoringE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(NewTestDir("profile_scoring_e2e"));
    db_ = new std::string(*dir_ + "/db");
    const std::string data = *dir_ + "/data";
    RunOk(absl::StrCat("gen --people 1500 --seed 5 --providers --opportunities "
                     "6000 --out ", data));
    RunOk(absl::StrCat("bulk-load --train --db ", *db_, " crm:",
                     Mapping("crm_contacts"), ":", data,
                     "/crm_contacts.csv erp:", Mapping("erp_customers"), ":",
                     data, "/erp_customers.csv webshop:",
                     Mapping("webshop_accounts"), ":", data,
                     "/webshop_accounts.csv"));
    for (const char* kind : {"company", "person"}) {
      const std::string file = absl::StrCat("provider_", kind);
      RunOk(absl::StrCat("enrich import --db ", *db_, " --provider ", kind,
                       " --kind ", kind, " --delivered 2021-01-01 --mapping ",
                       Mapping(file), " ", data, "/", file, ".csv"));
    }
    EXPECT_THAT(RunOk(absl::StrCat("ml import --db ", *db_, " --csv ", data,
                                 "/opportunities.csv --mapping ",
                                 Mapping("generated_opportunities"))),
                HasSubstr("\"imported\": 6000"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete db_;
  }

  static std::string Train(const std::string& extra) {
    return RunOk(absl::StrCat("ml train --db ", *db_, " --stage offer --features ",
                            C360_SOURCE_DIR, "/data/ml_features.json ", extra));
  }

  static std::string* dir_;
  static std::string* db_;
};
std::string* ProfileScoringE2ETest::dir_ = nullptr;
std::string* ProfileScoringE2ETest::db_ = nullptr;

TEST_F(ProfileScoringE2ETest, ProfilesRaiseTheAucAndServeFactorsPricesAndSegments) {
  // Version 1 sees the profiles, version 2 does not.
  double with = JsonNumber(Train(""), "validation_auc");
  double without = JsonNumber(Train("--without-profiles"), "validation_auc");
  EXPECT_GT(with, without + 0.03) << "with " << with << ", without " << without;
  std::string report =
      RunOk(absl::StrCat("ml report 1 --db ", *db_, " --stage offer"));
  EXPECT_THAT(report, HasSubstr("\"name\": \"source.crm\""));
  EXPECT_THAT(report, HasSubstr("\"name\": \"profile_tenure_days\""));
  EXPECT_THAT(report, HasSubstr("\"name\": \"enrichment.credit_rating\",\n"
                                "    \"categories\": [\n     \"C\""));
  RunOk(absl::StrCat("ml publish 1 --db ", *db_, " --stage offer"));
  RunOk(absl::StrCat("ml train --db ", *db_, " --stage creation --max-rounds 50"));
  RunOk(absl::StrCat("ml publish 1 --db ", *db_, " --stage creation"));
  RunOk(absl::StrCat("segment define --db ", *db_,
                   " good_credit 'enrichment.credit_rating IN (\"AA\", \"AAA\")'"));

  ServerProcess server(C360_BINARY, *db_);
  ASSERT_FALSE(server.address().empty()) << "server did not start";
  auto stub = ScoringService::NewStub(grpc::CreateChannel(
      server.address(), grpc::InsecureChannelCredentials()));

  // An open opportunity of a customer with a purchased rating, given whole:
  // its factors name profile columns.
  ScoreOpportunityRequest score;
  Opportunity* opp = score.mutable_opportunity();
  opp->set_opportunity_id("NEW-1");
  opp->set_product("Pro Suite");
  opp->set_price(1000);
  opp->mutable_created_at()->set_seconds(1735689600);      // 2025-01-01
  opp->mutable_first_offer_at()->set_seconds(1736121600);  // 2025-01-06
  opp->set_outcome(OUTCOME_OPEN);
  auto segments = SegmentService::NewStub(grpc::CreateChannel(
      server.address(), grpc::InsecureChannelCredentials()));
  ScanRequest scan;
  scan.set_segment("good_credit");
  scan.set_limit(1);
  scan.add_fields("records");
  grpc::ClientContext scan_context;
  auto reader = segments->Scan(&scan_context, scan);
  ScanResponse batch;
  ASSERT_TRUE(reader->Read(&batch));
  ASSERT_EQ(batch.rows_size(), 1);
  opp->set_customer_id(batch.rows(0).entity_id());
  while (reader->Read(&batch)) {
  }
  ASSERT_TRUE(reader->Finish().ok());
  ScoreOpportunityResponse scored;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->ScoreOpportunity(&context, score, &scored).ok());
  }
  EXPECT_EQ(scored.model_family(), "hit_rate_after_offer");
  std::string factors;
  for (const auto& f : scored.positive_factors()) factors += f.feature() + " ";
  for (const auto& f : scored.negative_factors()) factors += f.feature() + " ";
  EXPECT_THAT(factors, ::testing::ContainsRegex("source\\.|profile_tenure|"
                                                "enrichment\\."))
      << factors;
  // The same deal for a customer nobody knows scores differently.
  opp->set_customer_id("Nobody Inc");
  ScoreOpportunityResponse stranger;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->ScoreOpportunity(&context, score, &stranger).ok());
  }
  EXPECT_NE(stranger.hit_rate(), scored.hit_rate());

  // A 10% commission lowers every margin by 0.1 and leaves hit rates alone.
  WhatIfPriceRequest what_if;
  *what_if.mutable_opportunity() = score.opportunity();
  what_if.set_min_price(800);
  what_if.set_max_price(1200);
  what_if.set_steps(5);
  what_if.set_cost(400);
  WhatIfPriceResponse plain, commission;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->WhatIfPrice(&context, what_if, &plain).ok());
  }
  what_if.set_cost_share_of_price(0.1);
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->WhatIfPrice(&context, what_if, &commission).ok());
  }
  ASSERT_EQ(commission.points_size(), 5);
  EXPECT_EQ(commission.cost_share_of_price(), 0.1);
  for (int i = 0; i < 5; ++i) {
    EXPECT_NEAR(commission.points(i).margin(), plain.points(i).margin() - 0.1,
                1e-9);
    EXPECT_EQ(commission.points(i).hit_rate(), plain.points(i).hit_rate());
  }
  what_if.set_cost_share_of_price(0.7);  // 400 + 560 > 800
  {
    grpc::ClientContext context;
    grpc::Status status = stub->WhatIfPrice(&context, what_if, &commission);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  }

  // The pipeline of the segment's customers: grouped by every stored
  // segment, and filtered to one, the same totals.
  PipelineForecastResponse all, good;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(
        stub->PipelineForecast(&context, PipelineForecastRequest(), &all).ok());
  }
  ASSERT_EQ(all.by_customer_segment_size(), 1);
  const PipelineGroup& grouped = all.by_customer_segment(0);
  EXPECT_EQ(grouped.key(), "good_credit");
  EXPECT_GT(grouped.count(), 0);
  EXPECT_LT(grouped.count(), all.total().count());
  PipelineForecastRequest in_segment;
  in_segment.set_customer_segment("good_credit");
  {
    grpc::ClientContext context;
    ASSERT_TRUE(stub->PipelineForecast(&context, in_segment, &good).ok());
  }
  EXPECT_EQ(good.total().count(), grouped.count());
  EXPECT_NEAR(good.total().expected_revenue(), grouped.expected_revenue(),
              1e-6 * grouped.expected_revenue());
  PipelineForecastRequest bad;
  bad.set_customer_filter("enrichment.credit_rating =");
  {
    grpc::ClientContext context;
    grpc::Status status = stub->PipelineForecast(&context, bad, &good);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("filter column"));
  }
  bad.set_customer_filter("");
  bad.set_customer_segment("no_such_segment");
  {
    grpc::ClientContext context;
    EXPECT_EQ(stub->PipelineForecast(&context, bad, &good).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }
}

}  // namespace
}  // namespace c360

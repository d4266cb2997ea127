// Purchased data through the real server: deliveries imported with the CLI,
// then the served store answers with enriched golden profiles (provenance
// naming provider and delivery, candidates with the deciding rule), segment
// scans over purchased attributes, ENTITY_ENRICHED in the change feed, and a
// record arriving over gRPC gets its company's data at once.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "c360/segment.grpc.pb.h"
#include "c360/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/e2e/command_run.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

std::string Mapping(const std::string& name) {
  return absl::StrCat(C360_SOURCE_DIR, "/data/mappings/", name, ".map");
}

const NamedGoldenValue* Enrichment(const Profile& profile, const std::string& name) {
  for (const NamedGoldenValue& value : profile.enrichment()) {
    if (value.name() == name) return &value;
  }
  return nullptr;
}

class EnrichE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(NewTestDir("enrich_e2e"));
    const std::string& dir = *dir_;
    ASSERT_EQ(C360(absl::StrCat("gen --people 300 --seed 5 --providers --out ", dir,
                                "/data")).exit_code, 0);
    CommandRun load = C360(absl::StrCat(
        "bulk-load --db ", dir, "/db crm:", Mapping("crm_contacts"), ":", dir,
        "/data/crm_contacts.csv erp:", Mapping("erp_customers"), ":", dir,
        "/data/erp_customers.csv"));
    ASSERT_EQ(load.exit_code, 0) << load.out;
    for (const auto& [provider, kind] :
         std::vector<std::pair<std::string, std::string>>{{"register", "company"},
                                                          {"consumer", "person"}}) {
      CommandRun import = C360(absl::StrCat(
          "enrich import --db ", dir, "/db --provider ", provider, " --kind ", kind,
          " --mapping ", Mapping(absl::StrCat("provider_", kind)), " ", dir,
          "/data/provider_", kind, ".csv"));
      ASSERT_EQ(import.exit_code, 0) << import.out;
    }
  }

  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(C360_BINARY, *dir_ + "/db");
    ASSERT_FALSE(server_->address().empty());
    channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  }

  // The profile of the first entity a scan of `filter` returns.
  Profile FirstProfile(const std::string& filter) {
    auto segments = SegmentService::NewStub(channel_);
    grpc::ClientContext context;
    ScanRequest request;
    request.set_filter(filter);
    request.set_limit(1);
    auto reader = segments->Scan(&context, request);
    ScanResponse batch;
    std::string entity_id;
    while (reader->Read(&batch)) {
      if (entity_id.empty() && batch.rows_size() > 0) entity_id = batch.rows(0).entity_id();
    }
    EXPECT_TRUE(reader->Finish().ok());
    EXPECT_FALSE(entity_id.empty()) << filter;
    return Get(entity_id);
  }

  Profile Get(const std::string& entity_id) {
    auto profiles = ProfileService::NewStub(channel_);
    grpc::ClientContext context;
    GetProfileRequest request;
    request.set_entity_id(entity_id);
    request.set_include_candidates(true);
    GetProfileResponse response;
    grpc::Status status = profiles->GetProfile(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.profile();
  }

  static std::string* dir_;
  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

std::string* EnrichE2ETest::dir_ = nullptr;

TEST_F(EnrichE2ETest, ProfilesCarryPurchasedValuesWithTheirOrigin) {
  Profile profile = FirstProfile("exists(enrichment.age_band)");
  const NamedGoldenValue* age = Enrichment(profile, "age_band");
  ASSERT_NE(age, nullptr);
  EXPECT_EQ(age->value().provenance().provider(), "consumer");
  EXPECT_THAT(age->value().provenance().delivery_id(), Not(IsEmpty()));
  bool listed = false;
  for (const AttributeCandidates& attribute : profile.candidates()) {
    if (attribute.attribute() != "enrichment.age_band") continue;
    ASSERT_GT(attribute.candidates_size(), 0);
    EXPECT_TRUE(attribute.candidates(0).chosen());
    EXPECT_THAT(attribute.candidates(0).decided_by(), Not(IsEmpty()));
    listed = true;
  }
  EXPECT_TRUE(listed);

  // The change feed announced the delivery for this entity.
  auto profiles = ProfileService::NewStub(channel_);
  grpc::ClientContext context;
  WatchChangesRequest request;
  request.set_from_sequence(1);
  auto feed = profiles->WatchChanges(&context, request);
  ChangeEvent event;
  bool announced = false;
  while (feed->Read(&event)) {
    announced |= event.type() == ENTITY_ENRICHED && event.provider() == "consumer" &&
                 event.entity_id() == profile.entity_id();
  }
  EXPECT_TRUE(feed->Finish().ok());
  EXPECT_TRUE(announced);
}

TEST_F(EnrichE2ETest, SegmentCountsAgreeWithScans) {
  auto segments = SegmentService::NewStub(channel_);
  grpc::ClientContext context;
  CountRequest request;
  request.set_filter("exists(enrichment.industry_code) AND source = \"crm\"");
  CountResponse count;
  ASSERT_TRUE(segments->Count(&context, request, &count).ok());
  EXPECT_GT(count.count(), 0);
  Profile profile = FirstProfile(request.filter());
  ASSERT_NE(Enrichment(profile, "industry_code"), nullptr);
  EXPECT_EQ(Enrichment(profile, "industry_code")->value().provenance().provider(),
            "register");
}

TEST_F(EnrichE2ETest, NewRecordGetsItsCompanyDataInTheSameWrite) {
  // A business id of the register delivery, written as the register does.
  std::vector<std::string> lines = ReadLines(*dir_ + "/data/provider_company.csv");
  ASSERT_GT(lines.size(), 1u);
  const std::string business_id = std::vector<std::string>(absl::StrSplit(lines[1], ','))[0];
  ASSERT_FALSE(business_id.empty());

  auto ingest = IngestService::NewStub(channel_);
  grpc::ClientContext context;
  UpsertRequest request;
  SourceRecord* record = request.mutable_record();
  record->set_source("crm");
  record->set_source_id("new-employee");
  PersonName* name = record->add_names();
  name->set_given("Uusi");
  name->set_family("Työntekijä");
  record->add_emails("uusi.tyontekija@example.com");
  record->set_business_id(business_id);
  UpsertResponse response;
  grpc::Status status = ingest->Upsert(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();

  Profile profile = Get(response.entity_id());
  const NamedGoldenValue* industry = Enrichment(profile, "industry_code");
  ASSERT_NE(industry, nullptr) << business_id;
  EXPECT_EQ(industry->value().provenance().provider(), "register");
}

}  // namespace
}  // namespace c360

// End-to-end: the real `c360 serve` binary, real gRPC on loopback.
#include <sys/wait.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "c360/service.grpc.pb.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "gtest/gtest.h"
#include "server/generator.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "tests/e2e/server_process.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class ServerE2ETest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServerProcess>(C360_BINARY, NewTestDir("e2e") + "/db");
    ASSERT_FALSE(server_->address().empty()) << "server did not start";
    auto channel = grpc::CreateChannel(server_->address(),
                                       grpc::InsecureChannelCredentials());
    ingest_ = IngestService::NewStub(channel);
    profiles_ = ProfileService::NewStub(channel);
    channel_ = channel;
  }

  UpsertSummary Stream(const std::vector<SourceRecord>& records) {
    grpc::ClientContext context;
    UpsertSummary summary;
    auto writer = ingest_->UpsertStream(&context, &summary);
    UpsertRequest request;
    for (const SourceRecord& r : records) {
      *request.mutable_record() = r;
      EXPECT_TRUE(writer->Write(request));
    }
    writer->WritesDone();
    grpc::Status status = writer->Finish();
    EXPECT_TRUE(status.ok()) << status.error_message();
    return summary;
  }

  grpc::Status GetBySourceKey(const std::string& source, const std::string& id,
                              GetProfileResponse* response) {
    GetProfileRequest request;
    request.mutable_record()->set_source(source);
    request.mutable_record()->set_source_id(id);
    grpc::ClientContext context;
    return profiles_->GetProfile(&context, request, response);
  }

  std::unique_ptr<ServerProcess> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<IngestService::Stub> ingest_;
  std::unique_ptr<ProfileService::Stub> profiles_;
};

SourceRecord Record(const std::string& source, const std::string& id) {
  SourceRecord r;
  r.set_source(source);
  r.set_source_id(id);
  return r;
}

// One person in all four systems, and her husband sharing the home phone,
// address and family e-mail.
std::vector<SourceRecord> VirtanenHousehold() {
  SourceRecord crm = Record("crm", "0031");
  crm.add_names()->set_given("Liisa");
  crm.mutable_names(0)->set_family("Jääskeläinen");
  crm.add_emails("liisa.jaaskelainen@kolumbus.fi");
  crm.add_phones("040 123 4567");
  crm.set_birth_date("1975-04-12");
  PostalAddress* home = crm.add_addresses();
  home->set_street("Mannerheimintie");
  home->set_house_number("12 B 7");
  home->set_postcode("00100");
  home->set_city("Helsinki");
  home->set_country("FI");

  SourceRecord erp = Record("erp", "100045");
  erp.add_names()->set_full("Jaaskelainen Liisa");
  erp.set_birth_date("1975-04-12");
  *erp.add_addresses() = *home;

  SourceRecord shop = Record("webshop", "u777");
  shop.add_names()->set_given("Liisa");
  shop.mutable_names(0)->set_family("Jaaskelainen");
  shop.add_emails("Liisa.Jaaskelainen@Kolumbus.fi");
  shop.add_phones("+358 40 1234567");

  SourceRecord social = Record("social", "instagram:liisa_j75");
  SocialHandle* handle = social.add_social_handles();
  handle->set_platform("instagram");
  handle->set_handle("liisa_j75");
  handle->set_display_name("Liisa Jääskeläinen");
  social.add_emails("liisa.jaaskelainen@kolumbus.fi");

  SourceRecord husband = Record("crm", "0032");
  husband.add_names()->set_given("Pekka");
  husband.mutable_names(0)->set_family("Jääskeläinen");
  husband.add_emails("jaaskelaiset@kolumbus.fi");
  husband.add_phones("09 765 4321");
  husband.set_birth_date("1972-09-30");
  *husband.add_addresses() = *home;
  return {crm, erp, shop, social, husband};
}

TEST_F(ServerE2ETest, HealthServiceReportsServing) {
  auto health = grpc::health::v1::Health::NewStub(channel_);
  grpc::health::v1::HealthCheckRequest request;
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(health->Check(&context, request, &response).ok());
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(ServerE2ETest, FourSourcesMergeIntoOneProfileFetchedByCrmKey) {
  UpsertSummary summary = Stream(VirtanenHousehold());
  EXPECT_EQ(summary.received(), 5);
  EXPECT_EQ(summary.rejected(), 0);

  GetProfileResponse response;
  grpc::Status status = GetBySourceKey("crm", "0031", &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::set<std::string> members;
  for (const RecordKey& key : response.profile().records()) {
    members.insert(key.source() + "/" + key.source_id());
  }
  EXPECT_THAT(members, UnorderedElementsAre("crm/0031", "erp/100045",
                                            "webshop/u777",
                                            "social/instagram:liisa_j75"));
  const Profile& profile = response.profile();
  EXPECT_EQ(profile.birth_date().value(), "1975-04-12");
  EXPECT_EQ(profile.birth_date().provenance().support(), 2);
  ASSERT_GE(profile.phones_size(), 1);
  EXPECT_EQ(profile.phones(0).value(), "+358401234567");
  EXPECT_EQ(profile.phones(0).provenance().support(), 2);

  GetProfileResponse husband;
  ASSERT_TRUE(GetBySourceKey("crm", "0032", &husband).ok());
  EXPECT_NE(husband.profile().entity_id(), profile.entity_id());
}

TEST_F(ServerE2ETest, CandidatesComeOnlyWhenAskedWithTheDecidingRule) {
  Stream(VirtanenHousehold());
  GetProfileRequest request;
  request.mutable_record()->set_source("crm");
  request.mutable_record()->set_source_id("0031");
  GetProfileResponse plain;
  grpc::ClientContext plain_context;
  ASSERT_TRUE(profiles_->GetProfile(&plain_context, request, &plain).ok());
  EXPECT_EQ(plain.profile().candidates_size(), 0);

  request.set_include_candidates(true);
  GetProfileResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(profiles_->GetProfile(&context, request, &response).ok());
  const AttributeCandidates* birth_date = nullptr;
  for (const AttributeCandidates& a : response.profile().candidates()) {
    if (a.attribute() == "birth_date") birth_date = &a;
  }
  ASSERT_NE(birth_date, nullptr);
  // crm and erp both say 1975-04-12: one value with the support of two.
  ASSERT_EQ(birth_date->candidates_size(), 1);
  EXPECT_TRUE(birth_date->candidates(0).chosen());
  EXPECT_EQ(birth_date->candidates(0).value(), "1975-04-12");
  EXPECT_EQ(birth_date->candidates(0).provenance().support(), 2);
  EXPECT_EQ(birth_date->candidates(0).decided_by(), "only candidate");
}

TEST_F(ServerE2ETest, GeneratedSampleOfFourSourcesLoadsOverTheStream) {
  std::vector<SourceRecord> records;
  std::map<int64_t, std::vector<std::string>> keys_of_person;
  GeneratorOptions options;
  options.people = 300;
  options.seed = 7;
  GenerateRecords(options, [&](const GeneratedRecord& g) {
    records.push_back(g.record);
  });
  UpsertSummary summary = Stream(records);
  EXPECT_EQ(summary.received(), static_cast<int64_t>(records.size()));
  EXPECT_EQ(summary.rejected(), 0) << summary.DebugString();
  EXPECT_EQ(summary.created() + summary.linked() + summary.merged() +
                summary.updated() + summary.unchanged(),
            static_cast<int64_t>(records.size()));
  // A second load of the same records changes nothing.
  UpsertSummary again = Stream(records);
  EXPECT_EQ(again.unchanged(), static_cast<int64_t>(records.size()));
}

TEST_F(ServerE2ETest, BadInputGetsClearErrors) {
  GetProfileResponse response;
  grpc::Status missing = GetBySourceKey("crm", "nobody", &response);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(missing.error_message(), HasSubstr("crm/nobody"));

  grpc::ClientContext context;
  GetProfileRequest empty;
  EXPECT_EQ(profiles_->GetProfile(&context, empty, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  grpc::ClientContext upsert_context;
  UpsertRequest bad;
  *bad.mutable_record() = Record("crm", "1");
  bad.mutable_record()->add_emails("not-an-email");
  UpsertResponse upserted;
  grpc::Status rejected = ingest_->Upsert(&upsert_context, bad, &upserted);
  EXPECT_EQ(rejected.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(rejected.error_message(), HasSubstr("emails[0]"));
  EXPECT_EQ(GetBySourceKey("crm", "1", &response).error_code(),
            grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext find_context;
  FindProfilesResponse found;
  EXPECT_EQ(profiles_->FindProfiles(&find_context, FindProfilesRequest(), &found)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServerE2ETest, MergedEntityIdStillResolvesAndSearchFindsIt) {
  SourceRecord by_email = Record("crm", "a");
  by_email.add_names()->set_full("Sergei Smirnov");
  by_email.add_emails("s.smirnov@yandex.ru");
  SourceRecord by_phone = Record("erp", "b");
  by_phone.add_names()->set_full("Сергей Смирнов");
  by_phone.add_phones("+7 912 345-67-89");
  by_phone.set_birth_date("1975-03-14");
  // The bridge matches both; the two entities merge because the evidence
  // holds between them on average (bridge-phone record: name, phone and
  // birth date; e-mail record-phone record: the name), not through the
  // bridge alone.
  SourceRecord bridge = Record("webshop", "c");
  bridge.add_names()->set_full("Sergey Smirnov");
  bridge.add_emails("S.Smirnov@yandex.ru");
  bridge.add_phones("8 (912) 345-67-89");
  bridge.set_birth_date("1975-03-14");
  bridge.add_addresses()->set_country("RU");
  Stream({by_email, by_phone});
  GetProfileResponse phone_profile;
  ASSERT_TRUE(GetBySourceKey("erp", "b", &phone_profile).ok());
  std::string retired = phone_profile.profile().entity_id();
  UpsertSummary summary = Stream({bridge});
  EXPECT_EQ(summary.merged(), 1);

  GetProfileRequest request;
  request.set_entity_id(retired);
  GetProfileResponse response;
  grpc::ClientContext context;
  ASSERT_TRUE(profiles_->GetProfile(&context, request, &response).ok());
  EXPECT_EQ(response.redirected_from(), retired);
  EXPECT_NE(response.profile().entity_id(), retired);
  EXPECT_THAT(response.profile().aliases(), ElementsAre(retired));
  EXPECT_EQ(response.profile().records_size(), 3);

  FindProfilesRequest find;
  find.set_phone("+79123456789");
  find.set_email("s.smirnov@yandex.ru");
  FindProfilesResponse found;
  grpc::ClientContext find_context;
  ASSERT_TRUE(profiles_->FindProfiles(&find_context, find, &found).ok());
  ASSERT_EQ(found.profiles_size(), 1);
  EXPECT_EQ(found.profiles(0).profile().entity_id(), response.profile().entity_id());
  EXPECT_THAT(found.profiles(0).matched_on(), UnorderedElementsAre("email", "phone"));
}

std::vector<ChangeEvent> Watch(ProfileService::Stub& stub, uint64_t from) {
  WatchChangesRequest request;
  request.set_from_sequence(from);
  grpc::ClientContext context;
  auto reader = stub.WatchChanges(&context, request);
  std::vector<ChangeEvent> events;
  ChangeEvent event;
  while (reader->Read(&event)) events.push_back(event);
  EXPECT_TRUE(reader->Finish().ok());
  return events;
}

TEST_F(ServerE2ETest, ChangeFeedResumesWithoutGapsOrRepeats) {
  Stream(VirtanenHousehold());
  std::vector<ChangeEvent> all = Watch(*profiles_, 0);
  ASSERT_EQ(all.size(), 5u);  // every record made or changed an entity
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].sequence(), i + 1);
  EXPECT_EQ(all[0].type(), ENTITY_CREATED);
  EXPECT_EQ(all[0].record().source_id(), "0031");

  // A consumer that stopped after sequence 3 resumes from 4.
  std::vector<ChangeEvent> rest = Watch(*profiles_, 4);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].sequence(), 4u);
  EXPECT_EQ(rest[1].sequence(), 5u);
  EXPECT_TRUE(Watch(*profiles_, 6).empty());
}

TEST_F(ServerE2ETest, FollowingFeedDeliversNewChangesAsTheyCommit) {
  WatchChangesRequest request;
  request.set_from_sequence(1);
  request.set_follow(true);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto reader = profiles_->WatchChanges(&context, request);
  SourceRecord first = Record("crm", "f1");
  first.add_emails("first@example.fi");
  Stream({first});
  ChangeEvent event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.sequence(), 1u);
  SourceRecord second = Record("crm", "f2");
  second.add_emails("second@example.fi");
  Stream({second});
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.sequence(), 2u);
  EXPECT_EQ(event.record().source_id(), "f2");
  context.TryCancel();
  while (reader->Read(&event)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(ServerE2ETest, SigtermShutsDownGracefully) {
  int status = server_->Terminate();
  ASSERT_NE(status, -1) << "server did not stop within 10 s";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace c360

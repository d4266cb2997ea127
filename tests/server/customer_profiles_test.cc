// The hit-rate models' view of unified profiles, read from a real store:
// customer keys resolved to live entities, records with their observed
// times, purchased values with their delivery dates.
#include "server/customer_profiles.h"

#include <memory>
#include <string>
#include <vector>

#include "enrich/business_id.h"
#include "enrich/enrichment_import.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/runtime.h"
#include "tests/resolver/test_stores.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::UnorderedElementsAre;

constexpr int64_t kDay = 86400;

SourceRecord Employee(const std::string& source, const std::string& id,
                      int observed_day) {
  SourceRecord r = Person(source, id, "Aino", "Virtanen");
  r.set_organization("Virtanen Consulting Oy");
  r.set_business_id("1234567-1");
  r.add_emails("aino.virtanen@virtanen.fi");
  r.mutable_observed_at()->set_seconds(observed_day * kDay);
  return r;
}

ProviderRow RegisterRow(const std::string& rating) {
  ProviderRow row;
  row.set_line(2);
  SourceRecord* id = row.mutable_identity();
  id->set_source("register");
  absl::StatusOr<std::string> canonical = CanonicalBusinessId("1234567-1", "FI");
  EXPECT_TRUE(canonical.ok());
  id->set_business_id(*canonical);
  id->set_source_id(*canonical);
  id->set_organization("Virtanen Consulting Oy");
  (*row.mutable_attributes())["credit_rating"] = rating;
  return row;
}

class StoreCustomerProfilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RuntimeOptions options;
    options.db_path = NewTestDir("customer_profiles");
    auto runtime = Runtime::Open(options);
    ASSERT_TRUE(runtime.ok()) << runtime.status();
    runtime_ = *std::move(runtime);
  }

  std::string Upsert(const SourceRecord& record) {
    absl::StatusOr<UpsertResult> result = runtime_->resolver().Upsert(record);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->entity_id : "";
  }

  void ImportRegister(const std::string& rating, int delivered_day) {
    EnrichmentImporter importer(&runtime_->store(), &runtime_->resolver());
    ImportRequest request;
    request.provider = "register";
    request.kind = COMPANY;
    request.file = "register.csv";
    request.actor = "test";
    request.delivered_at.set_seconds(delivered_day * kDay);
    ASSERT_TRUE(importer.Import(request, {RegisterRow(rating)}).ok());
  }

  std::unique_ptr<Runtime> runtime_;
};

TEST_F(StoreCustomerProfilesTest, RecordKeyAndEntityIdNameTheSameTimeline) {
  std::string entity = Upsert(Employee("crm", "1", 10));
  ASSERT_EQ(Upsert(Employee("webshop", "w1", 30)), entity);
  ImportRegister("AA", 20);
  const CustomerProfiles& profiles = *runtime_->customer_profiles();

  std::shared_ptr<const ProfileTimeline> by_record = profiles.Find("crm/1");
  ASSERT_NE(by_record, nullptr);
  std::vector<std::pair<std::string, int64_t>> records;
  for (const auto& r : by_record->records) {
    records.emplace_back(r.source, r.known_since);
  }
  EXPECT_THAT(records, UnorderedElementsAre(std::pair<std::string, int64_t>(
                                                "crm", 10 * kDay),
                                            std::pair<std::string, int64_t>(
                                                "webshop", 30 * kDay)));
  ASSERT_EQ(by_record->purchased.size(), 1u);
  EXPECT_EQ(by_record->purchased[0].attribute, "credit_rating");
  EXPECT_EQ(by_record->purchased[0].value, "AA");
  EXPECT_EQ(by_record->purchased[0].known_since, 20 * kDay);
  EXPECT_EQ(*by_record->PurchasedBefore("credit_rating", 21 * kDay), "AA");
  EXPECT_EQ(by_record->PurchasedBefore("credit_rating", 20 * kDay), nullptr);

  std::shared_ptr<const ProfileTimeline> by_entity = profiles.Find(entity);
  ASSERT_NE(by_entity, nullptr);
  EXPECT_EQ(by_entity->records.size(), 2u);
}

TEST_F(StoreCustomerProfilesTest, KeysNamingNoEntityHaveNoProfile) {
  Upsert(Employee("crm", "1", 10));
  const CustomerProfiles& profiles = *runtime_->customer_profiles();
  EXPECT_EQ(profiles.Find("Acme Corporation"), nullptr);  // an account name
  EXPECT_EQ(profiles.Find("crm/2"), nullptr);             // not ingested
  EXPECT_EQ(profiles.Find(""), nullptr);
}

TEST_F(StoreCustomerProfilesTest, EveryFindReadsTheCurrentStore) {
  Upsert(Employee("crm", "1", 10));
  const CustomerProfiles& profiles = *runtime_->customer_profiles();
  EXPECT_EQ(profiles.Find("crm/1")->records.size(), 1u);
  Upsert(Employee("erp", "e1", 12));
  EXPECT_EQ(profiles.Find("crm/1")->records.size(), 2u);
}

}  // namespace
}  // namespace c360

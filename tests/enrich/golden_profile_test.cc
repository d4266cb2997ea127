#include "enrich/golden_profile.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace c360 {
namespace {

using google::protobuf::util::TimeUtil;

const std::string& Finland(const std::string&) {
  static const std::string kRegion = "FI";
  return kRegion;
}

StoredRecord Member(const std::string& source, const std::string& id,
                    const std::string& observed, int first_seen_seconds) {
  StoredRecord stored;
  SourceRecord* r = stored.mutable_record();
  r->set_source(source);
  r->set_source_id(id);
  EXPECT_TRUE(TimeUtil::FromString(observed, r->mutable_observed_at()));
  *stored.mutable_first_seen() = TimeUtil::SecondsToTimestamp(first_seen_seconds);
  return stored;
}

class GoldenProfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    entity_.set_entity_id("E0000000001");
    entity_.add_aliases("E0000000007");
    StoredRecord crm = Member("crm", "1", "2021-01-01T00:00:00Z", 10);
    crm.mutable_record()->add_names()->set_given("Liisa");
    crm.mutable_record()->mutable_names(0)->set_family("Jääskeläinen");
    crm.mutable_record()->add_emails("Liisa@Example.fi");
    crm.mutable_record()->add_phones("040 123 4567");
    crm.mutable_record()->set_birth_date("1975-04-12");
    crm.mutable_record()->add_addresses()->set_city("Helsinki");

    StoredRecord erp = Member("erp", "2", "2023-06-01T00:00:00Z", 20);
    erp.mutable_record()->add_names()->set_full("Liisa Jaaskelainen-Virtanen");
    erp.mutable_record()->add_phones("+358 40 1234567");
    erp.mutable_record()->set_birth_date("1975-04-21");
    erp.mutable_record()->add_addresses()->set_city("Espoo");

    StoredRecord shop = Member("webshop", "3", "2022-01-01T00:00:00Z", 5);
    shop.mutable_record()->add_emails("liisa@example.fi");
    shop.mutable_record()->add_emails("l.j@gmail.com");
    shop.mutable_record()->set_birth_date("1975-04-12");
    members_ = {crm, erp, shop};
  }

  Profile Build() { return BuildProfile(entity_, members_, Finland); }

  EntityState entity_;
  std::vector<StoredRecord> members_;
};

TEST_F(GoldenProfileTest, RecordsAreListedOldestFirstWithAliases) {
  Profile p = Build();
  ASSERT_EQ(p.records_size(), 3);
  EXPECT_EQ(p.records(0).source(), "webshop");
  EXPECT_EQ(p.records(2).source(), "erp");
  EXPECT_THAT(p.aliases(), ::testing::ElementsAre("E0000000007"));
}

TEST_F(GoldenProfileTest, MostRecentNameWinsWithItsProvenance) {
  Profile p = Build();
  EXPECT_EQ(p.name().value(), "Liisa Jaaskelainen-Virtanen");
  EXPECT_EQ(p.name().provenance().record().source(), "erp");
  EXPECT_EQ(p.name().provenance().rule(), "most_recent");
  EXPECT_EQ(TimeUtil::ToString(p.name().provenance().observed_at()),
            "2023-06-01T00:00:00Z");
}

TEST_F(GoldenProfileTest, MostFrequentBirthDateWinsOverMostRecent) {
  Profile p = Build();
  EXPECT_EQ(p.birth_date().value(), "1975-04-12");
  EXPECT_EQ(p.birth_date().provenance().rule(), "most_frequent");
  EXPECT_EQ(p.birth_date().provenance().support(), 2);
}

TEST_F(GoldenProfileTest, ContactsAreDeduplicatedByNormalizedValue) {
  Profile p = Build();
  ASSERT_EQ(p.phones_size(), 1);
  EXPECT_EQ(p.phones(0).value(), "+358401234567");
  EXPECT_EQ(p.phones(0).provenance().support(), 2);
  ASSERT_EQ(p.emails_size(), 2);
  EXPECT_EQ(p.emails(0).value(), "liisa@example.fi");
  EXPECT_EQ(p.emails(0).provenance().support(), 2);
  EXPECT_EQ(p.emails(1).value(), "l.j@gmail.com");
}

TEST_F(GoldenProfileTest, AddressesMostRecentFirstAndLosersKept) {
  Profile p = Build();
  ASSERT_EQ(p.addresses_size(), 2);
  EXPECT_EQ(p.addresses(0).address().city(), "Espoo");
  EXPECT_EQ(p.addresses(1).address().city(), "Helsinki");
}

TEST(GoldenProfileEmptyTest, EntityWithoutValuesHasNoGoldenValues) {
  EntityState entity;
  entity.set_entity_id("E1");
  StoredRecord bare;
  bare.mutable_record()->set_source("crm");
  bare.mutable_record()->set_source_id("9");
  Profile p = BuildProfile(entity, {bare}, Finland);
  EXPECT_FALSE(p.has_name());
  EXPECT_FALSE(p.has_birth_date());
  EXPECT_EQ(p.emails_size(), 0);
  EXPECT_EQ(p.records_size(), 1);
}

}  // namespace
}  // namespace c360

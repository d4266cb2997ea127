#include "enrich/golden_profile.h"

#include <string>
#include <vector>

#include "enrich/segment_filter.h"
#include "enrich/segment_row_view.h"
#include "enrich/survivorship.h"
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
  *stored.mutable_first_seen() =
      TimeUtil::SecondsToTimestamp(first_seen_seconds);
  return stored;
}

ProviderRow Row(const std::string& provider, ProviderKind kind,
                const std::string& key, const std::string& delivered) {
  ProviderRow row;
  row.set_provider(provider);
  row.set_kind(kind);
  row.set_delivery_id("D" + delivered.substr(0, 10));
  row.mutable_identity()->set_source(provider);
  row.mutable_identity()->set_source_id(key);
  EXPECT_TRUE(TimeUtil::FromString(delivered, row.mutable_delivered_at()));
  return row;
}

// The candidates of `attribute` as "value (decided_by)", chosen ones marked
// with '*'.
std::vector<std::string> CandidatesOf(const Profile& p,
                                      const std::string& attribute) {
  std::vector<std::string> out;
  for (const AttributeCandidates& a : p.candidates()) {
    if (a.attribute() != attribute) continue;
    for (const Candidate& c : a.candidates()) {
      out.push_back((c.chosen() ? "*" : "") + c.value() + " (" +
                    c.decided_by() + ")");
    }
  }
  return out;
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

  Profile Build(bool include_candidates = false) {
    return BuildProfile(entity_, members_, rows_, rules_, Finland,
                        include_candidates);
  }

  EntityState entity_;
  std::vector<StoredRecord> members_;
  std::vector<ProviderRow> rows_;
  SurvivorshipRules rules_ = DefaultSurvivorshipRules();
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

TEST_F(GoldenProfileTest, CountsRecordsPerSource) {
  members_.push_back(Member("crm", "4", "2020-01-01T00:00:00Z", 30));
  Profile p = Build();
  EXPECT_EQ(p.records_per_source().at("crm"), 2);
  EXPECT_EQ(p.records_per_source().at("erp"), 1);
  EXPECT_EQ(p.records_per_source().at("webshop"), 1);
}

TEST_F(GoldenProfileTest, SourcePriorityRuleOverridesRecency) {
  absl::StatusOr<SurvivorshipRules> rules =
      ParseSurvivorshipRules(R"({"rules": [
      {"attribute": "name", "order": ["SOURCE_PRIORITY", "MOST_RECENT"],
       "source_priority": ["crm", "erp"]}]})");
  ASSERT_TRUE(rules.ok()) << rules.status();
  rules_ = *rules;
  Profile p = Build();
  EXPECT_EQ(p.name().value(), "Liisa Jääskeläinen");
  EXPECT_EQ(p.given_name().value(), "Liisa");
  EXPECT_EQ(p.name().provenance().rule(), "source_priority");
}

TEST_F(GoldenProfileTest, ProviderPersonValuesOnlyFillGaps) {
  ProviderRow person = Row("dnb", PERSON, "P1", "2024-03-01T00:00:00Z");
  person.mutable_identity()->add_names()->set_full("Liisa Provider");
  person.mutable_identity()->set_birth_date("1975-04-21");
  person.mutable_identity()->add_emails("bought@example.fi");
  rows_ = {person};
  Profile p = Build();
  EXPECT_EQ(p.name().value(), "Liisa Jaaskelainen-Virtanen");
  EXPECT_EQ(p.birth_date().value(), "1975-04-12");
  EXPECT_EQ(p.emails_size(), 2);

  members_ = {Member("crm", "9", "2021-01-01T00:00:00Z", 1)};
  p = Build();
  EXPECT_EQ(p.name().value(), "Liisa Provider");
  const Provenance& origin = p.name().provenance();
  EXPECT_EQ(origin.record().source(), "dnb");
  EXPECT_EQ(origin.record().source_id(), "P1");
  EXPECT_EQ(origin.provider(), "dnb");
  EXPECT_EQ(origin.delivery_id(), "D2024-03-01");
  EXPECT_EQ(TimeUtil::ToString(origin.observed_at()), "2024-03-01T00:00:00Z");
  EXPECT_EQ(origin.rule(), "provider_fill");
  EXPECT_EQ(p.birth_date().value(), "1975-04-21");
  // E-mails are never bought.
  EXPECT_EQ(p.emails_size(), 0);
}

TEST_F(GoldenProfileTest, ProviderOverrideBeatsEveryRecord) {
  absl::StatusOr<SurvivorshipRules> rules =
      ParseSurvivorshipRules(R"({"rules": [
      {"attribute": "name", "order": ["MOST_RECENT"],
       "provider_use": "PROVIDER_OVERRIDE"}]})");
  ASSERT_TRUE(rules.ok()) << rules.status();
  rules_ = *rules;
  ProviderRow person = Row("dnb", PERSON, "P1", "2020-01-01T00:00:00Z");
  person.mutable_identity()->add_names()->set_full("Liisa Provider");
  rows_ = {person};
  Profile p = Build(true);
  EXPECT_EQ(p.name().value(), "Liisa Provider");
  EXPECT_EQ(p.name().provenance().rule(), "provider_override");
  EXPECT_THAT(
      CandidatesOf(p, "name"),
      ::testing::ElementsAre("*Liisa Provider (provider_override)",
                             "Liisa Jaaskelainen-Virtanen (provider_override)",
                             "Liisa Jääskeläinen (most_recent)"));
}

TEST_F(GoldenProfileTest, EnrichmentNewestDeliveryWinsAcrossProviders) {
  ProviderRow older = Row("dnb", COMPANY, "FI:1", "2023-01-01T00:00:00Z");
  (*older.mutable_attributes())["industry_code"] = "62010";
  (*older.mutable_attributes())["employee_band"] = "10-49";
  ProviderRow newer =
      Row("asiakastieto", COMPANY, "FI:1", "2024-01-01T00:00:00Z");
  (*newer.mutable_attributes())["industry_code"] = "62020";
  rows_ = {older, newer};
  Profile p = Build();
  ASSERT_EQ(p.enrichment_size(), 2);
  EXPECT_EQ(p.enrichment(0).name(), "employee_band");
  EXPECT_EQ(p.enrichment(0).value().value(), "10-49");
  EXPECT_EQ(p.enrichment(1).name(), "industry_code");
  EXPECT_EQ(p.enrichment(1).value().value(), "62020");
  EXPECT_EQ(p.enrichment(1).value().provenance().provider(), "asiakastieto");
  EXPECT_EQ(p.enrichment(1).value().provenance().rule(), "most_recent");
}

TEST_F(GoldenProfileTest, CompanyRowNamesTheCompanyButIsNoPersonAddress) {
  ProviderRow company =
      Row("dnb", COMPANY, "FI:1234567-8", "2024-01-01T00:00:00Z");
  company.mutable_identity()->set_organization("Virtanen Consulting Oy");
  company.mutable_identity()->set_business_id("FI:1234567-8");
  PostalAddress* office = company.mutable_identity()->add_addresses();
  office->set_street("Keilaranta");
  office->set_city("Espoo");
  company.mutable_identity()->add_names()->set_full("Board Member");
  rows_ = {company};
  Profile p = Build(true);
  EXPECT_EQ(p.organization().value(), "Virtanen Consulting Oy");
  EXPECT_EQ(p.organization().provenance().provider(), "dnb");
  // Business ids are never bought; the records have none.
  EXPECT_FALSE(p.has_business_id());
  EXPECT_THAT(CandidatesOf(p, "business_id"),
              ::testing::ElementsAre("FI:1234567-8 (provider_never)"));
  ASSERT_EQ(p.addresses_size(), 2);
  for (const GoldenAddress& a : p.addresses()) {
    EXPECT_TRUE(a.provenance().provider().empty());
    EXPECT_NE(a.address().street(), "Keilaranta");
  }
  EXPECT_EQ(CandidatesOf(p, "address").size(), 2u);
  EXPECT_EQ(p.name().value(), "Liisa Jaaskelainen-Virtanen");
  EXPECT_EQ(CandidatesOf(p, "name").size(), 2u);
}

TEST_F(GoldenProfileTest, ConsentIsTheMostRecentStatement) {
  (*members_[0].mutable_record()->mutable_attributes())["consent.marketing"] =
      "yes";
  (*members_[0].mutable_record()->mutable_attributes())["consent_profiling"] =
      "1";
  (*members_[1].mutable_record()->mutable_attributes())["consent_Marketing"] =
      "Opt-Out";
  (*members_[2].mutable_record()->mutable_attributes())["consent.newsletter"] =
      "maybe";
  (*members_[2].mutable_record()->mutable_attributes())["segment"] = "gold";
  Profile p = Build();
  ASSERT_EQ(p.consents_size(), 2);
  EXPECT_EQ(p.consents(0).name(), "marketing");
  EXPECT_EQ(p.consents(0).value().value(), "denied");
  EXPECT_EQ(p.consents(0).value().provenance().record().source(), "erp");
  EXPECT_EQ(p.consents(1).name(), "profiling");
  EXPECT_EQ(p.consents(1).value().value(), "granted");
}

TEST_F(GoldenProfileTest, CandidatesSayWhatDecided) {
  Profile p = Build(true);
  EXPECT_THAT(CandidatesOf(p, "birth_date"),
              ::testing::ElementsAre("*1975-04-12 (most_frequent: 2 vs 1)",
                                     "1975-04-21 (most_frequent: 2 vs 1)"));
  EXPECT_THAT(
      CandidatesOf(p, "email"),
      ::testing::ElementsAre("*liisa@example.fi (most_frequent: 2 vs 1)",
                             "*l.j@gmail.com (most_frequent: 2 vs 1)"));
  EXPECT_THAT(CandidatesOf(p, "phone"),
              ::testing::ElementsAre("*+358401234567 (only candidate)"));
  EXPECT_THAT(CandidatesOf(p, "organization"), ::testing::IsEmpty());
  EXPECT_EQ(Build(false).candidates_size(), 0);
}

TEST_F(GoldenProfileTest, FlattenedFieldsAreSortedAndNamedForSegments) {
  members_[0].mutable_record()->mutable_addresses(0)->set_country("FI");
  members_[0].mutable_record()->mutable_addresses(0)->set_postcode("00100");
  members_[1].mutable_record()->mutable_addresses(0)->set_country("FI");
  members_[1].mutable_record()->mutable_names(0)->set_given("Liisa");
  members_[1].mutable_record()->mutable_names(0)->set_family("Jaaskelainen");
  members_[1].mutable_record()->set_organization("Virtanen Oy");
  members_[1].mutable_record()->set_business_id("1234567-8");
  SocialHandle* handle = members_[2].mutable_record()->add_social_handles();
  handle->set_platform("x");
  handle->set_handle("liisaj");
  (*members_[2].mutable_record()->mutable_attributes())["consent_marketing"] =
      "yes";
  ProviderRow company =
      Row("dnb", COMPANY, "FI:1234567-8", "2024-01-01T00:00:00Z");
  (*company.mutable_attributes())["industry_code"] = "62010";
  rows_ = {company};
  *entity_.mutable_created_at() = TimeUtil::SecondsToTimestamp(1700000000);
  *entity_.mutable_updated_at() = TimeUtil::SecondsToTimestamp(1700000100);
  SegmentRow row = FlattenProfile(Build());
  EXPECT_EQ(row.entity_id(), "E0000000001");
  std::vector<std::string> names;
  for (const SegmentField& f : row.fields()) {
    names.push_back(f.name());
    EXPECT_FALSE(f.values().empty()) << f.name();
  }
  EXPECT_THAT(names,
              ::testing::ElementsAre(
                  "birth_date", "business_id", "city", "consent.marketing",
                  "country", "created_at", "email", "enrichment.industry_code",
                  "family_name", "given_name", "handle", "name", "organization",
                  "phone", "postcode", "records", "source", "source.crm",
                  "source.erp", "source.webshop", "updated_at"));
  auto values = [&](const std::string& name) {
    for (const SegmentField& f : row.fields()) {
      if (f.name() == name)
        return std::vector<std::string>(f.values().begin(), f.values().end());
    }
    return std::vector<std::string>();
  };
  EXPECT_THAT(values("city"), ::testing::ElementsAre("Espoo", "Helsinki"));
  EXPECT_THAT(values("country"), ::testing::ElementsAre("FI"));
  EXPECT_THAT(values("email"),
              ::testing::ElementsAre("liisa@example.fi", "l.j@gmail.com"));
  EXPECT_THAT(values("handle"), ::testing::ElementsAre("x:liisaj"));
  EXPECT_THAT(values("source"),
              ::testing::ElementsAre("crm", "erp", "webshop"));
  EXPECT_THAT(values("source.crm"), ::testing::ElementsAre("1"));
  EXPECT_THAT(values("records"), ::testing::ElementsAre("3"));
  EXPECT_THAT(values("created_at"),
              ::testing::ElementsAre("2023-11-14T22:13:20Z"));
}

TEST(GoldenProfileScoresTest, FlattenedScoresAreDecimalTextForFilters) {
  Profile profile;
  profile.set_entity_id("E0000000001");
  CustomerScores* scores = profile.mutable_scores();
  scores->set_open_opportunities(3);
  scores->set_expected_value(12345.678);
  scores->set_expected_profit(2000.5);
  scores->set_without_cost(1);
  scores->set_best_hit_rate(0.61234);
  SegmentRow row = FlattenProfile(profile);
  std::vector<std::string> fields;
  for (const SegmentField& f : row.fields()) {
    ASSERT_EQ(f.values_size(), 1) << f.name();
    fields.push_back(f.name() + "=" + f.values(0));
  }
  EXPECT_THAT(fields, ::testing::ElementsAre("score.best_hit_rate=0.6123",
                                             "score.expected_profit=2000.50",
                                             "score.expected_value=12345.68",
                                             "score.open_opportunities=3"));
  absl::StatusOr<SegmentFilter> filter =
      SegmentFilter::Compile("score.expected_value > 10000");
  ASSERT_TRUE(filter.ok()) << filter.status();
  const std::string bytes = row.SerializeAsString();
  SegmentRowView view;
  ASSERT_TRUE(view.Parse(bytes));
  EXPECT_TRUE(filter->Matches(view));

  // Without any cost the expected profit is unknown, not 0.
  scores->set_without_cost(3);
  const SegmentRow without_cost = FlattenProfile(profile);
  for (const SegmentField& f : without_cost.fields()) {
    EXPECT_NE(f.name(), "score.expected_profit");
  }
  const std::string unscored = FlattenProfile(Profile()).SerializeAsString();
  ASSERT_TRUE(view.Parse(unscored));
  EXPECT_FALSE(filter->Matches(view));
}

TEST(GoldenProfileEmptyTest, EntityWithoutValuesHasNoGoldenValues) {
  EntityState entity;
  entity.set_entity_id("E1");
  StoredRecord bare;
  bare.mutable_record()->set_source("crm");
  bare.mutable_record()->set_source_id("9");
  Profile p = BuildProfile(entity, {bare}, {}, DefaultSurvivorshipRules(),
                           Finland, true);
  EXPECT_FALSE(p.has_name());
  EXPECT_FALSE(p.has_birth_date());
  EXPECT_EQ(p.emails_size(), 0);
  EXPECT_EQ(p.records_size(), 1);
  EXPECT_EQ(p.candidates_size(), 0);
}

}  // namespace
}  // namespace c360

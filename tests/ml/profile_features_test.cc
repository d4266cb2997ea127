// The data-dependent model columns: an opportunity's further CRM fields
// (attribute.*), and the customer's unified profile as of the opportunity's
// date (source.*, profile_tenure_days, enrichment.*), with ordinal scales.
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ml/customer_profiles.h"
#include "ml/features.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;

constexpr int64_t kDay = 86400;

Opportunity Deal(const std::string& id, const std::string& customer,
                 int created_day) {
  Opportunity opp;
  opp.set_opportunity_id(id);
  opp.set_customer_id(customer);
  opp.set_price(100);
  opp.mutable_created_at()->set_seconds(created_day * kDay);
  opp.mutable_closed_at()->set_seconds((created_day + 5) * kDay);
  opp.set_outcome(OUTCOME_WON);
  return opp;
}

// "crm/1": two crm records (days 10 and 50), one webshop record (day 30), a
// credit rating "B" delivered on day 20 and "AA" on day 60, 120 employees
// delivered on day 20.
std::shared_ptr<InMemoryCustomerProfiles> Profiles() {
  ProfileTimeline timeline;
  timeline.records = {{"crm", 10 * kDay}, {"webshop", 30 * kDay},
                      {"crm", 50 * kDay}};
  timeline.purchased = {{"credit_rating", "B", 20 * kDay},
                        {"credit_rating", "AA", 60 * kDay},
                        {"employees", "120", 20 * kDay}};
  auto profiles = std::make_shared<InMemoryCustomerProfiles>();
  profiles->Add("crm/1", timeline);
  return profiles;
}

FeatureConfig CreditScale() {
  FeatureConfig config;
  for (const char* level : {"C", "B", "A", "AA", "AAA"}) {
    (*config.mutable_ordinal_scales())["enrichment.credit_rating"].add_levels(
        level);
  }
  return config;
}

std::vector<std::string> Names(const FeatureSchema& schema) {
  std::vector<std::string> names;
  for (const FeatureSpec& spec : schema.features()) names.push_back(spec.name());
  return names;
}

const FeatureSpec* Spec(const FeatureSchema& schema, const std::string& name) {
  for (const FeatureSpec& spec : schema.features()) {
    if (spec.name() == name) return &spec;
  }
  return nullptr;
}

// The row of `opp` by column name.
std::map<std::string, float> Row(const FeatureEncoder& encoder,
                                 const Opportunity& opp,
                                 const AccountHistory& history) {
  std::vector<float> values(encoder.num_features());
  encoder.Encode(opp, history, values.data());
  std::map<std::string, float> row;
  for (int i = 0; i < encoder.num_features(); ++i) {
    row[encoder.schema().features(i).name()] = values[i];
  }
  return row;
}

TEST(ProfileFeaturesTest, ColumnsOnlyWithProfiles) {
  std::vector<Opportunity> opps = {Deal("a", "crm/1", 40)};
  FeatureSchema without = FeatureEncoder::BuildSchema(
      FeatureSet::kAtCreation, opps, AccountHistory(opps));
  EXPECT_EQ(Spec(without, "profile_tenure_days"), nullptr);
  AccountHistory history(opps, Profiles());
  FeatureSchema with = FeatureEncoder::BuildSchema(FeatureSet::kAtCreation,
                                                   opps, history, CreditScale());
  std::vector<std::string> names = Names(with);
  std::vector<std::string> added(names.begin() + without.features_size(),
                                 names.end());
  EXPECT_THAT(added, ElementsAre("source.crm", "source.webshop",
                                 "profile_tenure_days",
                                 "enrichment.credit_rating",
                                 "enrichment.employees"));
  EXPECT_TRUE(Spec(with, "enrichment.credit_rating")->ordinal());
  EXPECT_FALSE(Spec(with, "enrichment.credit_rating")->categorical());
  // Every value of employees is a number: a numeric column...
  EXPECT_FALSE(Spec(with, "enrichment.employees")->categorical());
  EXPECT_FALSE(Spec(with, "enrichment.employees")->ordinal());
  // ...unless the config says it is a code.
  FeatureConfig codes;
  codes.add_categorical("enrichment.employees");
  FeatureSchema coded = FeatureEncoder::BuildSchema(FeatureSet::kAtCreation,
                                                    opps, history, codes);
  EXPECT_TRUE(Spec(coded, "enrichment.employees")->categorical());
  EXPECT_THAT(Spec(coded, "enrichment.employees")->categories(),
              ElementsAre("120"));
}

TEST(ProfileFeaturesTest, OnlyWhatWasKnownBeforeTheOpportunity) {
  std::vector<Opportunity> opps = {Deal("early", "crm/1", 40),
                                   Deal("late", "crm/1", 70),
                                   Deal("first", "crm/1", 15)};
  AccountHistory history(opps, Profiles());
  auto encoder = FeatureEncoder::Create(FeatureEncoder::BuildSchema(
      FeatureSet::kAtCreation, opps, history, CreditScale()));
  ASSERT_TRUE(encoder.ok()) << encoder.status();

  std::map<std::string, float> early = Row(*encoder, opps[0], history);
  EXPECT_EQ(early["source.crm"], 1);  // the day-50 record is not known yet
  EXPECT_EQ(early["source.webshop"], 1);
  EXPECT_EQ(early["profile_tenure_days"], 30);
  EXPECT_EQ(early["enrichment.credit_rating"], 2);  // "B", rank 2 of 5
  EXPECT_EQ(early["enrichment.employees"], 120);

  std::map<std::string, float> late = Row(*encoder, opps[1], history);
  EXPECT_EQ(late["source.crm"], 2);
  EXPECT_EQ(late["enrichment.credit_rating"], 4);  // the newer "AA"

  std::map<std::string, float> first = Row(*encoder, opps[2], history);
  EXPECT_EQ(first["source.webshop"], 0);
  EXPECT_TRUE(std::isnan(first["enrichment.credit_rating"]));  // day 20
  EXPECT_EQ(first["profile_tenure_days"], 5);
}

TEST(ProfileFeaturesTest, CustomerWithoutProfileIsMissing) {
  std::vector<Opportunity> opps = {Deal("a", "crm/1", 40),
                                   Deal("b", "Acme Corporation", 40)};
  AccountHistory history(opps, Profiles());
  auto encoder = FeatureEncoder::Create(FeatureEncoder::BuildSchema(
      FeatureSet::kAtCreation, opps, history));
  ASSERT_TRUE(encoder.ok());
  std::map<std::string, float> row = Row(*encoder, opps[1], history);
  EXPECT_TRUE(std::isnan(row["source.crm"]));
  EXPECT_TRUE(std::isnan(row["profile_tenure_days"]));
  // Without a scale, ratings are categories: those known on day 40 only.
  EXPECT_THAT(Spec(encoder->schema(), "enrichment.credit_rating")->categories(),
              ElementsAre("B"));
}

TEST(ProfileFeaturesTest, OpportunityAttributesOrdinalNumericCategorical) {
  std::vector<Opportunity> opps = {Deal("a", "", 1), Deal("b", "", 2),
                                   Deal("c", "", 3)};
  (*opps[0].mutable_attributes())["satisfaction"] = "Good";
  (*opps[1].mutable_attributes())["satisfaction"] = "poor";
  (*opps[2].mutable_attributes())["satisfaction"] = "unheard-of";
  (*opps[0].mutable_attributes())["visits"] = "3";
  (*opps[1].mutable_attributes())["visits"] = "12";
  (*opps[0].mutable_attributes())["channel"] = "phone";
  FeatureConfig config;
  for (const char* level : {"poor", "fair", "good"}) {
    (*config.mutable_ordinal_scales())["attribute.satisfaction"].add_levels(
        level);
  }
  AccountHistory history(opps);
  auto encoder = FeatureEncoder::Create(FeatureEncoder::BuildSchema(
      FeatureSet::kAtCreation, opps, history, config));
  ASSERT_TRUE(encoder.ok()) << encoder.status();
  EXPECT_TRUE(Spec(encoder->schema(), "attribute.channel")->categorical());
  std::map<std::string, float> a = Row(*encoder, opps[0], history);
  EXPECT_EQ(a["attribute.satisfaction"], 3);  // case does not matter
  EXPECT_EQ(a["attribute.visits"], 3);
  EXPECT_EQ(a["attribute.channel"], 0);
  std::map<std::string, float> b = Row(*encoder, opps[1], history);
  EXPECT_EQ(b["attribute.satisfaction"], 1);
  EXPECT_EQ(b["attribute.visits"], 12);
  EXPECT_TRUE(std::isnan(b["attribute.channel"]));
  // A value off the scale is missing, and reads as such in a factor.
  std::map<std::string, float> c = Row(*encoder, opps[2], history);
  EXPECT_TRUE(std::isnan(c["attribute.satisfaction"]));
  EXPECT_EQ(FeatureValueText(*Spec(encoder->schema(), "attribute.satisfaction"),
                             a["attribute.satisfaction"]),
            "good");
}

TEST(ProfileFeaturesTest, SchemaTypesAreChecked) {
  FeatureSchema schema;
  schema.set_feature_set("at_creation");
  FeatureSpec* spec = schema.add_features();
  spec->set_name("source.crm");
  spec->set_categorical(true);  // a count is never categorical
  EXPECT_TRUE(absl::IsInvalidArgument(FeatureEncoder::Create(schema).status()));
  spec->set_categorical(false);
  EXPECT_TRUE(FeatureEncoder::Create(schema).ok());
  spec->set_name("attribute.");  // no name
  EXPECT_TRUE(absl::IsInvalidArgument(FeatureEncoder::Create(schema).status()));
  spec->set_name("enrichment.credit_rating");
  spec->set_categorical(true);
  spec->set_ordinal(true);
  EXPECT_TRUE(absl::IsInvalidArgument(FeatureEncoder::Create(schema).status()));
}

TEST(MemoizedCustomerProfilesTest, AsksTheBaseOncePerKey) {
  class Counting : public CustomerProfiles {
   public:
    std::shared_ptr<const ProfileTimeline> Find(
        absl::string_view key) const override {
      ++calls;
      return key == "x" ? std::make_shared<ProfileTimeline>() : nullptr;
    }
    mutable int calls = 0;
  };
  auto base = std::make_shared<Counting>();
  MemoizedCustomerProfiles memo(base);
  EXPECT_NE(memo.Find("x"), nullptr);
  EXPECT_NE(memo.Find("x"), nullptr);
  EXPECT_EQ(memo.Find("y"), nullptr);
  EXPECT_EQ(memo.Find("y"), nullptr);
  EXPECT_EQ(base->calls, 2);
}

}  // namespace
}  // namespace c360

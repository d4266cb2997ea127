#include "ml/features.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/ml/maven_data.h"

namespace c360 {
namespace {

constexpr int64_t kDay = 86400;

Opportunity Deal(const std::string& id, const std::string& customer,
                 int created_day, int closed_day, OpportunityOutcome outcome,
                 double price) {
  Opportunity opp;
  opp.set_opportunity_id(id);
  opp.set_customer_id(customer);
  opp.set_price(price);
  opp.set_product("Widget");
  opp.set_owner("Ann");
  opp.mutable_created_at()->set_seconds(created_day * kDay);
  if (closed_day >= 0) opp.mutable_closed_at()->set_seconds(closed_day * kDay);
  opp.set_outcome(outcome);
  return opp;
}

float Column(const FeatureEncoder& encoder, const std::vector<float>& row,
             const std::string& name) {
  for (int i = 0; i < encoder.num_features(); ++i) {
    if (encoder.schema().features(i).name() == name) return row[i];
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

TEST(AccountHistoryTest, CountsOnlyDealsClosedBefore) {
  std::vector<Opportunity> opps = {Deal("a", "acme", 0, 10, OUTCOME_WON, 100),
                                   Deal("b", "acme", 5, 20, OUTCOME_LOST, 50),
                                   Deal("c", "acme", 8, -1, OUTCOME_OPEN, 70),
                                   Deal("d", "other", 1, 2, OUTCOME_WON, 10)};
  AccountHistory history(opps);
  AccountHistory::Summary at10 = history.AsOf("acme", 10 * kDay);
  EXPECT_EQ(at10.won, 0);  // closed ON day 10 is not yet history
  EXPECT_EQ(at10.tenure_days, 10);
  AccountHistory::Summary at11 = history.AsOf("acme", 11 * kDay);
  EXPECT_EQ(at11.won, 1);
  EXPECT_EQ(at11.lost, 0);
  EXPECT_EQ(at11.won_revenue, 100);
  AccountHistory::Summary at30 = history.AsOf("acme", 30 * kDay);
  EXPECT_EQ(at30.lost, 1);
  EXPECT_EQ(history.AsOf("nobody", 30 * kDay).won, 0);
}

TEST(FeatureEncoderTest, SetsDifferInOfferColumns) {
  std::vector<Opportunity> opps = {Deal("a", "acme", 0, 10, OUTCOME_WON, 100)};
  FeatureSchema creation =
      FeatureEncoder::BuildSchema(FeatureSet::kAtCreation, opps,
                                  AccountHistory(opps));
  FeatureSchema offer =
      FeatureEncoder::BuildSchema(FeatureSet::kAfterFirstOffer, opps,
                                  AccountHistory(opps));
  EXPECT_EQ(offer.features_size(), creation.features_size() + 4);
  for (const FeatureSpec& spec : creation.features()) {
    EXPECT_NE(spec.name(), "price");
    EXPECT_NE(spec.name(), "product");
  }
}

TEST(FeatureEncoderTest, UnknownCategoryIsMissing) {
  std::vector<Opportunity> opps = {Deal("a", "acme", 0, 10, OUTCOME_WON, 100)};
  absl::StatusOr<FeatureEncoder> encoder = FeatureEncoder::Create(
      FeatureEncoder::BuildSchema(FeatureSet::kAfterFirstOffer, opps,
                                  AccountHistory(opps)));
  ASSERT_TRUE(encoder.ok()) << encoder.status();
  Opportunity other = opps[0];
  other.set_owner("Zed");
  std::vector<float> row(encoder->num_features());
  encoder->Encode(other, AccountHistory(opps), row.data());
  EXPECT_TRUE(std::isnan(Column(*encoder, row, "owner")));
  EXPECT_EQ(Column(*encoder, row, "product"), 0);
  EXPECT_EQ(Column(*encoder, row, "price"), 100);
}

TEST(FeatureEncoderTest, CategoricalColumnWithoutVocabularyIsMissing) {
  // No training example had a manager: a manager spelled like a number
  // must not pass for a category code.
  std::vector<Opportunity> opps = {Deal("a", "acme", 0, 10, OUTCOME_WON, 100)};
  absl::StatusOr<FeatureEncoder> encoder = FeatureEncoder::Create(
      FeatureEncoder::BuildSchema(FeatureSet::kAtCreation, opps,
                                  AccountHistory(opps)));
  ASSERT_TRUE(encoder.ok());
  Opportunity managed = opps[0];
  managed.set_manager("0");
  std::vector<float> row(encoder->num_features());
  encoder->Encode(managed, AccountHistory(opps), row.data());
  EXPECT_TRUE(std::isnan(Column(*encoder, row, "manager")));
}

TEST(FeatureEncoderTest, UnknownColumnIsInvalidArgument) {
  FeatureSchema schema;
  schema.set_feature_set("at_creation");
  schema.add_features()->set_name("close_value");
  EXPECT_TRUE(absl::IsInvalidArgument(FeatureEncoder::Create(schema).status()));
  schema.set_feature_set("later");
  EXPECT_TRUE(absl::IsInvalidArgument(FeatureEncoder::Create(schema).status()));
}

// The no-leakage property on real data: the features of every opportunity
// are the same whether or not the opportunities created after it exist.
TEST(FeatureEncoderTest, LaterOpportunitiesDoNotChangeFeatures) {
  const std::vector<Opportunity>& all = MavenOpportunities();
  for (FeatureSet set :
       {FeatureSet::kAtCreation, FeatureSet::kAfterFirstOffer}) {
    absl::StatusOr<FeatureEncoder> encoder =
        FeatureEncoder::Create(FeatureEncoder::BuildSchema(set, all, AccountHistory(all)));
    ASSERT_TRUE(encoder.ok());
    std::vector<int64_t> created;
    for (const Opportunity& opp : all) {
      if (opp.has_created_at()) created.push_back(opp.created_at().seconds());
    }
    std::nth_element(created.begin(), created.begin() + created.size() / 2,
                     created.end());
    int64_t cutoff = created[created.size() / 2];  // the median date
    std::vector<Opportunity> early;
    for (const Opportunity& opp : all) {
      if (opp.has_created_at() && opp.created_at().seconds() <= cutoff) {
        early.push_back(opp);
      }
    }
    ASSERT_GT(early.size(), 3000u);
    ASSERT_LT(early.size(), 5000u);
    std::vector<float> alone = encoder->EncodeAll(early, AccountHistory(early));
    std::vector<float> with_later =
        encoder->EncodeAll(early, AccountHistory(all));
    ASSERT_EQ(alone.size(), with_later.size());
    for (size_t i = 0; i < alone.size(); ++i) {
      ASSERT_TRUE(alone[i] == with_later[i] ||
                  (std::isnan(alone[i]) && std::isnan(with_later[i])))
          << "value " << i << " of set " << FeatureSetName(set);
    }
  }
}

}  // namespace
}  // namespace c360

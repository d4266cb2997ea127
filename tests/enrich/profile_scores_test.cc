// Customer keys resolve to live entities (store/customer_scores.h), a
// profile shows the stored scores of its entity and of the ids merged into
// it since they were stored, and erasure deletes them.
#include <memory>
#include <string>

#include "enrich/golden_profile.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "resolver/erasure.h"
#include "resolver/rule_decider.h"
#include "resolver/steward.h"
#include "store/customer_scores.h"
#include "store/rocksdb_store.h"
#include "tests/resolver/test_stores.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;

CustomerScores Scores(int64_t open, double value, int64_t scored_at,
                      const std::string& opportunity_id) {
  CustomerScores scores;
  scores.set_open_opportunities(open);
  scores.set_expected_value(value);
  scores.set_best_hit_rate(value / 1000);
  *scores.mutable_scored_at() = TimeUtil::SecondsToTimestamp(scored_at);
  scores.add_opportunity_ids(opportunity_id);
  return scores;
}

class ProfileScoresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rocks = OpenRocksDbStore({.path = NewTestDir("profile_scores")});
    ASSERT_TRUE(rocks.ok()) << rocks.status();
    store_ = *std::move(rocks);
    resolver_ = std::make_unique<Resolver>(store_.get(), NewRuleDecider(),
                                           ResolverOptions());
    reader_ = std::make_unique<ProfileReader>(
        store_.get(), [](const std::string&) -> const std::string& {
          static const std::string kRegion = "FI";
          return kRegion;
        });
    anna_ = Upsert(Person("crm", "1", "Anna", "Aalto"));
    bert_ = Upsert(Person("crm", "2", "Bert", "Berg"));
    cid_ = Upsert(Person("erp", "7", "Cid", "Carlsson"));
  }

  std::string Upsert(const SourceRecord& record) {
    absl::StatusOr<UpsertResult> result = resolver_->Upsert(record);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->entity_id : "";
  }

  // Merges Bert's entity into Anna's, the older.
  void MergeBertIntoAnna() {
    MergeEntitiesRequest merge;
    merge.set_entity_a(anna_);
    merge.set_entity_b(bert_);
    ASSERT_TRUE(Steward(store_.get(), resolver_.get())
                    .MergeEntities(merge, "steward")
                    .ok());
  }

  void Store(const std::string& entity_id, const CustomerScores& scores) {
    WriteSet writes;
    writes.Put(Table::kScores, EntityScoresKey(entity_id),
               scores.SerializeAsString());
    ASSERT_TRUE(store_->Commit(writes).ok());
  }

  absl::StatusOr<std::string> Resolve(const std::string& key) {
    return ResolveCustomerKey(Repository(store_.get()), key);
  }

  std::unique_ptr<KvStore> store_;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<ProfileReader> reader_;
  std::string anna_, bert_, cid_;
};

TEST_F(ProfileScoresTest, KeysResolveToLiveEntitiesOrNotAtAll) {
  ASSERT_NE(anna_, bert_);
  EXPECT_EQ(*Resolve(anna_), anna_);
  EXPECT_EQ(*Resolve("erp/7"), cid_);
  MergeBertIntoAnna();
  EXPECT_EQ(*Resolve(bert_), anna_);
  EXPECT_EQ(*Resolve("crm/2"), anna_);
  for (const char* unresolved :
       {"Acme Corporation", "crm/999", "E9999999999", "crm/", "/1"}) {
    EXPECT_TRUE(absl::IsNotFound(Resolve(unresolved).status())) << unresolved;
  }
  ASSERT_TRUE(Eraser(store_.get(), resolver_.get())
                  .EraseEntity(cid_, "request", "dpo")
                  .ok());
  EXPECT_TRUE(absl::IsNotFound(Resolve(cid_).status()));
  EXPECT_TRUE(absl::IsNotFound(Resolve("erp/7").status()));
}

TEST_F(ProfileScoresTest, ProfileAddsTheRowsOfIdsMergedSinceScoring) {
  Store(anna_, Scores(2, 300.0, 100, "O2"));
  Store(bert_, Scores(1, 500.0, 200, "O1"));
  absl::StatusOr<ProfileLookup> before = reader_->ByEntityId(anna_, false);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->profile.scores().open_opportunities(), 2);

  MergeBertIntoAnna();
  for (const std::string& id : {anna_, bert_}) {
    absl::StatusOr<ProfileLookup> lookup = reader_->ByEntityId(id, false);
    ASSERT_TRUE(lookup.ok()) << lookup.status();
    const CustomerScores& scores = lookup->profile.scores();
    EXPECT_EQ(scores.customer_key(), anna_);
    EXPECT_EQ(scores.open_opportunities(), 3);
    EXPECT_DOUBLE_EQ(scores.expected_value(), 800.0);
    EXPECT_DOUBLE_EQ(scores.best_hit_rate(), 0.5);
    EXPECT_EQ(scores.scored_at().seconds(), 200);
    EXPECT_THAT(scores.opportunity_ids(), ElementsAre("O1", "O2"));
  }
  absl::StatusOr<ProfileLookup> cid = reader_->ByEntityId(cid_, false);
  ASSERT_TRUE(cid.ok()) << cid.status();
  EXPECT_FALSE(cid->profile.has_scores());
}

TEST_F(ProfileScoresTest, ErasureDeletesTheScoresOfTheIdAndItsAliases) {
  Store(anna_, Scores(2, 300.0, 100, "O2"));
  Store(bert_, Scores(1, 500.0, 200, "O1"));
  MergeBertIntoAnna();
  ASSERT_TRUE(Eraser(store_.get(), resolver_.get())
                  .EraseEntity(anna_, "request", "dpo")
                  .ok());
  for (const std::string& id : {anna_, bert_}) {
    EXPECT_TRUE(absl::IsNotFound(
        store_->Get(Table::kScores, EntityScoresKey(id)).status()));
  }
}

TEST_F(ProfileScoresTest, UnparsableRowIsDataLoss) {
  WriteSet writes;
  writes.Put(Table::kScores, EntityScoresKey(anna_), "\xff\xff");
  ASSERT_TRUE(store_->Commit(writes).ok());
  EXPECT_TRUE(absl::IsDataLoss(reader_->ByEntityId(anna_, false).status()));
}

}  // namespace
}  // namespace c360

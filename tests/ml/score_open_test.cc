// Stored scores of the open pipeline (ml/score_open.h) over the Maven data
// with a published at-creation model; customer keys naming entities count
// for the live entity, reach its profile and are announced when changed.
#include "ml/score_open.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "enrich/golden_profile.h"
#include "enrich/profile_projection.h"
#include "enrich/segment_filter.h"
#include "enrich/segment_index.h"
#include "enrich/segment_row_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "ml/opportunity_store.h"
#include "resolver/resolver.h"
#include "resolver/rule_decider.h"
#include "resolver/steward.h"
#include "server/scored_entities.h"
#include "server/scoring_service.h"
#include "store/keys.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"
#include "tests/ml/maven_data.h"
#include "tests/ml/publish_model.h"
#include "tests/resolver/test_stores.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01

class ScoreOpenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenRocksDbStore({.path = NewTestDir("score_open")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    ASSERT_TRUE(SaveOpportunities(MavenOpportunities(), store_.get()).ok());
    resolver_ = std::make_unique<Resolver>(store_.get(), NewRuleDecider(),
                                           ResolverOptions());
  }

  absl::StatusOr<ScoreOpenSummary> ScoreOpen(absl::Time now) {
    return ScoreOpenOpportunities(
        store_.get(), now, AnnounceEntityScores(store_.get(), resolver_.get()));
  }

  int64_t ScoreRows() const {
    int64_t rows = 0;
    EXPECT_TRUE(store_
                    ->Scan(Table::kScores, "", "",
                           [&](absl::string_view, absl::string_view) {
                             ++rows;
                             return true;
                           })
                    .ok());
    return rows;
  }

  absl::StatusOr<StoredOpportunityScore> Stored(const std::string& id) const {
    absl::StatusOr<std::string> row =
        store_->Get(Table::kScores, OpportunityScoreKey(id));
    if (!row.ok()) return row.status();
    StoredOpportunityScore score;
    EXPECT_TRUE(score.ParseFromString(*row));
    return score;
  }

  // Σ hit_rate × price per customer key over the open opportunities, with
  // each hit rate from ScoringService's Score.
  std::map<std::string, double> ExpectedValues(
      const std::vector<Opportunity>& opportunities) {
    Scoring scoring(store_.get());
    std::map<std::string, double> values;
    for (const Opportunity& opp : opportunities) {
      if (opp.outcome() != OUTCOME_OPEN || opp.customer_id().empty()) continue;
      ScoreOpportunityRequest request;
      request.set_opportunity_id(opp.opportunity_id());
      absl::StatusOr<ScoreOpportunityResponse> score = scoring.Score(request);
      EXPECT_TRUE(score.ok()) << score.status();
      if (score.ok())
        values[opp.customer_id()] += score->hit_rate() * opp.price();
    }
    return values;
  }

  std::unique_ptr<KvStore> store_;
  std::unique_ptr<Resolver> resolver_;
};

int64_t OpenCount(const std::vector<Opportunity>& opportunities) {
  int64_t open = 0;
  for (const Opportunity& opp : opportunities) {
    open += opp.outcome() == OUTCOME_OPEN;
  }
  return open;
}

TEST_F(ScoreOpenTest, NoPublishedModelIsFailedPreconditionAndStoresNothing) {
  absl::StatusOr<ScoreOpenSummary> summary = ScoreOpen(kNow);
  EXPECT_TRUE(absl::IsFailedPrecondition(summary.status())) << summary.status();
  EXPECT_THAT(summary.status().message(), HasSubstr("c360 ml publish"));
  EXPECT_EQ(ScoreRows(), 0);
}

TEST_F(ScoreOpenTest, StoresEveryOpenScoreAsScoringItDirectly) {
  PublishMavenModel(store_.get());
  absl::StatusOr<ScoreOpenSummary> summary = ScoreOpen(kNow);
  ASSERT_TRUE(summary.ok()) << summary.status();
  const int64_t open = OpenCount(MavenOpportunities());
  ASSERT_EQ(open, 2089);
  EXPECT_EQ(summary->opportunities_scored, open);
  EXPECT_EQ(summary->skipped, 0);
  ASSERT_EQ(summary->by_model.size(), 1u);
  EXPECT_EQ(summary->by_model[0].family, "hit_rate_at_creation");
  EXPECT_EQ(summary->by_model[0].opportunities, open);
  EXPECT_EQ(ScoreRows(), open + summary->customers);

  Scoring scoring(store_.get());
  for (const Opportunity& opp : MavenOpportunities()) {
    absl::StatusOr<StoredOpportunityScore> stored =
        Stored(opp.opportunity_id());
    if (opp.outcome() != OUTCOME_OPEN) {
      EXPECT_TRUE(absl::IsNotFound(stored.status())) << opp.opportunity_id();
      continue;
    }
    ASSERT_TRUE(stored.ok()) << stored.status();
    ScoreOpportunityRequest request;
    request.set_opportunity_id(opp.opportunity_id());
    absl::StatusOr<ScoreOpportunityResponse> direct = scoring.Score(request);
    ASSERT_TRUE(direct.ok()) << direct.status();
    EXPECT_EQ(stored->hit_rate(), direct->hit_rate());
    EXPECT_EQ(stored->grade(), direct->grade());
    EXPECT_EQ(stored->model().version(), direct->model_version());
    EXPECT_EQ(stored->model().family(), direct->model_family());
    EXPECT_EQ(stored->customer_key(), opp.customer_id());
    EXPECT_EQ(stored->scored_at().seconds(), absl::ToUnixSeconds(kNow));
    ASSERT_EQ(stored->positive_factors_size(), direct->positive_factors_size());
    for (int i = 0; i < direct->positive_factors_size(); ++i) {
      EXPECT_EQ(stored->positive_factors(i).feature(),
                direct->positive_factors(i).feature());
    }
  }
}

TEST_F(ScoreOpenTest, CustomerExpectedValueIsSumOfHitRateTimesPrice) {
  PublishMavenModel(store_.get());
  absl::StatusOr<ScoreOpenSummary> summary = ScoreOpen(kNow);
  ASSERT_TRUE(summary.ok()) << summary.status();
  std::map<std::string, double> expected = ExpectedValues(MavenOpportunities());
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(summary->customers, static_cast<int64_t>(expected.size()));
  Scoring scoring(store_.get());
  for (const auto& [customer, value] : expected) {
    GetCustomerScoresRequest request;
    request.set_customer_key(customer);
    absl::StatusOr<GetCustomerScoresResponse> scores =
        scoring.GetCustomerScores(request);
    ASSERT_TRUE(scores.ok()) << scores.status();
    EXPECT_NEAR(scores->customer().expected_value(), value, 1e-6 * value)
        << customer;
    EXPECT_EQ(scores->customer().open_opportunities(),
              scores->opportunities_size());
    for (const StoredOpportunityScore& opp : scores->opportunities()) {
      EXPECT_EQ(opp.customer_key(), customer);
    }
  }
  GetCustomerScoresRequest unknown;
  unknown.set_customer_key("No Such Customer");
  EXPECT_TRUE(absl::IsNotFound(scoring.GetCustomerScores(unknown).status()));
}

TEST_F(ScoreOpenTest, RerunAfterClosingOneRemovesItsScore) {
  PublishMavenModel(store_.get());
  ASSERT_TRUE(ScoreOpen(kNow).ok());
  // An open opportunity of a customer with more than one open.
  std::vector<Opportunity> opportunities = MavenOpportunities();
  std::map<std::string, int> open_per_customer;
  for (const Opportunity& opp : opportunities) {
    if (opp.outcome() == OUTCOME_OPEN) ++open_per_customer[opp.customer_id()];
  }
  Opportunity* closed = nullptr;
  for (Opportunity& opp : opportunities) {
    if (opp.outcome() == OUTCOME_OPEN && !opp.customer_id().empty() &&
        open_per_customer[opp.customer_id()] > 1) {
      closed = &opp;
      break;
    }
  }
  ASSERT_NE(closed, nullptr);
  const std::string customer = closed->customer_id();
  Scoring scoring(store_.get());
  GetCustomerScoresRequest request;
  request.set_customer_key(customer);
  absl::StatusOr<GetCustomerScoresResponse> before =
      scoring.GetCustomerScores(request);
  ASSERT_TRUE(before.ok()) << before.status();

  closed->set_outcome(OUTCOME_WON);
  ASSERT_TRUE(SaveOpportunities({*closed}, store_.get()).ok());
  absl::StatusOr<ScoreOpenSummary> rerun = ScoreOpen(kNow + absl::Hours(1));
  ASSERT_TRUE(rerun.ok()) << rerun.status();
  EXPECT_EQ(rerun->opportunities_scored, OpenCount(opportunities));
  EXPECT_GE(rerun->removed, 1);
  EXPECT_TRUE(absl::IsNotFound(Stored(closed->opportunity_id()).status()));

  absl::StatusOr<GetCustomerScoresResponse> after =
      scoring.GetCustomerScores(request);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->customer().open_opportunities(),
            before->customer().open_opportunities() - 1);
  EXPECT_NE(after->customer().expected_value(),
            before->customer().expected_value());
  EXPECT_NEAR(after->customer().expected_value(),
              ExpectedValues(opportunities)[customer], 1e-6);
  EXPECT_EQ(after->customer().scored_at().seconds(),
            absl::ToUnixSeconds(kNow + absl::Hours(1)));
}

// The entities announced as ENTITY_SCORED, in change-log order.
std::vector<std::string> ScoredEntities(const KvStore& store) {
  std::vector<std::string> ids;
  EXPECT_TRUE(Repository(&store)
                  .ScanChanges(0,
                               [&](const ChangeEvent& event) {
                                 if (event.type() == ENTITY_SCORED) {
                                   ids.push_back(event.entity_id());
                                 }
                                 return true;
                               })
                  .ok());
  return ids;
}

// The first `n` open Maven opportunities with a customer (an account name).
std::vector<Opportunity> OpenWithAccount(size_t n) {
  std::vector<Opportunity> open;
  for (const Opportunity& opp : MavenOpportunities()) {
    if (open.size() == n) break;
    if (opp.outcome() == OUTCOME_OPEN && !opp.customer_id().empty()) {
      open.push_back(opp);
    }
  }
  return open;
}

TEST_F(ScoreOpenTest, KeysNamingEntitiesAddUpPerLiveEntityAndAreAnnounced) {
  PublishMavenModel(store_.get());
  auto upsert = [&](const SourceRecord& record) {
    absl::StatusOr<UpsertResult> result = resolver_->Upsert(record);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->entity_id : "";
  };
  const std::string anna = upsert(Person("crm", "1", "Anna", "Aalto"));
  const std::string bert = upsert(Person("crm", "2", "Bert", "Berg"));
  const std::string cid = upsert(Person("erp", "7", "Cid", "Carlsson"));
  MergeEntitiesRequest merge;
  merge.set_entity_a(anna);
  merge.set_entity_b(bert);
  ASSERT_TRUE(
      Steward(store_.get(), resolver_.get()).MergeEntities(merge, "s").ok());
  // Anna's id, Bert's retired id, Cid's record key; the fourth keeps its
  // account name.
  std::vector<Opportunity> open = OpenWithAccount(4);
  ASSERT_EQ(open.size(), 4u);
  open[0].set_customer_id(anna);
  open[1].set_customer_id(bert);
  open[2].set_customer_id("erp/7");
  ASSERT_TRUE(SaveOpportunities(open, store_.get()).ok());
  Scoring scoring(store_.get());
  auto value_of = [&](const Opportunity& opp) {
    ScoreOpportunityRequest request;
    request.set_opportunity_id(opp.opportunity_id());
    absl::StatusOr<ScoreOpportunityResponse> score = scoring.Score(request);
    EXPECT_TRUE(score.ok()) << score.status();
    return score.ok() ? score->hit_rate() * opp.price() : 0;
  };

  absl::StatusOr<ScoreOpenSummary> first = ScoreOpen(kNow);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->entities, 2);
  EXPECT_EQ(first->entities_changed, 2);
  EXPECT_THAT(ScoredEntities(*store_), ElementsAre(anna, cid));
  GetCustomerScoresRequest request;
  request.set_customer_key(bert);
  absl::StatusOr<GetCustomerScoresResponse> merged =
      scoring.GetCustomerScores(request);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->customer().customer_key(), anna);
  EXPECT_THAT(merged->customer().customer_keys(),
              UnorderedElementsAre(anna, bert));
  EXPECT_EQ(merged->customer().open_opportunities(), 2);
  EXPECT_EQ(merged->opportunities_size(), 2);
  EXPECT_NEAR(merged->customer().expected_value(),
              value_of(open[0]) + value_of(open[1]), 1e-6);
  EXPECT_TRUE(absl::IsNotFound(
      store_->Get(Table::kScores, CustomerScoresKey(anna)).status()));
  request.set_customer_key(open[3].customer_id());
  EXPECT_TRUE(scoring.GetCustomerScores(request).ok());

  // The profile shows the entity's scores, and its row in the profiles
  // table follows ENTITY_SCORED into segment filters.
  ProfileReader reader(store_.get(),
                       [this](const std::string& source) -> const std::string& {
                         return resolver_->RegionFor(source);
                       });
  absl::StatusOr<ProfileLookup> profile = reader.ByEntityId(cid, false);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->profile.scores().opportunity_ids(0),
            open[2].opportunity_id());
  EXPECT_NEAR(profile->profile.scores().expected_value(), value_of(open[2]),
              1e-6);
  ProfileProjection projection(store_.get(), &reader);
  ASSERT_TRUE(projection.CatchUp().ok());
  absl::StatusOr<std::string> row =
      store_->Get(Table::kProfiles, ProfileKey(cid));
  ASSERT_TRUE(row.ok()) << row.status();
  SegmentRowView flat;
  ASSERT_TRUE(flat.Parse(*row));
  absl::StatusOr<SegmentFilter> filter =
      SegmentFilter::Compile("score.open_opportunities = 1");
  ASSERT_TRUE(filter.ok());
  EXPECT_TRUE(filter->Matches(flat));

  // A rerun that changes no score announces nobody.
  absl::StatusOr<ScoreOpenSummary> rerun = ScoreOpen(kNow + absl::Hours(1));
  ASSERT_TRUE(rerun.ok()) << rerun.status();
  EXPECT_EQ(rerun->entities, 2);
  EXPECT_EQ(rerun->entities_changed, 0);
  EXPECT_THAT(ScoredEntities(*store_), ElementsAre(anna, cid));

  // Closing Cid's only opportunity deletes his row and announces him alone.
  open[2].set_outcome(OUTCOME_LOST);
  ASSERT_TRUE(SaveOpportunities({open[2]}, store_.get()).ok());
  absl::StatusOr<ScoreOpenSummary> closed = ScoreOpen(kNow + absl::Hours(2));
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->entities, 1);
  EXPECT_EQ(closed->entities_changed, 1);
  EXPECT_THAT(ScoredEntities(*store_), ElementsAre(anna, cid, cid));
  request.set_customer_key("erp/7");
  EXPECT_TRUE(absl::IsNotFound(scoring.GetCustomerScores(request).status()));
  ASSERT_TRUE(projection.CatchUp().ok());
  row = store_->Get(Table::kProfiles, ProfileKey(cid));
  ASSERT_TRUE(row.ok() && flat.Parse(*row));
  EXPECT_FALSE(filter->Matches(flat));
}

}  // namespace
}  // namespace c360

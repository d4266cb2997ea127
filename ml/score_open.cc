#include "ml/score_open.h"

#include <iterator>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "ml/model_registry.h"
#include "ml/opportunity_store.h"
#include "store/keys.h"

namespace c360 {
namespace {

constexpr absl::string_view kOppPart = "opp";
constexpr absl::string_view kCustomerPart = "customer";

void SetTimestamp(absl::Time t, google::protobuf::Timestamp* out) {
  const int64_t nanos = absl::ToUnixNanos(t);
  out->set_seconds(nanos / 1000000000);
  out->set_nanos(static_cast<int32_t>(nanos % 1000000000));
}

// Commits puts and deletes in batches of at most `batch_size` writes.
class BatchWriter {
 public:
  BatchWriter(KvStore* store, int batch_size)
      : store_(store), batch_size_(batch_size) {}

  absl::Status Put(std::string key, std::string value) {
    writes_.Put(Table::kScores, std::move(key), std::move(value));
    return MaybeFlush();
  }
  absl::Status Delete(std::string key) {
    writes_.Delete(Table::kScores, std::move(key));
    return MaybeFlush();
  }
  absl::Status Flush() {
    if (writes_.empty()) return absl::OkStatus();
    absl::Status status = store_->Commit(writes_);
    writes_ = WriteSet();
    return status;
  }

 private:
  absl::Status MaybeFlush() {
    if (static_cast<int>(writes_.ops().size()) < batch_size_) {
      return absl::OkStatus();
    }
    return Flush();
  }

  KvStore* store_;
  const int batch_size_;
  WriteSet writes_;
};

// Every key of the scores table.
absl::StatusOr<std::set<std::string>> StoredScoreKeys(const ReadView& view) {
  std::set<std::string> keys;
  absl::Status status =
      view.Scan(Table::kScores, "", "", [&](absl::string_view key,
                                            absl::string_view) {
        keys.emplace(key);
        return true;
      });
  if (!status.ok()) return status;
  return keys;
}

// The scorer of each stage that has open opportunities, by ModelStage;
// FailedPrecondition when one has no published model.
absl::StatusOr<std::vector<StageScorer>> LoadNeededScorers(
    KvStore* store, const std::vector<Opportunity>& all,
    const ScorerOptions& options) {
  std::vector<StageScorer> scorers(std::size(kAllStages));
  for (ModelStage stage : kAllStages) {
    bool needed = false;
    for (const Opportunity& opp : all) {
      needed = needed || (opp.outcome() == OUTCOME_OPEN && StageOf(opp) == stage);
    }
    if (!needed) continue;
    absl::StatusOr<StageScorer> loaded =
        LoadStageScorer(store, stage, all, options);
    if (!loaded.ok()) return loaded.status();
    scorers[static_cast<int>(stage)] = *std::move(loaded);
  }
  return scorers;
}

void AddToCustomer(const Opportunity& opp, double hit_rate,
                   CustomerScores* customer) {
  customer->set_customer_key(opp.customer_id());
  customer->set_open_opportunities(customer->open_opportunities() + 1);
  customer->set_expected_value(customer->expected_value() +
                               hit_rate * opp.price());
  if (opp.has_cost()) {
    customer->set_expected_profit(customer->expected_profit() +
                                  hit_rate * (opp.price() - opp.cost()));
  } else {
    customer->set_without_cost(customer->without_cost() + 1);
  }
  customer->add_opportunity_ids(opp.opportunity_id());
}

StoredOpportunityScore ToStored(const Opportunity& opp,
                                const OpportunityScore& score,
                                const StageScorer& model, absl::Time now) {
  StoredOpportunityScore stored;
  stored.set_opportunity_id(opp.opportunity_id());
  stored.set_customer_key(opp.customer_id());
  stored.set_hit_rate(score.hit_rate);
  stored.set_grade(score.grade);
  stored.mutable_model()->set_family(model.family);
  stored.mutable_model()->set_version(model.version);
  SetTimestamp(now, stored.mutable_scored_at());
  FactorsToProto(score.positive, stored.mutable_positive_factors());
  FactorsToProto(score.negative, stored.mutable_negative_factors());
  stored.set_price(opp.price());
  return stored;
}

}  // namespace

absl::StatusOr<StageScorer> LoadStageScorer(
    KvStore* store, ModelStage stage, std::vector<Opportunity> opportunities,
    const ScorerOptions& options) {
  const std::string family(StageFamily(stage));
  ModelRegistry registry(store, RegistryOptions());
  absl::StatusOr<StoredModel> model = registry.Published(family);
  if (absl::IsNotFound(model.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no published '", family, "' model for opportunities at stage ",
        StageName(stage), ": train one with `c360 ml train --stage ",
        StageName(stage), "` and publish it with `c360 ml publish --stage ",
        StageName(stage), " VERSION`"));
  }
  if (!model.ok()) return model.status();
  absl::StatusOr<std::unique_ptr<Scorer>> scorer =
      Scorer::Create(*model, std::move(opportunities), options);
  if (!scorer.ok()) return scorer.status();
  return StageScorer{std::move(*scorer), family, model->version()};
}

void FactorsToProto(const std::vector<Factor>& factors,
                    google::protobuf::RepeatedPtrField<ScoreFactor>* out) {
  for (const Factor& f : factors) {
    ScoreFactor* factor = out->Add();
    factor->set_feature(f.feature);
    factor->set_value(f.value);
    factor->set_contribution(f.contribution);
  }
}

std::string OpportunityScoreKey(absl::string_view opportunity_id) {
  return EncodeKey({kOppPart, opportunity_id});
}

std::string CustomerScoresKey(absl::string_view customer_key) {
  return EncodeKey({kCustomerPart, customer_key});
}

absl::StatusOr<ScoreOpenSummary> ScoreOpenOpportunities(
    KvStore* store, absl::Time now, const ScoreOpenOptions& options) {
  absl::StatusOr<std::vector<Opportunity>> all = LoadOpportunities(*store);
  if (!all.ok()) return all.status();
  absl::StatusOr<std::vector<StageScorer>> scorers =
      LoadNeededScorers(store, *all, options.scorer);
  if (!scorers.ok()) return scorers.status();
  absl::StatusOr<std::set<std::string>> stale = StoredScoreKeys(*store);
  if (!stale.ok()) return stale.status();

  ScoreOpenSummary summary;
  std::vector<int64_t> uses(scorers->size());
  std::map<std::string, CustomerScores> customers;
  BatchWriter writer(store, options.batch_size);
  for (const Opportunity& opp : *all) {
    if (opp.outcome() != OUTCOME_OPEN) continue;
    const int stage = static_cast<int>(StageOf(opp));
    const StageScorer& model = (*scorers)[stage];
    absl::StatusOr<OpportunityScore> score = model.scorer->Explain(opp);
    if (absl::IsInvalidArgument(score.status())) {
      ++summary.skipped;
      continue;
    }
    if (!score.ok()) return score.status();
    std::string key = OpportunityScoreKey(opp.opportunity_id());
    stale->erase(key);
    absl::Status put = writer.Put(
        std::move(key), ToStored(opp, *score, model, now).SerializeAsString());
    if (!put.ok()) return put;
    ++summary.opportunities_scored;
    ++uses[stage];
    if (opp.customer_id().empty()) {
      ++summary.without_customer;
    } else {
      AddToCustomer(opp, score->hit_rate, &customers[opp.customer_id()]);
    }
  }
  for (auto& [key, customer] : customers) {
    SetTimestamp(now, customer.mutable_scored_at());
    std::string row_key = CustomerScoresKey(key);
    stale->erase(row_key);
    absl::Status put = writer.Put(std::move(row_key),
                                  customer.SerializeAsString());
    if (!put.ok()) return put;
  }
  for (const std::string& key : *stale) {
    absl::Status deleted = writer.Delete(key);
    if (!deleted.ok()) return deleted;
  }
  absl::Status flushed = writer.Flush();
  if (!flushed.ok()) return flushed;

  summary.customers = static_cast<int64_t>(customers.size());
  summary.removed = static_cast<int64_t>(stale->size());
  for (size_t i = 0; i < scorers->size(); ++i) {
    if (uses[i] == 0) continue;
    summary.by_model.push_back(
        {(*scorers)[i].family, (*scorers)[i].version, uses[i]});
  }
  return summary;
}

absl::StatusOr<GetCustomerScoresResponse> ReadCustomerScores(
    const ReadView& view, absl::string_view customer_key) {
  absl::StatusOr<std::string> row =
      view.Get(Table::kScores, CustomerScoresKey(customer_key));
  if (absl::IsNotFound(row.status())) {
    return absl::NotFoundError(
        absl::StrCat("no stored scores of customer '", customer_key,
                     "': run `c360 ml score-open`"));
  }
  if (!row.ok()) return row.status();
  GetCustomerScoresResponse response;
  if (!response.mutable_customer()->ParseFromString(*row)) {
    return absl::DataLossError(absl::StrCat(
        "unparsable stored scores of customer '", customer_key, "'"));
  }
  for (const std::string& id : response.customer().opportunity_ids()) {
    absl::StatusOr<std::string> opp =
        view.Get(Table::kScores, OpportunityScoreKey(id));
    if (!opp.ok() && !absl::IsNotFound(opp.status())) return opp.status();
    if (!opp.ok() || !response.add_opportunities()->ParseFromString(*opp)) {
      return absl::DataLossError(absl::StrCat(
          "stored score of opportunity '", id, "' of customer '",
          customer_key, "' is missing or unparsable"));
    }
  }
  return response;
}

}  // namespace c360

#include "ml/score_open.h"

#include <iterator>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ml/customer_rows.h"
#include "ml/model_registry.h"
#include "ml/opportunity_store.h"
#include "store/customer_scores.h"
#include "store/keys.h"
#include "store/repository.h"

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

// The rows of the scores table as a run finds them.
struct StoredRows {
  // Keys of the opportunity and customer-key rows.
  std::set<std::string> keys;
  // Entity rows, key -> value.
  std::map<std::string, std::string> entities;
};

absl::StatusOr<StoredRows> ReadStoredRows(const ReadView& view) {
  StoredRows rows;
  const std::string entity_prefix = EntityScoresPrefix();
  absl::Status status =
      view.Scan(Table::kScores, "", "",
                [&](absl::string_view key, absl::string_view value) {
                  if (absl::StartsWith(key, entity_prefix)) {
                    rows.entities.emplace(key, value);
                  } else {
                    rows.keys.emplace(key);
                  }
                  return true;
                });
  if (!status.ok()) return status;
  return rows;
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
      needed =
          needed || (opp.outcome() == OUTCOME_OPEN && StageOf(opp) == stage);
    }
    if (!needed) continue;
    absl::StatusOr<StageScorer> loaded =
        LoadStageScorer(store, stage, all, options);
    if (!loaded.ok()) return loaded.status();
    scorers[static_cast<int>(stage)] = *std::move(loaded);
  }
  return scorers;
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

// Stores the rows of the customer keys that name no entity, stamped `now`,
// and deletes the `stale` opportunity and customer-key rows: those no
// write of this run replaced.
absl::Status ReplaceKeyRows(const std::map<std::string, CustomerScores>& rows,
                            const google::protobuf::Timestamp& now,
                            std::set<std::string>* stale, BatchWriter* writer) {
  for (const auto& [key, scores] : rows) {
    CustomerScores row = scores;
    *row.mutable_scored_at() = now;
    std::string row_key = CustomerScoresKey(key);
    stale->erase(row_key);
    absl::Status put = writer->Put(std::move(row_key), row.SerializeAsString());
    if (!put.ok()) return put;
  }
  for (const std::string& key : *stale) {
    absl::Status deleted = writer->Delete(key);
    if (!deleted.ok()) return deleted;
  }
  return writer->Flush();
}

// The row of a customer key that names no entity; NotFound when none.
absl::StatusOr<CustomerScores> ReadKeyRow(const ReadView& view,
                                          absl::string_view customer_key) {
  absl::StatusOr<std::string> row =
      view.Get(Table::kScores, CustomerScoresKey(customer_key));
  if (!row.ok()) return row.status();
  CustomerScores scores;
  if (!scores.ParseFromString(*row)) {
    return absl::DataLossError(absl::StrCat(
        "unparsable stored scores of customer '", customer_key, "'"));
  }
  return scores;
}

// The stored scores of `customer_key`: its entity's when it resolves to
// one, else its own row.
absl::StatusOr<CustomerScores> StoredCustomer(const ReadView& view,
                                              absl::string_view customer_key) {
  const Repository repo(&view);
  absl::StatusOr<std::string> entity = ResolveCustomerKey(repo, customer_key);
  if (!entity.ok() && !absl::IsNotFound(entity.status())) {
    return entity.status();
  }
  absl::StatusOr<CustomerScores> scores;
  if (entity.ok()) {
    absl::StatusOr<EntityState> state = repo.GetEntity(*entity);
    if (!state.ok()) return state.status();
    scores = ReadEntityScores(view, *entity, state->aliases());
  } else {
    scores = ReadKeyRow(view, customer_key);
  }
  if (absl::IsNotFound(scores.status())) {
    return absl::NotFoundError(absl::StrCat("no stored scores of customer '",
                                            customer_key,
                                            "': run `c360 ml score-open`"));
  }
  return scores;
}

// Every open opportunity of `all` (in order) with its score by its stage's
// model, explained in one batch per stage.
std::vector<std::pair<const Opportunity&, absl::StatusOr<OpportunityScore>>>
ExplainOpen(const std::vector<Opportunity>& all,
            const std::vector<StageScorer>& scorers) {
  std::vector<std::vector<Opportunity>> by_stage(scorers.size());
  for (const Opportunity& opp : all) {
    if (opp.outcome() == OUTCOME_OPEN) {
      by_stage[static_cast<int>(StageOf(opp))].push_back(opp);
    }
  }
  std::vector<std::vector<absl::StatusOr<OpportunityScore>>> scores;
  for (size_t stage = 0; stage < scorers.size(); ++stage) {
    scores.push_back(by_stage[stage].empty()
                         ? std::vector<absl::StatusOr<OpportunityScore>>()
                         : scorers[stage].scorer->ExplainAll(by_stage[stage]));
  }
  std::vector<std::pair<const Opportunity&, absl::StatusOr<OpportunityScore>>>
      explained;
  std::vector<size_t> next(scorers.size(), 0);
  for (const Opportunity& opp : all) {
    if (opp.outcome() != OUTCOME_OPEN) continue;
    const int stage = static_cast<int>(StageOf(opp));
    explained.emplace_back(opp, std::move(scores[stage][next[stage]++]));
  }
  return explained;
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
    KvStore* store, absl::Time now,
    const EntityScoresWriter& write_entity_scores,
    const ScoreOpenOptions& options) {
  absl::StatusOr<std::vector<Opportunity>> all = LoadOpportunities(*store);
  if (!all.ok()) return all.status();
  // A customer with several open opportunities has its profile read once.
  ScorerOptions scorer_options = options.scorer;
  if (scorer_options.profiles != nullptr) {
    scorer_options.profiles =
        std::make_shared<MemoizedCustomerProfiles>(scorer_options.profiles);
  }
  absl::StatusOr<std::vector<StageScorer>> scorers =
      LoadNeededScorers(store, *all, scorer_options);
  if (!scorers.ok()) return scorers.status();
  absl::StatusOr<StoredRows> stored = ReadStoredRows(*store);
  if (!stored.ok()) return stored.status();

  ScoreOpenSummary summary;
  std::vector<int64_t> uses(scorers->size());
  CustomerRows customers(store);
  BatchWriter writer(store, options.batch_size);
  for (const auto& [opp, score] : ExplainOpen(*all, *scorers)) {
    const int stage = static_cast<int>(StageOf(opp));
    const StageScorer& model = (*scorers)[stage];
    if (absl::IsInvalidArgument(score.status())) {
      ++summary.skipped;
      continue;
    }
    if (!score.ok()) return score.status();
    std::string key = OpportunityScoreKey(opp.opportunity_id());
    stored->keys.erase(key);
    absl::Status put = writer.Put(
        std::move(key), ToStored(opp, *score, model, now).SerializeAsString());
    if (!put.ok()) return put;
    ++summary.opportunities_scored;
    ++uses[stage];
    if (opp.customer_id().empty()) {
      ++summary.without_customer;
      continue;
    }
    absl::Status added = customers.Add(opp, score->hit_rate);
    if (!added.ok()) return added;
  }
  google::protobuf::Timestamp stamp;
  SetTimestamp(now, &stamp);
  absl::Status replaced =
      ReplaceKeyRows(customers.by_key(), stamp, &stored->keys, &writer);
  if (!replaced.ok()) return replaced;
  absl::StatusOr<EntityRowsUpdate> entities = UpdateEntityRows(
      *store, customers.by_entity(), std::move(stored->entities), stamp,
      options.batch_size, write_entity_scores);
  if (!entities.ok()) return entities.status();

  summary.customers = static_cast<int64_t>(customers.by_key().size());
  summary.entities = static_cast<int64_t>(customers.by_entity().size());
  summary.entities_changed = entities->announced;
  summary.removed =
      static_cast<int64_t>(stored->keys.size()) + entities->deleted;
  for (size_t i = 0; i < scorers->size(); ++i) {
    if (uses[i] == 0) continue;
    summary.by_model.push_back(
        {(*scorers)[i].family, (*scorers)[i].version, uses[i]});
  }
  return summary;
}

absl::StatusOr<GetCustomerScoresResponse> ReadCustomerScores(
    const ReadView& view, absl::string_view customer_key) {
  absl::StatusOr<CustomerScores> customer = StoredCustomer(view, customer_key);
  if (!customer.ok()) return customer.status();
  GetCustomerScoresResponse response;
  *response.mutable_customer() = *std::move(customer);
  for (const std::string& id : response.customer().opportunity_ids()) {
    absl::StatusOr<std::string> opp =
        view.Get(Table::kScores, OpportunityScoreKey(id));
    if (!opp.ok() && !absl::IsNotFound(opp.status())) return opp.status();
    if (!opp.ok() || !response.add_opportunities()->ParseFromString(*opp)) {
      return absl::DataLossError(
          absl::StrCat("stored score of opportunity '", id, "' of customer '",
                       customer_key, "' is missing or unparsable"));
    }
  }
  return response;
}

}  // namespace c360

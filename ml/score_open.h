// Stored scores of the open pipeline: every open opportunity scored by its
// stage's published model, and per customer the expected value of its open
// opportunities. A customer key that resolves to an entity
// (store/customer_scores.h ResolveCustomerKey) counts for that live entity,
// whose profile shows the scores; any other key keeps a row of its own. All
// live in Table::kScores (docs/storage.md):
//   EncodeKey({"opp", opportunity_id})   -> StoredOpportunityScore
//   EncodeKey({"customer", customer_key}) -> CustomerScores (unresolved key)
//   EncodeKey({"entity", entity_id})      -> CustomerScores (live entity)
// and never in the opportunities table, which LoadOpportunities reads whole.
#ifndef C360_ML_SCORE_OPEN_H_
#define C360_ML_SCORE_OPEN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "c360/opportunity.pb.h"
#include "c360/scoring.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "ml/customer_rows.h"
#include "ml/scorer.h"
#include "ml/stages.h"
#include "store/kv_store.h"

namespace c360 {

// The published model of one stage, loaded for scoring.
struct StageScorer {
  std::shared_ptr<const Scorer> scorer;
  // The model's registry family (StageFamily) and version.
  std::string family;
  uint64_t version = 0;
};

// Loads the stage's published model over `opportunities` (the customer
// histories). FailedPrecondition, naming the commands that train and
// publish one, when the stage has no published model; errors of
// ModelRegistry::Published and Scorer::Create otherwise.
absl::StatusOr<StageScorer> LoadStageScorer(
    KvStore* store, ModelStage stage, std::vector<Opportunity> opportunities,
    const ScorerOptions& options);

// Appends `factors` to `out` in order.
void FactorsToProto(const std::vector<Factor>& factors,
                    google::protobuf::RepeatedPtrField<ScoreFactor>* out);

// The keys of the scores table.
std::string OpportunityScoreKey(absl::string_view opportunity_id);
std::string CustomerScoresKey(absl::string_view customer_key);

struct ScoreOpenOptions {
  ScorerOptions scorer;
  // Writes per commit; entities per EntityScoresWriter call.
  int batch_size = 1000;
};

// How many opportunities one model scored.
struct ModelUse {
  std::string family;
  uint64_t version = 0;
  int64_t opportunities = 0;
};

struct ScoreOpenSummary {
  // Open opportunities scored and stored.
  int64_t opportunities_scored = 0;
  // Of those, the ones without a customer key (in no CustomerScores).
  int64_t without_customer = 0;
  // Open opportunities left unscored because their price is not positive.
  int64_t skipped = 0;
  // CustomerScores stored under customer keys that name no entity.
  int64_t customers = 0;
  // CustomerScores stored under live entities.
  int64_t entities = 0;
  // Entities announced (ENTITY_SCORED) because their scores changed.
  int64_t entities_changed = 0;
  // Stored scores deleted because their opportunity or customer is no
  // longer open, or their entity was merged away.
  int64_t removed = 0;
  // Per model that scored, at-creation first.
  std::vector<ModelUse> by_model;
};

// Scores every open opportunity in `store` with its stage's published
// model (the same Scorer::Explain as ScoringService.ScoreOpportunity),
// stores a StoredOpportunityScore per opportunity and a CustomerScores per
// live entity and per unresolved customer key, all stamped `now`, and
// deletes every other stored score, in commits of options.batch_size writes
// (a crash midway leaves a mix of old and new scores; the next run repairs
// it). Entity rows go through `write_entity_scores`, only those that differ
// from the stored ones in more than scored_at, so that an entity is
// announced only when its scores changed. FailedPrecondition, with nothing
// stored, while a stage with open opportunities has no published model;
// DataLoss for an unparsable stored opportunity.
absl::StatusOr<ScoreOpenSummary> ScoreOpenOpportunities(
    KvStore* store, absl::Time now,
    const EntityScoresWriter& write_entity_scores,
    const ScoreOpenOptions& options = ScoreOpenOptions());

// The stored CustomerScores of `customer_key` and the stored score of each
// of its opportunities: for a key that resolves to an entity, the entity's
// (ReadEntityScores, keyed by the entity id). NotFound when none are
// stored, DataLoss for an unparsable or missing stored score.
absl::StatusOr<GetCustomerScoresResponse> ReadCustomerScores(
    const ReadView& view, absl::string_view customer_key);

}  // namespace c360

#endif  // C360_ML_SCORE_OPEN_H_

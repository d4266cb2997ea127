// Decision v2: a Fellegi-Sunter match model. Each field of a record pair is
// compared into a level (resolver/comparison.h); each level has an m
// probability (how often it occurs between two records of one person) and a
// u probability (between records of different people). A pair's match
// weight is log2 of its posterior odds:
//
//   weight = log2(prior / (1 - prior)) + sum over fields of log2(m / u)
//
// with exact name matches weighed by how rare the name is (term-frequency
// adjustment: "Virtanen" agreeing says less than "Jääskeläinen" agreeing).
// The m and u probabilities come from EM (resolver/em_trainer.h).
//
// A MatchModel is immutable after construction and thread-safe.
#ifndef C360_RESOLVER_MATCH_MODEL_H_
#define C360_RESOLVER_MATCH_MODEL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "c360/match_model.pb.h"
#include "c360/storage.pb.h"
#include "resolver/comparison.h"
#include "resolver/match_decider.h"

namespace c360 {

struct LevelProbabilities {
  double m = 0;
  double u = 0;
};

// How often each value of a field occurs among the training records.
struct TermFrequencies {
  int64_t total = 0;
  absl::flat_hash_map<std::string, int64_t> counts;
};

struct MatchModelParams {
  // P(match) of two records drawn at random, before any comparison.
  double prior = 0.01;
  // [field][level], shaped like ComparisonSchema(); level 0 ("missing") is
  // unused.
  std::vector<std::vector<LevelProbabilities>> levels;
  // Term frequencies of the exact given and family name levels; empty
  // tables leave those levels unadjusted.
  TermFrequencies given_names;
  TermFrequencies family_names;
  // A pair with a match probability of at least this is linked. 0.99: a
  // false merge mixes two customers' data in front of the CRM while a
  // missed link only leaves a duplicate that review can still join, so a
  // link needs 99:1 odds.
  double link_probability = 0.99;
  // Pairs from here up to `link_probability` are more likely the same
  // person than not: a steward reviews them. Below, a new entity.
  double review_probability = 0.5;
};

// Hand-set probabilities for every level: the start of EM and the prior it
// is smoothed towards, and all a field that training never saw has.
MatchModelParams DefaultModelParams();

// Term frequencies of the given and family names of `records` (folded).
void CountNameFrequencies(const std::vector<ComparableRecord>& records,
                          MatchModelParams* params);

// log2(p / (1 - p)) and its inverse.
double ProbabilityToWeight(double probability);
double WeightToProbability(double weight);

// What to do with a pair, by its weight.
enum class MatchDecision { kNewEntity, kReview, kLink };

class MatchModel : public MatchDecider {
 public:
  // `params.levels` must be shaped like ComparisonSchema() (FromProto
  // checks this for stored models).
  MatchModel(MatchModelParams params, NicknameTable nicknames);

  // The weight log2(m / u) of a level, without term frequencies.
  double LevelWeight(int field, int level) const;

  // The match weight of a pair already compared into `levels`.
  double Score(const ComparisonVector& levels, const ComparableRecord& a,
               const ComparableRecord& b) const;
  double Score(const ComparableRecord& a, const ComparableRecord& b) const {
    return Score(comparator_.Compare(a, b), a, b);
  }

  // The pair's weight with each non-missing field's level and weight.
  MatchEvidence Explain(const ComparableRecord& a,
                        const ComparableRecord& b) const;

  // Whether the pair looks like two relatives rather than one person: no
  // strong identifier agrees even with a typo, and either the birth years
  // are a generation apart, or the given names do not agree (see
  // GivenNameAgrees in the .cc) while a strong identifier disagrees (two
  // full birth dates, social security numbers or business ids) or the
  // family names plainly agree or plainly differ (relatives, colleagues).
  // Shared contacts and addresses do not count against it: families and
  // companies share them.
  bool Conflicts(const ComparisonVector& levels) const;

  MatchDecision Decide(double weight) const;

  // MatchDecider; Compare is Explain.
  MatchEvidence Compare(const ComparableRecord& a,
                        const ComparableRecord& b) const override;
  double link_threshold() const override { return link_weight_; }
  double review_threshold() const override { return review_weight_; }
  bool Contradicts(const MatchEvidence& evidence) const override;

  const MatchModelParams& params() const { return params_; }
  const Comparator& comparator() const { return comparator_; }

  // This model with other thresholds. InvalidArgument unless
  // 0 < review <= link < 1.
  absl::StatusOr<std::unique_ptr<MatchModel>> WithThresholds(
      double link_probability, double review_probability) const;

  MatchModelProto ToProto() const;
  // InvalidArgument when the version is unknown, the fields or levels do not
  // match the code's schema, a probability is outside (0, 1], or the
  // thresholds are not 0 < review <= link < 1.
  static absl::StatusOr<std::unique_ptr<MatchModel>> FromProto(
      const MatchModelProto& proto);

 private:
  bool GivenNameAgrees(const ComparisonVector& levels) const;
  double NameWeight(int field, const TermFrequencies& frequencies,
                    const std::string& value) const;

  MatchModelParams params_;
  Comparator comparator_;
  std::vector<std::vector<double>> weights_;  // [field][level]
  double prior_weight_;
  double link_weight_;
  double review_weight_;
};

}  // namespace c360

#endif  // C360_RESOLVER_MATCH_MODEL_H_

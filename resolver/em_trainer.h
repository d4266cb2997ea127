// Training of the match model without known answers: u probabilities from
// random record pairs (almost all of which are different people), m
// probabilities by expectation-maximisation in training sessions (below),
// and the prior by EM over all candidate pairs with m and u held fixed
// (Fellegi-Sunter / Winkler, with Splink's training sessions).
//
// All functions are thread-safe; those with a `threads` option use that many
// std::threads for the pairwise comparisons.
#ifndef C360_RESOLVER_EM_TRAINER_H_
#define C360_RESOLVER_EM_TRAINER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "resolver/candidate_keys.h"
#include "resolver/comparison.h"
#include "resolver/match_model.h"

namespace c360 {

// Two records by index; first < second.
using RecordPair = std::pair<int, int>;

struct BlockingOptions {
  // A blocking key shared by more records than this (a common birth date in
  // a big file, "smith" in one postcode) brings no pairs: they would cost
  // quadratic time and say little.
  size_t max_block_size = 50;
  // Sources that hold at most one record per person (each side of a
  // linkage): two records of one such source are never paired.
  std::vector<std::string> one_record_per_person_sources;
};

// Every pair of records sharing a blocking key, deduplicated and sorted.
// With `key_kinds` (blocking key prefixes such as "bd:"), only keys of those
// kinds pair records.
std::vector<RecordPair> CandidatePairs(
    const std::vector<ComparableRecord>& records,
    const BlockingOptions& options,
    const std::vector<std::string>& key_kinds = {});

// The comparison vector of every pair, computed on `threads` threads.
std::vector<ComparisonVector> ComparePairs(
    const Comparator& comparator, const std::vector<ComparableRecord>& records,
    const std::vector<RecordPair>& pairs, int threads);

struct EmOptions {
  // EM stops after this many iterations even if not converged.
  int max_iterations = 200;
  // Converged when no m probability and not the prior moves more than this.
  double tolerance = 1e-6;
  // Random pairs sampled for the u probabilities.
  int64_t u_sample_pairs = 100000;
  // Seed of the u sampling; the same seed and `threads` give the same model.
  uint64_t seed = 20240611;
  int threads = 2;
  // Pseudo-pairs by which each estimate is smoothed towards the defaults
  // (DefaultModelParams): a level the data never shows keeps a small
  // probability instead of 0 (an infinite weight).
  double pseudo_pairs = 1.0;
};

// One distinct comparison vector and how many pairs have it.
struct WeightedPattern {
  ComparisonVector levels;
  double count = 0;
};

// Groups identical vectors: EM then costs per pattern, not per pair.
std::vector<WeightedPattern> CountPatterns(
    const std::vector<ComparisonVector>& vectors);

// EM over all candidate pairs cannot learn m: pairs that look alike without
// being one person (a family sharing surname, address, landline and e-mail;
// colleagues behind one switchboard) dominate them and fill the "match"
// class. A training session runs EM only over the pairs that share a key of
// some kinds, and leaves out of the comparison the fields those keys block
// on and the fields look-alikes share with them: pairs sharing a birth date
// are rarely relatives, so they teach the m of names and contacts; pairs
// sharing contacts or an address teach the m of given name and birth date,
// where relatives differ. Each field's m pools the expected match counts of
// the sessions that compared it.
struct TrainingSession {
  std::string name;
  std::vector<std::string> key_kinds;  // blocking key prefixes, "bd:"
  std::vector<ComparisonField> held_out;
};

// The sessions TrainMatchModel runs (docs/matching.md).
const std::vector<TrainingSession>& DefaultTrainingSessions();

// What one session did; `skipped` says why it taught nothing (no pairs,
// EM degenerate), empty when it did.
struct SessionReport {
  std::string name;
  int64_t pairs = 0;
  int iterations = 0;
  bool converged = false;
  double prior = 0;
  std::string skipped;
};

struct EmReport {
  int iterations = 0;  // of the last EM run
  bool converged = false;
  int64_t candidate_pairs = 0;
  int64_t patterns = 0;
  int64_t u_pairs = 0;
  // P(match) of a candidate pair, before it became the model's prior of two
  // random records.
  double candidate_prior = 0;
  std::vector<SessionReport> sessions;
};

// Sets the u probabilities of `params` from `options.u_sample_pairs` random
// pairs, smoothed towards the u already there; m and prior are left as they
// are. FailedPrecondition for fewer than two records.
absl::Status EstimateU(const Comparator& comparator,
                       const std::vector<ComparableRecord>& records,
                       const EmOptions& options, MatchModelParams* params);

// EM for the m probabilities and the prior with the u probabilities held
// fixed, starting from `params`. FailedPrecondition when there are no
// patterns, when every pair compares the same (nothing to separate), or when
// EM degenerates (a NaN, or the prior collapsing to 0 or 1).
absl::Status RunEm(const std::vector<WeightedPattern>& patterns,
                   const EmOptions& options, MatchModelParams* params,
                   EmReport* report);

// EM for the prior alone, with m and u held fixed. FailedPrecondition as
// RunEm.
absl::Status EstimatePrior(const std::vector<WeightedPattern>& patterns,
                           const EmOptions& options, MatchModelParams* params,
                           EmReport* report);

// The whole training: term frequencies, u by sampling, m by EM in each of
// `sessions` (pairs blocked as `blocking` says), and the prior by EM over
// the comparisons `vectors` of all candidate pairs `pairs` (as
// CandidatePairs returns them, sorted; a session's pairs are among them, so
// their comparisons are looked up rather than made again). FailedPrecondition when
// no session teaches anything (the message gives each one's reason) or the
// prior degenerates.
absl::StatusOr<std::unique_ptr<MatchModel>> TrainMatchModel(
    const std::vector<ComparableRecord>& records,
    const std::vector<RecordPair>& pairs,
    const std::vector<ComparisonVector>& vectors, NicknameTable nicknames,
    const BlockingOptions& blocking, const EmOptions& options,
    EmReport* report,
    const std::vector<TrainingSession>& sessions = DefaultTrainingSessions());

}  // namespace c360

#endif  // C360_RESOLVER_EM_TRAINER_H_

#include "resolver/em_trainer.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "resolver/candidate_keys.h"

namespace c360 {
namespace {

using LevelCounts = std::vector<std::vector<double>>;  // [field][level]

LevelCounts ZeroCounts() {
  LevelCounts counts;
  for (const FieldSchema& field : ComparisonSchema()) {
    counts.emplace_back(field.levels.size(), 0.0);
  }
  return counts;
}

void AddCounts(const LevelCounts& from, LevelCounts* to) {
  for (size_t f = 0; f < from.size(); ++f) {
    for (size_t l = 0; l < from[f].size(); ++l) (*to)[f][l] += from[f][l];
  }
}

// Runs fn(thread_index, begin, end) over [0, n) split into `threads` parts.
void ParallelFor(size_t n, int threads,
                 const std::function<void(int, size_t, size_t)>& fn) {
  threads = std::max(1, std::min<int>(threads, static_cast<int>(n / 1000) + 1));
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) {
    workers.emplace_back(fn, t, n * t / threads, n * (t + 1) / threads);
  }
  fn(0, 0, n / threads);
  for (std::thread& worker : workers) worker.join();
}

using Levels = std::vector<std::vector<LevelProbabilities>>;

// Sets each level's `probability` (m or u) after "missing" to the smoothed
// estimate (count + pseudo * target) / (total + pseudo), with `target`
// normalized per field: a field without data keeps its target.
void Smooth(const LevelCounts& counts, double pseudo, const Levels& target,
            double LevelProbabilities::*probability, Levels* levels) {
  for (size_t f = 0; f < counts.size(); ++f) {
    double total = 0, target_total = 0;
    for (size_t l = 1; l < counts[f].size(); ++l) {
      total += counts[f][l];
      target_total += target[f][l].*probability;
    }
    for (size_t l = 1; l < counts[f].size(); ++l) {
      (*levels)[f][l].*probability =
          (counts[f][l] + pseudo * target[f][l].*probability / target_total) /
          (total + pseudo);
    }
  }
}

bool OfKinds(const std::string& key, const std::vector<std::string>& kinds) {
  if (kinds.empty()) return true;
  return std::any_of(kinds.begin(), kinds.end(), [&key](const std::string& kind) {
    return absl::StartsWith(key, kind);
  });
}

bool Exclusive(const std::string& source, const BlockingOptions& options) {
  const auto& sources = options.one_record_per_person_sources;
  return std::find(sources.begin(), sources.end(), source) != sources.end();
}

void AddBlockPairs(const std::vector<int>& block,
                   const std::vector<ComparableRecord>& records,
                   const BlockingOptions& options, std::vector<uint64_t>* out) {
  for (size_t i = 0; i < block.size(); ++i) {
    const std::string& source = records[block[i]].normalized.key.source();
    const bool exclusive = Exclusive(source, options);
    for (size_t j = i + 1; j < block.size(); ++j) {
      if (exclusive && records[block[j]].normalized.key.source() == source)
        continue;
      const auto [lo, hi] = std::minmax(block[i], block[j]);
      out->push_back(static_cast<uint64_t>(lo) << 32 |
                     static_cast<uint32_t>(hi));
    }
  }
}

// Per-pattern log u (fixed during EM).
std::vector<double> LogU(const std::vector<WeightedPattern>& patterns,
                         const MatchModelParams& params) {
  std::vector<double> log_u;
  for (const WeightedPattern& pattern : patterns) {
    double sum = 0;
    for (int f = 0; f < kNumComparisonFields; ++f) {
      if (pattern.levels[f] != kMissingLevel) {
        sum += std::log(params.levels[f][pattern.levels[f]].u);
      }
    }
    log_u.push_back(sum);
  }
  return log_u;
}

double LogM(const WeightedPattern& pattern, const MatchModelParams& params) {
  double sum = 0;
  for (int f = 0; f < kNumComparisonFields; ++f) {
    if (pattern.levels[f] != kMissingLevel) {
      sum += std::log(params.levels[f][pattern.levels[f]].m);
    }
  }
  return sum;
}

// The E step: the expected number of matches among the pairs, in all and
// per field and level.
struct Expectation {
  LevelCounts matched = ZeroCounts();
  double matches = 0;
  double total = 0;
};

Expectation ExpectMatches(const std::vector<WeightedPattern>& patterns,
                          const std::vector<double>& log_u,
                          const MatchModelParams& params) {
  Expectation expectation;
  const double log_prior = std::log(params.prior);
  const double log_not = std::log1p(-params.prior);
  for (size_t p = 0; p < patterns.size(); ++p) {
    const double odds =
        log_not + log_u[p] - log_prior - LogM(patterns[p], params);
    const double g = patterns[p].count / (1.0 + std::exp(odds));
    for (int f = 0; f < kNumComparisonFields; ++f)
      expectation.matched[f][patterns[p].levels[f]] += g;
    expectation.matches += g;
    expectation.total += patterns[p].count;
  }
  return expectation;
}

// One EM iteration: the expected match counts per level, then new m (unless
// `prior_only`) and prior. Returns the largest change of any estimate.
double EmStep(const std::vector<WeightedPattern>& patterns,
              const std::vector<double>& log_u, const Levels& target,
              double pseudo, bool prior_only, MatchModelParams* params) {
  const Expectation expectation = ExpectMatches(patterns, log_u, *params);
  MatchModelParams next = *params;
  if (!prior_only) {
    Smooth(expectation.matched, pseudo, target, &LevelProbabilities::m,
           &next.levels);
  }
  next.prior = expectation.matches / expectation.total;
  double change = std::abs(next.prior - params->prior);
  for (size_t f = 0; f < next.levels.size(); ++f) {
    for (size_t l = 1; l < next.levels[f].size(); ++l) {
      change = std::max(change,
                        std::abs(next.levels[f][l].m - params->levels[f][l].m));
    }
  }
  *params = std::move(next);
  return change;
}

constexpr double kMaxPlausiblePrior = 0.99;

absl::Status CheckDegenerate(const MatchModelParams& params, int iteration) {
  const double prior = params.prior;
  if (std::isnan(prior) || prior < 1e-9) {
    return absl::FailedPreconditionError(absl::StrCat(
        "EM degenerated at iteration ", iteration, ": P(match) = ", prior,
        "; the candidate pairs hold no separable matches"));
  }
  // Nearly every blocked pair a match means the two classes stopped being
  // "same person" and "different people": pairs that share a household
  // (family name, address, phone, e-mail) fill the match class. Such a model
  // would link whole families.
  if (prior > kMaxPlausiblePrior) {
    return absl::FailedPreconditionError(absl::StrCat(
        "EM collapsed at iteration ", iteration, ": P(match) of a blocked pair = ",
        prior, " > ", kMaxPlausiblePrior,
        "; the blocked pairs are dominated by look-alikes that are not the same "
        "person (households, colleagues), which two classes cannot separate"));
  }
  for (const auto& field : params.levels) {
    for (const LevelProbabilities& level : field) {
      if (std::isnan(level.m)) {
        return absl::FailedPreconditionError(
            absl::StrCat("EM degenerated at iteration ", iteration,
                         ": an m probability is NaN"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<RecordPair> CandidatePairs(
    const std::vector<ComparableRecord>& records,
    const BlockingOptions& options,
    const std::vector<std::string>& key_kinds) {
  absl::flat_hash_map<std::string, std::vector<int>> blocks;
  for (size_t i = 0; i < records.size(); ++i) {
    for (std::string& key : BlockingKeys(records[i])) {
      if (!OfKinds(key, key_kinds)) continue;
      blocks[std::move(key)].push_back(static_cast<int>(i));
    }
  }
  std::vector<uint64_t> codes;
  for (const auto& [key, block] : blocks) {
    if (block.size() <= options.max_block_size) {
      AddBlockPairs(block, records, options, &codes);
    }
  }
  std::sort(codes.begin(), codes.end());
  codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
  std::vector<RecordPair> pairs;
  pairs.reserve(codes.size());
  for (uint64_t code : codes) {
    pairs.emplace_back(static_cast<int>(code >> 32),
                       static_cast<int>(code & 0xffffffff));
  }
  return pairs;
}

std::vector<ComparisonVector> ComparePairs(
    const Comparator& comparator, const std::vector<ComparableRecord>& records,
    const std::vector<RecordPair>& pairs, int threads) {
  std::vector<ComparisonVector> vectors(pairs.size());
  ParallelFor(pairs.size(), threads, [&](int, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      vectors[i] =
          comparator.Compare(records[pairs[i].first], records[pairs[i].second]);
    }
  });
  return vectors;
}

std::vector<WeightedPattern> CountPatterns(
    const std::vector<ComparisonVector>& vectors) {
  absl::flat_hash_map<ComparisonVector, double> counts;
  for (const ComparisonVector& v : vectors) ++counts[v];
  std::vector<WeightedPattern> patterns;
  for (const auto& [levels, count] : counts)
    patterns.push_back({levels, count});
  // Hash order is not stable across runs; sorted, EM sums in a fixed order.
  std::sort(patterns.begin(), patterns.end(),
            [](const WeightedPattern& a, const WeightedPattern& b) {
              return a.levels < b.levels;
            });
  return patterns;
}

absl::Status EstimateU(const Comparator& comparator,
                       const std::vector<ComparableRecord>& records,
                       const EmOptions& options, MatchModelParams* params) {
  if (records.size() < 2) {
    return absl::FailedPreconditionError(
        "u probabilities need at least two records to sample pairs from");
  }
  const int threads = std::max(1, options.threads);
  std::vector<LevelCounts> counts(threads, ZeroCounts());
  ParallelFor(
      static_cast<size_t>(options.u_sample_pairs), threads,
      [&](int t, size_t begin, size_t end) {
        std::mt19937_64 random(options.seed + t);
        std::uniform_int_distribution<size_t> pick(0, records.size() - 1);
        for (size_t i = begin; i < end; ++i) {
          const size_t a = pick(random), b = pick(random);
          if (a == b) continue;
          ComparisonVector v = comparator.Compare(records[a], records[b]);
          for (int f = 0; f < kNumComparisonFields; ++f) ++counts[t][f][v[f]];
        }
      });
  for (int t = 1; t < threads; ++t) AddCounts(counts[t], &counts[0]);
  const Levels target = params->levels;
  Smooth(counts[0], options.pseudo_pairs, target, &LevelProbabilities::u,
         &params->levels);
  return absl::OkStatus();
}

namespace {

absl::Status CheckPatterns(const std::vector<WeightedPattern>& patterns) {
  if (patterns.empty()) {
    return absl::FailedPreconditionError(
        "EM needs candidate pairs, and blocking produced none");
  }
  if (patterns.size() == 1) {
    return absl::FailedPreconditionError(
        "every candidate pair compares the same: EM cannot tell matches from "
        "non-matches");
  }
  return absl::OkStatus();
}

absl::Status Iterate(const std::vector<WeightedPattern>& patterns,
                     const EmOptions& options, bool prior_only,
                     MatchModelParams* params, EmReport* report) {
  absl::Status usable = CheckPatterns(patterns);
  if (!usable.ok()) return usable;
  const std::vector<double> log_u = LogU(patterns, *params);
  const Levels target = params->levels;
  report->converged = false;
  for (report->iterations = 1; report->iterations <= options.max_iterations;
       ++report->iterations) {
    const double change = EmStep(patterns, log_u, target, options.pseudo_pairs,
                                 prior_only, params);
    absl::Status status = CheckDegenerate(*params, report->iterations);
    if (!status.ok()) return status;
    if (change < options.tolerance) {
      report->converged = true;
      break;
    }
  }
  report->iterations = std::min(report->iterations, options.max_iterations);
  report->patterns = static_cast<int64_t>(patterns.size());
  return absl::OkStatus();
}

bool HeldOut(const TrainingSession& session, int field) {
  return std::find(session.held_out.begin(), session.held_out.end(), field) !=
         session.held_out.end();
}

// Runs EM over the session's pairs from `start` and adds its expected match
// counts of the fields it compares to `pooled`. A session that has no pairs
// or degenerates is skipped (report->skipped says why).
// The comparisons of the sorted `wanted` pairs: looked up in the sorted
// `pairs` and their `vectors`, compared only where missing.
std::vector<ComparisonVector> VectorsOf(
    const std::vector<RecordPair>& wanted, const std::vector<RecordPair>& pairs,
    const std::vector<ComparisonVector>& vectors, const Comparator& comparator,
    const std::vector<ComparableRecord>& records) {
  std::vector<ComparisonVector> out;
  out.reserve(wanted.size());
  size_t j = 0;
  for (const RecordPair& pair : wanted) {
    while (j < pairs.size() && pairs[j] < pair) ++j;
    out.push_back(j < pairs.size() && pairs[j] == pair
                      ? vectors[j]
                      : comparator.Compare(records[pair.first],
                                           records[pair.second]));
  }
  return out;
}

void RunSession(const TrainingSession& session, const Comparator& comparator,
                const std::vector<ComparableRecord>& records,
                const std::vector<RecordPair>& pairs,
                const std::vector<ComparisonVector>& all_vectors,
                const BlockingOptions& blocking, const EmOptions& options,
                const MatchModelParams& start, LevelCounts* pooled,
                SessionReport* report) {
  report->name = session.name;
  std::vector<ComparisonVector> vectors =
      VectorsOf(CandidatePairs(records, blocking, session.key_kinds), pairs,
                all_vectors, comparator, records);
  report->pairs = static_cast<int64_t>(vectors.size());
  for (ComparisonVector& v : vectors) {
    for (ComparisonField f : session.held_out) v[f] = kMissingLevel;
  }
  const std::vector<WeightedPattern> patterns = CountPatterns(vectors);
  MatchModelParams params = start;
  EmReport em;
  absl::Status status = Iterate(patterns, options, false, &params, &em);
  if (!status.ok()) {
    report->skipped = std::string(status.message());
    return;
  }
  report->iterations = em.iterations;
  report->converged = em.converged;
  report->prior = params.prior;
  const Expectation expectation =
      ExpectMatches(patterns, LogU(patterns, params), params);
  for (int f = 0; f < kNumComparisonFields; ++f) {
    if (HeldOut(session, f)) continue;
    for (size_t l = 0; l < (*pooled)[f].size(); ++l)
      (*pooled)[f][l] += expectation.matched[f][l];
  }
}

// How many pairs blocking could have produced at most: all pairs but those
// within a source that holds one record per person.
double PossiblePairs(const std::vector<ComparableRecord>& records,
                     const BlockingOptions& blocking) {
  absl::flat_hash_map<std::string, double> per_source;
  for (const ComparableRecord& r : records) {
    if (Exclusive(r.normalized.key.source(), blocking))
      ++per_source[r.normalized.key.source()];
  }
  const double n = static_cast<double>(records.size());
  double pairs = n * (n - 1) / 2;
  for (const auto& [source, count] : per_source) pairs -= count * (count - 1) / 2;
  return std::max(1.0, pairs);
}

std::string SkipReasons(const std::vector<SessionReport>& sessions) {
  std::string reasons;
  for (const SessionReport& session : sessions) {
    absl::StrAppend(&reasons, reasons.empty() ? "" : "; ", session.name, ": ",
                    session.skipped);
  }
  return reasons;
}

}  // namespace

const std::vector<TrainingSession>& DefaultTrainingSessions() {
  static const auto* const sessions = new std::vector<TrainingSession>{
      {"same_birth_date", {"bd:"}, {kBirthDateField}},
      {"same_name_and_birth_date",
       {"nd:", "gf:"},
       {kGivenNameField, kFamilyNameField, kBirthDateField}},
      {"shared_contact_or_address",
       {"em:", "ph:", "bi:", "sn:", "sp:", "np:", "fc:"},
       {kEmailField, kPhoneField, kBusinessIdField, kStreetField,
        kHouseNumberField, kAddressLine2Field, kCityField, kPostcodeField,
        kRegionField, kFamilyNameField}},
      {"same_soc_sec_id", {"ss:", "sd:"}, {kSocSecIdField}},
  };
  return *sessions;
}

absl::Status RunEm(const std::vector<WeightedPattern>& patterns,
                   const EmOptions& options, MatchModelParams* params,
                   EmReport* report) {
  return Iterate(patterns, options, false, params, report);
}

absl::Status EstimatePrior(const std::vector<WeightedPattern>& patterns,
                           const EmOptions& options, MatchModelParams* params,
                           EmReport* report) {
  return Iterate(patterns, options, true, params, report);
}

absl::StatusOr<std::unique_ptr<MatchModel>> TrainMatchModel(
    const std::vector<ComparableRecord>& records,
    const std::vector<RecordPair>& pairs,
    const std::vector<ComparisonVector>& vectors, NicknameTable nicknames,
    const BlockingOptions& blocking, const EmOptions& options,
    EmReport* report, const std::vector<TrainingSession>& sessions) {
  MatchModelParams params = DefaultModelParams();
  CountNameFrequencies(records, &params);
  const Comparator comparator(nicknames);
  absl::Status status = EstimateU(comparator, records, options, &params);
  if (!status.ok()) return status;
  report->u_pairs = options.u_sample_pairs;
  report->candidate_pairs = static_cast<int64_t>(vectors.size());
  LevelCounts pooled = ZeroCounts();
  bool learned = false;
  for (const TrainingSession& session : sessions) {
    report->sessions.emplace_back();
    RunSession(session, comparator, records, pairs, vectors, blocking, options,
               params, &pooled, &report->sessions.back());
    learned = learned || report->sessions.back().skipped.empty();
  }
  if (!learned) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no training session could learn m probabilities (",
        SkipReasons(report->sessions), "); the previous model stays active"));
  }
  const Levels defaults = params.levels;
  Smooth(pooled, options.pseudo_pairs, defaults, &LevelProbabilities::m,
         &params.levels);
  status = EstimatePrior(CountPatterns(vectors), options, &params, report);
  if (!status.ok()) return status;
  // EM gives P(match) of a candidate pair. The model's prior is that of two
  // records drawn at random: the weights count again the agreement that made
  // the pair a candidate, and counting it twice would link namesakes on
  // their name alone. (Blocking is assumed to find nearly every match.)
  report->candidate_prior = params.prior;
  params.prior = params.prior * static_cast<double>(vectors.size()) /
                 PossiblePairs(records, blocking);
  return std::make_unique<MatchModel>(std::move(params), std::move(nicknames));
}

}  // namespace c360

// The match model's versions in the store. Each training stores a new
// version and makes it active; the active version decides every later
// resolution. Layout: models table, key ("matcher", 8-byte version) ->
// MatchModelProto; meta table, key ("active_matcher") -> 8-byte version.
#ifndef C360_RESOLVER_MATCHER_STORE_H_
#define C360_RESOLVER_MATCHER_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "resolver/em_trainer.h"
#include "resolver/match_model.h"
#include "store/kv_store.h"

namespace c360 {

struct MatcherTraining {
  BlockingOptions blocking;
  EmOptions em;
};

// A trained model with what its training saw.
struct TrainedMatcher {
  std::unique_ptr<MatchModel> model;
  EmReport report;
  int64_t records = 0;
};

// Trains a model by EM on every record of the store, without known answers.
// FailedPrecondition when the store holds too few records or no candidate
// pairs, or EM degenerates; nothing is stored then.
absl::StatusOr<TrainedMatcher> TrainMatcher(const ReadView& view,
                                            const RegionForSource& region_for,
                                            NicknameTable nicknames,
                                            const MatcherTraining& options);

// The comparable forms of `records`, or of a seeded random sample of
// `sample` of them when there are more, made on `threads` threads.
std::vector<ComparableRecord> SampleComparables(
    absl::Span<const SourceRecord> records, const RegionForSource& region_for,
    size_t sample, uint64_t seed, int threads);

// Trains a model by EM on `records` (an initial load before it is stored),
// as TrainMatcher does on a store's records.
absl::StatusOr<TrainedMatcher> TrainMatcherOnRecords(
    const std::vector<ComparableRecord>& records, NicknameTable nicknames,
    const MatcherTraining& options);

// Stores `model` as the next version and makes it active, in one write.
// Returns the version (1 for the first).
absl::StatusOr<uint64_t> SaveActiveMatcher(KvStore& store, const MatchModel& model);

// The active model and its version; NotFound when none was trained yet.
absl::StatusOr<std::pair<uint64_t, std::unique_ptr<MatchModel>>> LoadActiveMatcher(
    const ReadView& view);

}  // namespace c360

#endif  // C360_RESOLVER_MATCHER_STORE_H_

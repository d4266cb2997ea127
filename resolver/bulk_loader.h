// The initial load of an empty store: resolves all records at once instead
// of one serial decision per record. Records are prepared and their
// candidate pairs scored on every core, then clustered without chaining
// (clustering.h) and written as the incremental Resolver would have written
// them: the same tables, the same invariants (store/consistency.h), so that
// incremental ingest continues from the result.
//
// The clusters may differ from incremental resolution's, which depends on
// the order records arrive in: here every merge is judged on all the
// evidence between two clusters.
#ifndef C360_RESOLVER_BULK_LOADER_H_
#define C360_RESOLVER_BULK_LOADER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "c360/record.pb.h"
#include "resolver/match_decider.h"
#include "resolver/normalized_record.h"
#include "resolver/record_validator.h"
#include "resolver/resolver.h"
#include "store/kv_store.h"

namespace c360 {

// Reports how far a phase is; `done` of `total` items.
using BulkProgress = std::function<void(absl::string_view phase, int64_t done,
                                        int64_t total)>;

struct BulkLoadOptions {
  // Phone region per source. Required; give the one of the resolver that
  // will continue from the store (Runtime::region_for()) so that both
  // normalize alike. Called from several threads at once.
  RegionForSource region_for;
  // A blocking key held by more records than this brings no pairs and is
  // counted as a hot key, as ResolverOptions::max_postings_per_key.
  size_t max_postings_per_key = ResolverOptions().max_postings_per_key;
  // Most partners per record: those sharing the most blocking keys with
  // it, as ResolverOptions::max_candidate_entities limits the entities an
  // incremental decision scores. A pair is scored when either record keeps
  // the other.
  size_t max_partners_per_record = ResolverOptions().max_candidate_entities;
  // Limits applied to every record, as ResolverOptions::limits.
  ValidationLimits limits;
  // Threads preparing, scoring and encoding; 0 means one per core.
  int threads = 0;
  // Entities per commit. Each commit holds whole entities and the counters,
  // so the store is consistent after any of them.
  int entities_per_commit = 2000;
  // Called on the calling thread as phases advance; may be empty.
  BulkProgress progress;
};

// A record that was not loaded, by its index in the input.
struct BulkRejection {
  size_t index = 0;
  std::string reason;
};

struct BulkLoadReport {
  int64_t records = 0;   // in the input
  int64_t loaded = 0;    // stored: records - rejected - superseded
  int64_t entities = 0;  // created
  // Loaded records with nothing to match on (UpsertResult), each an entity
  // of its own.
  int64_t nothing_to_match = 0;
  // Invalid records with the validator's reason, and records of erased
  // people without renewed consent (resolver/suppression.h), in input order.
  std::vector<BulkRejection> rejected;
  // Indices of records replaced by a later record with the same (source,
  // source_id): the later one is an update of the earlier and wins.
  std::vector<size_t> superseded;
  int64_t pairs_scored = 0;  // candidate pairs kept from blocking
  int64_t hot_keys = 0;      // blocking keys over the cap, not used
  // Pairs a steward should see (Clustering::review); not stored yet.
  int64_t review_pairs = 0;
  // Review tasks stored: one per record whose best review pair was left
  // across two entities.
  int64_t review_tasks = 0;
  int64_t commits = 0;
  // Wall time per phase.
  double prepare_seconds = 0;  // validate, normalize, blocking keys
  double block_seconds = 0;    // candidate pairs
  double score_seconds = 0;    // comparing the pairs
  double cluster_seconds = 0;
  double write_seconds = 0;
};

// Resolves `records` into the empty `store` with `decider` and writes them.
// Invalid records and records refused by the suppression list are
// reported, not loaded; records without anything to
// match on become single-record entities. Entity ids are given in the order
// of each entity's first record in the input, so the same input gives the
// same ids. FailedPrecondition when the store already holds records (add to
// it with incremental ingest); InvalidArgument without options.region_for;
// a store error as it comes, after which the store holds the entities of
// the commits that succeeded and is consistent.
absl::StatusOr<BulkLoadReport> BulkLoad(KvStore& store,
                                        absl::Span<const SourceRecord> records,
                                        const MatchDecider& decider,
                                        const BulkLoadOptions& options);

}  // namespace c360

#endif  // C360_RESOLVER_BULK_LOADER_H_

// Resolution of incoming records into entities: normalize → candidate keys →
// compare with the candidates' records → decide → one atomic write holding
// the record, its membership, its candidate keys, the entity, any merge's
// aliases and audit event, and the change-log entries.
#ifndef C360_RESOLVER_RESOLVER_H_
#define C360_RESOLVER_RESOLVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "c360/record.pb.h"
#include "c360/service.pb.h"
#include "c360/storage.pb.h"
#include "resolver/match_decider.h"
#include "resolver/normalized_record.h"
#include "resolver/record_validator.h"
#include "store/change_feed.h"
#include "store/kv_store.h"

namespace c360 {

// An entity a record would link to (Resolver::MatchingEntities).
struct EntityCandidate {
  std::string entity_id;
  // The best pair between the record and a member; matched_record is the
  // member.
  MatchEvidence evidence;
};

// Called by every decision that stores a new or changed record, with the
// store as it was before the decision: adds writes that follow from the
// record's content to the decision's own write (enrich/ links the record to
// purchased company data this way). An error fails the decision.
using RecordWriteHook = std::function<absl::Status(
    const ReadView& view, const StoredRecord& record, WriteSet* writes)>;

struct ResolverOptions {
  // Region for phone numbers without a country code, when neither the
  // record's address nor `source_regions` names one.
  std::string default_region = "FI";
  // Default phone region per source name, e.g. {"erp", "PL"}.
  absl::flat_hash_map<std::string, std::string> source_regions;
  // A candidate key with more records than this (an info@ address, a
  // company switchboard) is too common to say anything about a person: it
  // brings no candidates and is listed by HotCandidateKeys.
  size_t max_postings_per_key = 50;
  // Most candidate entities scored for a new record: those sharing the most
  // candidate keys with it.
  size_t max_candidate_entities = 12;
  // Most members of a candidate entity compared with a new record.
  size_t max_members_compared = 50;
  // Normalized records kept in memory for comparisons (cleared when full).
  size_t normalized_cache_records = size_t{1} << 18;
  // Limits applied to every record before it is resolved.
  ValidationLimits limits;
  // Optional; see RecordWriteHook.
  RecordWriteHook record_write_hook;
};

// What Upsert did.
struct UpsertResult {
  RecordKey record;
  std::string entity_id;
  UpsertOutcome outcome = UPSERT_OUTCOME_UNSPECIFIED;
  // For MERGED: the entity ids retired into `entity_id`.
  std::vector<std::string> merged_entity_ids;
  // The record carries nothing to match on (no name with a birth date or
  // postcode, e-mail, phone, handle or business id): it is kept, as an
  // entity of its own.
  bool nothing_to_match = false;
};

// Thread-safe. Writes are serialized (one decision at a time, so decisions
// never race); normalization of incoming records runs outside the lock.
class Resolver {
 public:
  // `store` and `notifier` are not owned and must outlive the resolver;
  // `notifier`, when given, hears of every committed change-log entry.
  Resolver(KvStore* store, std::unique_ptr<MatchDecider> decider,
           ResolverOptions options, ChangeNotifier* notifier = nullptr);

  // Validates and resolves one record and stores the decision atomically.
  // Re-sending an unchanged record is a no-op (UNCHANGED). A changed record
  // keeps its entity (UPDATED). A new record links to the entity it matches
  // best (LINKED) or starts one (CREATED). An entity matches when its best
  // member pair is a match and no member contradicts the record. If the
  // record matches several entities that do not contradict each other, they
  // are merged into the oldest, whose id survives (MERGED). Constraints
  // (steward decisions) come first: an entity holding a must-link partner
  // of the record is joined whatever the score, one holding a cannot-link
  // partner never, and two entities a cannot-link joins are not merged.
  // A new entity whose best candidate scored in the review band
  // (MatchDecider::NeedsReview) gets an OPEN review task in the same write.
  // A new record holding an identifier of an erased person is refused
  // unless it carries renewed consent, which lifts the suppression in the
  // same write (resolver/suppression.h). InvalidArgument for a record that
  // fails validation or is refused; the store is then unchanged.
  absl::StatusOr<UpsertResult> Upsert(const SourceRecord& record);

  // Upserts `records` in order; validation and normalization run on a second
  // thread ahead of the decisions. One result per record; a failed record
  // does not stop the others.
  std::vector<absl::StatusOr<UpsertResult>> UpsertBatch(
      absl::Span<const SourceRecord> records);

  // The entities `record` would link to if it were upserted now, best first,
  // without storing anything: those whose best member pair is a match, whose
  // members weigh a link on average and none of which contradicts it.
  // Steward constraints do not apply (the record is not stored). For data
  // that must never create or merge entities (purchased person data).
  // Takes no decision lock: calls run in parallel with each other and with
  // decisions, each seeing committed state. InvalidArgument for a record
  // that fails validation.
  absl::StatusOr<std::vector<EntityCandidate>> MatchingEntities(
      const SourceRecord& record) ABSL_LOCKS_EXCLUDED(mutex_);

  // The phone region used for records of `source`.
  const std::string& RegionFor(const std::string& source) const;

  // The decider every decision uses.
  const MatchDecider& decider() const { return *decider_; }

  const ResolverOptions& options() const { return options_; }

  // Runs `operation` under the decision lock, so that it never races a
  // decision or another operation, with the counters as they are now. When
  // it returns OK it must have committed the writes it numbered with the
  // counters (advanced as it used them); the resolver keeps them and the
  // change notifier hears of them. On an error it must have committed
  // nothing. For steward operations (resolver/steward.h): they move records
  // between entities but never change a record's content, so the caches of
  // normalized records and hot candidate keys stay valid.
  absl::Status RunExclusive(
      const std::function<absl::Status(StoreCounters*)>& operation)
      ABSL_LOCKS_EXCLUDED(mutex_);

  // Drops erased records (resolver/erasure.h) from the cache of normalized
  // records, so that no copy of their data stays in memory.
  void ForgetRecords(absl::Span<const RecordKey> records)
      ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  class Decision;
  // Normalized forms of stored records by RecordKeyString. Only decisions
  // write records, so a decision that commits refreshes its record's entry.
  using NormalizedCache =
      absl::flat_hash_map<std::string, std::shared_ptr<const ComparableRecord>>;
  // Candidate keys found overfull: postings only grow, so they stay so (an
  // update that shrinks one is rare and only costs recall until restart).
  using HotKeys = absl::flat_hash_set<std::string>;
  // The caches a Decision uses, and the mutex guarding them when the
  // decision lock does not (null then).
  struct Caches {
    NormalizedCache* normalized;
    HotKeys* hot_keys;
    absl::Mutex* mutex;
  };

  // A record made ready for a decision, outside the lock.
  struct Prepared {
    absl::Status valid;
    // The record with observed_at defaulted, its fingerprint and its
    // candidate keys; entity and times are filled by the decision.
    StoredRecord stored;
    ComparableRecord comparable;
  };

  Prepared Prepare(const SourceRecord& record) const;
  absl::StatusOr<UpsertResult> Apply(Prepared prepared)
      ABSL_LOCKS_EXCLUDED(mutex_);
  absl::Status LoadCounters() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // Keeps the counters of a committed write and announces its changes.
  void Advance(const StoreCounters& counters)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  KvStore* store_;
  ChangeNotifier* notifier_;
  std::unique_ptr<MatchDecider> decider_;
  ResolverOptions options_;
  absl::Mutex mutex_;
  // Cached between decisions: this resolver is the store's only writer.
  bool counters_loaded_ ABSL_GUARDED_BY(mutex_) = false;
  StoreCounters counters_ ABSL_GUARDED_BY(mutex_);
  NormalizedCache cache_ ABSL_GUARDED_BY(mutex_);
  HotKeys hot_keys_ ABSL_GUARDED_BY(mutex_);
  // MatchingEntities' own caches.
  absl::Mutex dry_run_mutex_ ABSL_ACQUIRED_AFTER(mutex_);
  NormalizedCache dry_run_cache_ ABSL_GUARDED_BY(dry_run_mutex_);
  HotKeys dry_run_hot_keys_ ABSL_GUARDED_BY(dry_run_mutex_);
};

// Candidate keys held by more than `max_postings` records, with their
// counts, most common first: the keys blocking ignores.
absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> HotCandidateKeys(
    const ReadView& view, size_t max_postings);

}  // namespace c360

#endif  // C360_RESOLVER_RESOLVER_H_

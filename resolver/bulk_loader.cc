#include "resolver/bulk_loader.h"

#include "resolver/parallel.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <thread>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "resolver/candidate_keys.h"
#include "resolver/clustering.h"
#include "resolver/entity_edit.h"
#include "resolver/identifiers.h"
#include "resolver/parallel.h"
#include "resolver/suppression.h"
#include "store/keys.h"
#include "store/repository.h"

namespace c360 {
namespace {

using google::protobuf::Timestamp;

// ParallelFor reporting its progress as `phase` of a bulk load.
void ParallelPhase(size_t n, int threads, size_t chunk, absl::string_view phase,
                   const BulkProgress& progress,
                   const std::function<void(size_t)>& fn) {
  ParallelFor(n, threads, chunk, fn, [&](size_t done) {
    if (progress) progress(phase, done, n);
  });
}

double SecondsSince(absl::Time start) {
  return absl::ToDoubleSeconds(absl::Now() - start);
}

absl::Status RequireEmpty(const ReadView& view) {
  bool has_records = false;
  absl::Status scanned =
      view.Scan(Table::kRecords, "", "", [&](absl::string_view, absl::string_view) {
        has_records = true;
        return false;
      });
  if (!scanned.ok()) return scanned;
  if (!has_records) return absl::OkStatus();
  return absl::FailedPreconditionError(
      "the store already holds records; a bulk load needs an empty store: "
      "add to this one with incremental ingest (c360 ingest)");
}

// The same puts ordered by table and key. A batch's keys go into RocksDB's
// memtable skip lists faster in order, as each insert then
// starts where the previous one ended. Batches hold no deletes and no key
// twice, so the order does not change what they write.
WriteSet SortedByKey(const WriteSet& writes) {
  std::vector<const WriteSet::Op*> ops;
  ops.reserve(writes.ops().size());
  for (const WriteSet::Op& op : writes.ops()) ops.push_back(&op);
  std::sort(ops.begin(), ops.end(), [](const WriteSet::Op* x, const WriteSet::Op* y) {
    return std::tie(x->table, x->key) < std::tie(y->table, y->key);
  });
  WriteSet sorted;
  for (const WriteSet::Op* op : ops) sorted.Put(op->table, op->key, op->value);
  return sorted;
}

// Write batches encoded in any order by several threads and taken in order
// by one, each at most `window` batches ahead of the last taken (to bound
// memory). Thread-safe.
class BatchQueue {
 public:
  BatchQueue(size_t batches, size_t window)
      : batches_(batches), window_(window), slots_(batches) {}

  size_t size() const { return batches_; }

  // The next batch to encode; waits while it would be too far ahead.
  // nullopt when every batch is claimed or the queue was stopped.
  std::optional<size_t> Claim() {
    absl::MutexLock lock(&mutex_);
    if (claimed_ == batches_) return std::nullopt;
    const size_t batch = claimed_++;
    while (!stopped_ && batch >= taken_ + window_) changed_.Wait(&mutex_);
    if (stopped_) return std::nullopt;
    return batch;
  }

  void Put(size_t batch, WriteSet writes) {
    absl::MutexLock lock(&mutex_);
    slots_[batch] = std::move(writes);
    changed_.SignalAll();
  }

  // Waits for `batch`, which must be the next one in order, and takes it.
  WriteSet Take(size_t batch) {
    absl::MutexLock lock(&mutex_);
    while (!slots_[batch].has_value()) changed_.Wait(&mutex_);
    WriteSet writes = *std::move(slots_[batch]);
    slots_[batch].reset();
    ++taken_;
    changed_.SignalAll();
    return writes;
  }

  // Releases waiting encoders and hands out no more batches.
  void Stop() {
    absl::MutexLock lock(&mutex_);
    stopped_ = true;
    changed_.SignalAll();
  }

 private:
  const size_t batches_;
  const size_t window_;
  absl::Mutex mutex_;
  absl::CondVar changed_;
  std::vector<std::optional<WriteSet>> slots_ ABSL_GUARDED_BY(mutex_);
  size_t claimed_ ABSL_GUARDED_BY(mutex_) = 0;
  size_t taken_ ABSL_GUARDED_BY(mutex_) = 0;
  bool stopped_ ABSL_GUARDED_BY(mutex_) = false;
};

// A record made ready for blocking and comparison.
struct Prepared {
  absl::Status valid;
  uint64_t content_hash = 0;
  ComparableRecord comparable;
  std::vector<std::string> keys;  // BlockingKeys, as the Resolver stores them
  // Suppressed identifiers a record with renewed consent lifts.
  std::vector<std::string> lifted;
};

// Two records as one sortable number, the smaller first.
uint64_t PairCode(int lo, int hi) {
  return static_cast<uint64_t>(lo) << 32 | static_cast<uint32_t>(hi);
}
int First(uint64_t code) { return static_cast<int>(code >> 32); }
int Second(uint64_t code) { return static_cast<int>(code & 0xffffffff); }

// A candidate pair and the number of blocking keys its records share.
struct SharedPair {
  uint64_t code;  // PairCode
  int shared;
};

// One partner of a record: (-shared keys, partner, pair index), so that
// the best partners sort first.
using PartnerRank = std::tuple<int, int, size_t>;

// One blocking key of one record; `hash` orders the keys cheaply.
struct KeyRef {
  uint64_t hash;
  absl::string_view key;
  int record;
};

// One load: the phases in order, each filling the state the next reads.
// Records are numbered densely (0..loaded-1) for clustering; `loaded_` maps
// that number to the input index.
class Loader {
 public:
  Loader(KvStore& store, absl::Span<const SourceRecord> records,
         const MatchDecider& decider, const BulkLoadOptions& options)
      : store_(store),
        records_(records),
        decider_(decider),
        options_(options),
        threads_(options.threads > 0
                     ? options.threads
                     : std::max(1u, std::thread::hardware_concurrency())),
        now_(google::protobuf::util::TimeUtil::GetCurrentTime()) {
    report_.records = static_cast<int64_t>(records.size());
  }

  absl::StatusOr<BulkLoadReport> Run() {
    absl::StatusOr<StoreCounters> counters = Repository(&store_).GetCounters();
    if (!counters.ok()) return counters.status();
    base_ = *std::move(counters);
    absl::Time start = absl::Now();
    PrepareAll();
    SelectLoaded();
    report_.prepare_seconds = SecondsSince(start);
    start = absl::Now();
    std::vector<uint64_t> codes = CandidatePairCodes();
    report_.block_seconds = SecondsSince(start);
    start = absl::Now();
    std::vector<ScoredPair> pairs = ScoreAll(codes);
    report_.score_seconds = SecondsSince(start);
    start = absl::Now();
    Cluster(pairs);
    report_.cluster_seconds = SecondsSince(start);
    start = absl::Now();
    absl::Status written = WriteAll();
    if (written.ok()) written = LiftSuppression();
    if (written.ok()) written = WriteReviewTasks();
    report_.write_seconds = SecondsSince(start);
    if (!written.ok()) return written;
    return std::move(report_);
  }

 private:
  void PrepareAll() {
    prepared_.resize(records_.size());
    ParallelPhase(records_.size(), threads_, 256, "prepare", options_.progress,
                [&](size_t i) { prepared_[i] = Prepare(records_[i]); });
  }

  Prepared Prepare(const SourceRecord& record) const {
    Prepared prepared;
    prepared.valid = ValidateRecord(record, options_.limits);
    if (!prepared.valid.ok()) return prepared;
    prepared.content_hash = ContentFingerprint(record);
    prepared.comparable =
        MakeComparable(record, options_.region_for(record.source()));
    prepared.keys = BlockingKeys(prepared.comparable);
    absl::StatusOr<std::vector<std::string>> lifted =
        AdmitNewRecord(Repository(&store_), record, prepared.comparable.normalized);
    if (lifted.ok()) {
      prepared.lifted = *std::move(lifted);
    } else {
      prepared.valid = lifted.status();
    }
    return prepared;
  }

  // Deletes the suppression entries that loaded records with renewed
  // consent lift, after their records: a crash in between leaves them
  // suppressed, which only asks for renewed consent again.
  absl::Status LiftSuppression() {
    RepositoryWrites writes;
    for (size_t index : loaded_) {
      for (const std::string& hash : prepared_[index].lifted) {
        writes.DeleteSuppressed(hash);
      }
    }
    if (writes.write_set().empty()) return absl::OkStatus();
    return store_.Commit(writes.write_set());
  }

  // A review task per record whose best pair in the review band was left
  // across two entities, as incremental resolution leaves one for a record
  // arriving after the other entity: the later record, the earlier one's
  // entity. One write after the entities: a crash before it loses only the
  // tasks.
  absl::Status WriteReviewTasks() {
    absl::flat_hash_map<int, const ScoredPair*> best;  // by later record
    for (const ScoredPair& pair : review_) {
      if (entity_of_[pair.a] == entity_of_[pair.b]) continue;
      const ScoredPair*& kept = best[std::max(pair.a, pair.b)];
      if (kept == nullptr || pair.weight > kept->weight) kept = &pair;
    }
    if (best.empty()) return absl::OkStatus();
    absl::StatusOr<StoreCounters> counters = Repository(&store_).GetCounters();
    if (!counters.ok()) return counters.status();
    EntityEdit edit(&store_, &*counters, now_);
    std::vector<int> records;
    for (const auto& [record, pair] : best) records.push_back(record);
    std::sort(records.begin(), records.end());  // task ids in input order
    for (int record : records) {
      const ScoredPair& pair = *best[record];
      const int other = pair.a == record ? pair.b : pair.a;
      MatchEvidence evidence = Evidence(record, other);
      AttachFieldValues(Of(record).comparable, Of(other).comparable, &evidence);
      edit.AddReviewTask(KeyOf(records_[loaded_[record]]),
                         EntityIdFor(base_.next_entity() + entity_of_[other]),
                         std::move(evidence));
    }
    report_.review_tasks = static_cast<int64_t>(records.size());
    return edit.Commit(&store_);
  }

  // Drops invalid records and earlier versions of a key. A later version
  // takes its earlier one's place in the order, as an incremental update
  // keeps the record where its entity was created.
  void SelectLoaded() {
    absl::flat_hash_map<std::string, int> position;
    for (size_t i = 0; i < records_.size(); ++i) {
      if (!prepared_[i].valid.ok()) {
        report_.rejected.push_back(
            {i, std::string(prepared_[i].valid.message())});
        continue;
      }
      const SourceRecord& r = records_[i];
      auto [it, inserted] = position.try_emplace(
          EncodeKey({r.source(), r.source_id()}), static_cast<int>(loaded_.size()));
      if (inserted) {
        loaded_.push_back(i);
      } else {
        report_.superseded.push_back(loaded_[it->second]);
        loaded_[it->second] = i;
      }
    }
    std::sort(report_.superseded.begin(), report_.superseded.end());
    report_.loaded = static_cast<int64_t>(loaded_.size());
    for (size_t index : loaded_) {
      report_.nothing_to_match += prepared_[index].keys.empty();
    }
  }

  const Prepared& Of(int record) const { return prepared_[loaded_[record]]; }

  // Pairs of records sharing a blocking key held by at most
  // max_postings_per_key records, as sorted PairCodes, each record
  // keeping its best partners only (KeepBestPartners).
  std::vector<uint64_t> CandidatePairCodes() {
    std::vector<uint64_t> codes = PairsOfEveryBlock();
    std::sort(codes.begin(), codes.end());
    // A pair occurs once per key its records share.
    std::vector<SharedPair> pairs;
    for (size_t begin = 0, end; begin < codes.size(); begin = end) {
      end = begin + 1;
      while (end < codes.size() && codes[end] == codes[begin]) ++end;
      pairs.push_back({codes[begin], static_cast<int>(end - begin)});
    }
    codes = KeepBestPartners(pairs);
    report_.pairs_scored = static_cast<int64_t>(codes.size());
    return codes;
  }

  std::vector<uint64_t> PairsOfEveryBlock() {
    std::vector<KeyRef> refs = SortedKeyRefs();
    std::vector<uint64_t> codes;
    for (size_t begin = 0, end; begin < refs.size(); begin = end) {
      end = begin + 1;
      while (end < refs.size() && refs[end].key == refs[begin].key) ++end;
      if (end - begin > options_.max_postings_per_key) {
        ++report_.hot_keys;
        continue;
      }
      for (size_t i = begin; i < end; ++i) {
        for (size_t j = i + 1; j < end; ++j) {
          codes.push_back(PairCode(refs[i].record, refs[j].record));
        }
      }
    }
    return codes;
  }

  // The pairs that one of their records ranks among its
  // max_partners_per_record by shared keys (ties: the older partner), as
  // the Resolver scores only the candidate entities sharing the most keys:
  // common names in one city otherwise bring dozens of pairs per record.
  std::vector<uint64_t> KeepBestPartners(const std::vector<SharedPair>& pairs) const {
    std::vector<size_t> start;
    std::vector<PartnerRank> ranked = RankPartners(pairs, &start);
    std::vector<bool> keep(pairs.size(), false);
    for (size_t r = 0; r < loaded_.size(); ++r) {
      auto begin = ranked.begin() + start[r], end = ranked.begin() + start[r + 1];
      auto last = begin + std::min<size_t>(end - begin, options_.max_partners_per_record);
      std::partial_sort(begin, last, end);
      for (auto it = begin; it != last; ++it) keep[std::get<2>(*it)] = true;
    }
    std::vector<uint64_t> kept;
    for (size_t i = 0; i < pairs.size(); ++i) {
      if (keep[i]) kept.push_back(pairs[i].code);
    }
    return kept;
  }

  // Both ends of every pair, grouped by record: record r's partners are
  // [start[r], start[r + 1]).
  std::vector<PartnerRank> RankPartners(const std::vector<SharedPair>& pairs,
                                        std::vector<size_t>* start) const {
    start->assign(loaded_.size() + 1, 0);
    for (const SharedPair& p : pairs) {
      ++(*start)[First(p.code)];
      ++(*start)[Second(p.code)];
    }
    for (size_t r = 0, sum = 0; r <= loaded_.size(); ++r) {
      std::swap((*start)[r], sum);
      sum += (*start)[r];
    }
    std::vector<PartnerRank> ranked(2 * pairs.size());
    std::vector<size_t> fill(start->begin(), start->end() - 1);
    for (size_t i = 0; i < pairs.size(); ++i) {
      const int a = First(pairs[i].code), b = Second(pairs[i].code);
      ranked[fill[a]++] = {-pairs[i].shared, b, i};
      ranked[fill[b]++] = {-pairs[i].shared, a, i};
    }
    return ranked;
  }

  // Every record's keys, equal keys adjacent and their records ascending.
  std::vector<KeyRef> SortedKeyRefs() const {
    std::vector<KeyRef> refs;
    const absl::Hash<absl::string_view> hash;
    for (int r = 0; r < static_cast<int>(loaded_.size()); ++r) {
      for (const std::string& key : Of(r).keys) refs.push_back({hash(key), key, r});
    }
    std::sort(refs.begin(), refs.end(), [](const KeyRef& x, const KeyRef& y) {
      return std::tie(x.hash, x.key, x.record) < std::tie(y.hash, y.key, y.record);
    });
    return refs;
  }

  ScoredPair Score(int a, int b) const {
    MatchEvidence evidence = decider_.Compare(Of(a).comparable, Of(b).comparable);
    return {a, b, evidence.score(), decider_.Contradicts(evidence)};
  }

  std::vector<ScoredPair> ScoreAll(const std::vector<uint64_t>& codes) const {
    std::vector<ScoredPair> pairs(codes.size());
    ParallelPhase(codes.size(), threads_, 1024, "score", options_.progress,
                [&](size_t i) {
                  pairs[i] = Score(First(codes[i]), Second(codes[i]));
                });
    return pairs;
  }

  void Cluster(const std::vector<ScoredPair>& pairs) {
    ClusteringOptions options;
    options.link_weight = decider_.link_threshold();
    options.review_weight = decider_.review_threshold();
    Clustering clustering = ClusterRecords(
        static_cast<int>(loaded_.size()), pairs,
        [this](int a, int b) { return Score(a, b); }, options);
    report_.review_pairs = static_cast<int64_t>(clustering.review.size());
    review_ = std::move(clustering.review);
    GroupMembers(clustering.cluster_of);
    FindPartners(pairs, clustering.cluster_of);
  }

  // Entities in the order of their first record, members ascending.
  void GroupMembers(const std::vector<int>& cluster_of) {
    std::vector<int> entity_of_cluster(cluster_of.size(), -1);
    entity_of_.assign(cluster_of.size(), -1);
    for (int r = 0; r < static_cast<int>(cluster_of.size()); ++r) {
      int& entity = entity_of_cluster[cluster_of[r]];
      if (entity < 0) {
        entity = static_cast<int>(members_.size());
        members_.emplace_back();
      }
      members_[entity].push_back(r);
      entity_of_[r] = entity;
    }
    report_.entities = static_cast<int64_t>(members_.size());
  }

  // Each record's best-scoring partner within its cluster: the evidence
  // that links it there. Every member of a cluster of two or more has one,
  // as clusters grow only through scored pairs.
  void FindPartners(const std::vector<ScoredPair>& pairs,
                    const std::vector<int>& cluster_of) {
    partner_.assign(cluster_of.size(), -1);
    std::vector<double> best(cluster_of.size(),
                             -std::numeric_limits<double>::infinity());
    for (const ScoredPair& pair : pairs) {
      if (cluster_of[pair.a] != cluster_of[pair.b]) continue;
      for (auto [self, other] : {std::pair(pair.a, pair.b), std::pair(pair.b, pair.a)}) {
        if (pair.weight > best[self]) {
          best[self] = pair.weight;
          partner_[self] = other;
        }
      }
    }
  }

  // Encodes batches of whole entities on worker threads while this thread
  // commits them. Commits stay in order so that the counters and the change
  // log never run ahead of the entities stored.
  absl::Status WriteAll() {
    const size_t per_batch = std::max(1, options_.entities_per_commit);
    BatchQueue queue((members_.size() + per_batch - 1) / per_batch,
                     /*window=*/2 * static_cast<size_t>(threads_));
    std::vector<std::thread> encoders;
    for (int t = 0; t < threads_; ++t) {
      encoders.emplace_back([&] {
        while (std::optional<size_t> b = queue.Claim()) {
          const size_t begin = *b * per_batch;
          queue.Put(*b, Batch(begin, std::min(members_.size(), begin + per_batch)));
        }
      });
    }
    absl::Status status = CommitInOrder(queue, per_batch);
    queue.Stop();
    for (std::thread& encoder : encoders) encoder.join();
    return status;
  }

  absl::Status CommitInOrder(BatchQueue& queue, size_t per_batch) {
    for (size_t b = 0; b < queue.size(); ++b) {
      absl::Status committed = store_.Commit(queue.Take(b));
      if (!committed.ok()) return committed;
      ++report_.commits;
      if (options_.progress) {
        options_.progress("write", std::min(members_.size(), (b + 1) * per_batch),
                          members_.size());
      }
    }
    return absl::OkStatus();
  }

  // Entities [begin, end) with the counters as they stand after them.
  WriteSet Batch(size_t begin, size_t end) const {
    RepositoryWrites writes;
    for (size_t e = begin; e < end; ++e) WriteEntity(e, &writes);
    StoreCounters counters = base_;
    counters.set_next_entity(base_.next_entity() + end);
    counters.set_next_change(base_.next_change() + end);
    writes.PutCounters(counters);
    return SortedByKey(writes.write_set());
  }

  void WriteEntity(size_t e, RepositoryWrites* writes) const {
    const std::string id = EntityIdFor(base_.next_entity() + e);
    EntityState entity;
    entity.set_entity_id(id);
    *entity.mutable_created_at() = now_;
    *entity.mutable_updated_at() = now_;
    entity.set_record_count(static_cast<int>(members_[e].size()));
    writes->PutEntity(entity);
    for (int r : members_[e]) WriteRecord(r, id, r != members_[e].front(), writes);
    ChangeEvent event;
    event.set_sequence(base_.next_change() + e);
    *event.mutable_at() = now_;
    event.set_type(ENTITY_CREATED);
    event.set_entity_id(id);
    *event.mutable_record() = KeyOf(records_[loaded_[members_[e].front()]]);
    writes->AppendChange(event);
  }

  // The record as the Resolver stores it; `linked` records carry the
  // evidence of their best pair in the entity.
  void WriteRecord(int r, const std::string& entity_id, bool linked,
                   RepositoryWrites* writes) const {
    StoredRecord stored;
    *stored.mutable_record() = records_[loaded_[r]];
    if (!stored.record().has_observed_at()) {
      *stored.mutable_record()->mutable_observed_at() = now_;
    }
    stored.set_entity_id(entity_id);
    stored.set_content_hash(Of(r).content_hash);
    *stored.mutable_first_seen() = now_;
    *stored.mutable_last_updated() = now_;
    if (linked && partner_[r] >= 0) {
      *stored.mutable_evidence() = Evidence(r, partner_[r]);
    }
    const RecordKey key = KeyOf(stored.record());
    for (const std::string& candidate_key : Of(r).keys) {
      stored.add_candidate_keys(candidate_key);
      writes->AddPosting(candidate_key, key, entity_id);
    }
    writes->AddMember(entity_id, key);
    writes->PutRecord(stored);
  }

  MatchEvidence Evidence(int r, int partner) const {
    MatchEvidence evidence =
        decider_.Compare(Of(r).comparable, Of(partner).comparable);
    *evidence.mutable_matched_record() = KeyOf(records_[loaded_[partner]]);
    return evidence;
  }

  KvStore& store_;
  absl::Span<const SourceRecord> records_;
  const MatchDecider& decider_;
  const BulkLoadOptions& options_;
  const int threads_;
  const Timestamp now_;
  StoreCounters base_;
  BulkLoadReport report_;
  std::vector<Prepared> prepared_;           // by input index
  std::vector<size_t> loaded_;               // input index by record number
  std::vector<std::vector<int>> members_;    // record numbers by entity
  std::vector<int> partner_;                 // by record number; -1 = none
  std::vector<int> entity_of_;               // entity by record number
  std::vector<ScoredPair> review_;           // pairs left for review
};

}  // namespace

absl::StatusOr<BulkLoadReport> BulkLoad(KvStore& store,
                                        absl::Span<const SourceRecord> records,
                                        const MatchDecider& decider,
                                        const BulkLoadOptions& options) {
  if (!options.region_for) {
    return absl::InvalidArgumentError("BulkLoadOptions.region_for is required");
  }
  if (absl::Status empty = RequireEmpty(store); !empty.ok()) return empty;
  return Loader(store, records, decider, options).Run();
}

}  // namespace c360

#include "resolver/resolver.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "resolver/em_trainer.h"
#include "resolver/entity_edit.h"
#include "resolver/identifiers.h"
#include "resolver/normalized_record.h"
#include "resolver/suppression.h"
#include "store/repository.h"

namespace c360 {
namespace {

struct EntityMatch {
  std::string entity_id;
  // The best pair between the record and a member.
  MatchEvidence evidence;
  // Some member contradicts the record (see MatchDecider::Contradicts).
  bool contradicted = false;
  // A member has a cannot-link with the record.
  bool cannot_link = false;
  // A member has a must-link with the record: the record joins whatever
  // the score.
  bool must_link = false;
  std::vector<RecordKey> keys;
  // The mean score over the members compared.
  double mean_score = 0;
  std::vector<std::shared_ptr<const ComparableRecord>> members;
  // The member of `evidence`.
  std::shared_ptr<const ComparableRecord> best_member;
};

// The records a record has constraints of `kind` with, by RecordKeyString.
absl::flat_hash_set<std::string> Partners(absl::Span<const Constraint> all,
                                          ConstraintKind kind) {
  absl::flat_hash_set<std::string> partners;
  for (const Constraint& c : all) {
    if (c.kind() == kind) partners.insert(RecordKeyString(c.right()));
  }
  return partners;
}

}  // namespace

// One decision about one record: reads the latest state, collects the
// writes, and commits them together. Lives only under the resolver's lock,
// except for a dry run (Candidates), which writes nothing and brings its own
// caches and the mutex that guards them.
class Resolver::Decision {
 public:
  Decision(const Resolver& resolver, Prepared prepared, StoreCounters counters,
           Caches caches)
      : resolver_(resolver),
        caches_(caches),
        counters_(std::move(counters)),
        edit_(resolver.store_, &counters_, TimestampNow()),
        repo_(edit_.repo()),
        writes_(edit_.writes()),
        comparable_(std::move(prepared.comparable)),
        stored_(std::move(prepared.stored)) {
    *stored_.mutable_last_updated() = edit_.now();
  }

  absl::StatusOr<UpsertResult> Run() {
    result_.record = KeyOf(stored_.record());
    absl::StatusOr<StoredRecord> existing = repo_.GetRecord(result_.record);
    if (existing.ok()) return Update(*existing);
    if (!absl::IsNotFound(existing.status())) return existing.status();
    *stored_.mutable_first_seen() = edit_.now();
    absl::StatusOr<std::vector<std::string>> lifted =
        AdmitNewRecord(repo_, stored_.record(), comparable_.normalized);
    if (!lifted.ok()) return lifted.status();
    for (const std::string& hash : *lifted) writes_.DeleteSuppressed(hash);
    absl::StatusOr<std::vector<Constraint>> constraints =
        repo_.Constraints(result_.record);
    if (!constraints.ok()) return constraints.status();
    cannot_link_ = Partners(*constraints, CANNOT_LINK);
    must_link_ = Partners(*constraints, MUST_LINK);
    absl::StatusOr<std::vector<EntityMatch>> matches = FindMatches();
    if (!matches.ok()) return matches.status();
    absl::Status decided = matches->empty() ? CreateEntity() : Link(*matches);
    if (!decided.ok()) return decided;
    for (const std::string& key : stored_.candidate_keys()) {
      writes_.AddPosting(key, result_.record, stored_.entity_id());
    }
    return Commit();
  }

  const StoreCounters& counters() const { return counters_; }

  // The entities the record would link to; stores nothing.
  absl::StatusOr<std::vector<EntityCandidate>> Candidates() {
    absl::StatusOr<std::vector<EntityMatch>> matches = FindMatches();
    if (!matches.ok()) return matches.status();
    std::vector<EntityCandidate> candidates;
    for (EntityMatch& match : *matches) {
      candidates.push_back({match.entity_id, std::move(match.evidence)});
    }
    return candidates;
  }

 private:
  absl::StatusOr<UpsertResult> Update(const StoredRecord& existing) {
    result_.entity_id = existing.entity_id();
    if (existing.content_hash() == stored_.content_hash()) {
      result_.outcome = UNCHANGED;
      return result_;
    }
    stored_.set_entity_id(existing.entity_id());
    *stored_.mutable_first_seen() = existing.first_seen();
    *stored_.mutable_evidence() = existing.evidence();
    ReplacePostings(existing);
    absl::Status touched = TouchEntity(existing.entity_id(), 0);
    if (!touched.ok()) return touched;
    edit_.AppendChange(ENTITY_UPDATED, existing.entity_id(), "", result_.record);
    result_.outcome = UPDATED;
    return Commit();
  }

  void ReplacePostings(const StoredRecord& existing) {
    absl::flat_hash_set<std::string> fresh(stored_.candidate_keys().begin(),
                                           stored_.candidate_keys().end());
    for (const std::string& key : existing.candidate_keys()) {
      if (!fresh.erase(key)) writes_.RemovePosting(key, result_.record);
    }
    for (const std::string& key : fresh) {
      writes_.AddPosting(key, result_.record, stored_.entity_id());
    }
  }

  // Candidate entities that match, must-linked first, then best first. An
  // entity matches when it holds a must-link partner of the record, or when
  // its best member pair is a match, its compared members weigh a link on
  // average (as in bulk clustering), no member contradicts the record and
  // none has a cannot-link with it, so a record without a birth date cannot
  // join a parent's entity that already holds the child's record. Remembers
  // the best entity in the review band meanwhile.
  absl::StatusOr<std::vector<EntityMatch>> FindMatches() {
    absl::StatusOr<std::vector<std::string>> entities = CandidateEntities();
    if (!entities.ok()) return entities.status();
    std::vector<EntityMatch> matches;
    for (const std::string& id : *entities) {
      absl::StatusOr<EntityMatch> match = ScoreEntity(id);
      if (!match.ok()) return match.status();
      const MatchDecider& decider = *resolver_.decider_;
      bool allowed = !match->contradicted && !match->cannot_link;
      if (match->must_link ||
          (allowed && decider.IsMatch(match->evidence) &&
           match->mean_score >= decider.link_threshold())) {
        matches.push_back(*std::move(match));
      } else if (allowed && decider.NeedsReview(match->evidence) &&
                 (!review_ || match->evidence.score() > review_->evidence.score())) {
        review_ = *std::move(match);
      }
    }
    std::sort(matches.begin(), matches.end(), [](const auto& a, const auto& b) {
      if (a.must_link != b.must_link) return a.must_link;
      return a.evidence.score() > b.evidence.score();
    });
    return matches;
  }

  // Entities of the must-link partners, then of the records that share a
  // usable candidate key, those sharing the most keys first, at most
  // max_candidate_entities of the latter.
  absl::StatusOr<std::vector<std::string>> CandidateEntities() {
    absl::flat_hash_map<std::string, int> shared_keys;
    const size_t cap = resolver_.options_.max_postings_per_key;
    for (const std::string& key : stored_.candidate_keys()) {
      if (IsHot(key)) continue;
      absl::StatusOr<std::vector<Posting>> postings = repo_.Postings(key, cap + 1);
      if (!postings.ok()) return postings.status();
      if (postings->size() > cap) {
        MarkHot(key);
        continue;
      }
      absl::flat_hash_set<std::string> entities_here;
      for (Posting& posting : *postings) entities_here.insert(posting.entity_id);
      for (const std::string& id : entities_here) ++shared_keys[id];
    }
    std::vector<std::pair<int, std::string>> ranked;
    for (auto& [id, count] : shared_keys) ranked.emplace_back(-count, id);
    const size_t keep =
        std::min(ranked.size(), resolver_.options_.max_candidate_entities);
    std::partial_sort(ranked.begin(), ranked.begin() + keep, ranked.end());
    absl::StatusOr<std::vector<std::string>> entities = MustLinkEntities();
    if (!entities.ok()) return entities;
    for (size_t i = 0; i < keep; ++i) {
      if (std::find(entities->begin(), entities->end(), ranked[i].second) ==
          entities->end()) {
        entities->push_back(std::move(ranked[i].second));
      }
    }
    return entities;
  }

  absl::StatusOr<std::vector<std::string>> MustLinkEntities() {
    std::vector<std::string> entities;
    for (const std::string& partner : must_link_) {
      size_t slash = partner.find('/');
      RecordKey key;
      key.set_source(partner.substr(0, slash));
      key.set_source_id(partner.substr(slash + 1));
      absl::StatusOr<StoredRecord> stored = repo_.GetRecord(key);
      if (absl::IsNotFound(stored.status())) continue;
      if (!stored.ok()) return stored.status();
      if (std::find(entities.begin(), entities.end(), stored->entity_id()) ==
          entities.end()) {
        entities.push_back(stored->entity_id());
      }
    }
    return entities;
  }

  absl::StatusOr<EntityMatch> ScoreEntity(const std::string& entity_id) {
    absl::StatusOr<std::vector<RecordKey>> keys = repo_.Members(entity_id);
    if (!keys.ok()) return keys.status();
    EntityMatch match{entity_id, {}, false, false, false, *keys, 0, {}, nullptr};
    match.evidence.set_score(-1e9);
    for (const RecordKey& key : *keys) {
      std::string name = RecordKeyString(key);
      match.cannot_link |= cannot_link_.contains(name);
      match.must_link |= must_link_.contains(name);
    }
    const size_t limit = resolver_.options_.max_members_compared;
    for (size_t i = 0; i < keys->size() && i < limit; ++i) {
      absl::StatusOr<std::shared_ptr<const ComparableRecord>> member =
          Comparable((*keys)[i]);
      if (!member.ok()) return member.status();
      MatchEvidence evidence = resolver_.decider_->Compare(comparable_, **member);
      match.contradicted |= resolver_.decider_->Contradicts(evidence);
      match.mean_score += evidence.score();
      match.members.push_back(*member);
      if (evidence.score() > match.evidence.score()) {
        *evidence.mutable_matched_record() = (*keys)[i];
        match.evidence = std::move(evidence);
        match.best_member = *std::move(member);
      }
    }
    if (!match.members.empty()) match.mean_score /= match.members.size();
    return match;
  }

  // The comparable form of a stored record, from the cache when it is there.
  absl::StatusOr<std::shared_ptr<const ComparableRecord>> Comparable(
      const RecordKey& key) {
    std::string name = RecordKeyString(key);
    if (std::shared_ptr<const ComparableRecord> cached = Cached(name)) return cached;
    absl::StatusOr<StoredRecord> stored = repo_.GetRecord(key);
    if (!stored.ok()) return stored.status();
    auto comparable = std::make_shared<const ComparableRecord>(MakeComparable(
        stored->record(), resolver_.RegionFor(key.source())));
    Remember(std::move(name), comparable);
    return comparable;
  }

  void Remember(std::string name, std::shared_ptr<const ComparableRecord> c) {
    absl::MutexLockMaybe lock(caches_.mutex);
    if (caches_.normalized->size() >= resolver_.options_.normalized_cache_records) {
      caches_.normalized->clear();
    }
    (*caches_.normalized)[std::move(name)] = std::move(c);
  }

  std::shared_ptr<const ComparableRecord> Cached(const std::string& name) {
    absl::MutexLockMaybe lock(caches_.mutex);
    auto cached = caches_.normalized->find(name);
    return cached == caches_.normalized->end() ? nullptr : cached->second;
  }

  bool IsHot(const std::string& key) {
    absl::MutexLockMaybe lock(caches_.mutex);
    return caches_.hot_keys->contains(key);
  }

  void MarkHot(const std::string& key) {
    absl::MutexLockMaybe lock(caches_.mutex);
    caches_.hot_keys->insert(key);
  }

  // Whether a cannot-link joins a member of `a` and a member of `b`.
  absl::StatusOr<bool> CannotLinked(const EntityMatch& a,
                                    const EntityMatch& b) const {
    absl::flat_hash_set<std::string> b_keys;
    for (const RecordKey& key : b.keys) b_keys.insert(RecordKeyString(key));
    for (const RecordKey& key : a.keys) {
      absl::StatusOr<std::vector<Constraint>> constraints = repo_.Constraints(key);
      if (!constraints.ok()) return constraints.status();
      for (const std::string& partner : Partners(*constraints, CANNOT_LINK)) {
        if (b_keys.contains(partner)) return true;
      }
    }
    return false;
  }

  // Whether `match` belongs with the entity being formed (`joined`, the
  // incoming record among them), as bulk clustering demands of two
  // clusters: no cross pair contradicts, and the cross pairs weigh a link
  // on average.
  bool BelongTogether(
      const std::vector<const ComparableRecord*>& joined,
      const EntityMatch& match) const {
    double total = 0;
    for (const ComparableRecord* x : joined) {
      for (const auto& y : match.members) {
        const MatchEvidence evidence = resolver_.decider_->Compare(*x, *y);
        if (resolver_.decider_->Contradicts(evidence)) return false;
        total += evidence.score();
      }
    }
    const size_t pairs = joined.size() * match.members.size();
    return pairs > 0 && total / pairs >= resolver_.decider_->link_threshold();
  }

  // A new entity of the record alone; a candidate in the review band
  // becomes a review task.
  absl::Status CreateEntity() {
    EntityState entity = edit_.NewEntity(1);
    writes_.PutEntity(entity);
    Join(entity.entity_id());
    edit_.AppendChange(ENTITY_CREATED, entity.entity_id(), "", result_.record);
    result_.outcome = CREATED;
    result_.nothing_to_match = stored_.candidate_keys().empty();
    if (review_) {
      AttachFieldValues(comparable_, *review_->best_member, &review_->evidence);
      edit_.AddReviewTask(result_.record, review_->entity_id,
                          std::move(review_->evidence));
    }
    return absl::OkStatus();
  }

  // Links to the best match. Other matches merge with it when they are
  // must-linked, or when they belong together with everything joined so
  // far (BelongTogether) and no cannot-link separates them: the record
  // alone is not enough evidence that two people are one. The oldest id
  // survives.
  absl::Status Link(const std::vector<EntityMatch>& matches) {
    *stored_.mutable_evidence() = matches.front().evidence;
    std::vector<const EntityMatch*> joined = {&matches.front()};
    std::vector<const ComparableRecord*> members = {&comparable_};
    for (const auto& member : matches.front().members) members.push_back(member.get());
    for (size_t i = 1; i < matches.size(); ++i) {
      if (!matches[i].must_link) {
        if (!BelongTogether(members, matches[i])) continue;
        bool separated = false;
        for (size_t j = 0; j < joined.size() && !separated; ++j) {
          absl::StatusOr<bool> cannot = CannotLinked(*joined[j], matches[i]);
          if (!cannot.ok()) return cannot.status();
          separated = *cannot;
        }
        if (separated) continue;
      }
      joined.push_back(&matches[i]);
      for (const auto& member : matches[i].members) members.push_back(member.get());
    }
    std::string survivor = matches.front().entity_id;
    for (const EntityMatch* m : joined) survivor = std::min(survivor, m->entity_id);
    absl::StatusOr<EntityState> entity = repo_.GetEntity(survivor);
    if (!entity.ok()) return entity.status();
    for (const EntityMatch* m : joined) {
      if (m->entity_id == survivor) continue;
      absl::Status merged = MergeInto(*m, &*entity);
      if (!merged.ok()) return merged;
    }
    entity->set_record_count(entity->record_count() + 1);
    *entity->mutable_updated_at() = edit_.now();
    writes_.PutEntity(*entity);
    Join(survivor);
    if (result_.merged_entity_ids.empty()) {
      edit_.AppendChange(ENTITY_UPDATED, survivor, "", result_.record);
      result_.outcome = LINKED;
    } else {
      result_.outcome = MERGED;
    }
    return absl::OkStatus();
  }

  // Moves every member of `retired` into `survivor` and leaves an alias.
  absl::Status MergeInto(const EntityMatch& retired, EntityState* survivor) {
    absl::StatusOr<std::vector<RecordKey>> before =
        repo_.Members(survivor->entity_id());
    if (!before.ok()) return before.status();
    absl::StatusOr<std::vector<RecordKey>> moved =
        edit_.Merge(retired.entity_id, survivor, result_.record);
    if (!moved.ok()) return moved.status();
    AppendMergeAudit(retired, *survivor, *before, *moved);
    result_.merged_entity_ids.push_back(retired.entity_id);
    return absl::OkStatus();
  }

  void AppendMergeAudit(const EntityMatch& retired, const EntityState& survivor,
                        const std::vector<RecordKey>& before,
                        const std::vector<RecordKey>& moved) {
    AuditEvent event;
    event.set_actor("resolver");
    event.set_action("merge");
    event.set_entity_id(survivor.entity_id());
    event.add_other_entity_ids(retired.entity_id);
    for (const RecordKey& key : before) *event.add_members_before() = key;
    for (const auto* keys : {&before, &moved}) {
      for (const RecordKey& key : *keys) *event.add_members_after() = key;
    }
    *event.mutable_trigger() = result_.record;
    *event.mutable_evidence() = retired.evidence;
    edit_.AppendAudit(std::move(event));
  }

  absl::Status TouchEntity(const std::string& id, int added_records) {
    absl::StatusOr<EntityState> entity = repo_.GetEntity(id);
    if (!entity.ok()) return entity.status();
    entity->set_record_count(entity->record_count() + added_records);
    *entity->mutable_updated_at() = edit_.now();
    writes_.PutEntity(*entity);
    return absl::OkStatus();
  }

  void Join(const std::string& entity_id) {
    stored_.set_entity_id(entity_id);
    writes_.AddMember(entity_id, result_.record);
    result_.entity_id = entity_id;
  }

  absl::StatusOr<UpsertResult> Commit() {
    writes_.PutRecord(stored_);
    if (resolver_.options_.record_write_hook) {
      absl::Status hooked = resolver_.options_.record_write_hook(
          *resolver_.store_, stored_, writes_.mutable_write_set());
      if (!hooked.ok()) return hooked;
    }
    absl::Status committed = edit_.Commit(resolver_.store_);
    if (!committed.ok()) return committed;
    Remember(RecordKeyString(result_.record),
             std::make_shared<const ComparableRecord>(comparable_));
    return result_;
  }

  const Resolver& resolver_;
  Caches caches_;
  StoreCounters counters_;
  EntityEdit edit_;
  const Repository& repo_;
  RepositoryWrites& writes_;
  const ComparableRecord comparable_;
  StoredRecord stored_;
  UpsertResult result_;
  absl::flat_hash_set<std::string> cannot_link_;
  absl::flat_hash_set<std::string> must_link_;
  std::optional<EntityMatch> review_;
};

Resolver::Resolver(KvStore* store, std::unique_ptr<MatchDecider> decider,
                   ResolverOptions options, ChangeNotifier* notifier)
    : store_(store),
      notifier_(notifier),
      decider_(std::move(decider)),
      options_(std::move(options)) {}

const std::string& Resolver::RegionFor(const std::string& source) const {
  auto it = options_.source_regions.find(source);
  return it == options_.source_regions.end() ? options_.default_region
                                             : it->second;
}

Resolver::Prepared Resolver::Prepare(const SourceRecord& record) const {
  Prepared prepared;
  prepared.valid = ValidateRecord(record, options_.limits);
  if (!prepared.valid.ok()) return prepared;
  SourceRecord* stored = prepared.stored.mutable_record();
  *stored = record;
  if (!stored->has_observed_at()) *stored->mutable_observed_at() = TimestampNow();
  prepared.stored.set_content_hash(ContentFingerprint(*stored));
  prepared.comparable = MakeComparable(*stored, RegionFor(stored->source()));
  for (std::string& key : BlockingKeys(prepared.comparable)) {
    prepared.stored.add_candidate_keys(std::move(key));
  }
  return prepared;
}

absl::StatusOr<UpsertResult> Resolver::Upsert(const SourceRecord& record) {
  Prepared prepared = Prepare(record);
  if (!prepared.valid.ok()) return prepared.valid;
  return Apply(std::move(prepared));
}

std::vector<absl::StatusOr<UpsertResult>> Resolver::UpsertBatch(
    absl::Span<const SourceRecord> records) {
  // One thread prepares ahead while this one decides: deciding is serial,
  // preparing is not, so the two overlap on two cores.
  std::vector<Prepared> prepared(records.size());
  std::atomic<size_t> ready{0};
  std::thread preparer([&] {
    for (size_t i = 0; i < records.size(); ++i) {
      prepared[i] = Prepare(records[i]);
      ready.store(i + 1, std::memory_order_release);
    }
  });
  std::vector<absl::StatusOr<UpsertResult>> results;
  results.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    while (ready.load(std::memory_order_acquire) <= i) std::this_thread::yield();
    if (prepared[i].valid.ok()) {
      results.push_back(Apply(std::move(prepared[i])));
    } else {
      results.push_back(prepared[i].valid);
    }
  }
  preparer.join();
  return results;
}

absl::Status Resolver::LoadCounters() {
  if (counters_loaded_) return absl::OkStatus();
  absl::StatusOr<StoreCounters> counters = Repository(store_).GetCounters();
  if (!counters.ok()) return counters.status();
  counters_ = *std::move(counters);
  counters_loaded_ = true;
  return absl::OkStatus();
}

void Resolver::Advance(const StoreCounters& counters) {
  counters_ = counters;
  if (notifier_ != nullptr) notifier_->Published(counters_.next_change() - 1);
}

absl::StatusOr<UpsertResult> Resolver::Apply(Prepared prepared) {
  absl::MutexLock lock(&mutex_);
  absl::Status loaded = LoadCounters();
  if (!loaded.ok()) return loaded;
  Decision decision(*this, std::move(prepared), counters_,
                    {&cache_, &hot_keys_, nullptr});
  absl::StatusOr<UpsertResult> result = decision.Run();
  if (result.ok()) Advance(decision.counters());
  return result;
}

absl::StatusOr<std::vector<EntityCandidate>> Resolver::MatchingEntities(
    const SourceRecord& record) {
  Prepared prepared = Prepare(record);
  if (!prepared.valid.ok()) return prepared.valid;
  // A dry run reads committed state and writes nothing, so it takes no
  // decision lock and runs beside decisions and other dry runs. Its caches
  // are its own: one filled from a record a decision is about to change
  // must never serve that decision's successors.
  Decision decision(*this, std::move(prepared), StoreCounters(),
                    {&dry_run_cache_, &dry_run_hot_keys_, &dry_run_mutex_});
  return decision.Candidates();
}

absl::Status Resolver::RunExclusive(
    const std::function<absl::Status(StoreCounters*)>& operation) {
  absl::MutexLock lock(&mutex_);
  absl::Status loaded = LoadCounters();
  if (!loaded.ok()) return loaded;
  StoreCounters counters = counters_;
  absl::Status done = operation(&counters);
  if (done.ok()) Advance(counters);
  return done;
}

void Resolver::ForgetRecords(absl::Span<const RecordKey> records) {
  absl::MutexLock lock(&mutex_);
  absl::MutexLock dry_lock(&dry_run_mutex_);
  for (const RecordKey& key : records) {
    cache_.erase(RecordKeyString(key));
    dry_run_cache_.erase(RecordKeyString(key));
  }
}

absl::StatusOr<std::vector<std::pair<std::string, int64_t>>> HotCandidateKeys(
    const ReadView& view, size_t max_postings) {
  std::vector<std::pair<std::string, int64_t>> hot;
  absl::Status scanned = Repository(&view).ScanCandidateKeyCounts(
      [&](absl::string_view key, int64_t count) {
        if (count > static_cast<int64_t>(max_postings)) {
          hot.emplace_back(std::string(key), count);
        }
      });
  if (!scanned.ok()) return scanned;
  std::sort(hot.begin(), hot.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  return hot;
}

}  // namespace c360

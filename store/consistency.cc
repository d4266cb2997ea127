#include "store/consistency.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "store/enrichment_keys.h"
#include "store/keys.h"
#include "store/repository.h"

namespace c360 {
namespace {

absl::Status Violation(absl::string_view what) {
  return absl::DataLossError(what);
}

// What the records table says, to hold the other tables against.
struct RecordIndex {
  absl::flat_hash_map<std::string, std::string> entity_of;  // record -> entity
  absl::flat_hash_set<std::string> postings;  // "candidate key\0record"
};

std::string PostingId(absl::string_view candidate_key, const std::string& record) {
  return absl::StrCat(candidate_key, std::string(1, '\0'), record);
}

absl::StatusOr<RecordIndex> IndexRecords(const Repository& repo) {
  RecordIndex index;
  absl::Status scanned = repo.ScanRecords([&](const StoredRecord& r) {
    std::string key = RecordKeyString(KeyOf(r.record()));
    index.entity_of[key] = r.entity_id();
    for (const std::string& c : r.candidate_keys()) index.postings.insert(PostingId(c, key));
    return true;
  });
  if (!scanned.ok()) return scanned;
  return index;
}

// Decodes a (first part, source, source_id) key.
absl::Status SplitKey(absl::string_view key, std::string* first, std::string* record) {
  absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
  if (!parts.ok() || parts->size() != 3) return Violation("malformed key");
  *first = (*parts)[0];
  *record = absl::StrCat((*parts)[1], "/", (*parts)[2]);
  return absl::OkStatus();
}

// Membership rows agree with the records; returns members per entity.
absl::StatusOr<absl::flat_hash_map<std::string, int64_t>> CheckMembership(
    const ReadView& view, const RecordIndex& index, StoreCensus* census) {
  absl::flat_hash_map<std::string, int64_t> members;
  absl::Status problem;
  absl::Status scanned = view.Scan(Table::kMembership, "", "",
                                   [&](absl::string_view key, absl::string_view) {
    std::string entity, record;
    problem = SplitKey(key, &entity, &record);
    auto it = index.entity_of.find(record);
    if (problem.ok() && (it == index.entity_of.end() || it->second != entity)) {
      problem = Violation(absl::StrCat("membership (", entity, ", ", record,
                                       ") disagrees with the record"));
    }
    ++members[entity];
    ++census->memberships;
    return problem.ok();
  });
  if (!scanned.ok()) return scanned;
  if (!problem.ok()) return problem;
  if (census->memberships != static_cast<int64_t>(index.entity_of.size())) {
    return Violation(absl::StrCat(census->memberships, " membership rows for ",
                                  index.entity_of.size(), " records"));
  }
  return members;
}

absl::Status CheckEntities(const ReadView& view,
                           const absl::flat_hash_map<std::string, int64_t>& members,
                           StoreCensus* census) {
  absl::Status problem;
  absl::Status scanned = view.Scan(Table::kEntities, "", "",
                                   [&](absl::string_view, absl::string_view value) {
    EntityState entity;
    if (!entity.ParseFromArray(value.data(), value.size())) {
      problem = Violation("unreadable entity");
      return false;
    }
    auto it = members.find(entity.entity_id());
    int64_t count = it == members.end() ? 0 : it->second;
    if (count == 0 || count != entity.record_count()) {
      problem = Violation(absl::StrCat("entity ", entity.entity_id(), " counts ",
                                       entity.record_count(), " records, has ", count));
    }
    ++census->entities;
    return problem.ok();
  });
  if (!scanned.ok()) return scanned;
  if (!problem.ok()) return problem;
  if (census->entities != static_cast<int64_t>(members.size())) {
    return Violation("a membership row names an entity that does not exist");
  }
  return absl::OkStatus();
}

absl::Status CheckPostings(const ReadView& view, const RecordIndex& index,
                           StoreCensus* census) {
  absl::Status problem;
  absl::Status scanned = view.Scan(Table::kCandidateKeys, "", "",
                                   [&](absl::string_view key, absl::string_view entity) {
    std::string candidate, record;
    problem = SplitKey(key, &candidate, &record);
    auto it = index.entity_of.find(record);
    if (problem.ok() && (!index.postings.contains(PostingId(candidate, record)) ||
                         it == index.entity_of.end() || it->second != entity)) {
      problem = Violation(absl::StrCat("candidate key ", candidate, " of ", record,
                                       " disagrees with the record"));
    }
    ++census->postings;
    return problem.ok();
  });
  if (!scanned.ok()) return scanned;
  if (!problem.ok()) return problem;
  if (census->postings != static_cast<int64_t>(index.postings.size())) {
    return Violation(absl::StrCat(census->postings, " candidate-key rows, records name ",
                                  index.postings.size()));
  }
  return absl::OkStatus();
}

absl::Status CheckAliases(const Repository& repo, const ReadView& view,
                          StoreCensus* census) {
  absl::Status problem;
  absl::Status scanned = view.Scan(Table::kAliases, "", "",
                                   [&](absl::string_view key, absl::string_view live) {
    absl::StatusOr<std::vector<std::string>> retired = DecodeKey(key);
    if (!retired.ok() || retired->size() != 1) {
      problem = Violation("malformed alias key");
    } else if (repo.GetEntity((*retired)[0]).ok()) {
      problem = Violation(absl::StrCat("retired id ", (*retired)[0], " is also live"));
    } else if (!repo.GetEntity(live).ok()) {
      problem = Violation(absl::StrCat("alias ", (*retired)[0], " points at ", live,
                                       ", which is not live"));
    }
    ++census->aliases;
    return problem.ok();
  });
  return scanned.ok() ? problem : scanned;
}

// Each constraint is stored under both orders of its pair, names records
// that exist, and holds: must-linked records share an entity, cannot-linked
// ones do not.
absl::Status CheckConstraints(const ReadView& view, const RecordIndex& index,
                              StoreCensus* census) {
  absl::Status problem;
  absl::Status scanned = view.Scan(Table::kConstraints, "", "",
                                   [&](absl::string_view key, absl::string_view value) {
    Constraint c;
    if (!c.ParseFromArray(value.data(), value.size())) {
      problem = Violation("unreadable constraint");
      return false;
    }
    const RecordKey &l = c.left(), &r = c.right();
    std::string pair = absl::StrCat(RecordKeyString(l), " and ", RecordKeyString(r));
    auto left = index.entity_of.find(RecordKeyString(l));
    auto right = index.entity_of.find(RecordKeyString(r));
    absl::StatusOr<std::string> mirror = view.Get(
        Table::kConstraints, EncodeKey({r.source(), r.source_id(), l.source(), l.source_id()}));
    Constraint other;
    if (key != EncodeKey({l.source(), l.source_id(), r.source(), r.source_id()})) {
      problem = Violation(absl::StrCat("constraint of ", pair, " under another key"));
    } else if (!mirror.ok() || !other.ParseFromString(*mirror) || other.kind() != c.kind()) {
      problem = Violation(absl::StrCat("constraint of ", pair, " has no mirror"));
    } else if (left == index.entity_of.end() || right == index.entity_of.end()) {
      problem = Violation(absl::StrCat("constraint of ", pair, " names a missing record"));
    } else if ((c.kind() == MUST_LINK) != (left->second == right->second) ||
               (c.kind() != MUST_LINK && c.kind() != CANNOT_LINK)) {
      problem = Violation(absl::StrCat(ConstraintKind_Name(c.kind()), " of ", pair,
                                       " does not hold (entities ", left->second,
                                       ", ", right->second, ")"));
    }
    ++census->constraints;
    return problem.ok();
  });
  return scanned.ok() ? problem : scanned;
}

// Every task names records that exist and an entity that exists or existed
// (alias), is numbered below the counter, and is OPEN or decided.
absl::Status CheckReviewTasks(const Repository& repo, const ReadView& view,
                              const RecordIndex& index, uint64_t next_task,
                              StoreCensus* census) {
  absl::Status problem;
  absl::Status scanned = view.Scan(Table::kReviewTasks, "", "",
                                   [&](absl::string_view, absl::string_view value) {
    ReviewTask task;
    if (!task.ParseFromArray(value.data(), value.size())) {
      problem = Violation("unreadable review task");
      return false;
    }
    std::string id = task.task_id();
    uint64_t number = 0;
    if (id.size() < 2 || !absl::SimpleAtoi(id.substr(1), &number) || number >= next_task) {
      problem = Violation(absl::StrCat("review task id ", id, " is not below the counter"));
    } else if (!index.entity_of.contains(RecordKeyString(task.record())) ||
               !index.entity_of.contains(
                   RecordKeyString(task.evidence().matched_record()))) {
      problem = Violation(absl::StrCat("review task ", id, " names a missing record"));
    } else if (!repo.LiveEntityId(task.entity_id()).ok()) {
      problem = Violation(absl::StrCat("review task ", id, " names entity ",
                                       task.entity_id(), ", which never existed"));
    } else if (task.state() != OPEN && task.state() != DECIDED_SAME &&
               task.state() != DECIDED_NOT_SAME) {
      problem = Violation(absl::StrCat("review task ", id, " is stored as ",
                                       ReviewState_Name(task.state())));
    }
    ++census->review_tasks;
    return problem.ok();
  });
  return scanned.ok() ? problem : scanned;
}

// Every erased-entity marker sits under its own id, which is neither live
// nor an alias, and names an audit event that exists.
absl::Status CheckErased(const Repository& repo, const ReadView& view,
                         uint64_t next_audit, StoreCensus* census) {
  absl::Status problem;
  absl::Status scanned = view.Scan(Table::kErasedEntities, "", "",
                                   [&](absl::string_view key, absl::string_view value) {
    ErasedEntity marker;
    absl::StatusOr<std::vector<std::string>> id = DecodeKey(key);
    if (!marker.ParseFromArray(value.data(), value.size()) || !id.ok() ||
        id->size() != 1 || (*id)[0] != marker.entity_id()) {
      problem = Violation("malformed erased-entity marker");
    } else if (repo.LiveEntityId(marker.entity_id()).ok()) {
      problem = Violation(absl::StrCat("erased entity ", marker.entity_id(),
                                       " is live or an alias"));
    } else if (marker.audit_sequence() == 0 || marker.audit_sequence() >= next_audit) {
      problem = Violation(absl::StrCat("erased entity ", marker.entity_id(),
                                       " names audit event ", marker.audit_sequence(),
                                       ", which does not exist"));
    }
    ++census->erased_entities;
    return problem.ok();
  });
  return scanned.ok() ? problem : scanned;
}

// Every suppression entry is keyed by a SHA-256 in hex and names its kind.
absl::Status CheckSuppression(const ReadView& view, StoreCensus* census) {
  absl::Status problem;
  absl::Status scanned = view.Scan(Table::kSuppression, "", "",
                                   [&](absl::string_view key, absl::string_view value) {
    SuppressedIdentifier entry;
    absl::StatusOr<std::vector<std::string>> hash = DecodeKey(key);
    if (!entry.ParseFromArray(value.data(), value.size()) || entry.kind().empty() ||
        !hash.ok() || hash->size() != 1 || (*hash)[0].size() != 64 ||
        (*hash)[0].find_first_not_of("0123456789abcdef") != std::string::npos) {
      problem = Violation("malformed suppression entry");
    }
    ++census->suppressed;
    return problem.ok();
  });
  return scanned.ok() ? problem : scanned;
}

// Every link to purchased data names a stored record and a stored provider
// row (erasure deletes both sides' links with the record).
absl::Status CheckEnrichmentLinks(const ReadView& view, const RecordIndex& index,
                                  StoreCensus* census) {
  absl::Status problem;
  absl::Status scanned = view.Scan(Table::kEnrichmentLinks, "", "",
                                   [&](absl::string_view key, absl::string_view) {
    absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
    if (!parts.ok() || parts->size() != 5) {
      problem = Violation("malformed enrichment link key");
      return false;
    }
    RecordKey record;
    record.set_source((*parts)[0]);
    record.set_source_id((*parts)[1]);
    if (!index.entity_of.contains(RecordKeyString(record))) {
      problem = Violation(absl::StrCat("enrichment link of record ",
                                       RecordKeyString(record),
                                       ", which does not exist"));
    } else if (absl::IsNotFound(
                   view.Get(Table::kProviderRows,
                            ProviderRowKey((*parts)[2], (*parts)[3], (*parts)[4]))
                       .status())) {
      problem = Violation(absl::StrCat("enrichment link of ", RecordKeyString(record),
                                       " to provider row ", (*parts)[2], "/",
                                       (*parts)[3], "/", (*parts)[4],
                                       ", which does not exist"));
    }
    ++census->enrichment_links;
    return problem.ok();
  });
  return scanned.ok() ? problem : scanned;
}

// Sequences 1..next-1, each once, in order.
absl::Status CheckLog(const ReadView& view, Table table, uint64_t next,
                      int64_t* count) {
  uint64_t expected = 1;
  absl::Status problem;
  absl::Status scanned = view.Scan(table, "", "", [&](absl::string_view key, absl::string_view) {
    absl::StatusOr<uint64_t> sequence = DecodeSequence(key);
    if (!sequence.ok() || *sequence != expected) {
      problem = Violation(absl::StrCat(TableName(table), " has a gap before ", expected));
    }
    ++expected;
    ++*count;
    return problem.ok();
  });
  if (!scanned.ok()) return scanned;
  if (!problem.ok()) return problem;
  if (expected != next) {
    return Violation(absl::StrCat(TableName(table), " ends at ", expected - 1,
                                  " but the counter is at ", next));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StoreCensus> CheckStore(const ReadView& view) {
  Repository repo(&view);
  StoreCensus census;
  absl::StatusOr<RecordIndex> index = IndexRecords(repo);
  if (!index.ok()) return index.status();
  census.records = static_cast<int64_t>(index->entity_of.size());
  auto members = CheckMembership(view, *index, &census);
  if (!members.ok()) return members.status();
  absl::StatusOr<StoreCounters> counters = repo.GetCounters();
  if (!counters.ok()) return counters.status();
  for (absl::Status status :
       {CheckEntities(view, *members, &census), CheckPostings(view, *index, &census),
        CheckAliases(repo, view, &census),
        CheckConstraints(view, *index, &census),
        CheckReviewTasks(repo, view, *index, counters->next_task(), &census),
        CheckErased(repo, view, counters->next_audit(), &census),
        CheckSuppression(view, &census),
        CheckEnrichmentLinks(view, *index, &census),
        CheckLog(view, Table::kChangeLog, counters->next_change(), &census.changes),
        CheckLog(view, Table::kAudit, counters->next_audit(), &census.audit_events)}) {
    if (!status.ok()) return status;
  }
  return census;
}

}  // namespace c360

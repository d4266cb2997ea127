#include "enrich/enrichment_import.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "enrich/enrichment_store.h"
#include "google/protobuf/util/time_util.h"
#include "resolver/entity_edit.h"
#include "resolver/parallel.h"
#include "store/keys.h"
#include "store/repository.h"

namespace c360 {
namespace {

using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;

// Rows per invisible write of an import.
constexpr size_t kRowsPerWrite = 2000;

// "D" + the import time to the microsecond: unique per provider and in the
// order of import.
std::string DeliveryIdAt(const Timestamp& now) {
  return absl::StrCat(
      "D", absl::FormatTime("%Y%m%dT%H%M%E6SZ",
                            absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(now)),
                            absl::UTCTimeZone()));
}

// A stored record as company matching needs it.
struct CompanyMember {
  RecordKey record;
  std::string entity_id;
};

// Every stored record under each of its company match keys.
using CompanyIndex =
    absl::flat_hash_map<std::string, std::vector<CompanyMember>>;

absl::StatusOr<CompanyIndex> IndexCompanies(const ReadView& view) {
  CompanyIndex index;
  absl::Status scanned = Repository(&view).ScanRecords([&](const StoredRecord& r) {
    if (r.record().business_id().empty() && r.record().organization().empty()) {
      return true;
    }
    for (std::string& key : CompanyMatchKeys(r.record())) {
      index[std::move(key)].push_back({KeyOf(r.record()), r.entity_id()});
    }
    return true;
  });
  if (!scanned.ok()) return scanned;
  return index;
}

// What matching decided for one row: the records it applies to and the
// entities it touches (theirs, and those of the row it supersedes).
struct Matched {
  RowMatch match;
  std::vector<RecordKey> records;
  std::vector<std::string> entities;
  absl::Status error = absl::OkStatus();
};

Matched MatchCompany(const CompanyIndex& index, const ProviderRow& row) {
  Matched result;
  const std::vector<std::string> keys = CompanyMatchKeys(row.identity());
  for (const std::string& key : keys) {
    auto found = index.find(key);
    if (found == index.end()) continue;
    result.match.set_method(absl::StartsWith(key, "bid:") ? RowMatch::BUSINESS_ID
                                                          : RowMatch::NAME_POSTCODE);
    for (const CompanyMember& member : found->second) {
      result.records.push_back(member.record);
      result.entities.push_back(member.entity_id);
    }
    result.match.set_linked_records(static_cast<int64_t>(result.records.size()));
    return result;
  }
  result.match.set_reason(
      keys.empty() ? "no valid business id and no company name + postcode"
                   : absl::StrCat("no record with ", absl::StrJoin(keys, " or ")));
  return result;
}

Matched MatchPerson(Resolver& resolver, double min_score, const ProviderRow& row) {
  Matched result;
  absl::StatusOr<std::vector<EntityCandidate>> candidates =
      resolver.MatchingEntities(row.identity());
  if (absl::IsInvalidArgument(candidates.status())) {
    result.match.set_reason(std::string(candidates.status().message()));
    return result;
  }
  if (!candidates.ok()) {
    result.error = candidates.status();
    return result;
  }
  if (candidates->empty()) {
    result.match.set_reason("no entity matches at the link threshold");
  } else if (candidates->size() > 1) {
    std::vector<std::string> ids;
    for (const EntityCandidate& c : *candidates) ids.push_back(c.entity_id);
    result.match.set_reason(absl::StrCat(
        "ambiguous: ", candidates->size(),
        " entities score at least the link threshold (", absl::StrJoin(ids, ", "),
        "); purchased data never merges them"));
  } else if (candidates->front().evidence.score() < min_score) {
    result.match.set_reason(absl::StrFormat(
        "best entity %s scores %.6f, below the import's minimum %.6f",
        candidates->front().entity_id, candidates->front().evidence.score(), min_score));
  } else {
    const EntityCandidate& best = candidates->front();
    result.match.set_method(RowMatch::PERSON_MODEL);
    result.match.set_score(best.evidence.score());
    result.match.set_linked_records(1);
    *result.match.add_records() = best.evidence.matched_record();
    result.records.push_back(best.evidence.matched_record());
    result.entities.push_back(best.entity_id);
  }
  return result;
}

// The entities a stored row applies to: a company row's are found again
// through its match keys, a person row names its record.
absl::Status AddEntitiesOf(const ReadView& view, const CompanyIndex& companies,
                           const ProviderRow& row, std::vector<std::string>* entities) {
  if (row.kind() == COMPANY) {
    Matched again = MatchCompany(companies, row);
    entities->insert(entities->end(), again.entities.begin(), again.entities.end());
    return absl::OkStatus();
  }
  Repository repo(&view);
  for (const RecordKey& record : row.match().records()) {
    absl::StatusOr<StoredRecord> stored = repo.GetRecord(record);
    if (absl::IsNotFound(stored.status())) continue;  // erased since
    if (!stored.ok()) return stored.status();
    entities->push_back(stored->entity_id());
  }
  return absl::OkStatus();
}

// The entities that the currently visible row of (provider, key) applies to:
// a new row supersedes it, so they change too.
absl::Status AddSupersededEntities(const ReadView& view, const CompanyIndex& companies,
                                   const absl::flat_hash_set<std::string>& visible,
                                   const ProviderRow& row,
                                   std::vector<std::string>* entities) {
  absl::StatusOr<std::optional<ProviderRow>> newest = EffectiveProviderRow(
      view, row.provider(), row.identity().source_id(), visible);
  if (!newest.ok()) return newest.status();
  if (!newest->has_value()) return absl::OkStatus();
  return AddEntitiesOf(view, companies, **newest, entities);
}

void WriteRow(const ProviderRow& row, const std::vector<RecordKey>& records,
              WriteSet* writes) {
  const std::string& key = row.identity().source_id();
  writes->Put(Table::kProviderRows,
              ProviderRowKey(row.provider(), key, row.delivery_id()),
              row.SerializeAsString());
  if (row.kind() == COMPANY) {
    for (const std::string& match_key : CompanyMatchKeys(row.identity())) {
      writes->Put(Table::kProviderIndex,
                  ProviderIndexKey(match_key, row.provider(), key, row.delivery_id()),
                  "");
    }
  }
  for (const RecordKey& record : records) {
    writes->Put(Table::kEnrichmentLinks,
                EnrichmentLinkKey(record, row.provider(), key, row.delivery_id()), "");
  }
}

// One write: the deliveries' entries, an ENTITY_ENRICHED change naming
// `subject` per live entity, and the audit event. Ids retired by merges
// since matching are followed to their survivors; erased entities are
// skipped.
absl::Status Announce(KvStore* store, Resolver* resolver,
                      const Delivery& subject,
                      const std::vector<Delivery>& deliveries,
                      const std::vector<std::string>& entities,
                      AuditEvent audit, int64_t* announced) {
  return resolver->RunExclusive([&](StoreCounters* counters) -> absl::Status {
    EntityEdit edit(store, counters, TimestampNow());
    absl::StatusOr<std::vector<std::string>> live = edit.repo().LiveEntityIds(entities);
    if (!live.ok()) return live.status();
    for (const Delivery& d : deliveries) {
      edit.writes().mutable_write_set()->Put(
          Table::kDeliveries, DeliveryKey(d.provider(), d.delivery_id()),
          d.SerializeAsString());
    }
    for (const std::string& id : *live) {
      edit.AppendEnriched(id, subject.provider(), subject.delivery_id());
    }
    edit.AppendAudit(std::move(audit));
    *announced = static_cast<int64_t>(live->size());
    return edit.Commit(store);
  });
}

}  // namespace

absl::Status ValidateProviderName(absl::string_view provider) {
  if (provider.empty() || provider.size() > 64) {
    return absl::InvalidArgumentError("provider name must be 1-64 bytes");
  }
  for (char c : provider) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '_' && c != '-') {
      return absl::InvalidArgumentError(absl::StrCat(
          "provider name \"", provider,
          "\": only lower-case ASCII letters, digits, '_' and '-'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ImportOutcome> EnrichmentImporter::Import(
    const ImportRequest& request, std::vector<ProviderRow> rows,
    const std::function<void(int64_t)>& progress) {
  absl::Status valid = ValidateProviderName(request.provider);
  if (!valid.ok()) return valid;
  if (request.kind != COMPANY && request.kind != PERSON) {
    return absl::InvalidArgumentError("kind must be company or person");
  }
  const Timestamp now = TimestampNow();
  ImportOutcome outcome;
  Delivery& delivery = outcome.delivery;
  delivery.set_provider(request.provider);
  delivery.set_delivery_id(DeliveryIdAt(now));
  delivery.set_kind(request.kind);
  *delivery.mutable_delivered_at() =
      request.delivered_at.seconds() != 0 ? request.delivered_at : now;
  *delivery.mutable_imported_at() = now;
  delivery.set_file(request.file);
  delivery.set_rows(static_cast<int64_t>(rows.size()) + request.rejected);
  delivery.set_accepted(static_cast<int64_t>(rows.size()));
  delivery.set_rejected(request.rejected);
  delivery.set_actor(request.actor);

  std::unique_ptr<ReadView> view = store_->Snapshot();
  absl::StatusOr<DeliveryIds> visible =
      VisibleDeliveryIds(*view, request.provider);
  if (!visible.ok()) return visible.status();
  CompanyIndex companies;
  if (request.kind == COMPANY) {
    absl::StatusOr<CompanyIndex> index = IndexCompanies(*view);
    if (!index.ok()) return index.status();
    companies = *std::move(index);
  }
  std::vector<Matched> matched(rows.size());
  ParallelFor(
      rows.size(), std::max(1u, std::thread::hardware_concurrency()), 64,
      [&](size_t i) {
        matched[i] = request.kind == COMPANY ? MatchCompany(companies, rows[i])
                                             : MatchPerson(*resolver_, request.min_person_score, rows[i]);
        if (matched[i].error.ok()) {
          matched[i].error = AddSupersededEntities(*view, companies, *visible, rows[i],
                                                   &matched[i].entities);
        }
      },
      [&](size_t done) {
        if (progress) progress(static_cast<int64_t>(done));
      });

  std::vector<std::string> touched;
  WriteSet writes;
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!matched[i].error.ok()) return matched[i].error;
    ProviderRow& row = rows[i];
    row.set_provider(request.provider);
    row.set_delivery_id(delivery.delivery_id());
    row.set_kind(request.kind);
    *row.mutable_delivered_at() = delivery.delivered_at();
    *row.mutable_match() = std::move(matched[i].match);
    switch (row.match().method()) {
      case RowMatch::BUSINESS_ID: ++outcome.by_business_id; break;
      case RowMatch::NAME_POSTCODE: ++outcome.by_name_postcode; break;
      case RowMatch::PERSON_MODEL: ++outcome.by_person_model; break;
      default:
        outcome.unmatched.push_back(
            {row.line(), row.identity().source_id(), row.match().reason()});
    }
    touched.insert(touched.end(), matched[i].entities.begin(), matched[i].entities.end());
    WriteRow(row, matched[i].records, &writes);
    if (writes.ops().size() >= kRowsPerWrite * 2 || i + 1 == rows.size()) {
      absl::Status committed = store_->Commit(writes);
      if (!committed.ok()) return committed;
      writes = WriteSet();
    }
  }
  delivery.set_matched(delivery.accepted() -
                       static_cast<int64_t>(outcome.unmatched.size()));
  AuditEvent audit;
  audit.set_actor(request.actor);
  audit.set_action("enrich_import");
  audit.set_note(absl::StrCat("provider ", request.provider, " delivery ",
                              delivery.delivery_id(), " file ", request.file,
                              ": ", delivery.accepted(), " rows, ",
                              delivery.matched(), " matched"));
  absl::Status announced = Announce(store_, resolver_, delivery, {delivery}, touched,
                                    std::move(audit), &outcome.entities_touched);
  if (!announced.ok()) return announced;
  return outcome;
}

absl::StatusOr<Delivery> EnrichmentImporter::Activate(
    absl::string_view provider, absl::string_view delivery_id,
    absl::string_view actor) {
  absl::StatusOr<std::vector<Delivery>> deliveries = Deliveries(*store_, provider);
  if (!deliveries.ok()) return deliveries.status();
  auto target = std::find_if(deliveries->begin(), deliveries->end(),
                             [&](const Delivery& d) { return d.delivery_id() == delivery_id; });
  if (target == deliveries->end()) {
    return absl::NotFoundError(absl::StrCat("provider ", provider,
                                            " has no delivery ", delivery_id));
  }
  std::vector<Delivery> changed;
  for (auto it = deliveries->begin(); it != deliveries->end(); ++it) {
    const bool withdraw = it > target;
    if (it->withdrawn() == withdraw) continue;
    it->set_withdrawn(withdraw);
    changed.push_back(*it);
  }
  if (changed.empty()) return *target;
  absl::flat_hash_set<std::string> changed_ids;
  bool companies_changed = false;
  for (const Delivery& d : changed) {
    changed_ids.insert(d.delivery_id());
    companies_changed |= d.kind() == COMPANY;
  }
  CompanyIndex companies;
  if (companies_changed) {
    absl::StatusOr<CompanyIndex> index = IndexCompanies(*store_);
    if (!index.ok()) return index.status();
    companies = *std::move(index);
  }
  std::vector<std::string> entities;
  absl::Status status = absl::OkStatus();
  absl::Status scanned = ScanProviderRows(
      *store_, provider, "", [&](const ProviderRow& row) {
        if (changed_ids.contains(row.delivery_id())) {
          status = AddEntitiesOf(*store_, companies, row, &entities);
        }
        return status.ok();
      });
  if (!scanned.ok()) return scanned;
  if (!status.ok()) return status;
  AuditEvent audit;
  audit.set_actor(std::string(actor));
  audit.set_action("enrich_activate");
  audit.set_note(absl::StrCat("provider ", provider, " delivery ", delivery_id,
                              " made current; ", changed.size(),
                              " deliveries changed"));
  int64_t announced = 0;
  absl::Status written = Announce(store_, resolver_, *target, changed, entities,
                                  std::move(audit), &announced);
  if (!written.ok()) return written;
  return *target;
}

}  // namespace c360

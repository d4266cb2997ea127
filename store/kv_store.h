// The storage interface c360 is written against: named tables of ordered
// byte keys, atomic multi-table writes and point-in-time read views. The
// embedded RocksDB store (rocksdb_store.h) is the default implementation; a
// shared distributed database can implement the same interface later.
#ifndef C360_STORE_KV_STORE_H_
#define C360_STORE_KV_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace c360 {

// The logical tables; docs/storage.md gives each one's key layout.
enum class Table {
  kMeta,           // schema version and counters
  kRecords,        // (source, source_id) -> StoredRecord
  kEntities,       // entity_id -> EntityState
  kMembership,     // (entity_id, source, source_id) -> ""
  kCandidateKeys,  // (candidate key, source, source_id) -> ""
  kAliases,        // retired entity_id -> surviving entity_id
  kAudit,          // sequence -> AuditEvent
  kChangeLog,      // sequence -> ChangeEvent
  kModels,         // (model family, version) -> a stored model
  kOpportunities,  // opportunity_id -> an opportunity of the CRM
  kReviewTasks,    // task_id -> ReviewTask
  kConstraints,    // (source, source_id, source, source_id) -> Constraint
  kErasedEntities, // entity_id -> ErasedEntity
  kSuppression,    // SHA-256 hex of an identifier -> SuppressedIdentifier
  kScores,         // ("opp", id) | ("customer", key) | ("entity", id) -> scores
  kDeliveries,     // (provider, delivery_id) -> Delivery
  kProviderRows,   // (provider, row key, delivery_id) -> ProviderRow
  kProviderIndex,  // (match key, provider, row key, delivery_id) -> ""
  kEnrichmentLinks,  // (source, source_id, provider, row key, delivery_id)
                     //   -> "": a provider row applies to a record
  kProfiles,       // entity_id -> SegmentRow (the materialized profile)
  kProfileIndex,   // (field, value, entity_id) -> "" for indexed fields
  kSegments,       // segment name -> SegmentDefinition
};

// Every table, in enum order.
const std::vector<Table>& AllTables();

// The table's name as the backend stores it, e.g. "records".
absl::string_view TableName(Table table);

// A set of puts and deletes applied all together or not at all by
// KvStore::Commit. Later operations on the same key win.
class WriteSet {
 public:
  struct Op {
    Table table;
    bool is_delete;
    std::string key;
    std::string value;
  };

  void Put(Table table, std::string key, std::string value);
  void Delete(Table table, std::string key);
  // Adds `other`'s writes after these.
  void Append(const WriteSet& other);

  const std::vector<Op>& ops() const { return ops_; }
  bool empty() const { return ops_.empty(); }

 private:
  std::vector<Op> ops_;
};

// Visits one key/value; returns false to stop the scan.
using ScanVisitor =
    std::function<bool(absl::string_view key, absl::string_view value)>;

// Read access to the tables. Implementations are thread-safe.
class ReadView {
 public:
  virtual ~ReadView() = default;

  // The value stored under `key`; NotFound when there is none.
  virtual absl::StatusOr<std::string> Get(Table table,
                                          absl::string_view key) const = 0;

  // Visits, in key order, every entry whose key starts with `prefix` and is
  // >= `start` (pass "" to start at the prefix). Returns the first error of
  // the backend; stopping early through the visitor is not an error.
  virtual absl::Status Scan(Table table, absl::string_view prefix,
                            absl::string_view start,
                            const ScanVisitor& visit) const = 0;
};

// A store: the latest state for reads, atomic writes, and snapshots.
class KvStore : public ReadView {
 public:
  // Applies every operation of `writes` atomically and durably against a
  // process crash (the write-ahead log is on).
  virtual absl::Status Commit(const WriteSet& writes) = 0;

  // A consistent view of the store as it is now, unaffected by later
  // commits. The view must not outlive the store.
  virtual std::unique_ptr<ReadView> Snapshot() const = 0;

  // Writes a consistent copy of the store as it is now into the folder
  // `dir`, which must not exist yet (its parent must); commits and reads go
  // on meanwhile. The copy opens as a store of its own. Unimplemented when
  // the backend cannot make one.
  virtual absl::Status Checkpoint(const std::string& dir);
};

}  // namespace c360

#endif  // C360_STORE_KV_STORE_H_

// The customer-level rows of a `c360 ml score-open` run (ml/score_open.h):
// open opportunities summed per live entity their customer key resolves to
// (store/customer_scores.h ResolveCustomerKey) and per key that names none,
// and the writes that bring the stored entity rows up to date.
#ifndef C360_ML_CUSTOMER_ROWS_H_
#define C360_ML_CUSTOMER_ROWS_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "c360/opportunity.pb.h"
#include "c360/scoring.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "store/kv_store.h"
#include "store/repository.h"

namespace c360 {

// Commits `writes`, puts and deletes of entity rows of the scores table,
// atomically with one ENTITY_SCORED change-log entry per id of `entities`:
// the live entities whose profile scores the writes change. The change log
// is numbered under the resolver's lock, which ml/ cannot take:
// server/scored_entities.h AnnounceEntityScores is the writer to pass.
using EntityScoresWriter = std::function<absl::Status(
    const WriteSet& writes, const std::vector<std::string>& entities)>;

class CustomerRows {
 public:
  // `view` is not owned and must outlive the object.
  explicit CustomerRows(const ReadView* view) : repo_(view) {}

  // Adds an open opportunity with a customer key, scored `hit_rate`, to the
  // row of the live entity its key resolves to, else to the key's own row.
  // Errors of reading the store; an unresolved key is none.
  absl::Status Add(const Opportunity& opp, double hit_rate);

  // Rows of the keys that name no entity, by key (customer_key = the key).
  const std::map<std::string, CustomerScores>& by_key() const {
    return by_key_;
  }
  // Rows by live entity id (customer_key = the id, customer_keys the keys
  // that resolved to it, ascending).
  const std::map<std::string, CustomerScores>& by_entity() const {
    return by_entity_;
  }

 private:
  Repository repo_;
  // Customer key -> its live entity id, "" when it names none.
  absl::flat_hash_map<std::string, std::string> entity_of_;
  std::map<std::string, CustomerScores> by_key_;
  std::map<std::string, CustomerScores> by_entity_;
};

struct EntityRowsUpdate {
  // Entities announced to `write`.
  int64_t announced = 0;
  // Stored rows deleted.
  int64_t deleted = 0;
};

// Brings the stored entity rows `stored` (key -> value, as the run found
// them) to `rows` (CustomerRows::by_entity): puts each row that differs in
// more than scored_at, stamped `now`, and deletes each stored row whose id
// has none (its opportunities closed, or it was merged away or erased),
// through `write` in calls of at most `batch_size` entities. Each live
// entity is announced once: a deleted row of an id merged away announces
// its survivor, one of an erased id nobody.
absl::StatusOr<EntityRowsUpdate> UpdateEntityRows(
    const ReadView& view, const std::map<std::string, CustomerScores>& rows,
    std::map<std::string, std::string> stored,
    const google::protobuf::Timestamp& now, int batch_size,
    const EntityScoresWriter& write);

}  // namespace c360

#endif  // C360_ML_CUSTOMER_ROWS_H_

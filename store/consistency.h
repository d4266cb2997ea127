// Verification of the store's invariants (docs/storage.md, "Invariants") on
// one consistent view: every record in exactly one live entity, membership
// and record counts agreeing, candidate keys matching their records, aliases
// pointing at live entities, logs without gaps, constraints mirrored and
// holding, review tasks naming what exists, erased ids neither live nor
// aliases, suppression entries well-formed, links to purchased data naming
// a stored record and provider row.
#ifndef C360_STORE_CONSISTENCY_H_
#define C360_STORE_CONSISTENCY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "store/kv_store.h"

namespace c360 {

// What a successful check saw.
struct StoreCensus {
  int64_t records = 0;
  int64_t entities = 0;
  int64_t memberships = 0;
  int64_t postings = 0;
  int64_t aliases = 0;
  int64_t changes = 0;
  int64_t audit_events = 0;
  int64_t constraints = 0;  // rows: each constraint is stored twice
  int64_t review_tasks = 0;
  int64_t erased_entities = 0;
  int64_t suppressed = 0;  // suppression-list entries
  int64_t enrichment_links = 0;
};

// Checks every invariant. Returns the census, or DataLoss whose message
// names the first violation found (e.g. "record crm/1 names entity
// E0000000002, which does not exist"). Reads everything: O(store size) time
// and memory proportional to the number of records.
absl::StatusOr<StoreCensus> CheckStore(const ReadView& view);

}  // namespace c360

#endif  // C360_STORE_CONSISTENCY_H_

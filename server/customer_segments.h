// The customers of sales opportunities in c360 segments, for the pipeline
// forecast: an opportunity's customer key resolves to its live entity
// (store/customer_scores.h ResolveCustomerKey), and a segment is the set of
// entities a scan of the profiles table selects, as SegmentService.Scan
// would (server/segment_service.h SelectSegment). A customer key that names
// no entity (a Maven account name) is in no segment.
#ifndef C360_SERVER_CUSTOMER_SEGMENTS_H_
#define C360_SERVER_CUSTOMER_SEGMENTS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "ml/scorer.h"
#include "store/kv_store.h"

namespace c360 {

// Not thread-safe: one per forecast. The predicates it hands out refer to
// it and must not outlive it.
class CustomerSegments {
 public:
  // `view` is not owned and must outlive this; a snapshot, so that every
  // segment is read at one point in time.
  explicit CustomerSegments(const ReadView* view) : view_(view) {}

  // Accepts the opportunities whose customer the selection picks: the
  // stored segment `segment` when set (its purpose applies), else the
  // filter expression `filter`. NotFound for an unknown segment,
  // InvalidArgument for a malformed filter.
  absl::StatusOr<OpportunityPredicate> Predicate(const std::string& filter,
                                                 const std::string& segment);

  // One group per stored segment, named as the segment.
  absl::StatusOr<std::vector<CustomerGroup>> StoredSegments();

 private:
  // The live entity `customer_key` names, "" for none; resolved once.
  std::string EntityOf(const std::string& customer_key);

  const ReadView* view_;
  absl::flat_hash_map<std::string, std::string> entity_of_;
};

}  // namespace c360

#endif  // C360_SERVER_CUSTOMER_SEGMENTS_H_

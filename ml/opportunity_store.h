// Opportunities in the store: Table::kOpportunities, key
// EncodeKey({opportunity_id}), value a serialized Opportunity. What the
// trainer learns from and the scorer looks opportunities up in.
#ifndef C360_ML_OPPORTUNITY_STORE_H_
#define C360_ML_OPPORTUNITY_STORE_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "c360/opportunity.pb.h"
#include "store/kv_store.h"

namespace c360 {

// Stores `opportunities` in one atomic commit; an existing id is replaced.
absl::Status SaveOpportunities(const std::vector<Opportunity>& opportunities,
                               KvStore* store);

// Every stored opportunity, in id order; DataLoss for an unparsable one.
absl::StatusOr<std::vector<Opportunity>> LoadOpportunities(
    const ReadView& view);

}  // namespace c360

#endif  // C360_ML_OPPORTUNITY_STORE_H_

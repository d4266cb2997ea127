// Customer keys of sales opportunities (Opportunity.customer_id) resolved to
// entities, and the entity rows of the scores table (docs/storage.md):
//   EncodeKey({"entity", entity_id}) -> CustomerScores
// In store/ because the scorer (ml/score_open.h) writes those rows and the
// profile reader (enrich/golden_profile.h) reads them, and neither library
// may depend on the other.
#ifndef C360_STORE_CUSTOMER_SCORES_H_
#define C360_STORE_CUSTOMER_SCORES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/scoring.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "store/kv_store.h"
#include "store/repository.h"

namespace c360 {

// The scores-table key of the entity's CustomerScores.
std::string EntityScoresKey(absl::string_view entity_id);

// The prefix of every entity's row.
std::string EntityScoresPrefix();

// The live entity `customer_key` names: an entity id (itself when live, its
// survivor when retired by a merge) or a record key "source/source_id" (the
// entity holding the record). NotFound for anything else: an unknown or
// erased id, a record not ingested (yet), an account name.
absl::StatusOr<std::string> ResolveCustomerKey(const Repository& repo,
                                               absl::string_view customer_key);

// Adds `from` to `into`: counts, expected value and profit summed, the best
// hit rate and the latest scored_at kept, opportunity ids and customer keys
// merged in ascending order. `into`'s customer_key stays.
void AddCustomerScores(const CustomerScores& from, CustomerScores* into);

// The scores of live entity `entity_id`: its row plus the rows of `aliases`
// (ids merged into it after the last scoring run wrote them), added up and
// keyed by `entity_id`. NotFound when none of them has a row; DataLoss for
// an unparsable one.
absl::StatusOr<CustomerScores> ReadEntityScores(
    const ReadView& view, absl::string_view entity_id,
    const google::protobuf::RepeatedPtrField<std::string>& aliases);

}  // namespace c360

#endif  // C360_STORE_CUSTOMER_SCORES_H_

// Explanations for stewards: why two records, a record and an entity, or two
// entities are or are not the same person.
#ifndef C360_RESOLVER_EXPLAIN_H_
#define C360_RESOLVER_EXPLAIN_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/evidence.pb.h"
#include "resolver/match_decider.h"
#include "resolver/matcher_store.h"
#include "store/kv_store.h"

namespace c360 {

struct Explanation {
  // The best pair's evidence with both sides' values;
  // evidence.matched_record is the right side's record of the pair.
  MatchEvidence evidence;
  RecordKey left_record;
  // What the decider does at this score: "link", "review" or "new_entity".
  std::string decision;
};

// Explains `left` against `right`, each a record key "source/source_id" or
// a current or retired entity id; for entities, the best-scoring pair of
// their members (at most 50 of each) is shown. NotFound for an unknown
// record or entity; InvalidArgument for an empty side.
absl::StatusOr<Explanation> ExplainMatch(const ReadView& view,
                                         const MatchDecider& decider,
                                         const RegionForSource& region_for,
                                         absl::string_view left,
                                         absl::string_view right);

}  // namespace c360

#endif  // C360_RESOLVER_EXPLAIN_H_

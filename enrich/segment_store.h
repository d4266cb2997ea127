// Named segments (table segments): a filter expression with the purpose and
// fields its exports use, stored under its name.
#ifndef C360_ENRICH_SEGMENT_STORE_H_
#define C360_ENRICH_SEGMENT_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/segment.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "store/kv_store.h"

namespace c360 {

// Stores `definition`, replacing a segment of the same name, stamped with
// `actor` and `now` (defined_by, defined_at); returns what was stored.
// InvalidArgument when the name is empty or holds other than letters,
// digits, '_', '-' and '.', or when the expression does not compile (the
// message gives the column, see SegmentFilter::Compile).
absl::StatusOr<SegmentDefinition> DefineSegment(
    KvStore* store, SegmentDefinition definition, absl::string_view actor,
    const google::protobuf::Timestamp& now);

// The stored segment; NotFound naming it when there is none.
absl::StatusOr<SegmentDefinition> GetSegment(const ReadView& view,
                                             absl::string_view name);

// Every stored segment, by name.
absl::StatusOr<std::vector<SegmentDefinition>> ListSegments(
    const ReadView& view);

}  // namespace c360

#endif  // C360_ENRICH_SEGMENT_STORE_H_

// Reading profile rows (SegmentRow, fields sorted by name) by field name:
// parsed messages, and stored rows read in place.
//
// Scans read every stored row but keep few: SegmentRowView reads the
// serialized row without copying or validating its strings and reuses its
// buffers, so that judging a row allocates nothing; only the rows a scan
// keeps become messages (CopyTo).
#ifndef C360_ENRICH_SEGMENT_ROW_VIEW_H_
#define C360_ENRICH_SEGMENT_ROW_VIEW_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "c360/segment.pb.h"

namespace c360 {

// The field named `name` of `row`, found by binary search; nullptr when the
// row has none.
const SegmentField* FindField(const SegmentRow& row, absl::string_view name);

// A serialized SegmentRow read in place: views into the bytes, valid while
// they are and until the next Parse.
class SegmentRowView {
 public:
  // Reads `bytes`; false when they are not a SegmentRow in wire format.
  // Unknown fields are skipped.
  bool Parse(absl::string_view bytes);

  absl::string_view entity_id() const { return entity_id_; }

  // The values of the field named `name` (binary search: the row's fields
  // are sorted); empty when the row has none.
  absl::Span<const absl::string_view> Values(absl::string_view name) const;

  // The golden (first) value of the field; "" when it has none.
  absl::string_view Golden(absl::string_view name) const;

  // Writes the row into `out`, keeping only `fields` (sorted; empty = all)
  // and reusing the buffers `out` holds.
  void CopyTo(const std::vector<std::string>& fields, SegmentRow* out) const;

 private:
  struct Field {
    absl::string_view name;
    size_t first_value;  // index into values_
    size_t value_count;
  };

  bool ParseField(absl::string_view bytes);

  absl::string_view entity_id_;
  std::vector<Field> fields_;
  std::vector<absl::string_view> values_;
};

}  // namespace c360

#endif  // C360_ENRICH_SEGMENT_ROW_VIEW_H_

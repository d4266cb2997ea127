// Test support for segment scans: SegmentRows built from literal fields, and
// written to a store the way the profile projection writes them (the row
// and its profile_index keys).
#ifndef C360_TESTS_ENRICH_SEGMENT_ROWS_H_
#define C360_TESTS_ENRICH_SEGMENT_ROWS_H_

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "c360/segment.pb.h"
#include "enrich/segment_index.h"
#include "store/kv_store.h"

namespace c360 {

// A row of `entity_id` with `fields` (name -> values, golden first); the
// map keeps the fields sorted by name as the projection does.
inline SegmentRow MakeSegmentRow(
    const std::string& entity_id,
    const std::map<std::string, std::vector<std::string>>& fields) {
  SegmentRow row;
  row.set_entity_id(entity_id);
  for (const auto& [name, values] : fields) {
    SegmentField* field = row.add_fields();
    field->set_name(name);
    for (const std::string& value : values) field->add_values(value);
  }
  return row;
}

// Writes the rows and their index keys in one commit.
inline absl::Status WriteSegmentRows(KvStore* store,
                                     const std::vector<SegmentRow>& rows) {
  WriteSet writes;
  for (const SegmentRow& row : rows) {
    writes.Put(Table::kProfiles, ProfileKey(row.entity_id()),
               row.SerializeAsString());
    for (std::string& key : ProfileIndexKeys(row)) {
      writes.Put(Table::kProfileIndex, std::move(key), "");
    }
  }
  return store->Commit(writes);
}

}  // namespace c360

#endif  // C360_TESTS_ENRICH_SEGMENT_ROWS_H_

// The index of profiles by field value (table profile_index): which fields
// are indexed and which index keys a profile needs. The profile projection
// calls ProfileIndexKeys to keep the index in step with the profiles table;
// segment scans (segment_scan.h) walk it for selective filters.
//
// Key layouts: profiles EncodeKey({entity_id}) -> SegmentRow (ProfileKey);
// profile_index EncodeKey({field, value, entity_id}) -> "". Values are stored
// exactly as they are in the SegmentRow, so an index lookup is an exact
// (byte-wise) match on the value.
#ifndef C360_ENRICH_SEGMENT_INDEX_H_
#define C360_ENRICH_SEGMENT_INDEX_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "c360/segment.pb.h"

namespace c360 {

// True for the fields profile_index holds: country, postcode, city, email,
// phone, business_id, source, every consent.<purpose>, and
// enrichment.{industry_code, employee_band, age_band, household_income_band,
// credit_rating}. These are the fields segments select on by equality and
// whose values are shared by few enough profiles for a lookup to pay off.
bool IsIndexedField(absl::string_view field);

// The profiles table's key of an entity's row.
std::string ProfileKey(absl::string_view entity_id);

// The profile_index key of one (field, value, entity) triple.
std::string ProfileIndexKey(absl::string_view field, absl::string_view value,
                            absl::string_view entity_id);

// The key prefix under which every entity holding `value` in `field` sits.
std::string ProfileIndexValuePrefix(absl::string_view field,
                                    absl::string_view value);

// Every profile_index key `row` needs: one per value of each indexed field
// (a value repeated within a field counts once), in key order.
std::vector<std::string> ProfileIndexKeys(const SegmentRow& row);

}  // namespace c360

#endif  // C360_ENRICH_SEGMENT_INDEX_H_

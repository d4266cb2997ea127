#include "enrich/segment_index.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "store/keys.h"

namespace c360 {
namespace {

constexpr absl::string_view kIndexedFields[] = {
    "business_id",
    "city",
    "country",
    "email",
    "enrichment.age_band",
    "enrichment.credit_rating",
    "enrichment.employee_band",
    "enrichment.household_income_band",
    "enrichment.industry_code",
    "phone",
    "postcode",
    "source",
};

}  // namespace

bool IsIndexedField(absl::string_view field) {
  if (absl::StartsWith(field, "consent.")) return field.size() > 8;
  return std::binary_search(std::begin(kIndexedFields),
                            std::end(kIndexedFields), field);
}

std::string ProfileKey(absl::string_view entity_id) {
  return EncodeKey({entity_id});
}

std::string ProfileIndexKey(absl::string_view field, absl::string_view value,
                            absl::string_view entity_id) {
  return EncodeKey({field, value, entity_id});
}

std::string ProfileIndexValuePrefix(absl::string_view field,
                                    absl::string_view value) {
  return EncodeKey({field, value});
}

std::vector<std::string> ProfileIndexKeys(const SegmentRow& row) {
  std::vector<std::string> keys;
  for (const SegmentField& field : row.fields()) {
    if (!IsIndexedField(field.name())) continue;
    for (const std::string& value : field.values()) {
      keys.push_back(ProfileIndexKey(field.name(), value, row.entity_id()));
    }
  }
  // Fields are sorted but a field's values are not, and may repeat.
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace c360

// A record reduced to the comparable forms the resolver blocks and compares
// on. Built once per record; cheap to copy.
#ifndef C360_RESOLVER_NORMALIZED_RECORD_H_
#define C360_RESOLVER_NORMALIZED_RECORD_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "c360/record.pb.h"
#include "resolver/normalize.h"

namespace c360 {

// One name with its tokens folded by FoldNameVariants.
struct NormalizedName {
  std::vector<std::string> given;   // given and middle name tokens
  std::vector<std::string> family;  // family name tokens
  // Every token when only a full name was given (order unknown: "Virtanen
  // Mikko" and "Mikko Virtanen" both occur).
  std::vector<std::string> unordered;
};

// The phone region for records of a source (ResolverOptions, RegionFor).
using RegionForSource = std::function<const std::string&(const std::string&)>;

struct NormalizedRecord {
  RecordKey key;
  std::vector<NormalizedName> names;
  std::vector<std::string> emails;  // CanonicalEmail forms
  std::vector<std::string> phones;  // E.164
  std::optional<BirthDate> birth_date;
  std::vector<std::string> postcodes;
  std::vector<std::string> streets;  // "street number", normalized
  std::string business_id;           // NormalizeBusinessId
  std::vector<std::string> handles;  // "platform:handle"
};

// Normalizes `record`. Phones without a country code use the country of the
// record's first address, else `default_region`; a phone that does not parse
// is left out (it was validated for shape at ingest, not for region).
NormalizedRecord NormalizeRecord(const SourceRecord& record,
                                 absl::string_view default_region);

// Every name token of the record (given, family and unordered), deduplicated.
std::vector<std::string> AllNameTokens(const NormalizedRecord& record);

}  // namespace c360

#endif  // C360_RESOLVER_NORMALIZED_RECORD_H_

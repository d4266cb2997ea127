// How well purchased person rows were matched, against known answers (the
// sample generator writes them): the share of matched rows linked to a
// record of the right person, and the share of rows about a stored person
// that were matched.
#ifndef C360_ENRICH_PROVIDER_EVALUATION_H_
#define C360_ENRICH_PROVIDER_EVALUATION_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/record.pb.h"
#include "store/kv_store.h"

namespace c360 {

struct RowMatchQuality {
  int64_t rows = 0;
  // Rows whose person holds at least one record in the truth of records.
  int64_t about_known_people = 0;
  int64_t matched = 0;
  // Matched rows linked to a record of the row's person.
  int64_t correct = 0;
  // Matched rows about a person no record holds (each one wrong).
  int64_t matched_unknown_people = 0;
  // The wrong matches: row key and the record it was linked to.
  std::vector<std::pair<std::string, RecordKey>> wrong;
  double precision = 0;  // correct / matched
  double recall = 0;     // correct / about_known_people
};

// Evaluates the rows of `delivery_id` of `provider`. `person_of_record`
// maps "source/source_id" to a person id, `person_of_row` a row key to a
// person id ("-1" for a person no source holds). InvalidArgument when the
// delivery has no rows.
absl::StatusOr<RowMatchQuality> EvaluateRowMatches(
    const ReadView& view, absl::string_view provider, absl::string_view delivery_id,
    const absl::flat_hash_map<std::string, std::string>& person_of_record,
    const absl::flat_hash_map<std::string, std::string>& person_of_row);

}  // namespace c360

#endif  // C360_ENRICH_PROVIDER_EVALUATION_H_

#include "enrich/provider_evaluation.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "c360/enrichment.pb.h"
#include "enrich/enrichment_store.h"
#include "store/repository.h"

namespace c360 {

absl::StatusOr<RowMatchQuality> EvaluateRowMatches(
    const ReadView& view, absl::string_view provider, absl::string_view delivery_id,
    const absl::flat_hash_map<std::string, std::string>& person_of_record,
    const absl::flat_hash_map<std::string, std::string>& person_of_row) {
  absl::flat_hash_set<std::string> known_people;
  for (const auto& [record, person] : person_of_record) known_people.insert(person);
  RowMatchQuality quality;
  absl::Status scanned = ScanProviderRows(
      view, provider, "", [&](const ProviderRow& row) {
        if (row.delivery_id() != delivery_id) return true;
        ++quality.rows;
        auto truth = person_of_row.find(row.identity().source_id());
        const std::string person = truth == person_of_row.end() ? "-1" : truth->second;
        if (known_people.contains(person)) ++quality.about_known_people;
        if (row.match().method() == RowMatch::UNMATCHED) return true;
        ++quality.matched;
        if (!known_people.contains(person)) ++quality.matched_unknown_people;
        for (const RecordKey& record : row.match().records()) {
          auto of = person_of_record.find(RecordKeyString(record));
          if (of != person_of_record.end() && of->second == person) {
            ++quality.correct;
            return true;
          }
        }
        quality.wrong.emplace_back(row.identity().source_id(),
                                   row.match().records().empty()
                                       ? RecordKey()
                                       : row.match().records(0));
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (quality.rows == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "provider ", provider, " has no rows in delivery ", delivery_id));
  }
  if (quality.matched > 0) {
    quality.precision = static_cast<double>(quality.correct) / quality.matched;
  }
  if (quality.about_known_people > 0) {
    quality.recall = static_cast<double>(quality.correct) / quality.about_known_people;
  }
  return quality;
}

}  // namespace c360

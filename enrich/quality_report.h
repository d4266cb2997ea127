// The data-quality report: how complete each source's records and each
// provider's rows are, where sources disagree about the same person, and
// how much of each delivery matched.
#ifndef C360_ENRICH_QUALITY_REPORT_H_
#define C360_ENRICH_QUALITY_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c360/enrichment.pb.h"
#include "resolver/normalized_record.h"
#include "store/kv_store.h"

namespace c360 {

// How many of `total` records (or rows) carry each attribute.
struct FillCounts {
  int64_t total = 0;
  std::map<std::string, int64_t> filled;
};

// Entities in which two sources both hold an attribute but share no value
// of it (after normalization): a conflict a steward or a survivorship rule
// has to settle.
struct SourceConflict {
  std::string attribute;
  std::string source_a;  // source_a < source_b
  std::string source_b;
  int64_t entities = 0;
};

struct QualityReport {
  int64_t entities = 0;
  // Entities with records of at least two sources.
  int64_t multi_source_entities = 0;
  // Per source: name, birth_date, email, phone, address, organization,
  // business_id, social_handle.
  std::map<std::string, FillCounts> sources;
  // Per provider, over the rows of its visible deliveries: the identity
  // attributes and every purchased attribute.
  std::map<std::string, FillCounts> providers;
  // Every delivery with its row, accepted and matched counts.
  std::vector<Delivery> deliveries;
  // By attribute, then source pair.
  std::vector<SourceConflict> conflicts;
};

// Reads the whole store once (records by entity, provider rows).
absl::StatusOr<QualityReport> BuildQualityReport(const ReadView& view,
                                                 const RegionForSource& region_for);

// The report as one JSON object (fill counts with rates, match rates).
std::string QualityReportJson(const QualityReport& report);

}  // namespace c360

#endif  // C360_ENRICH_QUALITY_REPORT_H_

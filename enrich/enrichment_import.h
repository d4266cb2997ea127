// Importing a provider delivery: matching its rows to the store's records,
// storing rows, index entries and links, and announcing the entities whose
// purchased data changed. Purchased data never creates an entity and never
// merges two: a company row applies to every record naming that company
// (by canonical business id, else by company name + postcode); a person row
// applies to the one entity the resolver's model links it to, and stays
// unmatched when none or several qualify.
//
// An import writes its rows in chunks that stay invisible (no Delivery
// entry yet), then one last write with the Delivery entry, one
// ENTITY_ENRICHED change per touched entity and an audit event: a crash
// leaves either the whole delivery or none of it in effect.
#ifndef C360_ENRICH_ENRICHMENT_IMPORT_H_
#define C360_ENRICH_ENRICHMENT_IMPORT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c360/enrichment.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "resolver/resolver.h"
#include "store/kv_store.h"

namespace c360 {

struct ImportRequest {
  std::string provider;
  ProviderKind kind = PROVIDER_KIND_UNSPECIFIED;
  // The delivered file's name, kept with the delivery.
  std::string file;
  // When the provider delivered; the import time when unset.
  google::protobuf::Timestamp delivered_at;
  // Rows the reader rejected (counted in the Delivery).
  int64_t rejected = 0;
  // A person row links only when its best pair scores at least this (and
  // the model's link threshold): purchased data can be held to a stricter
  // standard than records, since a wrong link puts a stranger's data in a
  // customer's profile. 0 = the model's link threshold.
  double min_person_score = 0;
  std::string actor;
};

// A row that matched nothing.
struct UnmatchedRow {
  int64_t line = 0;
  std::string key;
  std::string reason;
};

struct ImportOutcome {
  Delivery delivery;
  int64_t by_business_id = 0;
  int64_t by_name_postcode = 0;
  int64_t by_person_model = 0;
  std::vector<UnmatchedRow> unmatched;
  // Entities given an ENTITY_ENRICHED change.
  int64_t entities_touched = 0;
};

// Provider names: lower-case ASCII letters, digits, '_' and '-', 1-64 bytes.
absl::Status ValidateProviderName(absl::string_view provider);

class EnrichmentImporter {
 public:
  // `store` and `resolver` are not owned and must outlive the importer;
  // `resolver` must be the store's writer.
  EnrichmentImporter(KvStore* store, Resolver* resolver)
      : store_(store), resolver_(resolver) {}

  // Matches and stores `rows` (ProviderFile rows: line, identity, attributes
  // set) as a new delivery of `request.provider`. `progress`, when set, hears
  // how many rows are matched so far.
  absl::StatusOr<ImportOutcome> Import(
      const ImportRequest& request, std::vector<ProviderRow> rows,
      const std::function<void(int64_t rows_done)>& progress = nullptr);

  // Makes `delivery_id` the provider's newest visible delivery: it is no
  // longer withdrawn and every newer delivery of the provider is withdrawn.
  // Announces every entity linked to rows of the deliveries that changed.
  // NotFound for an unknown delivery.
  absl::StatusOr<Delivery> Activate(absl::string_view provider,
                                    absl::string_view delivery_id,
                                    absl::string_view actor);

 private:
  KvStore* store_;
  Resolver* resolver_;
};

}  // namespace c360

#endif  // C360_ENRICH_ENRICHMENT_IMPORT_H_

// A generator of realistic sample data for four source systems (CRM
// contacts, ERP customers, web-shop accounts, social handles) about Finnish,
// Polish, Swedish, Russian and English people, with the noise real systems
// show and the hard negatives that fool naive matchers. Deterministic for a
// given seed.
#ifndef C360_SERVER_GENERATOR_H_
#define C360_SERVER_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c360/record.pb.h"

namespace c360 {

// Records are observed between these instants, Unix seconds (fixed, so that
// the output does not depend on when the generator runs).
inline constexpr int64_t kFirstObservation = 1609459200;  // 2021-01-01Z
inline constexpr int64_t kLastObservation = 1759276800;   // 2025-10-01Z

struct GeneratorOptions {
  // Number of distinct people to generate.
  int64_t people = 1000;
  // Seed of the pseudo-random generator; the same seed gives the same data.
  uint64_t seed = 1;
};

// One generated record with the id of the person it is really about.
struct GeneratedRecord {
  SourceRecord record;  // source is "crm", "erp", "webshop" or "social"
  int64_t person_id = 0;
};

// Counts of what was generated.
struct GeneratorStats {
  int64_t people = 0;
  int64_t records = 0;
  int64_t crm = 0;
  int64_t erp = 0;
  int64_t webshop = 0;
  int64_t social = 0;
};

// Generates every record in a deterministic order, calling `sink` for each;
// a person's records come one after another.
// Each person appears in one to four sources (at most once per source except
// the CRM, which holds some duplicate contacts). Noise: typos, dropped
// diacritics, Cyrillic and several Latin spellings of Russian names,
// nicknames (William/Bill, Katarzyna/Kasia, Aleksandr/Sasha), local and
// international phone formats, people who moved (an older address in one
// source), missing fields. Hard negatives: family members sharing an
// address, a landline and a family e-mail; namesakes in the same city with
// different birth dates; colleagues sharing a company switchboard and an
// info@ address.
GeneratorStats GenerateRecords(
    const GeneratorOptions& options,
    const std::function<void(const GeneratedRecord&)>& sink);

// GenerateRecords with each person's records handed over together, in
// generation order. Holds no more than one person's records.
void ForEachGeneratedPerson(
    const GeneratorOptions& options,
    const std::function<void(int64_t person_id,
                             const std::vector<SourceRecord>& records)>& each);

// Writes the four source files, each in its own system's layout, readable
// with the mapping files in data/mappings/ (crm_contacts.map for
// crm_contacts.csv, erp_customers.map, webshop_accounts.map,
// social_handles.map), plus truth.csv ("source,source_id,person_id") into
// `out_dir`, which is created if missing. `progress`, when set, is called
// after each record with the id of the person it is about.
absl::StatusOr<GeneratorStats> WriteSampleFiles(
    const GeneratorOptions& options, const std::string& out_dir,
    const std::function<void(int64_t person_id)>& progress = nullptr);

}  // namespace c360

#endif  // C360_SERVER_GENERATOR_H_

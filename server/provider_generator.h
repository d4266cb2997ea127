// Sample purchased data that fits the sample source files of the same people
// and seed (server/generator.h): a company-register delivery about the
// employers the records name plus unrelated companies, and a consumer-data
// delivery about a share of the people plus people in no record, with the
// truth about the consumer rows so that matching can be measured.
// Deterministic for given options.
#ifndef C360_SERVER_PROVIDER_GENERATOR_H_
#define C360_SERVER_PROVIDER_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "server/generator.h"

namespace c360 {

struct ProviderGeneratorOptions {
  // The people and seed of the source files the rows are about.
  GeneratorOptions source;
  // Register rows of companies that no record names.
  int64_t extra_companies = 50;
  // Consumer rows of people who are in no record.
  int64_t extra_persons = 200;
};

// One company-register row, as the register writes it.
struct ProviderCompany {
  // A Y-tunnus "1234567-8" or VAT "FI12345678", a NIP "123-456-78-90" or
  // "PL1234567890", an organisationsnummer "556677-8899" or VAT
  // "SE556677889901", a Russian INN or a UK company number. Empty for the
  // few rows that only name a real employer and its postcode.
  std::string business_id;
  // The official name with its legal form, e.g. "Savon Kuljetus Oy".
  std::string name;
  std::string industry_code;  // NACE, e.g. "62010"
  std::string employee_band;  // "1-9", "10-49", "50-249", "250-999", "1000+"
  std::string revenue_band;   // EUR: "<1M", "1-10M", "10-50M", ..., "250M+"
  std::string credit_rating;  // "AAA", "AA", "A", "B" or "C"
  std::string street;         // with the house number
  std::string postcode;
  std::string city;
  std::string country;  // ISO 3166-1 alpha-2, always set
};

// One consumer row about a person.
struct ProviderPerson {
  // The provider's key: "P0000001", "P0000002", ... in file order.
  std::string key;
  // The generated person the row is about; -1 for a person in no record.
  int64_t person_id = -1;
  // Either the parts or, when the record held only a whole name, full_name.
  std::string first_name;
  std::string last_name;
  std::string full_name;
  std::string birth_date;  // ISO 8601; empty for some rows
  std::string street;      // with the house number
  std::string postcode;
  std::string city;
  std::string country;
  std::string email;
  std::string phone;
  std::string age_band;               // "18-24", "25-34", ..., "65+"
  std::string household_income_band;  // EUR a year: "<20k", ..., "100k+"
  std::string interests;              // ';'-separated: "sports;travel"
};

struct ProviderStats {
  // Rows of the company file, and of those the rows without business id.
  int64_t companies = 0;
  int64_t companies_without_id = 0;
  // Rows of the person file, and of those the rows about people in no
  // record.
  int64_t persons = 0;
  int64_t unrelated_persons = 0;
};

// Generates the rows, calling the sinks for each. Company rows: one per
// distinct business id the records carry (address and name taken from
// records naming the company), a row without business id for some of those
// companies at another of their records' postcodes, then the unrelated
// companies. Person rows: about 60% of the people (those with a named
// record), each from one of their records with noise (dropped diacritics,
// abbreviated street names, birth date left out now and then), then the
// people in no record. Holds no more than a person's records and the
// companies' keys, so files of millions of rows can be streamed.
ProviderStats GenerateProviderRows(
    const ProviderGeneratorOptions& options,
    const std::function<void(const ProviderCompany&)>& company_sink,
    const std::function<void(const ProviderPerson&)>& person_sink);

// Writes provider_company.csv and provider_person.csv (readable with
// data/mappings/provider_company.map and provider_person.map) and
// provider_truth.csv ("row_key,person_id" for every person row) into
// `out_dir`, which is created if missing.
absl::StatusOr<ProviderStats> WriteProviderFiles(
    const ProviderGeneratorOptions& options, const std::string& out_dir);

}  // namespace c360

#endif  // C360_SERVER_PROVIDER_GENERATOR_H_

#include "server/provider_generator.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/types/span.h"
#include "c360/record.pb.h"
#include "enrich/business_id.h"
#include "resolver/normalize.h"
#include "server/csv.h"
#include "server/generator_data.h"
#include "server/generator_rng.h"
#include "server/provider_generator_data.h"

namespace c360 {
namespace {

using generator_internal::Rng;
using generator_internal::UsualSpelling;
using provider_generator_data::CompanyStyle;
using provider_generator_data::kAgeBands;
using provider_generator_data::kCompanyStyles;
using provider_generator_data::kCreditRatings;
using provider_generator_data::kEmployeeBands;
using provider_generator_data::kIncomeBands;
using provider_generator_data::kIndustryCodes;
using provider_generator_data::kInterests;
using provider_generator_data::kRevenueBands;
using provider_generator_data::kStreetRespellings;
using Records = std::vector<SourceRecord>;

// Shares of rows and of their noise.
constexpr double kPersonShare = 0.6;
constexpr double kVatForm = 0.3;
constexpr double kFoldedName = 0.4;
constexpr double kRespelledStreet = 0.5;
constexpr double kUpperCaseCity = 0.2;
constexpr double kBirthDateKept = 0.85;
constexpr double kEmailKept = 0.4;
constexpr double kPhoneKept = 0.3;
// Every third employer with a second postcode also gets a row without
// business id.
constexpr size_t kNameOnlyEvery = 3;
// Ages are counted in this year (fixed, so that the output does not depend
// on when the generator runs).
constexpr int kAgeYear = 2025;
// Seeds: the provider's choices, and the generator runs that make the
// people in no record (one step per run, far from the source seed).
constexpr uint64_t kChoiceSalt = 0x70726f7669646572;  // "provider"
constexpr uint64_t kUnrelatedSeedStep = 0x9E3779B97F4A7C15;

const CompanyStyle* StyleOf(absl::string_view country) {
  for (const CompanyStyle& style : kCompanyStyles) {
    if (style.country == country) return &style;
  }
  return nullptr;
}

const generator_data::Country* CountryOf(absl::string_view code) {
  for (const generator_data::Country& country : generator_data::kCountries) {
    if (country.code == code) return &country;
  }
  return nullptr;
}

// Cyrillic letters are two bytes led by 0xD0-0xD3 in UTF-8.
bool HasCyrillic(absl::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0xD0 && byte <= 0xD3;
  });
}

std::string FoldDiacritics(absl::string_view text) {
  return absl::StrReplaceAll(
      text, absl::MakeConstSpan(generator_data::kDiacriticFolds));
}

bool HasName(const SourceRecord& record) {
  if (record.names().empty()) return false;
  const PersonName& name = record.names(0);
  return !name.full().empty() || !name.given().empty() ||
         !name.family().empty();
}

std::string StreetLine(const PostalAddress& address) {
  if (address.house_number().empty()) return address.street();
  return absl::StrCat(address.street(), " ", address.house_number());
}

// The most complete birth date of the person's records, or "".
std::string BirthDateOf(const Records& records) {
  std::string best;
  for (const SourceRecord& record : records) {
    if (record.birth_date().size() > best.size()) best = record.birth_date();
  }
  return best;
}

// The address of `base`, else of the first of the person's records with one.
const PostalAddress* AddressOf(const SourceRecord& base,
                               const Records& records) {
  if (!base.addresses().empty()) return &base.addresses(0);
  for (const SourceRecord& record : records) {
    if (!record.addresses().empty()) return &record.addresses(0);
  }
  return nullptr;
}

// The first value of the person's records in the repeated field `values`
// returns, or "".
template <typename Values>
std::string FirstOf(const Records& records, Values values) {
  for (const SourceRecord& record : records) {
    if (!values(record).empty()) return values(record)[0];
  }
  return "";
}

const auto& Emails(const SourceRecord& record) { return record.emails(); }

// "token|postcode" for every name token and address postcode of `record`.
std::vector<std::string> NamePlaceKeys(const SourceRecord& record) {
  std::vector<std::string> keys;
  for (const PersonName& name : record.names()) {
    const std::string tokens = NormalizeName(
        absl::StrCat(name.full(), " ", name.given(), " ", name.family()));
    for (absl::string_view token : absl::StrSplit(tokens, ' ', absl::SkipEmpty())) {
      for (const PostalAddress& address : record.addresses()) {
        const std::string postcode = NormalizePostcode(address.postcode());
        if (!postcode.empty()) keys.push_back(absl::StrCat(token, "|", postcode));
      }
    }
  }
  return keys;
}

// An e-mail lower-cased, a phone as its last 8 digits (local and
// international formats agree there): equal for equal contacts.
std::string ContactKey(absl::string_view contact) {
  if (absl::StrContains(contact, '@')) return absl::AsciiStrToLower(contact);
  std::string digits;
  for (char c : contact) {
    if (absl::ascii_isdigit(c)) digits.push_back(c);
  }
  return digits.size() > 8 ? digits.substr(digits.size() - 8) : digits;
}
const auto& Phones(const SourceRecord& record) { return record.phones(); }

class ProviderGenerator {
 public:
  ProviderGenerator(
      const ProviderGeneratorOptions& options,
      const std::function<void(const ProviderCompany&)>& company_sink,
      const std::function<void(const ProviderPerson&)>& person_sink)
      : options_(options),
        company_sink_(company_sink),
        person_sink_(person_sink),
        rng_(options.source.seed ^ kChoiceSalt) {}

  ProviderStats Run();

 private:
  // A company the records name, by NormalizeCompanyName.
  struct NamedCompany {
    std::string name;  // a Latin spelling when any record has one
    // Addresses of records naming it, with distinct postcodes; at most 2.
    std::vector<PostalAddress> addresses;
  };

  void NoteCompany(const SourceRecord& record);
  void NoteNamedCompany(const std::string& key, const SourceRecord& record);
  void EmitEmployers();
  void EmitUnrelated();
  bool EmitPerson(int64_t person_id, const Records& records);
  bool EmitUnrelatedCompany(const Records& records);
  void EmitCompany(ProviderCompany row);
  void SetPersonName(const PersonName& name, ProviderPerson* row);
  void SetPersonAddress(const PostalAddress& address, ProviderPerson* row);
  ProviderCompany CompanyAt(const PostalAddress& address);
  std::string AgeBand(absl::string_view birth_date);
  std::string Interests();
  std::string WrittenId(absl::string_view canonical);
  std::string NewCompanyId(absl::string_view country);
  std::string RandomDigits(int count);

  const ProviderGeneratorOptions& options_;
  const std::function<void(const ProviderCompany&)>& company_sink_;
  const std::function<void(const ProviderPerson&)>& person_sink_;
  Rng rng_;
  absl::flat_hash_map<std::string, NamedCompany> companies_;
  // The canonical business ids the records carry, in order of first sight,
  // and the name key of each.
  std::vector<std::string> employer_ids_;
  absl::flat_hash_map<std::string, std::string> name_of_id_;
  // Every business id given to a row, so that no key repeats.
  absl::flat_hash_set<std::string> used_ids_;
  // The e-mails and phones (digits only) of the people in the records: a
  // person of a further generator run may draw the same ones, but someone
  // "in no record" must not carry a customer's e-mail or phone.
  absl::flat_hash_set<std::string> real_contacts_;
  // Name token + postcode of every record: someone in no record who shares
  // one with a customer would be that customer to any matcher (the address
  // pools are small), so such people get no row.
  absl::flat_hash_set<std::string> real_name_places_;
  int64_t next_key_ = 1;
  ProviderStats stats_;
};

ProviderStats ProviderGenerator::Run() {
  ForEachGeneratedPerson(
      options_.source, [this](int64_t person_id, const Records& records) {
        for (const SourceRecord& record : records) {
          NoteCompany(record);
          for (const std::string& e : record.emails()) {
            real_contacts_.insert(ContactKey(e));
          }
          for (const std::string& p : record.phones()) {
            real_contacts_.insert(ContactKey(p));
          }
          for (const std::string& key : NamePlaceKeys(record)) {
            real_name_places_.insert(key);
          }
        }
        if (rng_.Chance(kPersonShare)) EmitPerson(person_id, records);
      });
  EmitEmployers();
  EmitUnrelated();
  return stats_;
}

void ProviderGenerator::NoteCompany(const SourceRecord& record) {
  const std::string key = NormalizeCompanyName(record.organization());
  if (!key.empty()) NoteNamedCompany(key, record);
  if (record.business_id().empty()) return;
  const std::string country =
      record.addresses().empty() ? "" : record.addresses(0).country();
  absl::StatusOr<std::string> id =
      CanonicalBusinessId(record.business_id(), country);
  if (!id.ok()) return;
  if (used_ids_.insert(*id).second) employer_ids_.push_back(*id);
  if (!key.empty()) name_of_id_.try_emplace(*id, key);
}

void ProviderGenerator::NoteNamedCompany(const std::string& key,
                                         const SourceRecord& record) {
  NamedCompany& company = companies_[key];
  const std::string& name = record.organization();
  if (company.name.empty() ||
      (HasCyrillic(company.name) && !HasCyrillic(name))) {
    company.name = name;
  }
  if (record.addresses().empty() || company.addresses.size() == 2) return;
  const PostalAddress& address = record.addresses(0);
  const std::string postcode = NormalizePostcode(address.postcode());
  if (!postcode.empty() &&
      (company.addresses.empty() ||
       NormalizePostcode(company.addresses[0].postcode()) != postcode)) {
    company.addresses.push_back(address);
  }
}

// A row per business id with the address of a record naming the company;
// then rows without business id at another record's postcode.
void ProviderGenerator::EmitEmployers() {
  std::vector<const NamedCompany*> named_twice;
  for (const std::string& id : employer_ids_) {
    const auto key = name_of_id_.find(id);
    if (key == name_of_id_.end()) continue;  // no record named it
    const NamedCompany& company = companies_.at(key->second);
    ProviderCompany row = CompanyAt(
        company.addresses.empty() ? PostalAddress() : company.addresses[0]);
    row.business_id = WrittenId(id);
    row.name = company.name;
    row.country = id.substr(0, 2);
    EmitCompany(std::move(row));
    if (company.addresses.size() > 1) named_twice.push_back(&company);
  }
  for (size_t i = 0; i < named_twice.size(); i += kNameOnlyEvery) {
    ProviderCompany row = CompanyAt(named_twice[i]->addresses[1]);
    row.name = named_twice[i]->name;
    EmitCompany(std::move(row));
  }
}

// People from further generator runs, who are in no record; each gives at
// most a person row and a company (at their address, in their country).
void ProviderGenerator::EmitUnrelated() {
  int64_t persons_left = options_.extra_persons;
  int64_t companies_left = options_.extra_companies;
  for (uint64_t round = 1; persons_left > 0 || companies_left > 0; ++round) {
    GeneratorOptions run;
    run.people = std::max(persons_left, companies_left) * 5 / 4 + 10;
    run.seed = options_.source.seed + round * kUnrelatedSeedStep;
    ForEachGeneratedPerson(run, [&](int64_t, const Records& records) {
      if (persons_left > 0 && EmitPerson(-1, records)) --persons_left;
      if (companies_left > 0 && EmitUnrelatedCompany(records)) {
        --companies_left;
      }
    });
  }
}

// A consumer row from one of the person's named records, with noise.
bool ProviderGenerator::EmitPerson(int64_t person_id, const Records& records) {
  std::vector<const SourceRecord*> named;
  for (const SourceRecord& record : records) {
    if (HasName(record)) named.push_back(&record);
  }
  if (named.empty()) return false;
  const SourceRecord& base = *named[rng_.Below(named.size())];
  if (person_id < 0) {
    for (const std::string& key : NamePlaceKeys(base)) {
      if (real_name_places_.contains(key)) return false;
    }
  }
  ProviderPerson row;
  row.key = absl::StrFormat("P%07d", next_key_++);
  row.person_id = person_id;
  SetPersonName(base.names(0), &row);
  const std::string birth_date = BirthDateOf(records);
  if (rng_.Chance(kBirthDateKept)) row.birth_date = birth_date;
  if (const PostalAddress* address = AddressOf(base, records)) {
    SetPersonAddress(*address, &row);
  }
  if (rng_.Chance(kEmailKept)) row.email = FirstOf(records, &Emails);
  if (rng_.Chance(kPhoneKept)) row.phone = FirstOf(records, &Phones);
  if (person_id < 0) {
    for (std::string* contact : {&row.email, &row.phone}) {
      if (real_contacts_.contains(ContactKey(*contact))) contact->clear();
    }
  }
  row.age_band = AgeBand(birth_date);
  row.household_income_band = rng_.Pick(absl::MakeConstSpan(kIncomeBands));
  row.interests = Interests();
  person_sink_(row);
  ++stats_.persons;
  if (person_id < 0) ++stats_.unrelated_persons;
  return true;
}

bool ProviderGenerator::EmitUnrelatedCompany(const Records& records) {
  for (const SourceRecord& record : records) {
    if (record.addresses().empty()) continue;
    const PostalAddress& address = record.addresses(0);
    const CompanyStyle* style = StyleOf(address.country());
    const generator_data::Country* country = CountryOf(address.country());
    if (style == nullptr || country == nullptr || address.postcode().empty()) {
      continue;
    }
    ProviderCompany row = CompanyAt(address);
    row.business_id = WrittenId(NewCompanyId(address.country()));
    const std::string surname =
        UsualSpelling(rng_.Pick(country->surnames).latin);
    row.name = absl::StrReplaceAll(
        rng_.Pick(style->patterns),
        {{"{s}", surname}, {"{w}", rng_.Pick(style->words)}});
    EmitCompany(std::move(row));
    return true;
  }
  return false;
}

void ProviderGenerator::EmitCompany(ProviderCompany row) {
  ++stats_.companies;
  if (row.business_id.empty()) ++stats_.companies_without_id;
  company_sink_(row);
}

// The parts, or the whole name when that is all the record holds; some
// rows have their diacritics dropped.
void ProviderGenerator::SetPersonName(const PersonName& name,
                                      ProviderPerson* row) {
  const bool fold = rng_.Chance(kFoldedName);
  const auto spell = [fold](const std::string& text) {
    return fold ? FoldDiacritics(text) : text;
  };
  if (name.given().empty() && name.family().empty()) {
    row->full_name = spell(name.full());
  } else {
    row->first_name = spell(name.given());
    row->last_name = spell(name.family());
  }
}

void ProviderGenerator::SetPersonAddress(const PostalAddress& address,
                                         ProviderPerson* row) {
  row->street = StreetLine(address);
  if (rng_.Chance(kRespelledStreet)) {
    row->street = absl::StrReplaceAll(row->street,
                                      absl::MakeConstSpan(kStreetRespellings));
  }
  row->postcode = address.postcode();
  row->city = rng_.Chance(kUpperCaseCity)
                  ? absl::AsciiStrToUpper(address.city())
                  : address.city();
  row->country = address.country();
}

// A row at `address` with random firmographics.
ProviderCompany ProviderGenerator::CompanyAt(const PostalAddress& address) {
  ProviderCompany row;
  row.street = StreetLine(address);
  row.postcode = address.postcode();
  row.city = address.city();
  row.country = address.country();
  row.industry_code = rng_.Pick(absl::MakeConstSpan(kIndustryCodes));
  const int64_t size = rng_.Between(0, std::size(kEmployeeBands) - 1);
  row.employee_band = kEmployeeBands[size];
  // Revenue follows size, give or take a band.
  const int64_t revenue = std::clamp<int64_t>(size + rng_.Between(-1, 1), 0,
                                              std::size(kRevenueBands) - 1);
  row.revenue_band = kRevenueBands[revenue];
  row.credit_rating = rng_.Pick(absl::MakeConstSpan(kCreditRatings));
  return row;
}

// From the birth year when known, else a guess.
std::string ProviderGenerator::AgeBand(absl::string_view birth_date) {
  int year = 0;
  if (birth_date.size() >= 4 &&
      absl::SimpleAtoi(birth_date.substr(0, 4), &year)) {
    for (const auto& [from, band] : kAgeBands) {
      if (kAgeYear - year >= from) return band;
    }
  }
  return rng_.Pick(absl::MakeConstSpan(kAgeBands)).second;
}

// One to three distinct interests.
std::string ProviderGenerator::Interests() {
  std::vector<std::string> chosen;
  const int64_t count = rng_.Between(1, 3);
  while (static_cast<int64_t>(chosen.size()) < count) {
    std::string interest = rng_.Pick(absl::MakeConstSpan(kInterests));
    if (std::find(chosen.begin(), chosen.end(), interest) == chosen.end()) {
      chosen.push_back(std::move(interest));
    }
  }
  return absl::StrJoin(chosen, ";");
}

// "FI:12345678" as a register writes it: the national form with its
// hyphens, or now and then the VAT number.
std::string ProviderGenerator::WrittenId(absl::string_view canonical) {
  const absl::string_view country = canonical.substr(0, 2);
  const absl::string_view digits = canonical.substr(3);
  const bool vat = rng_.Chance(kVatForm);
  if (country == "FI") {
    return vat ? absl::StrCat(country, digits)
               : absl::StrCat(digits.substr(0, 7), "-", digits.substr(7));
  }
  if (country == "PL") {
    return vat ? absl::StrCat(country, digits)
               : absl::StrCat(digits.substr(0, 3), "-", digits.substr(3, 3),
                              "-", digits.substr(6, 2), "-", digits.substr(8));
  }
  if (country == "SE") {
    return vat ? absl::StrCat(country, digits, "01")
               : absl::StrCat(digits.substr(0, 6), "-", digits.substr(6));
  }
  return std::string(digits);
}

// A canonical business id no row has yet. The check digit is found by
// CanonicalBusinessId itself, so generated and validated ids cannot differ.
std::string ProviderGenerator::NewCompanyId(absl::string_view country) {
  while (true) {
    // Swedish limited companies are numbered from 55; Polish and Russian
    // ids have 10 digits, the others 8.
    const std::string payload =
        country == "SE" ? absl::StrCat("55", RandomDigits(7))
        : country == "PL" || country == "RU" ? RandomDigits(9)
                                             : RandomDigits(7);
    for (char check = '0'; check <= '9'; ++check) {
      absl::StatusOr<std::string> id = CanonicalBusinessId(
          absl::StrCat(payload, std::string(1, check)), country);
      if (!id.ok()) continue;
      if (used_ids_.insert(*id).second) return *id;
      break;
    }
  }
}

std::string ProviderGenerator::RandomDigits(int count) {
  std::string digits;
  for (int i = 0; i < count; ++i) {
    digits.push_back(static_cast<char>('0' + rng_.Below(10)));
  }
  return digits;
}

// ------------------------------------------------------------ Files

template <typename Row>
struct Column {
  const char* header;
  std::string Row::*field;
};

constexpr Column<ProviderCompany> kCompanyColumns[] = {
    {"business_id", &ProviderCompany::business_id},
    {"name", &ProviderCompany::name},
    {"industry_code", &ProviderCompany::industry_code},
    {"employee_band", &ProviderCompany::employee_band},
    {"revenue_band", &ProviderCompany::revenue_band},
    {"credit_rating", &ProviderCompany::credit_rating},
    {"street", &ProviderCompany::street},
    {"postcode", &ProviderCompany::postcode},
    {"city", &ProviderCompany::city},
    {"country", &ProviderCompany::country}};

constexpr Column<ProviderPerson> kPersonColumns[] = {
    {"row_key", &ProviderPerson::key},
    {"first_name", &ProviderPerson::first_name},
    {"last_name", &ProviderPerson::last_name},
    {"full_name", &ProviderPerson::full_name},
    {"birth_date", &ProviderPerson::birth_date},
    {"street", &ProviderPerson::street},
    {"postcode", &ProviderPerson::postcode},
    {"city", &ProviderPerson::city},
    {"country", &ProviderPerson::country},
    {"email", &ProviderPerson::email},
    {"phone", &ProviderPerson::phone},
    {"age_band", &ProviderPerson::age_band},
    {"household_income_band", &ProviderPerson::household_income_band},
    {"interests", &ProviderPerson::interests}};

template <typename Row, size_t N>
void WriteHeader(std::ostream& out, const Column<Row> (&columns)[N]) {
  out << absl::StrJoin(columns, ",",
                       [](std::string* line, const Column<Row>& column) {
                         line->append(column.header);
                       })
      << '\n';
}

template <typename Row, size_t N>
void WriteRow(std::ostream& out, const Column<Row> (&columns)[N],
              const Row& row) {
  out << absl::StrJoin(
             columns, ",",
             [&row](std::string* line, const Column<Row>& column) {
               line->append(csv_internal::CsvField(row.*column.field, ','));
             })
      << '\n';
}

}  // namespace

ProviderStats GenerateProviderRows(
    const ProviderGeneratorOptions& options,
    const std::function<void(const ProviderCompany&)>& company_sink,
    const std::function<void(const ProviderPerson&)>& person_sink) {
  return ProviderGenerator(options, company_sink, person_sink).Run();
}

absl::StatusOr<ProviderStats> WriteProviderFiles(
    const ProviderGeneratorOptions& options, const std::string& out_dir) {
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", out_dir, ": ", error.message()));
  }
  const std::filesystem::path dir(out_dir);
  const std::string paths[] = {(dir / "provider_company.csv").string(),
                               (dir / "provider_person.csv").string(),
                               (dir / "provider_truth.csv").string()};
  std::ofstream files[std::size(paths)];
  for (size_t i = 0; i < std::size(paths); ++i) {
    files[i].open(paths[i], std::ios::binary | std::ios::trunc);
    if (!files[i])
      return absl::InternalError(absl::StrCat("cannot open ", paths[i]));
  }
  std::ofstream& companies = files[0];
  std::ofstream& persons = files[1];
  std::ofstream& truth = files[2];
  WriteHeader(companies, kCompanyColumns);
  WriteHeader(persons, kPersonColumns);
  truth << "row_key,person_id\n";
  const ProviderStats stats = GenerateProviderRows(
      options,
      [&](const ProviderCompany& row) {
        WriteRow(companies, kCompanyColumns, row);
      },
      [&](const ProviderPerson& row) {
        WriteRow(persons, kPersonColumns, row);
        truth << row.key << ',' << row.person_id << '\n';
      });
  for (size_t i = 0; i < std::size(paths); ++i) {
    files[i].close();
    if (!files[i])
      return absl::InternalError(absl::StrCat("cannot write ", paths[i]));
  }
  return stats;
}

}  // namespace c360

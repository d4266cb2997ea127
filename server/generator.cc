#include "server/generator.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "c360/record.pb.h"
#include "enrich/business_id.h"
#include "server/csv.h"
#include "server/generator_data.h"
#include "server/generator_rng.h"

namespace c360 {
namespace {

using generator_data::BusinessIdKind;
using generator_data::City;
using generator_data::Company;
using generator_data::Country;
using generator_data::FemaleSurname;
using generator_data::GivenName;
using generator_data::Sex;
using generator_data::Street;
using generator_data::Surname;
using generator_internal::Rng;
using generator_internal::UsualSpelling;

constexpr int64_t kSecondsPerDay = 86400;

constexpr absl::CivilDay kEarliestBirth(1940, 1, 1);
constexpr absl::CivilDay kLatestBirth(2005, 12, 31);

// ------------------------------------------------------------------ Text

// Splits UTF-8 into code points so that edits never cut a character.
std::vector<std::string> CodePoints(absl::string_view text) {
  std::vector<std::string> points;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t size = lead >= 0xF0   ? 4
                        : lead >= 0xE0 ? 3
                        : lead >= 0xC0 ? 2
                                       : 1;
    points.emplace_back(text.substr(i, size));
    i += size;
  }
  return points;
}

bool IsCyrillic(absl::string_view point) {
  return point.size() == 2 && (point[0] == '\xD0' || point[0] == '\xD1');
}

std::string FoldDiacritics(absl::string_view text) {
  return absl::StrReplaceAll(
      text, absl::MakeConstSpan(generator_data::kDiacriticFolds));
}

// The lower-case ASCII letters and digits of `text`, as they appear in
// e-mail addresses and handles ("O'Brien" -> "obrien", "Mäkelä" -> "makela").
std::string AsciiWord(absl::string_view text) {
  std::string word;
  for (const char c : FoldDiacritics(text)) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      word.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
    }
  }
  return word;
}

// One substituted, deleted or transposed letter, never the first one (people
// rarely get the initial wrong, and it keeps the capital).
std::string Typo(Rng& rng, absl::string_view word) {
  std::vector<std::string> points = CodePoints(word);
  if (points.size() < 4) return std::string(word);
  const size_t i = 1 + rng.Below(points.size() - 2);
  switch (rng.Below(3)) {
    case 0:
      points[i] =
          IsCyrillic(points[i])
              ? rng.Pick(absl::MakeConstSpan(generator_data::kCyrillicLetters))
              : std::string(1, static_cast<char>('a' + rng.Below(26)));
      break;
    case 1:
      points.erase(points.begin() + i);
      break;
    default:
      std::swap(points[i], points[i + 1]);
  }
  return absl::StrJoin(points, "");
}

// "mikko.virtanen@gmail.com" as some people type it: "Mikko.Virtanen@Gmail.com"
// or all in capitals.
std::string MixedCase(Rng& rng, absl::string_view email) {
  if (rng.Chance(0.2)) return absl::AsciiStrToUpper(email);
  std::string out(email);
  for (size_t i = 0; i < out.size(); ++i) {
    if (i == 0 || out[i - 1] == '.' || out[i - 1] == '@') {
      out[i] = absl::ascii_toupper(static_cast<unsigned char>(out[i]));
    }
  }
  return out;
}

// Fills '#' with a digit, '%' with a non-zero digit and '@' with a letter.
std::string FillTemplate(Rng& rng, absl::string_view pattern) {
  static constexpr absl::string_view kLetters = "ABDEFGHJLNPQRSTUWXYZ";
  std::string out;
  for (const char c : pattern) {
    if (c == '#') {
      out.push_back(static_cast<char>('0' + rng.Below(10)));
    } else if (c == '%') {
      out.push_back(static_cast<char>('1' + rng.Below(9)));
    } else if (c == '@') {
      out.push_back(kLetters[rng.Below(kLetters.size())]);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string SurnameForm(absl::string_view base, FemaleSurname rule, Sex sex,
                        bool cyrillic) {
  if (sex == Sex::kMale) return std::string(base);
  switch (rule) {
    case FemaleSurname::kPolish:
      if (absl::EndsWith(base, "ki")) {
        return absl::StrCat(base.substr(0, base.size() - 1), "a");
      }
      return std::string(base);
    case FemaleSurname::kRussian:
      return absl::StrCat(base, cyrillic ? "а" : "a");
    case FemaleSurname::kSame:
      break;
  }
  return std::string(base);
}

// ---------------------------------------------------------- Business ids

std::string Digits(Rng& rng, int count) {
  std::string digits;
  for (int i = 0; i < count; ++i) {
    digits.push_back(
        static_cast<char>((i == 0 ? '1' : '0') + rng.Below(i == 0 ? 9 : 10)));
  }
  return digits;
}

// The check digit for the digits before it, or -1 when no digit makes the
// number valid.
using CheckDigitFn = int (*)(absl::string_view payload);

// `count` random digits and their check digit; digits that no check digit
// completes are drawn again.
std::string CheckedDigits(Rng& rng, int count, CheckDigitFn check) {
  while (true) {
    const std::string base = Digits(rng, count);
    const int digit = check(base);
    if (digit >= 0) return absl::StrCat(base, digit);
  }
}

// A Russian company INN's check digit: 9 digits weighted 2,4,10,3,5,9,4,6,8,
// mod 11, mod 10 (enrich/ keeps no INN checksum).
int InnCheckDigit(absl::string_view payload) {
  constexpr int kWeights[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
  int sum = 0;
  for (size_t i = 0; i < payload.size(); ++i) {
    sum += (payload[i] - '0') * kWeights[i];
  }
  return sum % 11 % 10;
}

std::string NewBusinessId(Rng& rng, BusinessIdKind kind) {
  switch (kind) {
    case BusinessIdKind::kYTunnus: {
      const std::string id = CheckedDigits(rng, 7, &YTunnusCheckDigit);
      return absl::StrCat(id.substr(0, 7), "-", id.substr(7));
    }
    case BusinessIdKind::kNip:
      return CheckedDigits(rng, 9, &NipCheckDigit);
    case BusinessIdKind::kInn:
      return CheckedDigits(rng, 9, &InnCheckDigit);
    case BusinessIdKind::kOrgNummer: {
      const std::string base = absl::StrCat("556", Digits(rng, 6));
      return absl::StrCat(base.substr(0, 6), "-", base.substr(6),
                          LuhnCheckDigit(base));
    }
    case BusinessIdKind::kCompanyNumber:
      break;
  }
  return absl::StrFormat("%08d", rng.Between(1000000, 14999999));
}

// ---------------------------------------------------------------- People

struct Phone {
  std::string area;  // area code or mobile prefix, without trunk prefix
  std::string subscriber;
};

std::string FormatPhone(const Country& country, const Phone& phone,
                        bool international) {
  const char* const* formats =
      international ? country.international_phone : country.local_phone;
  const std::string pattern = absl::StrReplaceAll(
      formats[phone.subscriber.size() - 6], {{"{a}", phone.area}});
  std::string out;
  size_t next = 0;
  for (const char c : pattern) {
    out.push_back(c == '#' ? phone.subscriber[next++] : c);
  }
  return out;
}

struct Address {
  const City* city = nullptr;
  const Street* street = nullptr;
  std::string postcode;
  std::string house_number;
  std::string house_number_cyrillic;  // Russia only
};

struct Employer {
  const Company* company = nullptr;
  std::string business_id;
  Phone switchboard;
  std::string info_email;
};

// Hard negatives: people that look alike but are not the same person.
enum class Group { kNone, kFamily, kNamesake, kColleague };

struct Person {
  int64_t id = 0;
  const Country* country = nullptr;
  const GivenName* given = nullptr;
  const Surname* surname = nullptr;
  absl::CivilDay birth;
  Address address;
  std::optional<Address> old_address;  // movers: where they lived before
  int64_t moved_at = 0;                // movers: a midnight, Unix seconds
  std::string email;
  std::string family_email;
  std::string work_email;
  std::optional<Phone> mobile;
  std::optional<Phone> landline;
  const Employer* employer = nullptr;
  Group group = Group::kNone;

  Sex sex() const { return given->sex; }
  bool russian() const { return absl::string_view(country->code) == "RU"; }
};

// ------------------------------------------------------- Source profiles

enum class Source { kCrm, kErp, kWebshop, kSocial };
constexpr Source kSources[] = {Source::kCrm, Source::kErp, Source::kWebshop,
                               Source::kSocial};

// What one system holds about a person and how carefully: the chances are
// per record.
struct SourceProfile {
  Source source;
  const char* name;
  double cyrillic;       // a Russian's names and address in Cyrillic
  double nickname;       // the familiar given name instead of the formal
  double ascii_only;     // diacritics dropped
  double typo;           // per name part
  double swapped_names;  // given and family name in each other's fields
  double birth_date;     // present
  double email;          // present
  double phone;          // each phone present
  double address;        // present
  double international;  // a phone in international format
  double email_case;     // the e-mail not in lower case
  bool full_name;        // one name field instead of given and family
  bool street_line;      // house number inside the street field
  bool business;         // keeps work contacts and the employer
  bool business_id;
  bool day_precision;  // observed_at is a date
  size_t max_phones;
};

constexpr SourceProfile kCrm = {Source::kCrm,
                                "crm",
                                /*cyrillic=*/0.0,
                                /*nickname=*/0.12,
                                /*ascii_only=*/0.10,
                                /*typo=*/0.04,
                                /*swapped_names=*/0.02,
                                /*birth_date=*/0.55,
                                /*email=*/0.90,
                                /*phone=*/0.80,
                                /*address=*/0.85,
                                /*international=*/0.50,
                                /*email_case=*/0.30,
                                /*full_name=*/false,
                                /*street_line=*/true,
                                /*business=*/true,
                                /*business_id=*/false,
                                /*day_precision=*/false,
                                /*max_phones=*/2};
constexpr SourceProfile kErp = {Source::kErp,           "erp",
                                /*cyrillic=*/0.85,      /*nickname=*/0.0,
                                /*ascii_only=*/0.25,    /*typo=*/0.03,
                                /*swapped_names=*/0.0,
                                /*birth_date=*/0.70,    /*email=*/0.70,
                                /*phone=*/0.85,         /*address=*/0.97,
                                /*international=*/0.30, /*email_case=*/0.15,
                                /*full_name=*/true,
                                /*street_line=*/false,  /*business=*/true,
                                /*business_id=*/true,
                                /*day_precision=*/true, /*max_phones=*/1};
// An ASCII-only legacy shop; accounts are keyed by e-mail.
constexpr SourceProfile kWebshop = {
    Source::kWebshop,        "webshop",          /*cyrillic=*/0.0,
    /*nickname=*/0.08,
    /*ascii_only=*/0.50,     /*typo=*/0.05,      /*swapped_names=*/0.03,
    /*birth_date=*/0.45,     /*email=*/1.0,      /*phone=*/0.60,
    /*address=*/0.90,
    /*international=*/0.60,  /*email_case=*/0.0, /*full_name=*/false,
    /*street_line=*/true,    /*business=*/false, /*business_id=*/false,
    /*day_precision=*/false, /*max_phones=*/1};

const SourceProfile& ProfileOf(Source source) {
  return source == Source::kCrm   ? kCrm
         : source == Source::kErp ? kErp
                                  : kWebshop;
}

constexpr double kCrmDuplicate = 0.05;
constexpr double kMissingAddressPart = 0.04;

// ------------------------------------------------------------- Generator

class Generator {
 public:
  Generator(const GeneratorOptions& options,
            const std::function<void(const GeneratedRecord&)>& sink);

  GeneratorStats Run();

 private:
  // People, one household or hard-negative group at a time.
  std::vector<Person> NextUnit(int64_t remaining);
  std::vector<Person> Family(const Country& country, int size);
  std::vector<Person> Namesakes(const Country& country);
  std::vector<Person> Colleagues(const Country& country, int size);
  Person NewIdentity(const Country& country);
  void AddContacts(Person& person);
  const Country& RandomCountry();
  const GivenName& RandomGiven(const Country& country, Sex sex);
  absl::CivilDay RandomDay(absl::CivilDay first, absl::CivilDay last);
  Address NewAddress(const Country& country, const City& city);
  Phone NewLandline(const City& city);
  Phone NewMobile(const Country& country);
  Phone NewPhone(absl::string_view area, int digits,
                 absl::string_view first_digits);
  std::string NewEmail(absl::string_view local, absl::string_view domain);
  std::string PersonalEmail(const Person& person);
  std::string FamilyEmail(const Person& head);
  Employer NewEmployer(const Country& country, const Company& company);

  // Records.
  void Emit(const Person& person);
  void EmitRecord(const Person& person, SourceRecord record, Source source,
                  bool old_address);
  SourceRecord ProfileRecord(const Person& person, const SourceProfile& profile,
                             bool old_address);
  SourceRecord SocialRecord(const Person& person);
  void AddName(const Person& person, const SourceProfile& profile,
               bool cyrillic, SourceRecord* record);
  void AddEmail(const Person& person, const SourceProfile& profile,
                SourceRecord* record);
  void AddPhones(const Person& person, const SourceProfile& profile,
                 SourceRecord* record);
  void AddAddress(const Person& person, const SourceProfile& profile,
                  bool cyrillic, bool old_address, SourceRecord* record);
  void AddEmployer(const Person& person, const SourceProfile& profile,
                   bool cyrillic, SourceRecord* record);
  void AddAttributes(Source source, SourceRecord* record);
  std::string LatinGiven(const Person& person, double nickname);
  std::string LatinFamily(const Person& person);
  std::string Handle(const Person& person, absl::string_view platform);
  std::string DisplayName(const Person& person, absl::string_view platform);
  std::string NextSourceId(Source source);

  const GeneratorOptions options_;
  const std::function<void(const GeneratedRecord&)>& sink_;
  Rng rng_;
  // Per country (parallel to kCountries); never resized, so pointers hold.
  std::vector<std::vector<Employer>> employers_;
  // E-mail addresses, phone numbers and social ids already given out: two
  // people share one only when the data says so (a family, a company).
  absl::flat_hash_set<std::string> taken_;
  int64_t next_person_id_ = 1;
  int64_t crm_sequence_ = 0;
  int64_t erp_sequence_ = 100000;
  int64_t webshop_sequence_ = 10000;
  GeneratorStats stats_;
};

Generator::Generator(const GeneratorOptions& options,
                     const std::function<void(const GeneratedRecord&)>& sink)
    : options_(options), sink_(sink), rng_(options.seed) {
  crm_sequence_ = rng_.Between(1000000, 9000000);
  for (const Country& country : generator_data::kCountries) {
    std::vector<Employer>& employers = employers_.emplace_back();
    for (const Company& company : country.companies) {
      employers.push_back(NewEmployer(country, company));
    }
  }
}

GeneratorStats Generator::Run() {
  while (stats_.people < options_.people) {
    for (const Person& person : NextUnit(options_.people - stats_.people)) {
      Emit(person);
      ++stats_.people;
    }
  }
  return stats_;
}

std::vector<Person> Generator::NextUnit(int64_t remaining) {
  const Country& country = RandomCountry();
  const int group_size =
      static_cast<int>(std::min<int64_t>(remaining, rng_.Between(2, 4)));
  if (remaining >= 2) {
    const uint64_t roll = rng_.Below(1000);
    if (roll < 30) return Family(country, group_size);
    if (roll < 50) return Namesakes(country);
    if (roll < 75) return Colleagues(country, group_size);
  }
  Person person = NewIdentity(country);
  AddContacts(person);
  return {person};
}

// Parents, and children who sometimes carry a parent's given name.
std::vector<Person> Generator::Family(const Country& country, int size) {
  Person head = NewIdentity(country);
  // Old enough for children born 22-30 years later by kLatestBirth.
  head.birth = RandomDay(absl::CivilDay(1945, 1, 1), kLatestBirth - 30 * 366);
  head.group = Group::kFamily;
  head.landline = NewLandline(*head.address.city);
  if (rng_.Chance(0.5)) head.family_email = FamilyEmail(head);
  std::vector<Person> family = {head};
  for (int i = 1; i < size; ++i) {
    Person member = head;
    member.id = next_person_id_++;
    if (i == 1 && rng_.Chance(0.7)) {
      const Sex sex = head.sex() == Sex::kMale ? Sex::kFemale : Sex::kMale;
      member.given = &RandomGiven(country, sex);
      member.birth = head.birth + rng_.Between(-2500, 2500);
    } else {
      const Sex sex = rng_.Chance(0.5) ? Sex::kMale : Sex::kFemale;
      const bool junior = sex == head.sex() && rng_.Chance(0.3);
      member.given = junior ? head.given : &RandomGiven(country, sex);
      member.birth = head.birth + rng_.Between(22 * 365, 30 * 365);
    }
    family.push_back(member);
  }
  for (Person& member : family) AddContacts(member);
  return family;
}

// The same full name in the same city, born on different days.
std::vector<Person> Generator::Namesakes(const Country& country) {
  Person first = NewIdentity(country);
  first.group = Group::kNamesake;
  Person second = first;
  second.id = next_person_id_++;
  second.address = NewAddress(country, *first.address.city);
  while (second.birth == first.birth) {
    second.birth = RandomDay(kEarliestBirth, kLatestBirth);
  }
  std::vector<Person> namesakes = {first, second};
  for (Person& person : namesakes) AddContacts(person);
  return namesakes;
}

// Different people behind one company's switchboard and info@ address.
std::vector<Person> Generator::Colleagues(const Country& country, int size) {
  const auto& employers = employers_[&country - generator_data::kCountries];
  const Employer& employer = employers[rng_.Below(employers.size())];
  std::vector<Person> colleagues;
  for (int i = 0; i < size; ++i) {
    Person person = NewIdentity(country);
    person.group = Group::kColleague;
    person.employer = &employer;
    AddContacts(person);
    colleagues.push_back(std::move(person));
  }
  return colleagues;
}

Person Generator::NewIdentity(const Country& country) {
  Person person;
  person.id = next_person_id_++;
  person.country = &country;
  person.given = &rng_.Pick(country.given_names);
  person.surname = &rng_.Pick(country.surnames);
  person.birth = RandomDay(kEarliestBirth, kLatestBirth);
  person.address = NewAddress(country, rng_.Pick(country.cities));
  return person;
}

// Own contacts, an employer, and a previous address for some.
void Generator::AddContacts(Person& person) {
  const Country& country = *person.country;
  person.email = PersonalEmail(person);
  if (rng_.Chance(0.9)) {
    person.mobile = NewMobile(country);
  }
  if (!person.landline && rng_.Chance(0.2)) {
    person.landline = NewLandline(*person.address.city);
  }
  if (person.employer == nullptr && rng_.Chance(0.25)) {
    const auto& employers = employers_[&country - generator_data::kCountries];
    person.employer = &employers[rng_.Below(employers.size())];
  }
  if (person.employer != nullptr && rng_.Chance(0.6)) {
    person.work_email =
        NewEmail(absl::StrCat(AsciiWord(UsualSpelling(person.given->latin)),
                              ".", AsciiWord(LatinFamily(person))),
                 person.employer->company->domain);
  }
  // Only people outside the hard-negative groups move, so that a family's
  // shared address and the namesakes' shared city hold in every source.
  if (person.group == Group::kNone && rng_.Chance(0.12)) {
    const City& city =
        rng_.Chance(0.5) ? *person.address.city : rng_.Pick(country.cities);
    person.old_address = NewAddress(country, city);
    const int64_t days =
        (kLastObservation - kFirstObservation) / kSecondsPerDay;
    person.moved_at =
        kFirstObservation + rng_.Between(90, days - 30) * kSecondsPerDay;
  }
}

const Country& Generator::RandomCountry() {
  int roll = static_cast<int>(rng_.Below(100));
  for (const Country& country : generator_data::kCountries) {
    if (roll < country.percent) return country;
    roll -= country.percent;
  }
  return generator_data::kCountries[0];
}

const GivenName& Generator::RandomGiven(const Country& country, Sex sex) {
  while (true) {
    const GivenName& given = rng_.Pick(country.given_names);
    if (given.sex == sex) return given;
  }
}

absl::CivilDay Generator::RandomDay(absl::CivilDay first, absl::CivilDay last) {
  return first + rng_.Between(0, last - first);
}

Address Generator::NewAddress(const Country& country, const City& city) {
  Address address;
  address.city = &city;
  address.street = &rng_.Pick(country.streets);
  address.postcode = FillTemplate(rng_, rng_.Variant(city.postcodes));
  const std::vector<absl::string_view> formats =
      absl::StrSplit(country.house_numbers, '|');
  const size_t format = rng_.Below(formats.size());
  const std::string letter(1, static_cast<char>('A' + rng_.Below(6)));
  const std::vector<std::pair<std::string, std::string>> parts = {
      {"{n}", absl::StrCat(rng_.Between(1, 120))},
      {"{l}", letter},
      {"{apt}", absl::StrCat(rng_.Between(1, 90))}};
  address.house_number = absl::StrReplaceAll(formats[format], parts);
  address.house_number_cyrillic =
      absl::StrReplaceAll(country.house_numbers_cyrillic, parts);
  return address;
}

Phone Generator::NewLandline(const City& city) {
  return NewPhone(city.area_code, city.subscriber_digits, city.first_digits);
}

Phone Generator::NewMobile(const Country& country) {
  return NewPhone(rng_.Pick(country.mobile_prefixes), country.mobile_digits,
                  "123456789");
}

Phone Generator::NewPhone(absl::string_view area, int digits,
                          absl::string_view first_digits) {
  Phone phone{std::string(area), ""};
  do {
    phone.subscriber =
        absl::StrCat(first_digits.substr(rng_.Below(first_digits.size()), 1),
                     FillTemplate(rng_, std::string(digits - 1, '#')));
  } while (!taken_.insert(absl::StrCat("tel:", phone.area, phone.subscriber))
                .second);
  return phone;
}

std::string Generator::NewEmail(absl::string_view local,
                                absl::string_view domain) {
  std::string email = absl::StrCat(local, "@", domain);
  while (!taken_.insert(email).second) {
    email = absl::StrCat(local, rng_.Between(1, 99), "@", domain);
  }
  return email;
}

std::string Generator::PersonalEmail(const Person& person) {
  const std::string given = AsciiWord(UsualSpelling(person.given->latin));
  const std::string family = AsciiWord(LatinFamily(person));
  const std::string year = absl::StrFormat("%02d", person.birth.year() % 100);
  const std::string locals[] = {absl::StrCat(given, ".", family),
                                absl::StrCat(given, family),
                                absl::StrCat(given.substr(0, 1), family),
                                absl::StrCat(given, ".", family, year),
                                absl::StrCat(family, ".", given),
                                absl::StrCat(given, "_", family)};
  const absl::string_view domain =
      rng_.Chance(0.55)
          ? rng_.Pick(absl::MakeConstSpan(generator_data::kGlobalDomains))
          : rng_.Pick(person.country->email_domains);
  return NewEmail(locals[rng_.Below(std::size(locals))], domain);
}

// "virtasen.perhe@", "kowalscy@", "familjen.andersson@", "thesmiths@".
std::string Generator::FamilyEmail(const Person& head) {
  const std::string name = AsciiWord(UsualSpelling(head.surname->latin));
  const absl::string_view country = head.country->code;
  std::string local = absl::StrCat("the", name, "s");
  if (country == "FI") {
    local = absl::EndsWith(name, "nen")
                ? absl::StrCat(name.substr(0, name.size() - 3), "sen.perhe")
                : absl::StrCat("perhe.", name);
  } else if (country == "PL") {
    local = absl::EndsWith(name, "ki")
                ? absl::StrCat(name.substr(0, name.size() - 2), "cy")
                : absl::StrCat(name, "owie");
  } else if (country == "SE") {
    local = absl::StrCat("familjen.", name);
  } else if (country == "RU") {
    local = absl::StrCat("semya.", name, "y");
  }
  return NewEmail(local, rng_.Pick(head.country->email_domains));
}

Employer Generator::NewEmployer(const Country& country,
                                const Company& company) {
  const City& city = rng_.Pick(country.cities);
  Employer employer;
  employer.company = &company;
  employer.business_id = NewBusinessId(rng_, country.business_id);
  employer.switchboard = NewLandline(city);
  employer.info_email = NewEmail("info", company.domain);
  return employer;
}

// ------------------------------------------------------------- Records

void Generator::Emit(const Person& person) {
  std::vector<Source> sources(std::begin(kSources), std::end(kSources));
  for (size_t i = sources.size() - 1; i > 0; --i) {
    std::swap(sources[i], sources[rng_.Below(i + 1)]);
  }
  // Percentages of people in 1, 2, 3 and 4 sources.
  static constexpr uint64_t kCountWeights[] = {30, 35, 25, 10};
  size_t count = 1;
  for (uint64_t roll = rng_.Below(100); roll >= kCountWeights[count - 1];
       ++count) {
    roll -= kCountWeights[count - 1];
  }
  sources.resize(count);
  std::sort(sources.begin(), sources.end());

  // A mover's old address lives on in one source if another has the new one.
  // Social, the one source without addresses, sorts last.
  const size_t with_address =
      sources.size() -
      std::count(sources.begin(), sources.end(), Source::kSocial);
  const size_t stale = person.old_address && with_address >= 2
                           ? rng_.Below(with_address)
                           : with_address;
  for (size_t i = 0; i < sources.size(); ++i) {
    const Source source = sources[i];
    if (source == Source::kSocial) {
      EmitRecord(person, SocialRecord(person), source, false);
      continue;
    }
    const SourceProfile& profile = ProfileOf(source);
    const bool old = i == stale;
    EmitRecord(person, ProfileRecord(person, profile, old), source, old);
    if (source == Source::kCrm && rng_.Chance(kCrmDuplicate)) {
      EmitRecord(person, ProfileRecord(person, profile, false), source, false);
    }
  }
}

// Stamps the record and hands it to the sink. A mover's records with the old
// address predate the move, the others follow it.
void Generator::EmitRecord(const Person& person, SourceRecord record,
                           Source source, bool old_address) {
  int64_t first = kFirstObservation;
  int64_t last = kLastObservation;
  if (person.old_address && old_address) {
    last = person.moved_at - 1;
  } else if (person.old_address) {
    first = person.moved_at;
  }
  int64_t seconds = rng_.Between(first, last);
  if (source != Source::kSocial && ProfileOf(source).day_precision) {
    seconds -= seconds % kSecondsPerDay;
  }
  record.mutable_observed_at()->set_seconds(seconds);
  AddAttributes(source, &record);

  GeneratedRecord generated;
  generated.record = std::move(record);
  generated.person_id = person.id;
  sink_(generated);
  // Indexed by Source.
  static constexpr int64_t GeneratorStats::*kCounters[] = {
      &GeneratorStats::crm, &GeneratorStats::erp, &GeneratorStats::webshop,
      &GeneratorStats::social};
  ++stats_.records;
  ++(stats_.*kCounters[static_cast<int>(source)]);
}

SourceRecord Generator::ProfileRecord(const Person& person,
                                      const SourceProfile& profile,
                                      bool old_address) {
  SourceRecord record;
  record.set_source(profile.name);
  record.set_source_id(NextSourceId(profile.source));
  const bool cyrillic = person.russian() && rng_.Chance(profile.cyrillic);
  AddName(person, profile, cyrillic, &record);
  AddEmail(person, profile, &record);
  AddPhones(person, profile, &record);
  AddAddress(person, profile, cyrillic, old_address, &record);
  if (rng_.Chance(profile.birth_date)) {
    record.set_birth_date(absl::FormatCivilTime(person.birth));
  }
  AddEmployer(person, profile, cyrillic, &record);
  if (!cyrillic && rng_.Chance(profile.ascii_only)) {
    for (PersonName& name : *record.mutable_names()) {
      name.set_given(FoldDiacritics(name.given()));
      name.set_family(FoldDiacritics(name.family()));
      name.set_full(FoldDiacritics(name.full()));
    }
    for (PostalAddress& address : *record.mutable_addresses()) {
      address.set_street(FoldDiacritics(address.street()));
      address.set_city(FoldDiacritics(address.city()));
    }
    record.set_organization(FoldDiacritics(record.organization()));
  }
  return record;
}

void Generator::AddName(const Person& person, const SourceProfile& profile,
                        bool cyrillic, SourceRecord* record) {
  std::string given =
      cyrillic ? person.given->cyrillic : LatinGiven(person, profile.nickname);
  std::string family =
      cyrillic ? SurnameForm(person.surname->cyrillic,
                             person.country->female_surname, person.sex(), true)
               : LatinFamily(person);
  if (rng_.Chance(profile.typo)) given = Typo(rng_, given);
  if (rng_.Chance(profile.typo)) family = Typo(rng_, family);
  PersonName* name = record->add_names();
  if (profile.full_name) {
    // Russian documents and many ERPs put the family name first.
    name->set_full(cyrillic || rng_.Chance(0.3)
                       ? absl::StrCat(family, " ", given)
                       : absl::StrCat(given, " ", family));
    return;
  }
  if (rng_.Chance(profile.swapped_names)) std::swap(given, family);
  name->set_given(given);
  name->set_family(family);
}

void Generator::AddEmail(const Person& person, const SourceProfile& profile,
                         SourceRecord* record) {
  if (!rng_.Chance(profile.email)) return;
  std::string email = person.email;
  if (!person.family_email.empty() && rng_.Chance(0.35)) {
    email = person.family_email;
  }
  if (profile.business && !person.work_email.empty() && rng_.Chance(0.5)) {
    email = person.work_email;
  }
  if (profile.business && person.group == Group::kColleague &&
      rng_.Chance(0.4)) {
    email = person.employer->info_email;
  }
  record->add_emails(rng_.Chance(profile.email_case) ? MixedCase(rng_, email)
                                                     : email);
}

// The fixed line first (a CRM's "Phone"), then the mobile.
void Generator::AddPhones(const Person& person, const SourceProfile& profile,
                          SourceRecord* record) {
  std::vector<Phone> phones;
  if (person.group == Group::kColleague && profile.business &&
      rng_.Chance(0.7)) {
    phones.push_back(person.employer->switchboard);
  } else if (person.landline && rng_.Chance(profile.phone)) {
    phones.push_back(*person.landline);
  }
  if (person.mobile && rng_.Chance(profile.phone)) {
    phones.push_back(*person.mobile);
  }
  while (phones.size() > profile.max_phones) {
    phones.erase(phones.begin() + rng_.Below(phones.size()));
  }
  for (const Phone& phone : phones) {
    record->add_phones(FormatPhone(*person.country, phone,
                                   rng_.Chance(profile.international)));
  }
}

// The country is always there: it is the region of local phone numbers.
void Generator::AddAddress(const Person& person, const SourceProfile& profile,
                           bool cyrillic, bool old_address,
                           SourceRecord* record) {
  PostalAddress* out = record->add_addresses();
  out->set_country(person.country->code);
  if (!rng_.Chance(profile.address)) return;
  const Address& address = old_address ? *person.old_address : person.address;
  std::string street =
      cyrillic ? address.street->cyrillic : address.street->latin;
  std::string house =
      cyrillic ? address.house_number_cyrillic : address.house_number;
  if (profile.street_line) {
    street = absl::StrReplaceAll(person.country->street_line,
                                 {{"{s}", street}, {"{h}", house}});
    house.clear();
  }
  if (!rng_.Chance(kMissingAddressPart)) {
    out->set_street(street);
    out->set_house_number(house);
  }
  if (!rng_.Chance(kMissingAddressPart)) out->set_postcode(address.postcode);
  if (!rng_.Chance(kMissingAddressPart)) {
    out->set_city(cyrillic ? address.city->cyrillic
                           : rng_.Spelling(address.city->latin));
  }
}

void Generator::AddEmployer(const Person& person, const SourceProfile& profile,
                            bool cyrillic, SourceRecord* record) {
  if (person.employer == nullptr || !profile.business) return;
  const Company& company = *person.employer->company;
  if (rng_.Chance(0.8)) {
    record->set_organization(cyrillic ? company.cyrillic : company.latin);
  }
  if (!profile.business_id || !rng_.Chance(0.85)) return;
  std::string id = person.employer->business_id;
  // Some clerks type the EU VAT number instead ("FI12345678").
  const BusinessIdKind kind = person.country->business_id;
  if ((kind == BusinessIdKind::kYTunnus || kind == BusinessIdKind::kNip) &&
      rng_.Chance(0.25)) {
    id = absl::StrCat(person.country->code,
                      absl::StrReplaceAll(id, {{"-", ""}}));
  }
  record->set_business_id(id);
}

void Generator::AddAttributes(Source source, SourceRecord* record) {
  auto& attributes = *record->mutable_attributes();
  if (source == Source::kCrm && rng_.Chance(0.9)) {
    attributes["lead_source"] =
        rng_.Pick(absl::MakeConstSpan(generator_data::kLeadSources));
  } else if (source == Source::kWebshop) {
    attributes["newsletter"] = rng_.Chance(0.4) ? "true" : "false";
  }
}

std::string Generator::LatinGiven(const Person& person, double nickname) {
  if (*person.given->nickname != '\0' && rng_.Chance(nickname)) {
    return person.given->nickname;
  }
  return rng_.Spelling(person.given->latin);
}

std::string Generator::LatinFamily(const Person& person) {
  return SurnameForm(rng_.Spelling(person.surname->latin),
                     person.country->female_surname, person.sex(), false);
}

SourceRecord Generator::SocialRecord(const Person& person) {
  static constexpr const char* kPlatforms[] = {"instagram", "instagram", "x",
                                               "linkedin"};
  const std::string platform = person.russian() && rng_.Chance(0.6)
                                   ? "vk"
                                   : rng_.Pick(absl::MakeConstSpan(kPlatforms));
  const std::string handle = Handle(person, platform);
  SourceRecord record;
  record.set_source("social");
  record.set_source_id(absl::StrCat(platform, ":", handle));
  SocialHandle* social = record.add_social_handles();
  social->set_platform(platform);
  social->set_handle(handle);
  social->set_display_name(DisplayName(person, platform));
  if (rng_.Chance(0.3)) record.add_emails(person.email);
  return record;
}

// "mikko_virtanen84", "mvirtanen", "kasia.nowak", "id123456789" (vk).
std::string Generator::Handle(const Person& person,
                              absl::string_view platform) {
  std::string handle;
  if (platform == "vk" && rng_.Chance(0.4)) {
    handle = absl::StrCat("id", rng_.Between(100000, 799999999));
  } else {
    const std::string given = AsciiWord(LatinGiven(person, 0.3));
    const std::string family = AsciiWord(LatinFamily(person));
    const std::string separator = platform == "x"          ? "_"
                                  : platform == "linkedin" ? "-"
                                  : rng_.Chance(0.5)       ? "."
                                                           : "_";
    switch (rng_.Below(4)) {
      case 0:
        handle = absl::StrCat(given, separator, family);
        break;
      case 1:
        handle = absl::StrCat(given.substr(0, 1), family);
        break;
      case 2:
        handle =
            absl::StrCat(given, separator, family,
                         absl::StrFormat("%02d", person.birth.year() % 100));
        break;
      default:
        handle = absl::StrCat(family, separator, given);
    }
  }
  const std::string base = handle;
  while (!taken_.insert(absl::StrCat(platform, ":", handle)).second) {
    handle = absl::StrCat(base, rng_.Between(1, 999));
  }
  return handle;
}

// "Mikko V.", "Mikko Virtanen", "Kasia", or Cyrillic on vk.
std::string Generator::DisplayName(const Person& person,
                                   absl::string_view platform) {
  if (platform == "vk" && rng_.Chance(0.6)) {
    return absl::StrCat(
        person.given->cyrillic, " ",
        SurnameForm(person.surname->cyrillic, person.country->female_surname,
                    person.sex(), true));
  }
  const std::string given = LatinGiven(person, 0.3);
  const std::string family = LatinFamily(person);
  switch (rng_.Below(4)) {
    case 0:
      return absl::StrCat(given, " ", CodePoints(family)[0], ".");
    case 1:
      return given;
    default:
      return absl::StrCat(given, " ", family);
  }
}

// Each system's own key style: Salesforce ids, SAP customer numbers, web-shop
// user numbers.
std::string Generator::NextSourceId(Source source) {
  static constexpr absl::string_view kBase62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  switch (source) {
    case Source::kCrm: {
      crm_sequence_ += rng_.Between(1, 40);
      std::string id = "0037R0000";
      for (int64_t n = crm_sequence_, i = 0; i < 6; ++i, n /= 62) {
        id.insert(9, 1, kBase62[n % 62]);
      }
      return id;
    }
    case Source::kErp:
      erp_sequence_ += rng_.Between(1, 3);
      return absl::StrFormat("%010d", erp_sequence_);
    case Source::kWebshop:
      webshop_sequence_ += rng_.Between(1, 15);
      return absl::StrCat("u", webshop_sequence_);
    case Source::kSocial:  // "<platform>:<handle>", made by SocialRecord
      break;
  }
  return "";
}

// ------------------------------------------------------------ CSV files

using Getter = std::function<std::string(const SourceRecord&)>;

struct Column {
  const char* header;
  Getter value;
};

// One source file's layout; data/mappings/<file stem>.map reads it back.
struct Layout {
  const char* source;
  const char* file;
  char delimiter;
  std::vector<Column> columns;
};

const PersonName& PrimaryName(const SourceRecord& record) {
  return record.names().empty() ? PersonName::default_instance()
                                : record.names(0);
}

const PostalAddress& PrimaryAddress(const SourceRecord& record) {
  return record.addresses().empty() ? PostalAddress::default_instance()
                                    : record.addresses(0);
}

std::string Nth(const google::protobuf::RepeatedPtrField<std::string>& values,
                int i) {
  return i < values.size() ? values[i] : "";
}

// "1984-03-07" -> "07.03.1984" for format "%d.%m.%Y".
std::string BirthDateAs(const SourceRecord& record, const char* format) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(record.birth_date(), &day)) return "";
  return absl::FormatTime(format, absl::FromCivil(day, absl::UTCTimeZone()),
                          absl::UTCTimeZone());
}

std::string ObservedAs(const SourceRecord& record, const char* format) {
  return absl::FormatTime(format,
                          absl::FromUnixSeconds(record.observed_at().seconds()),
                          absl::UTCTimeZone());
}

std::string Attribute(const SourceRecord& record, const std::string& key) {
  const auto it = record.attributes().find(key);
  return it == record.attributes().end() ? "" : it->second;
}

std::vector<Layout> Layouts() {
  using R = const SourceRecord&;
  return {
      {"crm",
       "crm_contacts.csv",
       ',',
       {{"Id", [](R r) { return r.source_id(); }},
        {"FirstName", [](R r) { return PrimaryName(r).given(); }},
        {"LastName", [](R r) { return PrimaryName(r).family(); }},
        {"Email", [](R r) { return Nth(r.emails(), 0); }},
        {"Phone", [](R r) { return Nth(r.phones(), 0); }},
        {"MobilePhone", [](R r) { return Nth(r.phones(), 1); }},
        {"MailingStreet", [](R r) { return PrimaryAddress(r).street(); }},
        {"MailingPostalCode", [](R r) { return PrimaryAddress(r).postcode(); }},
        {"MailingCity", [](R r) { return PrimaryAddress(r).city(); }},
        {"MailingCountry", [](R r) { return PrimaryAddress(r).country(); }},
        {"Birthdate", [](R r) { return r.birth_date(); }},
        {"AccountName", [](R r) { return r.organization(); }},
        {"LastModifiedDate",
         [](R r) { return ObservedAs(r, "%Y-%m-%dT%H:%M:%E3SZ"); }},
        {"LeadSource", [](R r) { return Attribute(r, "lead_source"); }}}},
      {"erp",
       "erp_customers.csv",
       ';',
       {{"KUNNR", [](R r) { return r.source_id(); }},
        {"NAME1", [](R r) { return PrimaryName(r).full(); }},
        {"STRAS", [](R r) { return PrimaryAddress(r).street(); }},
        {"HAUSNR", [](R r) { return PrimaryAddress(r).house_number(); }},
        {"PSTLZ", [](R r) { return PrimaryAddress(r).postcode(); }},
        {"ORT01", [](R r) { return PrimaryAddress(r).city(); }},
        {"LAND1", [](R r) { return PrimaryAddress(r).country(); }},
        {"TELF1", [](R r) { return Nth(r.phones(), 0); }},
        {"SMTP_ADDR", [](R r) { return Nth(r.emails(), 0); }},
        {"GEBDAT", [](R r) { return BirthDateAs(r, "%d.%m.%Y"); }},
        {"STCD1", [](R r) { return r.business_id(); }},
        {"FIRMA", [](R r) { return r.organization(); }},
        {"AEDAT", [](R r) { return ObservedAs(r, "%Y-%m-%d"); }}}},
      {"webshop",
       "webshop_accounts.csv",
       ',',
       {{"account_id", [](R r) { return r.source_id(); }},
        {"email", [](R r) { return Nth(r.emails(), 0); }},
        {"first_name", [](R r) { return PrimaryName(r).given(); }},
        {"last_name", [](R r) { return PrimaryName(r).family(); }},
        {"phone", [](R r) { return Nth(r.phones(), 0); }},
        {"street", [](R r) { return PrimaryAddress(r).street(); }},
        {"zip", [](R r) { return PrimaryAddress(r).postcode(); }},
        {"city", [](R r) { return PrimaryAddress(r).city(); }},
        {"country", [](R r) { return PrimaryAddress(r).country(); }},
        {"date_of_birth", [](R r) { return BirthDateAs(r, "%d/%m/%Y"); }},
        {"created_at", [](R r) { return ObservedAs(r, "%Y-%m-%dT%H:%M:%SZ"); }},
        {"newsletter", [](R r) { return Attribute(r, "newsletter"); }}}},
      {"social",
       "social_handles.csv",
       ',',
       {{"profile_id", [](R r) { return r.source_id(); }},
        {"platform", [](R r) { return r.social_handles(0).platform(); }},
        {"handle", [](R r) { return r.social_handles(0).handle(); }},
        {"display_name",
         [](R r) { return r.social_handles(0).display_name(); }},
        {"email", [](R r) { return Nth(r.emails(), 0); }},
        {"scraped_at",
         [](R r) { return ObservedAs(r, "%Y-%m-%dT%H:%M:%S+00:00"); }}}},
  };
}

void WriteRow(std::ostream& out, char delimiter,
              const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out << delimiter;
    out << csv_internal::CsvField(values[i], delimiter);
  }
  out << '\n';
}

std::vector<std::string> Headers(const Layout& layout) {
  std::vector<std::string> headers;
  for (const Column& column : layout.columns) headers.push_back(column.header);
  return headers;
}

std::vector<std::string> Values(const Layout& layout,
                                const SourceRecord& record) {
  std::vector<std::string> values;
  for (const Column& column : layout.columns)
    values.push_back(column.value(record));
  return values;
}

}  // namespace

GeneratorStats GenerateRecords(
    const GeneratorOptions& options,
    const std::function<void(const GeneratedRecord&)>& sink) {
  return Generator(options, sink).Run();
}

void ForEachGeneratedPerson(
    const GeneratorOptions& options,
    const std::function<void(int64_t person_id,
                             const std::vector<SourceRecord>& records)>& each) {
  std::vector<SourceRecord> records;
  int64_t person_id = 0;
  GenerateRecords(options, [&](const GeneratedRecord& generated) {
    if (generated.person_id != person_id && !records.empty()) {
      each(person_id, records);
      records.clear();
    }
    person_id = generated.person_id;
    records.push_back(generated.record);
  });
  if (!records.empty()) each(person_id, records);
}

absl::StatusOr<GeneratorStats> WriteSampleFiles(
    const GeneratorOptions& options, const std::string& out_dir,
    const std::function<void(int64_t person_id)>& progress) {
  std::error_code error;
  std::filesystem::create_directories(out_dir, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot create ", out_dir, ": ", error.message()));
  }
  const std::vector<Layout> layouts = Layouts();
  std::vector<std::string> paths;
  for (const Layout& layout : layouts) {
    paths.push_back((std::filesystem::path(out_dir) / layout.file).string());
  }
  paths.push_back((std::filesystem::path(out_dir) / "truth.csv").string());
  std::vector<std::ofstream> files;
  for (const std::string& path : paths) {
    files.emplace_back(path, std::ios::binary | std::ios::trunc);
    if (!files.back())
      return absl::InternalError(absl::StrCat("cannot open ", path));
  }
  std::ofstream& truth = files.back();
  for (size_t i = 0; i < layouts.size(); ++i) {
    WriteRow(files[i], layouts[i].delimiter, Headers(layouts[i]));
  }
  WriteRow(truth, ',', {"source", "source_id", "person_id"});

  const GeneratorStats stats =
      GenerateRecords(options, [&](const GeneratedRecord& generated) {
        const SourceRecord& record = generated.record;
        for (size_t i = 0; i < layouts.size(); ++i) {
          if (record.source() != layouts[i].source) continue;
          WriteRow(files[i], layouts[i].delimiter, Values(layouts[i], record));
        }
        WriteRow(truth, ',',
                 {record.source(), record.source_id(),
                  absl::StrCat(generated.person_id)});
        if (progress) progress(generated.person_id);
      });
  for (size_t i = 0; i < files.size(); ++i) {
    files[i].close();
    if (!files[i])
      return absl::InternalError(absl::StrCat("cannot write ", paths[i]));
  }
  return stats;
}

}  // namespace c360

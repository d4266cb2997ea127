// Graded field comparisons for the probabilistic match model: each field of
// two records is compared into one of a few ordered levels ("exact",
// "nickname", "fuzzy_92", ..., "different"), and the match model weighs each
// level by how much more often it occurs between records of one person than
// between records of different people.
//
// Level 0 of every field is "missing" (a side has no value): it carries no
// evidence. Comparators are immutable after construction and thread-safe.
#ifndef C360_RESOLVER_COMPARISON_H_
#define C360_RESOLVER_COMPARISON_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/record.pb.h"
#include "c360/storage.pb.h"
#include "resolver/normalized_record.h"

namespace c360 {

// The compared fields, in the order of a ComparisonVector.
enum ComparisonField : int {
  kGivenNameField,
  kFamilyNameField,
  kBirthDateField,
  kSocSecIdField,
  kEmailField,
  kPhoneField,
  kStreetField,
  kHouseNumberField,
  kAddressLine2Field,
  kCityField,
  kPostcodeField,
  kRegionField,
  kBusinessIdField,
  kSocialField,
  kNumComparisonFields,
};

inline constexpr uint8_t kMissingLevel = 0;

// One field's name and its level names; levels[0] is "missing" and the rest
// go from the strongest agreement to "different".
struct FieldSchema {
  std::string name;
  std::vector<std::string> levels;
};

// The schema of every field, indexed by ComparisonField.
const std::vector<FieldSchema>& ComparisonSchema();

// The level index of `level` in `field`'s schema, or -1.
int LevelIndex(ComparisonField field, absl::string_view level);

// One comparison level per field.
using ComparisonVector = std::array<uint8_t, kNumComparisonFields>;

// Source attributes the comparison reads (SourceRecord.attributes keys).
inline constexpr char kSocSecIdAttribute[] = "soc_sec_id";
inline constexpr char kAddressLine2Attribute[] = "address_2";
inline constexpr char kRegionAttribute[] = "state";

// A record in the forms the comparisons need, computed once per record.
// Names are folded (FoldNameVariants) so that transliterations meet.
struct ComparableRecord {
  NormalizedRecord normalized;
  std::string given;   // given + middle tokens of the first name, joined
  std::string family;  // family tokens of the first name, joined
  std::vector<std::string> given_tokens;
  std::vector<std::string> family_tokens;
  // Birth date digits as written ("19840503", "198405", "1984"), kept even
  // when the date is impossible (a typo is still evidence).
  std::string birth_digits;
  std::string soc_sec_id;  // digits only
  std::string street;      // street name, normalized
  std::string house_number;
  std::string address_line2;
  std::string city;
  std::string postcode;
  std::string region;
  // Social identities: the letters of each handle (folded) and its digits,
  // and the tokens of display names ("Mikko V." -> {"miko", "v"}).
  std::vector<std::string> handle_letters;
  std::vector<std::string> handle_digits;
  std::vector<std::string> display_tokens;
};

// The value of `field` as the comparison sees it, for explanations
// ("mikko", "19840503", "+358401234567, +35891234567").
std::string FieldValue(const ComparableRecord& record, ComparisonField field);

// Fills left_value and right_value of every field of `evidence` whose name
// is a ComparisonSchema() field.
void AttachFieldValues(const ComparableRecord& left, const ComparableRecord& right,
                       MatchEvidence* evidence);

// From the source record: every field. `default_region` as NormalizeRecord.
ComparableRecord MakeComparable(const SourceRecord& record,
                                absl::string_view default_region);

// From a normalized record alone: fields that only the source record holds
// (soc_sec_id, city, address line 2, region, display names, house number
// apart from the street) stay empty, i.e. "missing".
ComparableRecord MakeComparable(const NormalizedRecord& normalized);

// Groups of names that one person goes by: nicknames and transliterations
// ("william bill will liam", "ekaterina katya katia").
class NicknameTable {
 public:
  NicknameTable() = default;

  // One group per entry; each entry is names separated by spaces or tabs.
  // Names are folded like ComparableRecord names; a name may be in several
  // groups.
  static NicknameTable FromGroups(const std::vector<std::string>& groups);

  // Reads a TSV file: one group per line, names separated by tabs; blank
  // lines and lines starting with '#' are skipped. NotFound when the file
  // cannot be read.
  static absl::StatusOr<NicknameTable> Load(const std::string& path);

  // Whether the folded names `a` and `b` share a group.
  bool AreVariants(absl::string_view a, absl::string_view b) const;

  // The groups as folded names separated by single spaces.
  const std::vector<std::string>& groups() const { return groups_; }

 private:
  std::vector<std::string> groups_;
  absl::flat_hash_map<std::string, std::vector<int>> groups_of_;
};

// The path of the nickname file that ships with c360, for tools and tests
// run from a source checkout: `source_dir` + "/data/nicknames.tsv".
std::string DefaultNicknamePath(absl::string_view source_dir);

// Compares records field by field.
class Comparator {
 public:
  explicit Comparator(NicknameTable nicknames)
      : nicknames_(std::move(nicknames)) {}

  ComparisonVector Compare(const ComparableRecord& a,
                           const ComparableRecord& b) const;

  const NicknameTable& nicknames() const { return nicknames_; }

 private:
  uint8_t CompareGiven(const ComparableRecord& a, const ComparableRecord& b,
                       bool swapped) const;
  bool NameVariants(const std::vector<std::string>& a,
                    const std::vector<std::string>& b) const;

  NicknameTable nicknames_;
};

// Whether `a` becomes `b` by one substituted, inserted or deleted character.
bool OneEditApart(absl::string_view a, absl::string_view b);

// Whether `a` becomes `b` by swapping two adjacent characters.
bool AdjacentTransposition(absl::string_view a, absl::string_view b);

}  // namespace c360

#endif  // C360_RESOLVER_COMPARISON_H_

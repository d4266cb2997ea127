// Comparison levels on concrete pairs and the Fellegi-Sunter model's
// weights, term frequencies, conflicts and serialization.
#include "resolver/match_model.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resolver/comparison.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

struct Person {
  std::string given;
  std::string family;
  std::string birth_date;
  std::string soc_sec_id;
  std::string email;
  std::string handle;
  std::string display_name;
};

SourceRecord ToRecord(const Person& p) {
  SourceRecord record;
  record.set_source("crm");
  record.set_source_id(p.given + p.family);
  PersonName* name = record.add_names();
  name->set_given(p.given);
  name->set_family(p.family);
  record.set_birth_date(p.birth_date);
  if (!p.soc_sec_id.empty())
    (*record.mutable_attributes())["soc_sec_id"] = p.soc_sec_id;
  if (!p.email.empty()) record.add_emails(p.email);
  if (!p.handle.empty() || !p.display_name.empty()) {
    SocialHandle* handle = record.add_social_handles();
    handle->set_platform("x");
    handle->set_handle(p.handle);
    handle->set_display_name(p.display_name);
  }
  return record;
}

ComparableRecord Make(const Person& p) {
  return MakeComparable(ToRecord(p), "FI");
}

NicknameTable Nicknames() {
  absl::StatusOr<NicknameTable> table =
      NicknameTable::Load(DefaultNicknamePath(C360_SOURCE_DIR));
  EXPECT_TRUE(table.ok()) << table.status();
  return table.ok() ? *std::move(table) : NicknameTable();
}

// The level name of `field` for the pair (a, b).
std::string Level(ComparisonField field, const Person& a, const Person& b) {
  static const Comparator* const comparator = new Comparator(Nicknames());
  const ComparisonVector v = comparator->Compare(Make(a), Make(b));
  return ComparisonSchema()[field].levels[v[field]];
}

TEST(ComparisonTest, NicknamesAndTransliterationsMeet) {
  EXPECT_EQ(Level(kGivenNameField, {"William", "Smith"}, {"Bill", "Smith"}),
            "nickname");
  EXPECT_EQ(Level(kGivenNameField, {"Katarzyna", "Nowak"}, {"Kaśka", "Nowak"}),
            "nickname");
  EXPECT_EQ(
      Level(kGivenNameField, {"Екатерина", "Иванова"}, {"Katya", "Ivanova"}),
      "nickname");
  EXPECT_EQ(
      Level(kGivenNameField, {"Johannes", "Virtanen"}, {"Jussi", "Virtanen"}),
      "nickname");
}

TEST(ComparisonTest, CyrillicAndLatinSpellingsAreExact) {
  const Person cyrillic{"Дмитрий", "Яковлев"};
  const Person latin{"Dmitrij", "Jakovlev"};
  EXPECT_EQ(Level(kGivenNameField, cyrillic, latin), "exact");
  EXPECT_EQ(Level(kFamilyNameField, cyrillic, latin), "exact");
}

TEST(ComparisonTest, FuzzyAndDifferentNames) {
  EXPECT_EQ(
      Level(kFamilyNameField, {"Mikko", "Virtanen"}, {"Mikko", "Virtanan"}),
      "fuzzy_92");
  EXPECT_EQ(
      Level(kFamilyNameField, {"Mikko", "Virtanen"}, {"Mikko", "Nieminen"}),
      "different");
  EXPECT_EQ(Level(kFamilyNameField, {"Mikko", ""}, {"Mikko", "Nieminen"}),
            "missing");
}

TEST(ComparisonTest, SwappedGivenAndFamilyIsItsOwnLevel) {
  const Person straight{"Mikko", "Virtanen"};
  const Person swapped{"Virtanen", "Mikko"};
  EXPECT_EQ(Level(kGivenNameField, straight, swapped), "swapped");
  EXPECT_EQ(Level(kFamilyNameField, straight, swapped), "exact");
}

TEST(ComparisonTest, BirthDateLevels) {
  auto date = [](const std::string& a, const std::string& b) {
    return Level(kBirthDateField, {"A", "B", a}, {"A", "B", b});
  };
  EXPECT_EQ(date("1984-05-03", "1984-05-03"), "exact");
  EXPECT_EQ(date("1984-05-03", "1984-03-05"), "transposed");
  EXPECT_EQ(date("1984-05-03", "1984-05-08"), "one_digit");
  EXPECT_EQ(date("1984-05-03", "1984"), "same_year");
  EXPECT_EQ(date("1984-05-03", "1984-11-21"), "same_year");
  EXPECT_EQ(date("1984-05-03", "1979-11-21"), "different");
  EXPECT_EQ(date("1984-05-03", "1962-11-21"), "other_generation");
  EXPECT_EQ(date("1984-05-03", "1962"), "other_generation");
  EXPECT_EQ(date("1984-05-03", ""), "missing");
}

TEST(ComparisonTest, IdentifierTyposAreGraded) {
  auto id = [](const std::string& a, const std::string& b) {
    return Level(kSocSecIdField, {"A", "B", "", a}, {"A", "B", "", b});
  };
  EXPECT_EQ(id("1234567", "1234567"), "exact");
  EXPECT_EQ(id("1234567", "1234568"), "one_digit");
  EXPECT_EQ(id("1234567", "123456"), "one_digit");
  EXPECT_EQ(id("1234567", "1234657"), "transposed");
  EXPECT_EQ(id("1234567", "7654321"), "different");
}

TEST(ComparisonTest, EmailLevels) {
  auto email = [](const std::string& a, const std::string& b) {
    return Level(kEmailField, {"A", "B", "", "", a}, {"A", "B", "", "", b});
  };
  EXPECT_EQ(email("mikko.virtanen@gmail.com", "MikkoVirtanen@googlemail.com"),
            "exact");
  EXPECT_EQ(email("mikko.virtanen@example.fi", "mikko.virtanen@yahoo.com"),
            "same_local_part");
  EXPECT_EQ(email("mikko@example.fi", "anna@example.fi"), "different");
}

TEST(ComparisonTest, ALocalPartThatIsOnlyTheNameAddsNothing) {
  const Person work{"Mikko", "Virtanen", "", "", "mikko.virtanen@example.fi"};
  const Person yahoo{"Mikko", "Virtanen", "", "", "mikko.virtanen@yahoo.com"};
  EXPECT_EQ(Level(kEmailField, work, yahoo), "missing");
  // A birth year in it is news the names do not carry.
  const Person work84{"Mikko", "Virtanen", "", "", "mikko.virtanen84@example.fi"};
  const Person yahoo84{"Mikko", "Virtanen", "", "", "mikko.virtanen84@yahoo.com"};
  EXPECT_EQ(Level(kEmailField, work84, yahoo84), "same_local_part");
}

TEST(ComparisonTest, HandlesAndDisplayNamesHintAtThePerson) {
  const Person person{"Mikko", "Virtanen", "1984-05-03"};
  auto social = [&](const std::string& handle, const std::string& display) {
    return Level(kSocialField, {"", "", "", "", "", handle, display}, person);
  };
  EXPECT_EQ(social("mikko_virtanen84", ""), "handle_name_year");
  EXPECT_EQ(social("mvirtanen", ""), "handle_name");
  EXPECT_EQ(social("", "Mikko V."), "display_name");
  EXPECT_EQ(social("sunny_day", ""), "missing");
}

TEST(ComparisonTest, AHandleSpellingNamesBothRecordsCarryAddsNothing) {
  const Person crm{"Mikko", "Virtanen", "1984-05-03"};
  // The display name gives the social record a full name of its own.
  const Person named{"", "", "", "", "", "mikko_virtanen", "Mikko Virtanen"};
  EXPECT_EQ(Level(kGivenNameField, named, crm), "exact");
  EXPECT_EQ(Level(kSocialField, named, crm), "missing");
  // Birth-year digits are news the names do not carry.
  const Person with_year{"", "", "", "", "", "mikko_virtanen84",
                         "Mikko Virtanen"};
  EXPECT_EQ(Level(kSocialField, with_year, crm), "handle_name_year");
}

TEST(ComparisonTest, AnInitialIsNoFamilyName) {
  const Person crm{"Mikko", "Virtanen"};
  const Person initial{"", "", "", "", "", "", "Mikko V."};
  EXPECT_EQ(Level(kFamilyNameField, initial, crm), "missing");
  EXPECT_EQ(Level(kSocialField, initial, crm), "display_name");
}

MatchModel TrainedLikeModel() {
  MatchModelParams params = DefaultModelParams();
  params.prior = 0.1;
  return MatchModel(params, Nicknames());
}

TEST(MatchModelTest, RareSurnameWeighsMoreThanCommonOne) {
  MatchModelParams params = DefaultModelParams();
  std::vector<ComparableRecord> training;
  for (int i = 0; i < 50; ++i) training.push_back(Make({"Anna", "Virtanen"}));
  training.push_back(Make({"Anna", "Jääskeläinen"}));
  CountNameFrequencies(training, &params);
  const MatchModel model(params, Nicknames());
  const double common =
      model.Score(Make({"Mikko", "Virtanen"}), Make({"Mikko", "Virtanen"}));
  const double rare = model.Score(Make({"Mikko", "Jääskeläinen"}),
                                  Make({"Mikko", "Jaaskelainen"}));
  EXPECT_GT(rare, common + 4);  // 1 in 51 against 50 in 51: log2(50) bits
}

TEST(MatchModelTest, EvidenceCarriesEachFieldsLevelAndWeight) {
  const MatchModel model = TrainedLikeModel();
  const MatchEvidence evidence =
      model.Explain(Make({"Mikko", "Virtanen", "1984-05-03"}),
                    Make({"Mikko", "Virtanen", "1984-03-05"}));
  EXPECT_EQ(evidence.decider(), "fellegi-sunter-v1");
  ASSERT_EQ(evidence.fields_size(), 3);
  EXPECT_EQ(evidence.fields(2).field(), "birth_date");
  EXPECT_EQ(evidence.fields(2).level(), "transposed");
  double sum = ProbabilityToWeight(0.1);
  for (const FieldEvidence& field : evidence.fields()) sum += field.weight();
  EXPECT_NEAR(evidence.score(), sum, 1e-9);
}

TEST(MatchModelTest, ThresholdsAreProbabilities) {
  const MatchModel model = TrainedLikeModel();
  EXPECT_NEAR(WeightToProbability(model.link_threshold()), 0.99, 1e-12);
  EXPECT_EQ(model.Decide(model.link_threshold()), MatchDecision::kLink);
  EXPECT_EQ(model.Decide(model.link_threshold() - 0.1), MatchDecision::kReview);
  EXPECT_EQ(model.Decide(model.review_threshold() - 0.1),
            MatchDecision::kNewEntity);
}

TEST(MatchModelTest, ParentAndChildConflictButATypoDoesNot) {
  const MatchModel model = TrainedLikeModel();
  const Comparator& comparator = model.comparator();
  const ComparableRecord father =
      Make({"Juhani", "Virtanen", "1950-02-11", "1111111"});
  const ComparableRecord son =
      Make({"Mikko", "Virtanen", "1984-05-03", "2222222"});
  const ComparableRecord typo =
      Make({"Juhani", "Virtanen", "1950-02-11", "1111117"});
  EXPECT_TRUE(model.Conflicts(comparator.Compare(father, son)));
  EXPECT_FALSE(model.Conflicts(comparator.Compare(father, typo)));
  EXPECT_TRUE(model.Contradicts(model.Explain(father, son)));
}

TEST(MatchModelTest, JuniorWithTheFathersNameConflicts) {
  const MatchModel model = TrainedLikeModel();
  const ComparableRecord father = Make({"Juhani", "Virtanen", "1950-02-11"});
  const ComparableRecord junior = Make({"Juhani", "Virtanen", "1978-09-30"});
  const ComparableRecord typo = Make({"Juhani", "Virtanen", "1956-02-11"});
  EXPECT_TRUE(model.Conflicts(model.comparator().Compare(father, junior)));
  EXPECT_FALSE(model.Conflicts(model.comparator().Compare(father, typo)));
}

TEST(MatchModelTest, RelativesAndColleaguesWithoutBirthDatesConflict) {
  const MatchModel model = TrainedLikeModel();
  const Comparator& comparator = model.comparator();
  const ComparableRecord anna = Make({"Anna", "Virtanen", "", "", "a@x.fi"});
  const ComparableRecord sister = Make({"Liisa", "Virtanen", "", "", "a@x.fi"});
  const ComparableRecord colleague = Make({"Piotr", "Nowak", "", "", "a@x.fi"});
  const ComparableRecord married = Make({"Anna", "Laine", "", "", "a@x.fi"});
  EXPECT_TRUE(model.Conflicts(comparator.Compare(anna, sister)));
  EXPECT_TRUE(model.Conflicts(comparator.Compare(anna, colleague)));
  // The same given name and a shared mailbox: a name change, not a conflict.
  EXPECT_FALSE(model.Conflicts(comparator.Compare(anna, married)));
}

TEST(MatchModelTest, AWeakerLevelNeverWeighsMoreThanAStrongerOne) {
  MatchModelParams params = DefaultModelParams();
  // EM saw swaps rarely among random pairs: log2(m/u) above "exact".
  params.levels[kGivenNameField][LevelIndex(kGivenNameField, "swapped")] = {
      0.2, 0.0001};
  const MatchModel model(params, Nicknames());
  const int exact = LevelIndex(kGivenNameField, "exact");
  const int fuzzy_80 = LevelIndex(kGivenNameField, "fuzzy_80");
  const int swapped = LevelIndex(kGivenNameField, "swapped");
  EXPECT_LE(model.LevelWeight(kGivenNameField, swapped),
            model.LevelWeight(kGivenNameField, fuzzy_80));
  EXPECT_LT(model.LevelWeight(kGivenNameField, swapped),
            model.LevelWeight(kGivenNameField, exact));
}

TEST(MatchModelTest, WithThresholdsChecksTheirOrder) {
  const MatchModel model = TrainedLikeModel();
  absl::StatusOr<std::unique_ptr<MatchModel>> strict =
      model.WithThresholds(0.999, 0.6);
  ASSERT_TRUE(strict.ok()) << strict.status();
  EXPECT_NEAR(WeightToProbability((*strict)->link_threshold()), 0.999, 1e-12);
  EXPECT_EQ(model.WithThresholds(0.5, 0.9).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(model.WithThresholds(1.0, 0.5).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MatchModelTest, ProtoRoundTripKeepsScores) {
  const MatchModel model = TrainedLikeModel();
  absl::StatusOr<std::unique_ptr<MatchModel>> copy =
      MatchModel::FromProto(model.ToProto());
  ASSERT_TRUE(copy.ok()) << copy.status();
  const ComparableRecord a = Make({"Bill", "Smith", "1970-01-02"});
  const ComparableRecord b = Make({"William", "Smith", "1970-01-02"});
  EXPECT_DOUBLE_EQ((*copy)->Score(a, b), model.Score(a, b));
  EXPECT_EQ((*copy)->link_threshold(), model.link_threshold());
}

TEST(MatchModelTest, FromProtoRejectsUnknownVersionAndSchema) {
  MatchModelProto proto = TrainedLikeModel().ToProto();
  proto.set_version(99);
  EXPECT_EQ(MatchModel::FromProto(proto).status().code(),
            absl::StatusCode::kInvalidArgument);
  proto = TrainedLikeModel().ToProto();
  proto.mutable_fields(0)->mutable_levels(0)->set_name("identical");
  absl::Status status = MatchModel::FromProto(proto).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("given_name/identical"));
}

}  // namespace
}  // namespace c360

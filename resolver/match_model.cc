#include "resolver/match_model.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace c360 {
namespace {

constexpr int kProtoVersion = 1;

// The hand-set m and u of each level (after "missing"), in schema order:
// roughly "how often does this happen between two records of one person /
// of two random people". EM replaces them where the data speaks.
const std::vector<std::vector<LevelProbabilities>>& DefaultLevels() {
  static const auto* const levels =
      new std::vector<std::vector<LevelProbabilities>>{
          // given_name: exact nickname fuzzy_92 fuzzy_80 swapped different
          {{},
           {.80, .01},
           {.03, .002},
           {.06, .005},
           {.04, .03},
           {.01, .0005},
           {.06, .95}},
          // family_name: exact fuzzy_92 fuzzy_80 different
          {{}, {.82, .005}, {.08, .004}, {.04, .03}, {.06, .96}},
          // birth_date: exact transposed one_digit same_year different
          // other_generation
          {{},
           {.90, .0002},
           {.01, .00001},
           {.04, .002},
           {.02, .02},
           {.025, .60},
           {.005, .38}},
          // soc_sec_id: exact one_digit transposed different
          {{}, {.90, .0001}, {.04, .0005}, {.02, .0001}, {.04, .9994}},
          // email: exact same_local_part different
          {{}, {.70, .0005}, {.05, .001}, {.25, .9985}},
          // phone: exact last_7_digits different
          {{}, {.65, .001}, {.02, .0005}, {.33, .9985}},
          // street: exact fuzzy_92 fuzzy_80 different
          {{}, {.70, .002}, {.10, .003}, {.05, .03}, {.15, .965}},
          // house_number: exact one_digit transposed different
          {{}, {.75, .03}, {.08, .10}, {.02, .01}, {.15, .86}},
          // address_line2: exact fuzzy_92 fuzzy_80 different
          {{}, {.65, .002}, {.10, .003}, {.05, .03}, {.20, .965}},
          // city: exact fuzzy_92 fuzzy_80 different
          {{}, {.75, .01}, {.08, .005}, {.04, .03}, {.13, .955}},
          // postcode: exact one_digit transposed different
          {{}, {.80, .005}, {.06, .05}, {.02, .003}, {.12, .942}},
          // region: exact different
          {{}, {.92, .25}, {.08, .75}},
          // business_id: exact different
          {{}, {.80, .001}, {.20, .999}},
          // social: exact_handle handle_name_year handle_name display_name
          // different. Weak alone by design: a handle only hints at a name.
          {{}, {.50, .0005}, {.10, .002}, {.10, .01}, {.10, .02}, {.20, .9665}},
      };
  return *levels;
}

double SafeLog2Ratio(double m, double u) {
  constexpr double kFloor = 1e-12;
  return std::log2(std::max(m, kFloor) / std::max(u, kFloor));
}

const std::string& LevelName(int field, int level) {
  return ComparisonSchema()[field].levels[level];
}

bool Is(const ComparisonVector& v, ComparisonField field, const char* level) {
  return v[field] == LevelIndex(field, level);
}

void AddTerm(const std::string& value, TermFrequencies* tf) {
  if (value.empty()) return;
  ++tf->total;
  ++tf->counts[value];
}

void ToTermProto(const char* field, const TermFrequencies& tf,
                 MatchModelProto* proto) {
  if (tf.total == 0) return;
  TermFrequencyProto* out = proto->add_term_frequencies();
  out->set_field(field);
  out->set_total(tf.total);
  for (const auto& [value, count] : tf.counts)
    (*out->mutable_counts())[value] = count;
}

TermFrequencies FromTermProto(const TermFrequencyProto& proto) {
  TermFrequencies tf;
  tf.total = proto.total();
  for (const auto& [value, count] : proto.counts()) tf.counts[value] = count;
  return tf;
}

absl::Status CheckField(const MatchFieldProto& field, const FieldSchema& schema,
                        std::vector<LevelProbabilities>* out) {
  if (field.name() != schema.name ||
      field.levels_size() + 1 != static_cast<int>(schema.levels.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("model field '", field.name(),
                     "' does not match schema field '", schema.name, "'"));
  }
  out->assign(1, LevelProbabilities{});
  for (int i = 0; i < field.levels_size(); ++i) {
    const MatchLevelProto& level = field.levels(i);
    const bool in_range =
        level.m() > 0 && level.m() <= 1 && level.u() > 0 && level.u() <= 1;
    if (level.name() != schema.levels[i + 1] || !in_range) {
      return absl::InvalidArgumentError(
          absl::StrCat("model level ", field.name(), "/", level.name(),
                       " is unknown or has a probability outside (0, 1]"));
    }
    out->push_back({level.m(), level.u()});
  }
  return absl::OkStatus();
}
absl::Status CheckThresholds(double link, double review) {
  if (review > 0 && review <= link && link < 1) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "match thresholds must be 0 < review <= link < 1, not review ", review,
      " and link ", link));
}


absl::StatusOr<MatchModelParams> ParamsFromProto(const MatchModelProto& proto) {
  if (proto.version() != kProtoVersion) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown match model version ", proto.version()));
  }
  const std::vector<FieldSchema>& schema = ComparisonSchema();
  if (proto.fields_size() != static_cast<int>(schema.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("match model has ", proto.fields_size(),
                     " fields, the schema ", schema.size()));
  }
  MatchModelParams params;
  params.levels.resize(schema.size());
  for (size_t f = 0; f < schema.size(); ++f) {
    absl::Status status =
        CheckField(proto.fields(f), schema[f], &params.levels[f]);
    if (!status.ok()) return status;
  }
  params.prior = proto.prior();
  params.link_probability = proto.link_probability();
  params.review_probability = proto.review_probability();
  if (!(params.prior > 0 && params.prior < 1)) {
    return absl::InvalidArgumentError("match model prior outside (0, 1)");
  }
  absl::Status thresholds =
      CheckThresholds(params.link_probability, params.review_probability);
  if (!thresholds.ok()) return thresholds;
  for (const TermFrequencyProto& tf : proto.term_frequencies()) {
    if (tf.field() == "given_name") params.given_names = FromTermProto(tf);
    if (tf.field() == "family_name") params.family_names = FromTermProto(tf);
  }
  return params;
}

// Levels go from the strongest agreement to "different": a weaker
// agreement never weighs more than a stronger one, nor less than
// "different". EM can break that order for a level it saw rarely (a name
// swap weighed above an exact name; a birth date typo below a different
// date).
void KeepOrdered(std::vector<double>* weights) {
  std::vector<double>& w = *weights;
  if (w.size() < 4) return;  // missing, one agreement, different
  for (size_t l = 2; l + 1 < w.size(); ++l) {
    w[l] = std::max(std::min(w[l], w[l - 1]), w.back());
  }
}

}  // namespace

MatchModelParams DefaultModelParams() {
  MatchModelParams params;
  params.levels = DefaultLevels();
  return params;
}

void CountNameFrequencies(const std::vector<ComparableRecord>& records,
                          MatchModelParams* params) {
  params->given_names = {};
  params->family_names = {};
  for (const ComparableRecord& record : records) {
    AddTerm(record.given, &params->given_names);
    AddTerm(record.family, &params->family_names);
  }
}

double ProbabilityToWeight(double probability) {
  return std::log2(probability / (1 - probability));
}

double WeightToProbability(double weight) {
  return 1.0 / (1.0 + std::exp2(-weight));
}

MatchModel::MatchModel(MatchModelParams params, NicknameTable nicknames)
    : params_(std::move(params)),
      comparator_(std::move(nicknames)),
      prior_weight_(ProbabilityToWeight(params_.prior)),
      link_weight_(ProbabilityToWeight(params_.link_probability)),
      review_weight_(ProbabilityToWeight(params_.review_probability)) {
  weights_.resize(params_.levels.size());
  for (size_t f = 0; f < params_.levels.size(); ++f) {
    weights_[f].push_back(0);  // missing
    for (size_t l = 1; l < params_.levels[f].size(); ++l) {
      weights_[f].push_back(
          SafeLog2Ratio(params_.levels[f][l].m, params_.levels[f][l].u));
    }
    KeepOrdered(&weights_[f]);
  }
}

double MatchModel::LevelWeight(int field, int level) const {
  return weights_[field][level];
}

// An exact name agrees by chance as often as the name occurs: its u is the
// name's frequency instead of the field's average (a name seen once in
// training, or never, counts as seen once).
double MatchModel::NameWeight(int field, const TermFrequencies& frequencies,
                              const std::string& value) const {
  const int exact = LevelIndex(static_cast<ComparisonField>(field), "exact");
  if (frequencies.total == 0) return weights_[field][exact];
  auto it = frequencies.counts.find(value);
  const int64_t count = it == frequencies.counts.end() ? 1 : it->second;
  const double u = static_cast<double>(count) / frequencies.total;
  return SafeLog2Ratio(params_.levels[field][exact].m, u);
}

double MatchModel::Score(const ComparisonVector& levels,
                         const ComparableRecord& a,
                         const ComparableRecord& b) const {
  double weight = prior_weight_;
  for (int f = 0; f < kNumComparisonFields; ++f)
    weight += weights_[f][levels[f]];
  if (Is(levels, kGivenNameField, "exact")) {
    weight += NameWeight(kGivenNameField, params_.given_names, a.given) -
              weights_[kGivenNameField][levels[kGivenNameField]];
  }
  if (Is(levels, kFamilyNameField, "exact")) {
    weight += NameWeight(kFamilyNameField, params_.family_names, a.family) -
              weights_[kFamilyNameField][levels[kFamilyNameField]];
  }
  return weight;
}

MatchEvidence MatchModel::Explain(const ComparableRecord& a,
                                  const ComparableRecord& b) const {
  const ComparisonVector levels = comparator_.Compare(a, b);
  MatchEvidence evidence;
  evidence.set_decider("fellegi-sunter-v1");
  evidence.set_score(Score(levels, a, b));
  for (int f = 0; f < kNumComparisonFields; ++f) {
    if (levels[f] == kMissingLevel) continue;
    FieldEvidence* field = evidence.add_fields();
    field->set_field(ComparisonSchema()[f].name);
    field->set_level(LevelName(f, levels[f]));
    double weight = weights_[f][levels[f]];
    if (f == kGivenNameField && Is(levels, kGivenNameField, "exact")) {
      weight = NameWeight(f, params_.given_names, a.given);
    } else if (f == kFamilyNameField && Is(levels, kFamilyNameField, "exact")) {
      weight = NameWeight(f, params_.family_names, a.family);
    }
    field->set_weight(weight);
  }
  return evidence;
}

bool MatchModel::Conflicts(const ComparisonVector& levels) const {
  // A typo ("one_digit", "transposed") is agreement, not conflict: the
  // identifier was copied from the same source value.
  constexpr ComparisonField kStrong[] = {kBirthDateField, kSocSecIdField,
                                         kBusinessIdField};
  bool differs = false, agrees = false;
  for (ComparisonField f : kStrong) {
    const bool different =
        Is(levels, f, "different") || Is(levels, f, "other_generation");
    differs = differs || different;
    agrees = agrees || (levels[f] != kMissingLevel && !different &&
                        !Is(levels, f, "same_year"));
  }
  if (agrees) return false;
  // Parent and child, even when the child carries the parent's name.
  if (Is(levels, kBirthDateField, "other_generation")) return true;
  if (GivenNameAgrees(levels)) return false;
  // Relatives share a surname, an address, a landline and often a family
  // e-mail; colleagues a switchboard, an address and an info@ mailbox. None
  // of those speaks against the conflict when the names themselves differ.
  const bool other_person =
      Is(levels, kGivenNameField, "different") &&
      !Is(levels, kFamilyNameField, "fuzzy_80") &&
      levels[kFamilyNameField] != kMissingLevel;
  return differs || other_person;
}

// Records of one person whose identifier was mistyped or replaced still
// carry the person's given name; parent and child, siblings and spouses
// share family name and address but not the given name.
bool MatchModel::GivenNameAgrees(const ComparisonVector& levels) const {
  for (const char* level : {"exact", "nickname", "fuzzy_92", "swapped"}) {
    if (Is(levels, kGivenNameField, level)) return true;
  }
  return false;
}

MatchDecision MatchModel::Decide(double weight) const {
  if (weight >= link_weight_) return MatchDecision::kLink;
  return weight >= review_weight_ ? MatchDecision::kReview
                                  : MatchDecision::kNewEntity;
}

MatchEvidence MatchModel::Compare(const ComparableRecord& a,
                                  const ComparableRecord& b) const {
  return Explain(a, b);
}

bool MatchModel::Contradicts(const MatchEvidence& evidence) const {
  ComparisonVector levels{};
  const std::vector<FieldSchema>& schema = ComparisonSchema();
  for (const FieldEvidence& field : evidence.fields()) {
    for (int f = 0; f < kNumComparisonFields; ++f) {
      if (schema[f].name != field.field()) continue;
      const int level =
          LevelIndex(static_cast<ComparisonField>(f), field.level());
      if (level > 0) levels[f] = static_cast<uint8_t>(level);
    }
  }
  return Conflicts(levels);
}

absl::StatusOr<std::unique_ptr<MatchModel>> MatchModel::WithThresholds(
    double link_probability, double review_probability) const {
  absl::Status valid = CheckThresholds(link_probability, review_probability);
  if (!valid.ok()) return valid;
  MatchModelParams params = params_;
  params.link_probability = link_probability;
  params.review_probability = review_probability;
  return std::make_unique<MatchModel>(std::move(params),
                                      comparator_.nicknames());
}

MatchModelProto MatchModel::ToProto() const {
  MatchModelProto proto;
  proto.set_version(kProtoVersion);
  proto.set_prior(params_.prior);
  proto.set_link_probability(params_.link_probability);
  proto.set_review_probability(params_.review_probability);
  const std::vector<FieldSchema>& schema = ComparisonSchema();
  for (size_t f = 0; f < schema.size(); ++f) {
    MatchFieldProto* field = proto.add_fields();
    field->set_name(schema[f].name);
    for (size_t l = 1; l < schema[f].levels.size(); ++l) {
      MatchLevelProto* level = field->add_levels();
      level->set_name(schema[f].levels[l]);
      level->set_m(params_.levels[f][l].m);
      level->set_u(params_.levels[f][l].u);
    }
  }
  ToTermProto("given_name", params_.given_names, &proto);
  ToTermProto("family_name", params_.family_names, &proto);
  for (const std::string& group : comparator_.nicknames().groups()) {
    proto.add_nickname_groups(group);
  }
  return proto;
}

absl::StatusOr<std::unique_ptr<MatchModel>> MatchModel::FromProto(
    const MatchModelProto& proto) {
  absl::StatusOr<MatchModelParams> params = ParamsFromProto(proto);
  if (!params.ok()) return params.status();
  std::vector<std::string> groups(proto.nickname_groups().begin(),
                                  proto.nickname_groups().end());
  return std::make_unique<MatchModel>(*std::move(params),
                                      NicknameTable::FromGroups(groups));
}

}  // namespace c360

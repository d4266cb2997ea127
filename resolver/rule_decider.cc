#include "resolver/rule_decider.h"

#include <algorithm>
#include <string>
#include <vector>

namespace c360 {
namespace {

constexpr double kFuzzyName = 0.92;

// How well one token list is covered by another.
enum class TokenMatch { kNone, kInitial, kFuzzy, kExact };

TokenMatch MatchToken(const std::string& token,
                      const std::vector<std::string>& others) {
  TokenMatch best = TokenMatch::kNone;
  for (const std::string& other : others) {
    if (token == other) return TokenMatch::kExact;
    if (JaroWinkler(token, other) >= kFuzzyName) {
      best = TokenMatch::kFuzzy;
    } else if (best == TokenMatch::kNone &&
               (token.size() == 1 || other.size() == 1) &&
               token[0] == other[0]) {
      best = TokenMatch::kInitial;
    }
  }
  return best;
}

// The weakest match over every token of `tokens` (kNone if any is missing),
// and how many tokens matched at all.
struct Coverage {
  TokenMatch weakest = TokenMatch::kExact;
  int matched = 0;
  int total = 0;
};

Coverage Cover(const std::vector<std::string>& tokens,
               const std::vector<std::string>& others) {
  Coverage coverage;
  coverage.total = static_cast<int>(tokens.size());
  for (const std::string& token : tokens) {
    TokenMatch match = MatchToken(token, others);
    if (match != TokenMatch::kNone) ++coverage.matched;
    coverage.weakest = std::min(coverage.weakest, match);
  }
  return coverage;
}

struct Level {
  const char* name;
  double weight;
};

bool operator<(const Level& a, const Level& b) { return a.weight < b.weight; }

Level FromCoverage(const Coverage& c) {
  if (c.total == 0) return {"missing", 0};
  if (c.matched == c.total) {
    if (c.total == 1) return {"partial", 1};
    if (c.weakest == TokenMatch::kExact) return {"exact", 4};
    if (c.weakest == TokenMatch::kFuzzy) return {"fuzzy", 3};
    return {"initial", 2.5};
  }
  if (c.matched == 0) return {"different", -6};
  // Some tokens agree and another contradicts: the family-member pattern.
  return {"given_conflict", -8};
}

std::vector<std::string> Tokens(const NormalizedName& name) {
  std::vector<std::string> tokens = name.given;
  tokens.insert(tokens.end(), name.family.begin(), name.family.end());
  tokens.insert(tokens.end(), name.unordered.begin(), name.unordered.end());
  return tokens;
}

// Both names structured: the family name must agree, then the given name.
Level CompareStructured(const NormalizedName& a, const NormalizedName& b) {
  Coverage family = Cover(a.family, b.family);
  bool family_agrees = family.matched > 0;
  if (a.given.empty() || b.given.empty()) {
    return family_agrees ? Level{"family_only", 1.5} : Level{"different", -6};
  }
  TokenMatch given = MatchToken(a.given[0], b.given);
  if (family_agrees) {
    if (given == TokenMatch::kNone) return {"given_conflict", -8};
    if (given == TokenMatch::kInitial) return {"initial", 2.5};
    bool exact = given == TokenMatch::kExact &&
                 family.weakest == TokenMatch::kExact;
    return exact ? Level{"exact", 4} : Level{"fuzzy", 3};
  }
  return given == TokenMatch::kNone ? Level{"different", -6}
                                    : Level{"family_conflict", -1};
}

Level CompareNames(const NormalizedName& a, const NormalizedName& b) {
  bool structured = a.unordered.empty() && b.unordered.empty() &&
                    !a.family.empty() && !b.family.empty();
  Level level = {"different", -6};
  if (structured) {
    level = CompareStructured(a, b);
    NormalizedName swapped{b.family, b.given, {}};
    Level as_swapped = CompareStructured(a, swapped);
    if (level < as_swapped) level = {"swapped", as_swapped.weight};
    return level;
  }
  std::vector<std::string> ta = Tokens(a), tb = Tokens(b);
  return ta.size() <= tb.size() ? FromCoverage(Cover(ta, tb))
                                : FromCoverage(Cover(tb, ta));
}

Level CompareAllNames(const NormalizedRecord& a, const NormalizedRecord& b) {
  if (a.names.empty() || b.names.empty()) return {"missing", 0};
  Level best = {"different", -1e9};
  for (const NormalizedName& na : a.names) {
    for (const NormalizedName& nb : b.names) best = std::max(best, CompareNames(na, nb));
  }
  return best;
}

bool OneCharOff(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  int diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff += a[i] != b[i];
  return diff == 1;
}

Level CompareBirthDates(const NormalizedRecord& a, const NormalizedRecord& b) {
  if (!a.birth_date || !b.birth_date) return {"missing", 0};
  const BirthDate& x = *a.birth_date;
  const BirthDate& y = *b.birth_date;
  if (x == y) return x.day != 0 ? Level{"exact", 5} : Level{"year_only", 1};
  if (x.day == 0 || y.day == 0) {
    return x.year == y.year ? Level{"year_only", 1} : Level{"conflict", -10};
  }
  if (x.year == y.year && x.month == y.day && x.day == y.month) {
    return {"transposed", 2.5};
  }
  if (OneCharOff(FormatBirthDate(x), FormatBirthDate(y))) {
    return {"one_digit", 1.5};
  }
  return {"conflict", -10};
}

bool ShareAny(const std::vector<std::string>& a,
              const std::vector<std::string>& b) {
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) != b.end()) return true;
  }
  return false;
}

std::string LocalPart(const std::string& email) {
  return email.substr(0, email.find('@'));
}

Level CompareEmails(const NormalizedRecord& a, const NormalizedRecord& b) {
  if (a.emails.empty() || b.emails.empty()) return {"missing", 0};
  if (ShareAny(a.emails, b.emails)) return {"exact", 7};
  for (const std::string& x : a.emails) {
    for (const std::string& y : b.emails) {
      if (LocalPart(x) == LocalPart(y)) return {"same_local_part", 2};
    }
  }
  return {"different", 0};
}

std::string LastDigits(const std::string& phone, size_t n) {
  return phone.size() <= n ? phone : phone.substr(phone.size() - n);
}

Level ComparePhones(const NormalizedRecord& a, const NormalizedRecord& b) {
  if (a.phones.empty() || b.phones.empty()) return {"missing", 0};
  if (ShareAny(a.phones, b.phones)) return {"exact", 5};
  for (const std::string& x : a.phones) {
    for (const std::string& y : b.phones) {
      if (LastDigits(x, 7) == LastDigits(y, 7)) return {"last_7_digits", 1};
    }
  }
  return {"different", 0};
}

Level CompareShared(const std::vector<std::string>& a,
                    const std::vector<std::string>& b, double weight) {
  if (a.empty() || b.empty()) return {"missing", 0};
  return ShareAny(a, b) ? Level{"exact", weight} : Level{"different", 0};
}

std::vector<std::string> NonEmpty(const std::string& value) {
  if (value.empty()) return {};
  return {value};
}

class RuleDecider : public MatchDecider {
 public:
  explicit RuleDecider(const RuleDeciderOptions& options) : options_(options) {}

  MatchEvidence Compare(const ComparableRecord& comparable_a,
                        const ComparableRecord& comparable_b) const override {
    const NormalizedRecord& a = comparable_a.normalized;
    const NormalizedRecord& b = comparable_b.normalized;
    MatchEvidence evidence;
    evidence.set_decider("rules-v1");
    Add("name", CompareAllNames(a, b), &evidence);
    Add("birth_date", CompareBirthDates(a, b), &evidence);
    Add("email", CompareEmails(a, b), &evidence);
    Add("phone", ComparePhones(a, b), &evidence);
    Add("social_handle", CompareShared(a.handles, b.handles, 8), &evidence);
    Add("postcode", CompareShared(a.postcodes, b.postcodes, 1), &evidence);
    Add("street", CompareShared(a.streets, b.streets, 2), &evidence);
    Add("business_id",
        CompareShared(NonEmpty(a.business_id), NonEmpty(b.business_id), 0.5),
        &evidence);
    return evidence;
  }

  double link_threshold() const override { return options_.link_threshold; }
  double review_threshold() const override {
    return options_.review_threshold;
  }

  bool Contradicts(const MatchEvidence& evidence) const override {
    return std::any_of(evidence.fields().begin(), evidence.fields().end(),
                       [&](const FieldEvidence& f) {
                         return f.weight() <= options_.veto_weight;
                       });
  }

 private:
  static void Add(const char* field, const Level& level,
                  MatchEvidence* evidence) {
    if (std::string(level.name) == "missing") return;
    FieldEvidence* f = evidence->add_fields();
    f->set_field(field);
    f->set_level(level.name);
    f->set_weight(level.weight);
    evidence->set_score(evidence->score() + level.weight);
  }

  RuleDeciderOptions options_;
};

}  // namespace

std::unique_ptr<MatchDecider> NewRuleDecider(
    const RuleDeciderOptions& options) {
  return std::make_unique<RuleDecider>(options);
}

}  // namespace c360

// Decision v1: hand-set evidence weights per field comparison level, summed
// and compared with a link threshold, below which a review band sends
// uncertain pairs to a steward. Conflicting strong identifiers (two full
// birth dates, two given names under one family name) weigh heavily against
// a match so that family members, namesakes and colleagues stay apart.
#ifndef C360_RESOLVER_RULE_DECIDER_H_
#define C360_RESOLVER_RULE_DECIDER_H_

#include <memory>

#include "resolver/match_decider.h"

namespace c360 {

struct RuleDeciderOptions {
  // A pair scoring at least this is the same person. With the default
  // weights, an exact e-mail alone (7) is enough unless names conflict; an
  // exact name needs a birth date (4 + 5) or a phone (4 + 5) or an address
  // (4 + 1 + 2) beside it.
  double link_threshold = 7.0;
  // Pairs from here up to link_threshold go to a steward's review queue: an
  // exact name with a postcode (4 + 1) or a street (4 + 2), or with the
  // local part of an e-mail (4 + 2), is suggestive but not enough.
  double review_threshold = 5.0;
  // A field weighing this or less contradicts the pair: a birth-date
  // conflict (-10), a given-name conflict under one family name (-8), or
  // entirely different names (-6).
  double veto_weight = -6.0;
};

std::unique_ptr<MatchDecider> NewRuleDecider(
    const RuleDeciderOptions& options = {});

}  // namespace c360

#endif  // C360_RESOLVER_RULE_DECIDER_H_

// The "compare → score → decide" step of resolution, behind an interface so
// that the rules of v1 can be replaced by a learned match model without
// touching the resolver.
#ifndef C360_RESOLVER_MATCH_DECIDER_H_
#define C360_RESOLVER_MATCH_DECIDER_H_

#include <string>

#include "c360/storage.pb.h"
#include "resolver/comparison.h"

namespace c360 {

// Scores pairs of records. Implementations are immutable after construction
// and thread-safe.
class MatchDecider {
 public:
  virtual ~MatchDecider() = default;

  // Compares two records: the total score and each field's level and weight
  // (MatchEvidence.matched_record is left for the caller to fill).
  virtual MatchEvidence Compare(const ComparableRecord& a,
                                const ComparableRecord& b) const = 0;

  // Scores at or above this are the same person.
  virtual double link_threshold() const = 0;

  // Scores from here up to link_threshold() are uncertain: a steward
  // decides. Equal to link_threshold() when there is no review band.
  virtual double review_threshold() const = 0;

  // Whether a pair with this evidence is the same person.
  bool IsMatch(const MatchEvidence& evidence) const {
    return evidence.score() >= link_threshold();
  }

  // Whether a pair with this evidence goes to a steward.
  bool NeedsReview(const MatchEvidence& evidence) const {
    return !IsMatch(evidence) && evidence.score() >= review_threshold();
  }

  // Whether the evidence holds a conflict that rules the pair out whatever
  // else agrees (two full birth dates, two given names under one family
  // name): such a pair must never end up in one entity.
  virtual bool Contradicts(const MatchEvidence& evidence) const = 0;
};

}  // namespace c360

#endif  // C360_RESOLVER_MATCH_DECIDER_H_

// Survivorship: the rules that choose an attribute's golden value among its
// candidates (member records' values and purchased provider values), their
// configuration (JSON, data/survivorship.json) and its place in the store,
// and the ranking engine that applies one rule to one attribute.
//
// Ranking an attribute:
//   1. provider_use sorts out provider candidates: NEVER drops them, FILL
//      keeps them only when no member record has a value, OVERRIDE ranks
//      values a provider supplied above all others, COMPETE treats a
//      provider like one more source ("provider:<name>").
//   2. Candidates with equal normalized values form one group (its support).
//   3. Groups are ranked by the rule's strategies in order, each breaking
//      the earlier ones' ties, then by the most recent observation, then by
//      value, so the outcome never depends on input order.
// Every group says which rule placed it below its neighbour ("decided_by"),
// so a steward can read why a value won.
#ifndef C360_ENRICH_SURVIVORSHIP_H_
#define C360_ENRICH_SURVIVORSHIP_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/enrichment.pb.h"
#include "c360/profile.pb.h"
#include "store/kv_store.h"

namespace c360 {

// The rules of v1 plus purchased data: name, organization, business_id and
// address most recent; birth_date, email, phone and social_handle most
// frequent, then most recent; enrichment.* most recent among competing
// providers (the newest delivery wins); consent.* most recent. Providers
// fill name, birth_date, address and organization (a company's official
// name) when no record has one, and never supply business_id, e-mail, phone
// or social handles.
SurvivorshipRules DefaultSurvivorshipRules();

// Parses and checks a rules file (JSON of SurvivorshipRules; field names in
// snake_case or lowerCamelCase, enums by name). InvalidArgument naming the
// rule for malformed JSON, an unknown attribute or enum name, a duplicate
// attribute, an empty `order` or an unspecified strategy in it, and
// SOURCE_PRIORITY without a `source_priority` list. A rule without
// `provider_use` gets the default rule's. Attributes the file leaves out
// keep their default rule (see RuleFor).
absl::StatusOr<SurvivorshipRules> ParseSurvivorshipRules(
    absl::string_view json);

// The rules profiles are built with: those stored by PutActiveRules, or the
// defaults when none are stored. DataLoss when the stored value is
// unreadable.
absl::StatusOr<SurvivorshipRules> ActiveRules(const ReadView& view);

// Adds the write that makes `rules` (checked by ParseSurvivorshipRules) the
// active rules to `writes`.
void PutActiveRules(const SurvivorshipRules& rules, WriteSet* writes);

// The rule for `attribute` ("name", "enrichment.industry_code",
// "consent.marketing", ...): the rule of that exact name, else the
// "enrichment.*" or "consent.*" rule for such an attribute, else the default
// rule found the same way, else most recent with provider values as fill.
AttributeRule RuleFor(const SurvivorshipRules& rules,
                      absl::string_view attribute);

// The source name survivorship ranks an origin by: the record's source, or
// "provider:<name>" for a provider value.
std::string SourceOf(const Provenance& origin);

// One candidate value of an attribute.
struct SurvivorshipCandidate {
  // The value as its origin wrote it.
  std::string value;
  // The normalized value: candidates with equal keys are one value.
  std::string group_key;
  // Where it came from: `record` and `observed_at`, and for a provider value
  // `provider` and `delivery_id` (then observed_at is the delivery date).
  Provenance origin;
  // How many parts of the value are filled (MOST_COMPLETE).
  int completeness = 0;
};

// One distinct value in its ranked place.
struct RankedValue {
  // Index of the candidate that represents the group: the best of its
  // members by the rule; its value and origin are the group's.
  size_t representative = 0;
  // The representative's origin with `rule` (the name of the rule in
  // decided_by) and `support` (the group's size) filled in.
  Provenance provenance;
  // The rule that separated the group from the one above it (for the first:
  // from the runner-up), e.g. "source_priority: crm before erp",
  // "most_frequent: 3 vs 1", "most_recent", "most_complete",
  // "provider_override", "provider_fill: no record has a value",
  // "only candidate"; for a left-out provider value why it was left out.
  std::string decided_by;
};

// The outcome of ranking one attribute's candidates.
struct Ranking {
  // The values that take part, best first.
  std::vector<RankedValue> ranked;
  // Provider values provider_use left out ("provider_never", "provider_fill:
  // a record has a value"), in the same order of merit.
  std::vector<RankedValue> left_out;
};

// Ranks `candidates` by `rule`. Candidates with an empty group key are
// ignored.
Ranking RankCandidates(const AttributeRule& rule,
                       const std::vector<SurvivorshipCandidate>& candidates);

}  // namespace c360

#endif  // C360_ENRICH_SURVIVORSHIP_H_

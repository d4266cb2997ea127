// Filter expressions over profiles (stored SegmentRows), as segments and
// scans use them: compiled once, then evaluated against many rows, read in
// place (segment_row_view.h), without allocating.
//
// Grammar (keywords case-insensitive):
//   expr       := or
//   or         := and ("OR" and)*
//   and        := not ("AND" not)*
//   not        := "NOT" not | primary
//   primary    := "(" expr ")" | "exists" "(" field ")" | comparison
//   comparison := field op literal
//               | field "IN" "(" literal ("," literal)* ")"
//               | field "STARTS_WITH" literal
//   op         := "=" | "!=" | "<" | "<=" | ">" | ">="
// A field is a name such as country, source.crm, enrichment.industry_code
// (letters, digits, '_', '.', ':' and '-', starting with a letter or '_').
// A literal is a double-quoted string (escapes \" and \\) or a number
// (-12, 3.5, 1e6).
//
// Semantics:
//   - A multi-valued field satisfies a comparison when any of its values
//     does; "!=" holds when no value equals the literal.
//   - A number literal compares numerically with a value that parses as a
//     number; everything else compares byte-wise as text, so ISO dates and
//     RFC 3339 UTC times order correctly as quoted strings, and a quoted
//     code such as postcode = "00100" matches exactly that text.
//   - A missing field fails every comparison except "!=", which passes.
//   - exists(field) holds when the field has a value.
//   - The empty expression selects every row.
#ifndef C360_ENRICH_SEGMENT_FILTER_H_
#define C360_ENRICH_SEGMENT_FILTER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "enrich/segment_row_view.h"

namespace c360 {

// Index lookups that select a superset of a filter's rows: every row the
// filter selects holds one of `values` (sorted, distinct) in `field`, an
// indexed field (segment_index.h).
struct IndexPlan {
  std::string field;
  std::vector<std::string> values;
};

// True when `text` is a number as filters understand one: an optional '-',
// digits with an optional fraction and exponent. Sets `*number`.
bool ParseFilterNumber(absl::string_view text, double* number);

class SegmentFilter {
 public:
  // The filter selecting every row.
  SegmentFilter() = default;

  // Parses `expression`. InvalidArgument on a syntax error, with the 1-based
  // column and what was expected, e.g. "filter column 17: expected a value
  // after '=' but found ')'".
  static absl::StatusOr<SegmentFilter> Compile(absl::string_view expression);

  // Whether the filter selects `row`. Thread-safe; allocates nothing.
  bool Matches(const SegmentRowView& row) const;

  // An index lookup for the filter, when its top-level AND holds
  // `field = "text"` or `field IN ("text", ...)` on an indexed field (string
  // literals only: a number literal also equals differently written
  // numbers, which an exact index lookup would miss). Of several, the field
  // likely to be most selective (e.g. email before country) is chosen.
  const std::optional<IndexPlan>& plan() const { return plan_; }

  const std::string& expression() const { return expression_; }

 private:
  friend class FilterParser;

  enum class Op { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kStartsWith, kExists };

  struct Literal {
    std::string text;
    bool is_number = false;
    double number = 0;
  };

  // One node of the expression tree; children are indices into nodes_.
  struct Node {
    enum class Kind { kAnd, kOr, kNot, kCondition };
    Kind kind = Kind::kCondition;
    std::vector<int> children;
    // kCondition only.
    std::string field;
    Op op = Op::kEq;
    std::vector<Literal> literals;
  };

  bool Eval(int node, const SegmentRowView& row) const;
  // `values` are the field's; a missing field has none.
  static bool Condition(const Node& node,
                        absl::Span<const absl::string_view> values);
  static int Compare(absl::string_view value, const Literal& literal);
  void ChoosePlan();

  std::string expression_;
  std::vector<Node> nodes_;
  int root_ = -1;
  std::optional<IndexPlan> plan_;
};

}  // namespace c360

#endif  // C360_ENRICH_SEGMENT_FILTER_H_

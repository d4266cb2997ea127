#include "enrich/segment_filter.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "enrich/segment_index.h"

namespace c360 {
namespace {

// Parentheses and NOTs nest at most this deep, so that neither parsing nor
// evaluation can run out of stack on a hostile expression.
constexpr int kMaxDepth = 64;

struct Token {
  enum class Kind { kIdent, kString, kNumber, kOp, kLParen, kRParen, kComma, kEnd };
  Kind kind;
  std::string text;  // a string literal's text is unescaped
  int column;        // 1-based
};

// How an error message names a token.
std::string Describe(const Token& token) {
  switch (token.kind) {
    case Token::Kind::kEnd:
      return "the end of the filter";
    case Token::Kind::kString:
      return absl::StrCat("the string \"", token.text, "\"");
    default:
      return absl::StrCat("'", token.text, "'");
  }
}

absl::Status ErrorAt(int column, absl::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat("filter column ", column, ": ", message));
}

bool IsFieldStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsFieldChar(char c) {
  return absl::ascii_isalnum(c) || c == '_' || c == '.' || c == ':' || c == '-';
}
bool IsOperatorChar(char c) { return c == '=' || c == '!' || c == '<' || c == '>'; }

// Length of the number at the start of `text` (grammar of ParseFilterNumber),
// 0 when there is none.
size_t NumberLength(absl::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < text.size() && absl::ascii_isdigit(text[i])) ++i;
    return i > start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (!digits()) return 0;
  if (i + 1 < text.size() && text[i] == '.' && absl::ascii_isdigit(text[i + 1])) {
    ++i;
    digits();
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    size_t mantissa_end = i++;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) i = mantissa_end;
  }
  return i;
}

class Lexer {
 public:
  explicit Lexer(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<Token>> Tokens() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < text_.size() && absl::ascii_isspace(text_[pos_])) ++pos_;
      if (pos_ == text_.size()) break;
      absl::StatusOr<Token> token = Next();
      if (!token.ok()) return token.status();
      tokens.push_back(*std::move(token));
    }
    tokens.push_back({Token::Kind::kEnd, "", static_cast<int>(pos_) + 1});
    return tokens;
  }

 private:
  absl::StatusOr<Token> Next() {
    const int column = static_cast<int>(pos_) + 1;
    const char c = text_[pos_];
    if (c == '(' || c == ')' || c == ',') {
      ++pos_;
      return Token{c == '(' ? Token::Kind::kLParen
                   : c == ')' ? Token::Kind::kRParen
                              : Token::Kind::kComma,
                   std::string(1, c), column};
    }
    if (c == '"') return String(column);
    if (size_t length = NumberLength(text_.substr(pos_)); length > 0) {
      return Take(Token::Kind::kNumber, length, column);
    }
    if (IsFieldStart(c)) return TakeWhile(Token::Kind::kIdent, IsFieldChar, column);
    if (IsOperatorChar(c)) return Operator(column);
    return ErrorAt(column, absl::StrCat("unexpected character '",
                                        text_.substr(pos_, 1), "'"));
  }

  Token Take(Token::Kind kind, size_t length, int column) {
    Token token{kind, std::string(text_.substr(pos_, length)), column};
    pos_ += length;
    return token;
  }

  Token TakeWhile(Token::Kind kind, bool (*accept)(char), int column) {
    size_t end = pos_;
    while (end < text_.size() && accept(text_[end])) ++end;
    return Take(kind, end - pos_, column);
  }

  absl::StatusOr<Token> Operator(int column) {
    Token token = TakeWhile(Token::Kind::kOp, IsOperatorChar, column);
    for (absl::string_view known : {"=", "!=", "<", "<=", ">", ">="}) {
      if (token.text == known) return token;
    }
    return ErrorAt(column, absl::StrCat("unknown operator '", token.text,
                                        "' (operators: = != < <= > >=)"));
  }

  absl::StatusOr<Token> String(int column) {
    std::string text;
    for (++pos_; pos_ < text_.size(); ++pos_) {
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return Token{Token::Kind::kString, std::move(text), column};
      }
      if (c == '\\') {
        if (pos_ + 1 == text_.size()) break;
        const char escaped = text_[++pos_];
        if (escaped != '"' && escaped != '\\') {
          return ErrorAt(static_cast<int>(pos_), absl::StrCat(
              "unknown escape '\\", std::string(1, escaped),
              "' in a string (only \\\" and \\\\)"));
        }
        text.push_back(escaped);
      } else {
        text.push_back(c);
      }
    }
    return ErrorAt(column, "unterminated string: no closing '\"'");
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

// Lower is likely more selective: identifiers single out a profile, a
// postcode a few hundred, a country or a consent most of the store.
int Selectivity(absl::string_view field) {
  if (field == "email" || field == "phone" || field == "business_id") return 0;
  if (field == "postcode") return 1;
  if (field == "city") return 2;
  if (absl::StartsWith(field, "enrichment.")) return 3;
  return 4;
}

}  // namespace

bool ParseFilterNumber(absl::string_view text, double* number) {
  if (text.empty() || NumberLength(text) != text.size()) return false;
  return std::from_chars(text.data(), text.data() + text.size(), *number).ec ==
         std::errc();
}

// Recursive descent over the tokens, one method per grammar rule, appending
// to the filter's nodes.
class FilterParser {
 public:
  FilterParser(std::vector<Token> tokens, SegmentFilter* filter)
      : tokens_(std::move(tokens)), filter_(filter) {}

  absl::Status Parse() {
    absl::StatusOr<int> root = Or(0);
    if (!root.ok()) return root.status();
    if (Peek().kind != Token::Kind::kEnd) {
      return Expected("AND, OR or the end of the filter");
    }
    filter_->root_ = *root;
    return absl::OkStatus();
  }

 private:
  using Node = SegmentFilter::Node;
  using Op = SegmentFilter::Op;

  const Token& Peek(size_t ahead = 0) const {
    return tokens_[std::min(next_ + ahead, tokens_.size() - 1)];
  }
  const Token& Advance() { return tokens_[next_++]; }
  bool PeekKeyword(absl::string_view keyword) const {
    return Peek().kind == Token::Kind::kIdent &&
           absl::EqualsIgnoreCase(Peek().text, keyword);
  }
  absl::Status Expected(absl::string_view what) const {
    return ErrorAt(Peek().column, absl::StrCat("expected ", what,
                                               " but found ", Describe(Peek())));
  }

  int Add(Node node) {
    filter_->nodes_.push_back(std::move(node));
    return static_cast<int>(filter_->nodes_.size()) - 1;
  }

  // `or` and `and`: one n-ary node for a chain, so that long chains do not
  // deepen the tree.
  absl::StatusOr<int> Chain(Node::Kind kind, absl::string_view keyword,
                            int depth) {
    std::vector<int> children;
    do {
      if (!children.empty()) Advance();
      absl::StatusOr<int> child =
          kind == Node::Kind::kOr ? And(depth) : Not(depth);
      if (!child.ok()) return child.status();
      children.push_back(*child);
    } while (PeekKeyword(keyword));
    if (children.size() == 1) return children[0];
    Node node;
    node.kind = kind;
    node.children = std::move(children);
    return Add(std::move(node));
  }
  absl::StatusOr<int> Or(int depth) { return Chain(Node::Kind::kOr, "or", depth); }
  absl::StatusOr<int> And(int depth) { return Chain(Node::Kind::kAnd, "and", depth); }

  absl::StatusOr<int> Not(int depth) {
    if (depth >= kMaxDepth) {
      return ErrorAt(Peek().column, absl::StrCat("nested more than ", kMaxDepth,
                                                 " levels deep"));
    }
    if (!PeekKeyword("not")) return Primary(depth);
    Advance();
    absl::StatusOr<int> operand = Not(depth + 1);
    if (!operand.ok()) return operand.status();
    Node node;
    node.kind = Node::Kind::kNot;
    node.children = {*operand};
    return Add(std::move(node));
  }

  absl::StatusOr<int> Primary(int depth) {
    if (Peek().kind == Token::Kind::kLParen) return Parenthesized(depth);
    if (PeekKeyword("exists") && Peek(1).kind == Token::Kind::kLParen) {
      return Exists();
    }
    if (Peek().kind != Token::Kind::kIdent || PeekKeyword("and") ||
        PeekKeyword("or") || PeekKeyword("in") || PeekKeyword("starts_with")) {
      return Expected("a field, '(', NOT or exists(");
    }
    return Comparison();
  }

  absl::StatusOr<int> Parenthesized(int depth) {
    const Token& open = Advance();
    if (Peek().kind == Token::Kind::kRParen) {
      return ErrorAt(Peek().column,
                     "empty parentheses: expected an expression after '('");
    }
    absl::StatusOr<int> inner = Or(depth + 1);
    if (!inner.ok()) return inner.status();
    if (Peek().kind != Token::Kind::kRParen) {
      return Expected(absl::StrCat("')' to close the '(' of column ", open.column));
    }
    Advance();
    return inner;
  }

  absl::StatusOr<int> Exists() {
    Advance();  // exists
    Advance();  // (
    if (Peek().kind != Token::Kind::kIdent) return Expected("a field in exists(");
    Node node;
    node.kind = Node::Kind::kCondition;
    node.field = Advance().text;
    node.op = Op::kExists;
    if (Peek().kind != Token::Kind::kRParen) {
      return Expected(absl::StrCat("')' after exists(", node.field));
    }
    Advance();
    return Add(std::move(node));
  }

  absl::StatusOr<int> Comparison() {
    Node node;
    node.kind = Node::Kind::kCondition;
    node.field = Advance().text;
    if (PeekKeyword("in")) {
      Advance();
      absl::Status values = InList(&node);
      if (!values.ok()) return values;
      node.op = Op::kIn;
      return Add(std::move(node));
    }
    std::string op_text;
    if (PeekKeyword("starts_with")) {
      node.op = Op::kStartsWith;
      op_text = "STARTS_WITH";
    } else if (Peek().kind == Token::Kind::kOp) {
      op_text = Peek().text;
      node.op = OpOf(op_text);
    } else {
      return Expected(absl::StrCat(
          "an operator (= != < <= > >= IN STARTS_WITH) after '", node.field,
          "'"));
    }
    Advance();
    absl::Status value =
        Literal(absl::StrCat("a value after '", op_text, "'"), &node);
    if (!value.ok()) return value;
    return Add(std::move(node));
  }

  absl::Status InList(Node* node) {
    if (Peek().kind != Token::Kind::kLParen) return Expected("'(' after IN");
    Advance();
    do {
      if (!node->literals.empty()) Advance();
      absl::Status value = Literal("a value in IN (...)", node);
      if (!value.ok()) return value;
    } while (Peek().kind == Token::Kind::kComma);
    if (Peek().kind != Token::Kind::kRParen) {
      return Expected("',' or ')' in IN (...)");
    }
    Advance();
    return absl::OkStatus();
  }

  // Appends the next token, which must be a string or number, to `node`.
  absl::Status Literal(absl::string_view what, Node* node) {
    const Token& token = Peek();
    if (token.kind != Token::Kind::kString && token.kind != Token::Kind::kNumber) {
      return Expected(what);
    }
    SegmentFilter::Literal literal;
    literal.text = token.text;
    literal.is_number = token.kind == Token::Kind::kNumber &&
                        ParseFilterNumber(token.text, &literal.number);
    node->literals.push_back(std::move(literal));
    Advance();
    return absl::OkStatus();
  }

  static Op OpOf(absl::string_view text) {
    if (text == "!=") return Op::kNe;
    if (text == "<") return Op::kLt;
    if (text == "<=") return Op::kLe;
    if (text == ">") return Op::kGt;
    if (text == ">=") return Op::kGe;
    return Op::kEq;
  }

  std::vector<Token> tokens_;
  size_t next_ = 0;
  SegmentFilter* filter_;
};

absl::StatusOr<SegmentFilter> SegmentFilter::Compile(
    absl::string_view expression) {
  SegmentFilter filter;
  filter.expression_ = std::string(expression);
  absl::StatusOr<std::vector<Token>> tokens = Lexer(expression).Tokens();
  if (!tokens.ok()) return tokens.status();
  if (tokens->size() == 1) return filter;  // only the end: select everything
  absl::Status parsed = FilterParser(*std::move(tokens), &filter).Parse();
  if (!parsed.ok()) return parsed;
  filter.ChoosePlan();
  return filter;
}

bool SegmentFilter::Matches(const SegmentRowView& row) const {
  return root_ < 0 || Eval(root_, row);
}

bool SegmentFilter::Eval(int index, const SegmentRowView& row) const {
  const Node& node = nodes_[index];
  switch (node.kind) {
    case Node::Kind::kAnd:
      for (int child : node.children) {
        if (!Eval(child, row)) return false;
      }
      return true;
    case Node::Kind::kOr:
      for (int child : node.children) {
        if (Eval(child, row)) return true;
      }
      return false;
    case Node::Kind::kNot:
      return !Eval(node.children[0], row);
    case Node::Kind::kCondition:
      return Condition(node, row.Values(node.field));
  }
  return false;
}

bool SegmentFilter::Condition(const Node& node,
                              absl::Span<const absl::string_view> values) {
  if (node.op == Op::kExists) return !values.empty();
  const Literal& first = node.literals[0];
  for (absl::string_view value : values) {
    switch (node.op) {
      case Op::kNe:
        if (Compare(value, first) == 0) return false;
        break;
      case Op::kIn:
        for (const Literal& literal : node.literals) {
          if (Compare(value, literal) == 0) return true;
        }
        break;
      case Op::kStartsWith:
        if (absl::StartsWith(value, first.text)) return true;
        break;
      default: {
        const int order = Compare(value, first);
        if ((node.op == Op::kEq && order == 0) ||
            (node.op == Op::kLt && order < 0) ||
            (node.op == Op::kLe && order <= 0) ||
            (node.op == Op::kGt && order > 0) ||
            (node.op == Op::kGe && order >= 0)) {
          return true;
        }
      }
    }
  }
  return node.op == Op::kNe;
}

int SegmentFilter::Compare(absl::string_view value, const Literal& literal) {
  double number = 0;
  if (literal.is_number && ParseFilterNumber(value, &number)) {
    return number < literal.number ? -1 : number > literal.number ? 1 : 0;
  }
  const int order = value.compare(literal.text);
  return order < 0 ? -1 : order > 0 ? 1 : 0;
}

void SegmentFilter::ChoosePlan() {
  const Node& root = nodes_[root_];
  std::vector<int> conjuncts =
      root.kind == Node::Kind::kAnd ? root.children : std::vector<int>{root_};
  const Node* best = nullptr;
  for (int index : conjuncts) {
    const Node& node = nodes_[index];
    if (node.kind != Node::Kind::kCondition ||
        (node.op != Op::kEq && node.op != Op::kIn) ||
        !IsIndexedField(node.field) ||
        std::any_of(node.literals.begin(), node.literals.end(),
                    [](const Literal& l) { return l.is_number; })) {
      continue;
    }
    if (best == nullptr ||
        std::make_pair(Selectivity(node.field), node.literals.size()) <
            std::make_pair(Selectivity(best->field), best->literals.size())) {
      best = &node;
    }
  }
  if (best == nullptr) return;
  IndexPlan plan{best->field, {}};
  for (const Literal& literal : best->literals) plan.values.push_back(literal.text);
  std::sort(plan.values.begin(), plan.values.end());
  plan.values.erase(std::unique(plan.values.begin(), plan.values.end()),
                    plan.values.end());
  plan_ = std::move(plan);
}

}  // namespace c360

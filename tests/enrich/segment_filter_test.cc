#include "enrich/segment_filter.h"

#include <string>

#include "enrich/segment_index.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/enrich/segment_rows.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const SegmentRow& Row() {
  static const SegmentRow row = MakeSegmentRow(
      "E1", {{"birth_date", {"1980-05-17"}},
             {"city", {"Helsinki"}},
             {"consent.marketing", {"granted"}},
             {"consent.profiling", {"denied"}},
             {"country", {"FI"}},
             {"email", {"liisa@example.fi", "liisa.j@work.fi"}},
             {"enrichment.industry_code", {"62010"}},
             {"name", {"Liisa \"LJ\" Jääskeläinen"}},
             {"postcode", {"00100"}},
             {"records", {"3"}},
             {"score.churn", {"0.35"}},
             {"source", {"crm", "erp"}},
             {"source.crm", {"2"}},
             {"updated_at", {"2026-11-25T13:00:00Z"}}});
  return row;
}

bool Selects(const std::string& expression) {
  static const std::string bytes = Row().SerializeAsString();
  SegmentRowView row;
  EXPECT_TRUE(row.Parse(bytes));
  absl::StatusOr<SegmentFilter> filter = SegmentFilter::Compile(expression);
  EXPECT_TRUE(filter.ok()) << expression << ": " << filter.status();
  return filter.ok() && filter->Matches(row);
}

std::string ErrorOf(const std::string& expression) {
  absl::StatusOr<SegmentFilter> filter = SegmentFilter::Compile(expression);
  EXPECT_TRUE(absl::IsInvalidArgument(filter.status())) << expression;
  return std::string(filter.status().message());
}

TEST(SegmentFilterTest, EmptyExpressionSelectsEverything) {
  EXPECT_TRUE(Selects(""));
  EXPECT_TRUE(Selects("   "));
}

TEST(SegmentFilterTest, ComparesTextByteWise) {
  EXPECT_TRUE(Selects(R"(country = "FI")"));
  EXPECT_FALSE(Selects(R"(country = "fi")"));
  EXPECT_TRUE(Selects(R"(country != "SE")"));
  EXPECT_TRUE(Selects(R"(birth_date < "1990-01-01")"));
  EXPECT_FALSE(Selects(R"(birth_date >= "1990-01-01")"));
  EXPECT_TRUE(Selects(R"(updated_at >= "2026-11-25T13:00:00Z")"));
  EXPECT_FALSE(Selects(R"(updated_at > "2026-11-25T13:00:00Z")"));
  EXPECT_TRUE(Selects(R"(birth_date <= "1980-05-17")"));
}

TEST(SegmentFilterTest, ComparesNumbersNumerically) {
  EXPECT_TRUE(Selects("source.crm >= 2"));
  EXPECT_TRUE(Selects("source.crm < 10"));  // as text "2" > "10"
  EXPECT_TRUE(Selects("score.churn > 0.3"));
  EXPECT_TRUE(Selects("score.churn = 3.5e-1"));
  EXPECT_TRUE(Selects("records != -3"));
  EXPECT_TRUE(Selects("postcode = 100"));  // a number literal: 00100 = 100
  EXPECT_FALSE(Selects(R"(postcode = "100")"));  // a string: exact text
  // A value that is not a number compares as text with the literal's text.
  EXPECT_TRUE(Selects("country > 5"));
}

TEST(SegmentFilterTest, MultiValuedFieldMatchesWhenAnyValueDoes) {
  EXPECT_TRUE(Selects(R"(email = "liisa.j@work.fi")"));
  EXPECT_TRUE(Selects(R"(source = "erp")"));
  EXPECT_FALSE(Selects(R"(source != "erp")"));  // != : no value equals
  EXPECT_TRUE(Selects(R"(source != "web")"));
  EXPECT_TRUE(Selects(R"(email STARTS_WITH "liisa.j@")"));
}

TEST(SegmentFilterTest, MissingFieldFailsAllButNotEqual) {
  EXPECT_FALSE(Selects(R"(phone = "+358401234567")"));
  EXPECT_FALSE(Selects(R"(phone < "z")"));
  EXPECT_FALSE(Selects(R"(phone IN ("a", "b"))"));
  EXPECT_FALSE(Selects(R"(phone STARTS_WITH "")"));
  EXPECT_TRUE(Selects(R"(phone != "+358401234567")"));
  EXPECT_FALSE(Selects("exists(phone)"));
  EXPECT_TRUE(Selects("exists(enrichment.industry_code)"));
}

TEST(SegmentFilterTest, InListAndBooleanOperators) {
  EXPECT_TRUE(Selects(R"(country IN ("SE", "FI", "NO"))"));
  EXPECT_FALSE(Selects(R"(country IN ("SE"))"));
  EXPECT_TRUE(Selects(
      R"(country = "FI" AND (city = "Espoo" OR city = "Helsinki"))"));
  EXPECT_FALSE(Selects(R"(country = "FI" AND city = "Espoo")"));
  EXPECT_TRUE(Selects(R"(country = "SE" OR consent.marketing = "granted")"));
  EXPECT_TRUE(Selects(R"(NOT consent.profiling = "granted")"));
  EXPECT_TRUE(Selects(R"(not not country = "FI")"));
  // AND binds tighter than OR.
  EXPECT_TRUE(Selects(R"(country = "FI" OR city = "x" AND city = "y")"));
  EXPECT_FALSE(Selects(R"((country = "FI" OR city = "x") AND city = "y")"));
}

TEST(SegmentFilterTest, KeywordsAreCaseInsensitive) {
  EXPECT_TRUE(Selects(
      R"(country in ("FI") and Not city starts_with "E" oR EXISTS(x))"));
}

TEST(SegmentFilterTest, StringEscapes) {
  EXPECT_TRUE(Selects(R"(name = "Liisa \"LJ\" Jääskeläinen")"));
  EXPECT_FALSE(Selects(R"(name = "a\\b")"));
}

TEST(SegmentFilterTest, ErrorsNameColumnAndExpectation) {
  EXPECT_EQ(ErrorOf(R"(country = "FI" OR city = ))"),
            "filter column 26: expected a value after '=' but found ')'");
  EXPECT_EQ(ErrorOf(R"(country = "FI)"),
            "filter column 11: unterminated string: no closing '\"'");
  EXPECT_THAT(ErrorOf(R"(country == "FI")"),
              HasSubstr("filter column 9: unknown operator '=='"));
  EXPECT_EQ(ErrorOf(R"(country = "FI" city = "x")"),
            "filter column 16: expected AND, OR or the end of the filter but "
            "found 'city'");
  EXPECT_EQ(ErrorOf("country = \"FI\" AND ()"),
            "filter column 21: empty parentheses: expected an expression after "
            "'('");
  EXPECT_EQ(ErrorOf("country IN ()"),
            "filter column 13: expected a value in IN (...) but found ')'");
  EXPECT_EQ(ErrorOf(R"(country IN ("FI" "SE"))"),
            "filter column 18: expected ',' or ')' in IN (...) but found the "
            "string \"SE\"");
  EXPECT_EQ(ErrorOf(R"((country = "FI")"),
            "filter column 16: expected ')' to close the '(' of column 1 but "
            "found the end of the filter");
  EXPECT_THAT(ErrorOf("country ~ 1"),
              HasSubstr("filter column 9: unexpected character '~'"));
  EXPECT_EQ(ErrorOf("country"),
            "filter column 8: expected an operator (= != < <= > >= IN "
            "STARTS_WITH) after 'country' but found the end of the filter");
  EXPECT_EQ(ErrorOf(R"(AND country = "FI")"),
            "filter column 1: expected a field, '(', NOT or exists( but found "
            "'AND'");
  EXPECT_THAT(ErrorOf(R"(name = "a\n")"),
              HasSubstr("filter column 10: unknown escape '\\n'"));
  EXPECT_EQ(ErrorOf("exists(1)"),
            "filter column 8: expected a field in exists( but found '1'");
}

TEST(SegmentFilterTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(10000, '(');
  EXPECT_THAT(ErrorOf(deep + "a = 1"), HasSubstr("nested more than"));
  std::string nots;
  for (int i = 0; i < 10000; ++i) nots += "NOT ";
  EXPECT_THAT(ErrorOf(nots + "a = 1"), HasSubstr("nested more than"));
}

TEST(SegmentFilterTest, LongChainsEvaluate) {
  std::string chain = R"(country = "FI")";
  for (int i = 0; i < 10000; ++i) chain += R"( AND country != "SE")";
  EXPECT_TRUE(Selects(chain));
}

std::optional<IndexPlan> PlanOf(const std::string& expression) {
  absl::StatusOr<SegmentFilter> filter = SegmentFilter::Compile(expression);
  EXPECT_TRUE(filter.ok()) << filter.status();
  return filter.ok() ? filter->plan() : std::nullopt;
}

TEST(SegmentFilterTest, PlanUsesTopLevelEqualityOnIndexedFields) {
  std::optional<IndexPlan> plan = PlanOf(R"(country = "FI" AND records > 1)");
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->field, "country");
  EXPECT_THAT(plan->values, ElementsAre("FI"));

  plan = PlanOf(R"(postcode IN ("00200", "00100", "00200"))");
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->field, "postcode");
  EXPECT_THAT(plan->values, ElementsAre("00100", "00200"));

  // The likely more selective field wins.
  plan = PlanOf(R"(country = "FI" AND email = "a@b.c" AND source = "crm")");
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->field, "email");

  plan = PlanOf(R"(consent.marketing = "granted")");
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->field, "consent.marketing");
}

TEST(SegmentFilterTest, NoPlanWhereAnIndexLookupCouldMissRows) {
  EXPECT_FALSE(PlanOf("").has_value());
  EXPECT_FALSE(PlanOf(R"(country = "FI" OR city = "Oulu")").has_value());
  EXPECT_FALSE(PlanOf(R"(NOT country = "FI")").has_value());
  EXPECT_FALSE(PlanOf(R"(country != "FI")").has_value());
  EXPECT_FALSE(PlanOf(R"(name = "Liisa")").has_value());  // not indexed
  EXPECT_FALSE(PlanOf("postcode = 100").has_value());     // number literal
  EXPECT_FALSE(PlanOf(R"(postcode IN ("00100", 200))").has_value());
}

TEST(SegmentIndexTest, IndexedFields) {
  EXPECT_TRUE(IsIndexedField("country"));
  EXPECT_TRUE(IsIndexedField("consent.marketing"));
  EXPECT_TRUE(IsIndexedField("enrichment.industry_code"));
  EXPECT_FALSE(IsIndexedField("consent."));
  EXPECT_FALSE(IsIndexedField("enrichment.interests"));
  EXPECT_FALSE(IsIndexedField("name"));
  EXPECT_FALSE(IsIndexedField("source.crm"));
}

TEST(SegmentIndexTest, KeysOfEveryValueOfIndexedFields) {
  SegmentRow row = MakeSegmentRow(
      "E1", {{"country", {"FI"}},
             {"email", {"b@x", "a@x", "b@x"}},
             {"name", {"Liisa"}}});
  EXPECT_THAT(ProfileIndexKeys(row),
              ElementsAre(ProfileIndexKey("country", "FI", "E1"),
                          ProfileIndexKey("email", "a@x", "E1"),
                          ProfileIndexKey("email", "b@x", "E1")));
}

}  // namespace
}  // namespace c360

#include "enrich/segment_row_view.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/enrich/segment_rows.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

SegmentRow Row() {
  return MakeSegmentRow("E1", {{"city", {"Oulu"}},
                               {"email", {"a@x.fi", "b@x.fi"}},
                               {"name", {"Liisa"}},
                               {"phone", {}}});
}

TEST(SegmentRowViewTest, ReadsFieldsInPlace) {
  const std::string bytes = Row().SerializeAsString();
  SegmentRowView view;
  ASSERT_TRUE(view.Parse(bytes));
  EXPECT_EQ(view.entity_id(), "E1");
  EXPECT_THAT(view.Values("email"), ElementsAre("a@x.fi", "b@x.fi"));
  EXPECT_EQ(view.Golden("email"), "a@x.fi");
  EXPECT_THAT(view.Values("phone"), IsEmpty());
  EXPECT_EQ(view.Golden("phone"), "");
  EXPECT_THAT(view.Values("country"), IsEmpty());
  EXPECT_THAT(view.Values("zzz"), IsEmpty());
}

TEST(SegmentRowViewTest, SkipsUnknownFieldsAndRefusesMalformedBytes) {
  std::string bytes = Row().SerializeAsString();
  // Field 15 as a varint and field 9 as fixed64, as a newer writer might add.
  std::string extended = bytes + "\x78\x05" + "\x49" + std::string(8, '\x01');
  SegmentRowView view;
  ASSERT_TRUE(view.Parse(extended));
  EXPECT_THAT(view.Values("city"), ElementsAre("Oulu"));
  EXPECT_FALSE(view.Parse(bytes.substr(0, bytes.size() - 2)));
  EXPECT_FALSE(view.Parse("\x12\xff"));  // length past the end
  EXPECT_TRUE(view.Parse(""));           // the empty row
  EXPECT_EQ(view.entity_id(), "");
}

TEST(SegmentRowViewTest, CopyToKeepsRequestedFieldsAndReplacesTheTarget) {
  const std::string bytes = Row().SerializeAsString();
  SegmentRowView view;
  ASSERT_TRUE(view.Parse(bytes));
  SegmentRow out = MakeSegmentRow("old", {{"a", {"1", "2", "3"}}, {"b", {"x"}}});
  view.CopyTo({"email", "name", "nope"}, &out);
  EXPECT_EQ(out.SerializeAsString(),
            MakeSegmentRow("E1", {{"email", {"a@x.fi", "b@x.fi"}},
                                  {"name", {"Liisa"}}})
                .SerializeAsString());
  view.CopyTo({}, &out);
  EXPECT_EQ(out.SerializeAsString(), bytes);
}

TEST(SegmentRowViewTest, FindFieldOfAMessage) {
  const SegmentRow row = Row();
  ASSERT_NE(FindField(row, "name"), nullptr);
  EXPECT_EQ(FindField(row, "name")->values(0), "Liisa");
  EXPECT_EQ(FindField(row, "country"), nullptr);
}

}  // namespace
}  // namespace c360

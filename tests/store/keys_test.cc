#include "store/keys.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;

TEST(KeysTest, RoundTripsPartsHoldingAnyBytes) {
  const std::string zero_inside("a\0b", 3);
  const std::string only_zeros("\0\0", 2);
  const std::string high_bytes("\xFF\x01\x00", 3);
  std::string key = EncodeKey({"", zero_inside, only_zeros, high_bytes, "Ää"});
  absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_THAT(*parts,
              ElementsAre("", zero_inside, only_zeros, high_bytes, "Ää"));
}

TEST(KeysTest, TuplePrefixIsBytePrefix) {
  std::string parent = EncodeKey({"crm", "42"});
  EXPECT_EQ(EncodeKey({"crm", "42", "x"}).rfind(parent, 0), 0u);
  // A longer part is not inside the parent's prefix range.
  EXPECT_NE(EncodeKey({"crm", "421"}).rfind(parent, 0), 0u);
}

TEST(KeysTest, ByteOrderFollowsTupleOrder) {
  std::vector<std::vector<std::string>> tuples = {
      {"a"}, {"a", ""}, {"a", "b"}, {std::string("a\0", 2)}, {"ab"}, {"b"}};
  std::vector<std::string> encoded;
  for (const auto& t : tuples) {
    std::string key;
    for (const auto& part : t) AppendKeyPart(part, &key);
    encoded.push_back(key);
  }
  EXPECT_TRUE(std::is_sorted(tuples.begin(), tuples.end()));
  EXPECT_TRUE(std::is_sorted(encoded.begin(), encoded.end()));
}

TEST(KeysTest, RejectsMalformedKeys) {
  EXPECT_EQ(DecodeKey(std::string("ab\0", 3)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeKey(std::string("a\0\x07", 3)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeKey("abc").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(KeysTest, SequencesSortNumerically) {
  EXPECT_LT(EncodeSequence(255), EncodeSequence(256));
  EXPECT_LT(EncodeSequence(1), EncodeSequence(uint64_t{1} << 40));
  EXPECT_EQ(*DecodeSequence(EncodeSequence(0x0102030405060708)),
            0x0102030405060708u);
  EXPECT_EQ(DecodeSequence("short").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(KeysTest, PrefixSuccessorBoundsThePrefix) {
  EXPECT_EQ(PrefixSuccessor("ab"), "ac");
  EXPECT_EQ(PrefixSuccessor("a\xFF"), "b");
  EXPECT_EQ(PrefixSuccessor("\xFF\xFF"), "");
  EXPECT_EQ(PrefixSuccessor(""), "");
}

}  // namespace
}  // namespace c360

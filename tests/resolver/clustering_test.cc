// Clustering without chaining, conflicts and one-record-per-person sources;
// and the quality of the whole bulk resolution on FEBRL3.
#include "resolver/clustering.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/febrl.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

// Pairs not listed score this (clearly different people).
constexpr double kUnlisted = -20;

// A scorer that knows the listed pairs.
class FakeScores {
 public:
  explicit FakeScores(std::vector<ScoredPair> pairs)
      : pairs_(std::move(pairs)) {}

  PairScorer Scorer() const {
    return [this](int a, int b) {
      for (const ScoredPair& p : pairs_) {
        if ((p.a == a && p.b == b) || (p.a == b && p.b == a)) return p;
      }
      return ScoredPair{a, b, kUnlisted, false};
    };
  }

 private:
  std::vector<ScoredPair> pairs_;
};

ClusteringOptions Options() {
  ClusteringOptions options;
  options.link_weight = 4;
  options.review_weight = 0;
  return options;
}

TEST(ClusterRecordsTest, DoesNotChainThroughABridgeRecord) {
  // 0 and 2 are different people; 1 (family name and address only) fits
  // both, a little better with 0.
  const std::vector<ScoredPair> pairs = {{0, 1, 12}, {1, 2, 10}, {0, 2, -15}};
  const FakeScores scores(pairs);
  const Clustering result =
      ClusterRecords(3, pairs, scores.Scorer(), Options());
  EXPECT_EQ(result.cluster_of[0], result.cluster_of[1]);
  EXPECT_NE(result.cluster_of[1], result.cluster_of[2]);
  EXPECT_THAT(result.review, ElementsAre(Field(&ScoredPair::weight, 10)));
}

TEST(ClusterRecordsTest, MergesWhenTheEvidenceHoldsBetweenClusters) {
  // Pairs blocking did not produce (0-3, 1-2) are scored on demand.
  const std::vector<ScoredPair> blocked = {{0, 1, 20}, {2, 3, 18}, {1, 3, 9}};
  FakeScores scores(
      {{0, 1, 20}, {2, 3, 18}, {1, 3, 9}, {0, 2, 6}, {0, 3, 7}, {1, 2, 5}});
  const Clustering result =
      ClusterRecords(4, blocked, scores.Scorer(), Options());
  EXPECT_THAT(result.cluster_of,
              ElementsAre(result.cluster_of[0], result.cluster_of[0],
                          result.cluster_of[0], result.cluster_of[0]));
  EXPECT_TRUE(result.review.empty());
}

TEST(ClusterRecordsTest, ConflictingIdentifiersSendTheMergeToReview) {
  const std::vector<ScoredPair> pairs = {{0, 1, 30, /*conflict=*/true}};
  const FakeScores scores(pairs);
  const Clustering result =
      ClusterRecords(2, pairs, scores.Scorer(), Options());
  EXPECT_NE(result.cluster_of[0], result.cluster_of[1]);
  ASSERT_EQ(result.review.size(), 1u);
  EXPECT_TRUE(result.review[0].conflict);
}

TEST(ClusterRecordsTest, OneRecordPerPersonSourceLinksOnlyTheBest) {
  // Record 0 is in source a, 1 and 2 in source b: 0 takes its best match.
  const std::vector<ScoredPair> pairs = {{0, 1, 15}, {0, 2, 25}, {1, 2, 20}};
  const FakeScores scores(pairs);
  ClusteringOptions options = Options();
  options.exclusive_group = {0, 1, 1};
  const Clustering result = ClusterRecords(3, pairs, scores.Scorer(), options);
  EXPECT_EQ(result.cluster_of[0], result.cluster_of[2]);
  EXPECT_NE(result.cluster_of[0], result.cluster_of[1]);
}

TEST(ClusterRecordsTest, PairsInTheReviewBandLeftApartAreReviewed) {
  const std::vector<ScoredPair> pairs = {{0, 1, 2}, {1, 2, -3}};
  const FakeScores scores(pairs);
  const Clustering result =
      ClusterRecords(3, pairs, scores.Scorer(), Options());
  EXPECT_THAT(result.cluster_of, ElementsAre(0, 1, 2));
  EXPECT_THAT(result.review, ElementsAre(Field(&ScoredPair::weight, 2)));
}

// The whole bulk resolution, trained without the answers, at the model's
// own threshold. Measured: pairwise F1 0.9979 (P 1.0, R 0.9957).
TEST(FebrlQualityTest, Febrl3DeduplicationBeatsTheFloor) {
  absl::StatusOr<FebrlData> data = ReadFebrlFile(
      C360_SOURCE_DIR "/../shared/data/febrl/dataset3.csv", "febrl");
  ASSERT_TRUE(data.ok()) << data.status();
  absl::StatusOr<NicknameTable> nicknames =
      NicknameTable::Load(DefaultNicknamePath(C360_SOURCE_DIR));
  ASSERT_TRUE(nicknames.ok()) << nicknames.status();
  absl::StatusOr<FebrlEvaluation> result =
      EvaluateFebrl(*data, *std::move(nicknames), FebrlEvalOptions());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->metrics.records, 5000);
  EXPECT_EQ(result->metrics.true_pairs, 6538);
  EXPECT_GE(result->metrics.pairwise_precision, 0.998);
  EXPECT_GE(result->metrics.pairwise_f1, 0.995);
  EXPECT_GE(result->metrics.bcubed_f1, 0.997);
  EXPECT_TRUE(result->em.converged);
}

}  // namespace
}  // namespace c360

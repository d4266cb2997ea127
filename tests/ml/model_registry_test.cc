#include "ml/model_registry.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/rocksdb_store.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

StoredModel Candidate(double validation_auc, int won = 100, int lost = 100) {
  StoredModel model;
  model.set_family("hit_rate");
  model.set_model("xgboost bytes");
  model.mutable_report()->set_validation_auc(validation_auc);
  model.mutable_data()->set_train_won(won * 3 / 4);
  model.mutable_data()->set_validation_won(won - won * 3 / 4);
  model.mutable_data()->set_train_lost(lost * 3 / 4);
  model.mutable_data()->set_validation_lost(lost - lost * 3 / 4);
  return model;
}

class ModelRegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<KvStore>> store =
        OpenRocksDbStore({.path = NewTestDir("model_registry")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    registry_ = std::make_unique<ModelRegistry>(
        store_.get(), RegistryOptions{.max_auc_drop = 0.01});
  }

  std::unique_ptr<KvStore> store_;
  std::unique_ptr<ModelRegistry> registry_;
};

TEST_F(ModelRegistryTest, VersionsAndExplicitPublish) {
  EXPECT_EQ(*registry_->Register(Candidate(0.60)), 1u);
  EXPECT_EQ(*registry_->Register(Candidate(0.62)), 2u);
  EXPECT_TRUE(absl::IsNotFound(registry_->Published("hit_rate").status()));
  ASSERT_TRUE(registry_->Publish("hit_rate", 1).ok());
  EXPECT_EQ(registry_->Published("hit_rate")->version(), 1u);
  ASSERT_TRUE(registry_->Publish("hit_rate", 2).ok());
  EXPECT_EQ(registry_->Published("hit_rate")->version(), 2u);
  EXPECT_FALSE(registry_->Get("hit_rate", 1)->published());
  EXPECT_EQ(registry_->List("hit_rate")->size(), 2u);
  EXPECT_TRUE(registry_->List("other")->empty());
  EXPECT_TRUE(absl::IsNotFound(registry_->Publish("hit_rate", 9)));
}

TEST_F(ModelRegistryTest, RefusesAClearlyWorseCandidate) {
  ASSERT_TRUE(registry_->Register(Candidate(0.65)).ok());
  ASSERT_TRUE(registry_->Publish("hit_rate", 1).ok());
  ASSERT_TRUE(registry_->Register(Candidate(0.62)).ok());
  absl::Status refused = registry_->Publish("hit_rate", 2);
  EXPECT_TRUE(absl::IsFailedPrecondition(refused));
  EXPECT_THAT(refused.message(),
              AllOf(HasSubstr("0.6200"), HasSubstr("0.6500")));
  EXPECT_EQ(registry_->Published("hit_rate")->version(), 1u);
  // Within the margin is fine.
  ASSERT_TRUE(registry_->Register(Candidate(0.645)).ok());
  EXPECT_TRUE(registry_->Publish("hit_rate", 3).ok());
}

TEST_F(ModelRegistryTest, TooFewExamplesStoresNothing) {
  absl::StatusOr<uint64_t> version =
      registry_->Register(Candidate(0.7, 39, 500));
  EXPECT_TRUE(absl::IsFailedPrecondition(version.status()));
  EXPECT_THAT(version.status().message(), HasSubstr("39 won"));
  EXPECT_TRUE(registry_->List("hit_rate")->empty());
  EXPECT_TRUE(
      absl::IsInvalidArgument(registry_->Register(StoredModel()).status()));
}

TEST_F(ModelRegistryTest, PublishStoresValidGradeBandsAndRefusesBadOnes) {
  ASSERT_EQ(*registry_->Register(Candidate(0.60)), 1u);
  for (const std::vector<double>& bad :
       std::vector<std::vector<double>>{{0.1, 0.3, 0.5},
                                        {0.1, 0.3, 0.3, 0.7},
                                        {0.0, 0.3, 0.5, 0.7},
                                        {0.1, 0.3, 0.5, 1.0}}) {
    absl::Status status = registry_->Publish("hit_rate", 1, bad);
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  }
  EXPECT_THAT(registry_->Publish("hit_rate", 1, {0.1, 0.5, 0.3, 0.7})
                  .message(),
              HasSubstr("must increase"));
  EXPECT_TRUE(absl::IsNotFound(registry_->Published("hit_rate").status()));
  ASSERT_TRUE(registry_->Publish("hit_rate", 1, {0.1, 0.3, 0.5, 0.7}).ok());
  absl::StatusOr<StoredModel> published = registry_->Published("hit_rate");
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_THAT(published->grade_bands(),
              ::testing::ElementsAre(0.1, 0.3, 0.5, 0.7));
}

}  // namespace
}  // namespace c360

// A small hit-rate model trained on the Maven data set and published, for
// the tests that score over a store (tests/ml/score_open_test.cc,
// tests/server/scoring_service_test.cc). Header-only like maven_data.h; the
// tests that use it link c360_server.
#ifndef C360_TESTS_ML_PUBLISH_MODEL_H_
#define C360_TESTS_ML_PUBLISH_MODEL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "ml/model_registry.h"
#include "ml/stages.h"
#include "ml/trainer.h"
#include "store/kv_store.h"
#include "tests/ml/maven_data.h"

namespace c360 {

// Trains a model of `stage` on MavenOpportunities() (30 rounds, one
// thread), registers it in `store` and publishes it with `grade_bands`.
// A failure fails the test fatally; callers that go on afterwards should
// check ::testing::Test::HasFatalFailure() or wrap the call in
// ASSERT_NO_FATAL_FAILURE.
inline void PublishMavenModel(KvStore* store,
                              ModelStage stage = ModelStage::kCreation,
                              const std::vector<double>& grade_bands = {}) {
  TrainerOptions options;
  options.family = std::string(StageFamily(stage));
  options.feature_set = StageFeatureSet(stage);
  options.parameters.set_max_rounds(30);
  options.parameters.set_nthread(1);
  absl::StatusOr<StoredModel> model =
      TrainHitRateModel(MavenOpportunities(), options);
  ASSERT_TRUE(model.ok()) << model.status();
  ModelRegistry registry(store, RegistryOptions());
  absl::StatusOr<uint64_t> version = registry.Register(*model);
  ASSERT_TRUE(version.ok()) << version.status();
  ASSERT_TRUE(registry.Publish(options.family, *version, grade_bands).ok());
}

}  // namespace c360

#endif  // C360_TESTS_ML_PUBLISH_MODEL_H_

// Versions of trained models in the store (Table::kModels, key
// EncodeKey({family, EncodeSequence(version)})), and which version of each
// family is published for scoring. A new version is stored unpublished;
// publishing is an explicit step that refuses a model clearly worse than
// the one it replaces.
#ifndef C360_ML_MODEL_REGISTRY_H_
#define C360_ML_MODEL_REGISTRY_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/opportunity.pb.h"
#include "store/kv_store.h"

namespace c360 {

struct RegistryOptions {
  // Publish refuses a candidate whose validation AUC is below the published
  // model's by more than this.
  double max_auc_drop = 0.01;
  // Register refuses a model trained on fewer won or fewer lost examples.
  int min_class_examples = 40;
};

// Not thread-safe for writes: concurrent Register calls of one family may
// pick the same version. Reads are as thread-safe as the store.
class ModelRegistry {
 public:
  // `store` is not owned and must outlive the registry.
  ModelRegistry(KvStore* store, const RegistryOptions& options)
      : store_(store), options_(options) {}

  // Stores `model` unpublished as the family's next version and returns
  // that version. InvalidArgument for an empty family or model bytes;
  // FailedPrecondition (nothing stored) when its training data had fewer
  // than min_class_examples won or lost examples.
  absl::StatusOr<uint64_t> Register(StoredModel model);

  // Publishes `version` and unpublishes the family's previous model, in one
  // commit; non-empty `grade_bands` are stored with the model and grade its
  // scores (empty keeps the model's bands). InvalidArgument with the reason
  // for bad bands (CheckGradeBands); NotFound for an unknown version;
  // FailedPrecondition, with both AUCs in the message, when its validation
  // AUC is lower than the published one's by more than max_auc_drop.
  // Nothing changes on error.
  absl::Status Publish(absl::string_view family, uint64_t version,
                       const std::vector<double>& grade_bands = {});

  // The stored model; NotFound when there is none.
  absl::StatusOr<StoredModel> Get(absl::string_view family,
                                  uint64_t version) const;

  // The family's published model; NotFound when none is published.
  absl::StatusOr<StoredModel> Published(absl::string_view family) const;

  // Every version of the family, ascending.
  absl::StatusOr<std::vector<StoredModel>> List(absl::string_view family) const;

 private:
  KvStore* store_;
  RegistryOptions options_;
};

}  // namespace c360

#endif  // C360_ML_MODEL_REGISTRY_H_

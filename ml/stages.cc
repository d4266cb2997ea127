#include "ml/stages.h"

#include "absl/strings/str_cat.h"

namespace c360 {

absl::string_view StageName(ModelStage stage) {
  return stage == ModelStage::kCreation ? "creation" : "offer";
}

absl::string_view StageFamily(ModelStage stage) {
  return stage == ModelStage::kCreation ? "hit_rate_at_creation"
                                        : "hit_rate_after_offer";
}

FeatureSet StageFeatureSet(ModelStage stage) {
  return stage == ModelStage::kCreation ? FeatureSet::kAtCreation
                                        : FeatureSet::kAfterFirstOffer;
}

ModelStage StageOf(const Opportunity& opp) {
  return opp.has_first_offer_at() ? ModelStage::kAfterOffer
                                  : ModelStage::kCreation;
}

absl::StatusOr<std::vector<ModelStage>> ParseStages(absl::string_view name) {
  if (name == "both") return std::vector<ModelStage>(std::begin(kAllStages),
                                                     std::end(kAllStages));
  for (ModelStage stage : kAllStages) {
    if (name == StageName(stage)) return std::vector<ModelStage>{stage};
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "stage must be creation, offer or both, not '", name, "'"));
}

}  // namespace c360

// The two stages an opportunity is scored at, each with its own model
// family in the registry: at creation (only what is known when the
// opportunity is opened) and after the first offer (plus what the offer
// says). An opportunity with a first_offer_at date is scored by the
// after-offer model, any other by the at-creation model.
#ifndef C360_ML_STAGES_H_
#define C360_ML_STAGES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/opportunity.pb.h"
#include "ml/features.h"

namespace c360 {

enum class ModelStage { kCreation, kAfterOffer };

// Both stages, creation first.
inline constexpr ModelStage kAllStages[] = {ModelStage::kCreation,
                                            ModelStage::kAfterOffer};

// "creation" or "offer", as the command line spells it.
absl::string_view StageName(ModelStage stage);

// The registry family: "hit_rate_at_creation" or "hit_rate_after_offer".
absl::string_view StageFamily(ModelStage stage);

// The columns the stage's model sees: kAtCreation or kAfterFirstOffer.
FeatureSet StageFeatureSet(ModelStage stage);

// The stage `opp` is at: kAfterOffer when it has first_offer_at.
ModelStage StageOf(const Opportunity& opp);

// "creation" or "offer" as one stage, "both" as both (creation first);
// InvalidArgument naming the accepted values otherwise.
absl::StatusOr<std::vector<ModelStage>> ParseStages(absl::string_view name);

}  // namespace c360

#endif  // C360_ML_STAGES_H_

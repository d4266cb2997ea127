// Hit-rate scoring over the store (Scoring), shared by the gRPC
// ScoringService and the `c360 ml score | whatif | forecast` commands, and
// the service's thin gRPC handlers.
#ifndef C360_SERVER_SCORING_SERVICE_H_
#define C360_SERVER_SCORING_SERVICE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "c360/scoring.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "ml/score_open.h"
#include "ml/scorer.h"
#include "ml/stages.h"
#include "server/runtime.h"
#include "store/kv_store.h"

namespace c360 {

struct ScoringOptions {
  // Default grade bands (a model published with its own wins), factors per
  // side, threads, the customers' profiles.
  ScorerOptions scorer;
};

// The default options with the runtime's customer profiles (read live, so
// the profile columns of a score are as current as GetProfile).
ScoringOptions ScoringOptionsFor(const Runtime& runtime);

// Answers scoring requests over the stored opportunities with the published
// model of each opportunity's stage (ml/stages.h): "hit_rate_after_offer"
// for one with a first offer date, else "hit_rate_at_creation". The
// opportunities are loaded by the first call and a stage's model by the
// first call that needs it, then kept: while a process holds the store
// nothing else can change them (`c360 ml` commands need the store
// themselves), so rereading them per call would only cost time.
// Thread-safe.
class Scoring {
 public:
  // `store` is not owned and must outlive the object.
  explicit Scoring(KvStore* store, ScoringOptions options = ScoringOptions())
      : store_(store), options_(std::move(options)) {}

  // Hit rate, grade and top factors, and the model (family, version) that
  // scored. NotFound for an unknown id, InvalidArgument for no target or a
  // price <= 0, FailedPrecondition while the opportunity's stage has no
  // published model.
  absl::StatusOr<ScoreOpportunityResponse> Score(
      const ScoreOpportunityRequest& request);

  // The price sweep. Errors as Score, and InvalidArgument for a bad range,
  // a cost above min_price or steps outside 2..kMaxWhatIfSteps.
  absl::StatusOr<WhatIfPriceResponse> WhatIf(const WhatIfPriceRequest& request);

  // The expected value of the matching open opportunities, each scored by
  // its stage's model; FailedPrecondition while a stage with matching
  // opportunities has no published model.
  absl::StatusOr<PipelineForecastResponse> Forecast(
      const PipelineForecastRequest& request);

  // The customer's stored scores (ml/score_open.h), read from the store on
  // every call; InvalidArgument for an empty key, NotFound when none are
  // stored.
  absl::StatusOr<GetCustomerScoresResponse> GetCustomerScores(
      const GetCustomerScoresRequest& request);

 private:
  using Loaded = StageScorer;
  using Opportunities = std::vector<Opportunity>;

  // The stored opportunities, loaded first when needed.
  absl::StatusOr<std::shared_ptr<const Opportunities>> LoadOpportunitiesOnce();
  // The stage's cached scorer, loading it first when needed.
  absl::StatusOr<Loaded> Load(ModelStage stage);
  // The opportunity a request names (stored, by id, or given whole) and the
  // scorer of its stage.
  template <typename Request>
  absl::StatusOr<std::pair<Opportunity, Loaded>> Target(const Request& request);

  KvStore* store_;
  const ScoringOptions options_;
  absl::Mutex mutex_;
  std::shared_ptr<const Opportunities> opportunities_ ABSL_GUARDED_BY(mutex_);
  Loaded loaded_[2] ABSL_GUARDED_BY(mutex_);  // by ModelStage
};

class ScoringServiceImpl final : public ScoringService::Service {
 public:
  // `runtime` is not owned and must outlive the service.
  explicit ScoringServiceImpl(Runtime* runtime)
      : scoring_(&runtime->store(), ScoringOptionsFor(*runtime)) {}

  grpc::Status ScoreOpportunity(grpc::ServerContext* context,
                                const ScoreOpportunityRequest* request,
                                ScoreOpportunityResponse* response) override;
  grpc::Status WhatIfPrice(grpc::ServerContext* context,
                           const WhatIfPriceRequest* request,
                           WhatIfPriceResponse* response) override;
  grpc::Status PipelineForecast(grpc::ServerContext* context,
                                const PipelineForecastRequest* request,
                                PipelineForecastResponse* response) override;
  grpc::Status GetCustomerScores(grpc::ServerContext* context,
                                 const GetCustomerScoresRequest* request,
                                 GetCustomerScoresResponse* response) override;

 private:
  Scoring scoring_;
};

}  // namespace c360

#endif  // C360_SERVER_SCORING_SERVICE_H_

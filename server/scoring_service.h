// Hit-rate scoring over the store (Scoring), shared by the gRPC
// ScoringService and the `c360 ml score | whatif | forecast` commands, and
// the service's thin gRPC handlers.
#ifndef C360_SERVER_SCORING_SERVICE_H_
#define C360_SERVER_SCORING_SERVICE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "c360/scoring.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "ml/scorer.h"
#include "server/runtime.h"
#include "store/kv_store.h"

namespace c360 {

struct ScoringOptions {
  // The model family whose published version scores.
  std::string family = "hit_rate";
  // Grade bands, factors per side, threads.
  ScorerOptions scorer;
};

// Answers scoring requests with the family's published model over the
// stored opportunities. Both are loaded by the first call that finds a
// published model and then kept: while a process holds the store nothing
// else can change them (`c360 ml` commands need the store themselves), so
// rereading them per call would only cost time. Thread-safe.
class Scoring {
 public:
  // `store` is not owned and must outlive the object.
  explicit Scoring(KvStore* store, ScoringOptions options = ScoringOptions())
      : store_(store), options_(std::move(options)) {}

  // Hit rate, grade and top factors. NotFound for an unknown id,
  // InvalidArgument for no target or a price <= 0, FailedPrecondition while
  // no model is published.
  absl::StatusOr<ScoreOpportunityResponse> Score(
      const ScoreOpportunityRequest& request);

  // The price sweep. Errors as Score, and InvalidArgument for a bad range,
  // a cost above min_price or steps outside 2..kMaxWhatIfSteps.
  absl::StatusOr<WhatIfPriceResponse> WhatIf(const WhatIfPriceRequest& request);

  // The expected value of the matching open opportunities;
  // FailedPrecondition while no model is published.
  absl::StatusOr<PipelineForecastResponse> Forecast(
      const PipelineForecastRequest& request);

 private:
  struct Loaded {
    std::shared_ptr<const Scorer> scorer;
    uint64_t version = 0;
  };

  // The cached scorer, loading it first when needed.
  absl::StatusOr<Loaded> Load();

  KvStore* store_;
  const ScoringOptions options_;
  absl::Mutex mutex_;
  Loaded loaded_ ABSL_GUARDED_BY(mutex_);
};

class ScoringServiceImpl final : public ScoringService::Service {
 public:
  // `runtime` is not owned and must outlive the service.
  explicit ScoringServiceImpl(Runtime* runtime) : scoring_(&runtime->store()) {}

  grpc::Status ScoreOpportunity(grpc::ServerContext* context,
                                const ScoreOpportunityRequest* request,
                                ScoreOpportunityResponse* response) override;
  grpc::Status WhatIfPrice(grpc::ServerContext* context,
                           const WhatIfPriceRequest* request,
                           WhatIfPriceResponse* response) override;
  grpc::Status PipelineForecast(grpc::ServerContext* context,
                                const PipelineForecastRequest* request,
                                PipelineForecastResponse* response) override;

 private:
  Scoring scoring_;
};

}  // namespace c360

#endif  // C360_SERVER_SCORING_SERVICE_H_

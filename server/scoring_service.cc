#include "server/scoring_service.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ml/model_registry.h"
#include "ml/opportunity_store.h"
#include "server/services.h"

namespace c360 {
namespace {

// The opportunity a request names: stored (by id) or given whole.
template <typename Request>
absl::StatusOr<Opportunity> TargetOf(const Scorer& scorer,
                                     const Request& request) {
  switch (request.target_case()) {
    case Request::kOpportunityId: {
      absl::StatusOr<const Opportunity*> found =
          scorer.Find(request.opportunity_id());
      if (!found.ok()) return found.status();
      return **found;
    }
    case Request::kOpportunity:
      return request.opportunity();
    default:
      return absl::InvalidArgumentError(
          "give an opportunity_id or an opportunity");
  }
}

void ToProto(const std::vector<Factor>& factors,
             google::protobuf::RepeatedPtrField<ScoreFactor>* out) {
  for (const Factor& f : factors) {
    ScoreFactor* factor = out->Add();
    factor->set_feature(f.feature);
    factor->set_value(f.value);
    factor->set_contribution(f.contribution);
  }
}

void ToProto(const PricePoint& p, WhatIfPoint* out) {
  out->set_price(p.price);
  out->set_hit_rate(p.hit_rate);
  out->set_margin(p.margin);
  out->set_expected_profit(p.expected_profit);
}

void ToProto(const ForecastGroup& g, PipelineGroup* out) {
  out->set_key(g.key);
  out->set_count(g.count);
  out->set_expected_revenue(g.expected_revenue);
  out->set_expected_profit(g.expected_profit);
  out->set_without_cost(g.without_cost);
}

void ToProto(const std::vector<ForecastGroup>& groups,
             google::protobuf::RepeatedPtrField<PipelineGroup>* out) {
  for (const ForecastGroup& g : groups) ToProto(g, out->Add());
}

// The gRPC status of `result`, with its value moved to `response`.
template <typename Response>
grpc::Status Reply(absl::StatusOr<Response> result, Response* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

absl::StatusOr<Scoring::Loaded> Scoring::Load() {
  absl::MutexLock lock(&mutex_);
  if (loaded_.scorer != nullptr) return loaded_;
  ModelRegistry registry(store_, RegistryOptions());
  absl::StatusOr<StoredModel> model = registry.Published(options_.family);
  if (absl::IsNotFound(model.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no published '", options_.family, "' model: train one with `c360 ml ",
        "train` and publish it with `c360 ml publish VERSION`"));
  }
  if (!model.ok()) return model.status();
  absl::StatusOr<std::vector<Opportunity>> opportunities =
      LoadOpportunities(*store_);
  if (!opportunities.ok()) return opportunities.status();
  absl::StatusOr<std::unique_ptr<Scorer>> scorer =
      Scorer::Create(*model, *std::move(opportunities), options_.scorer);
  if (!scorer.ok()) return scorer.status();
  loaded_ = {std::move(*scorer), model->version()};
  return loaded_;
}

absl::StatusOr<ScoreOpportunityResponse> Scoring::Score(
    const ScoreOpportunityRequest& request) {
  absl::StatusOr<Loaded> loaded = Load();
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<Opportunity> opp = TargetOf(*loaded->scorer, request);
  if (!opp.ok()) return opp.status();
  absl::StatusOr<OpportunityScore> score = loaded->scorer->Explain(*opp);
  if (!score.ok()) return score.status();
  ScoreOpportunityResponse response;
  response.set_opportunity_id(opp->opportunity_id());
  response.set_hit_rate(score->hit_rate);
  response.set_grade(score->grade);
  ToProto(score->positive, response.mutable_positive_factors());
  ToProto(score->negative, response.mutable_negative_factors());
  response.set_model_version(loaded->version);
  return response;
}

absl::StatusOr<WhatIfPriceResponse> Scoring::WhatIf(
    const WhatIfPriceRequest& request) {
  absl::StatusOr<Loaded> loaded = Load();
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<Opportunity> opp = TargetOf(*loaded->scorer, request);
  if (!opp.ok()) return opp.status();
  double cost = request.has_cost() ? request.cost()
                : opp->has_cost()  ? opp->cost()
                                   : 0;
  absl::StatusOr<PriceWhatIf> what_if = loaded->scorer->WhatIfPrice(
      *opp, cost, request.min_price(), request.max_price(), request.steps());
  if (!what_if.ok()) return what_if.status();
  WhatIfPriceResponse response;
  response.set_opportunity_id(opp->opportunity_id());
  response.set_cost(cost);
  for (const PricePoint& p : what_if->points) {
    ToProto(p, response.add_points());
  }
  ToProto(what_if->best, response.mutable_best());
  response.set_model_version(loaded->version);
  return response;
}

absl::StatusOr<PipelineForecastResponse> Scoring::Forecast(
    const PipelineForecastRequest& request) {
  absl::StatusOr<Loaded> loaded = Load();
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<c360::PipelineForecast> forecast =
      loaded->scorer->ForecastPipeline(
          {request.owner(), request.product(), request.segment()});
  if (!forecast.ok()) return forecast.status();
  PipelineForecastResponse response;
  ToProto(forecast->total, response.mutable_total());
  ToProto(forecast->by_owner, response.mutable_by_owner());
  ToProto(forecast->by_product, response.mutable_by_product());
  ToProto(forecast->by_segment, response.mutable_by_segment());
  response.set_model_version(loaded->version);
  return response;
}

grpc::Status ScoringServiceImpl::ScoreOpportunity(
    grpc::ServerContext*, const ScoreOpportunityRequest* request,
    ScoreOpportunityResponse* response) {
  return Reply(scoring_.Score(*request), response);
}

grpc::Status ScoringServiceImpl::WhatIfPrice(grpc::ServerContext*,
                                             const WhatIfPriceRequest* request,
                                             WhatIfPriceResponse* response) {
  return Reply(scoring_.WhatIf(*request), response);
}

grpc::Status ScoringServiceImpl::PipelineForecast(
    grpc::ServerContext*, const PipelineForecastRequest* request,
    PipelineForecastResponse* response) {
  return Reply(scoring_.Forecast(*request), response);
}

}  // namespace c360

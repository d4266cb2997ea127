#include "server/scoring_service.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "ml/opportunity_store.h"
#include "ml/score_open.h"
#include "server/customer_segments.h"
#include "server/services.h"

namespace c360 {
namespace {

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

}  // namespace

ScoringOptions ScoringOptionsFor(const Runtime& runtime) {
  ScoringOptions options;
  options.scorer.profiles = runtime.customer_profiles();
  return options;
}

absl::StatusOr<std::shared_ptr<const Scoring::Opportunities>>
Scoring::LoadOpportunitiesOnce() {
  absl::MutexLock lock(&mutex_);
  if (opportunities_ != nullptr) return opportunities_;
  absl::StatusOr<Opportunities> opportunities = LoadOpportunities(*store_);
  if (!opportunities.ok()) return opportunities.status();
  opportunities_ =
      std::make_shared<const Opportunities>(*std::move(opportunities));
  return opportunities_;
}

absl::StatusOr<Scoring::Loaded> Scoring::Load(ModelStage stage) {
  absl::StatusOr<std::shared_ptr<const Opportunities>> opportunities =
      LoadOpportunitiesOnce();
  if (!opportunities.ok()) return opportunities.status();
  absl::MutexLock lock(&mutex_);
  Loaded& loaded = loaded_[static_cast<int>(stage)];
  if (loaded.scorer != nullptr) return loaded;
  absl::StatusOr<StageScorer> scorer =
      LoadStageScorer(store_, stage, **opportunities, options_.scorer);
  if (!scorer.ok()) return scorer.status();
  loaded = *std::move(scorer);
  return loaded;
}

template <typename Request>
absl::StatusOr<std::pair<Opportunity, Scoring::Loaded>> Scoring::Target(
    const Request& request) {
  Opportunity opp;
  switch (request.target_case()) {
    case Request::kOpportunityId: {
      absl::StatusOr<std::shared_ptr<const Opportunities>> all =
          LoadOpportunitiesOnce();
      if (!all.ok()) return all.status();
      auto it = std::find_if((*all)->begin(), (*all)->end(),
                             [&](const Opportunity& o) {
                               return o.opportunity_id() ==
                                      request.opportunity_id();
                             });
      if (it == (*all)->end()) {
        return absl::NotFoundError(absl::StrCat(
            "no opportunity '", request.opportunity_id(), "'"));
      }
      opp = *it;
      break;
    }
    case Request::kOpportunity:
      opp = request.opportunity();
      break;
    default:
      return absl::InvalidArgumentError(
          "give an opportunity_id or an opportunity");
  }
  absl::StatusOr<Loaded> loaded = Load(StageOf(opp));
  if (!loaded.ok()) return loaded.status();
  return std::make_pair(std::move(opp), *std::move(loaded));
}

absl::StatusOr<ScoreOpportunityResponse> Scoring::Score(
    const ScoreOpportunityRequest& request) {
  auto target = Target(request);
  if (!target.ok()) return target.status();
  const auto& [opp, loaded] = *target;
  absl::StatusOr<OpportunityScore> score = loaded.scorer->Explain(opp);
  if (!score.ok()) return score.status();
  ScoreOpportunityResponse response;
  response.set_opportunity_id(opp.opportunity_id());
  response.set_hit_rate(score->hit_rate);
  response.set_grade(score->grade);
  FactorsToProto(score->positive, response.mutable_positive_factors());
  FactorsToProto(score->negative, response.mutable_negative_factors());
  response.set_model_version(loaded.version);
  response.set_model_family(loaded.family);
  return response;
}

absl::StatusOr<WhatIfPriceResponse> Scoring::WhatIf(
    const WhatIfPriceRequest& request) {
  auto target = Target(request);
  if (!target.ok()) return target.status();
  const auto& [opp, loaded] = *target;
  CostModel cost;
  cost.fixed = request.has_cost() ? request.cost()
               : opp.has_cost()   ? opp.cost()
                                  : 0;
  cost.share_of_price = request.cost_share_of_price();
  absl::StatusOr<PriceWhatIf> what_if = loaded.scorer->WhatIfPrice(
      opp, cost, request.min_price(), request.max_price(), request.steps());
  if (!what_if.ok()) return what_if.status();
  WhatIfPriceResponse response;
  response.set_opportunity_id(opp.opportunity_id());
  response.set_cost(cost.fixed);
  response.set_cost_share_of_price(cost.share_of_price);
  for (const PricePoint& p : what_if->points) {
    ToProto(p, response.add_points());
  }
  ToProto(what_if->best, response.mutable_best());
  response.set_model_version(loaded.version);
  response.set_model_family(loaded.family);
  return response;
}

absl::StatusOr<PipelineForecastResponse> Scoring::Forecast(
    const PipelineForecastRequest& request) {
  absl::StatusOr<std::shared_ptr<const Opportunities>> all =
      LoadOpportunitiesOnce();
  if (!all.ok()) return all.status();
  const std::unique_ptr<ReadView> snapshot = store_->Snapshot();
  CustomerSegments segments(snapshot.get());
  OpportunityPredicate customer_in;
  if (!request.customer_segment().empty() ||
      !request.customer_filter().empty()) {
    absl::StatusOr<OpportunityPredicate> in = segments.Predicate(
        request.customer_filter(), request.customer_segment());
    if (!in.ok()) return in.status();
    customer_in = *std::move(in);
  }
  absl::StatusOr<std::vector<CustomerGroup>> groups =
      segments.StoredSegments();
  if (!groups.ok()) return groups.status();
  PipelineForecastResponse response;
  c360::PipelineForecast forecast;
  for (ModelStage stage : kAllStages) {
    PipelineFilter filter{request.owner(), request.product(),
                          request.segment(), stage, customer_in};
    bool any = std::any_of((*all)->begin(), (*all)->end(),
                           [&](const Opportunity& o) {
                             return o.outcome() == OUTCOME_OPEN &&
                                    MatchesFilter(filter, o);
                           });
    if (!any) continue;
    absl::StatusOr<Loaded> loaded = Load(stage);
    if (!loaded.ok()) return loaded.status();
    absl::StatusOr<c360::PipelineForecast> part =
        loaded->scorer->ForecastPipeline(filter, *groups);
    if (!part.ok()) return part.status();
    MergeForecast(*part, &forecast);
    ModelRef* model = response.add_models();
    model->set_family(loaded->family);
    model->set_version(loaded->version);
  }
  ToProto(forecast.total, response.mutable_total());
  ToProto(forecast.by_owner, response.mutable_by_owner());
  ToProto(forecast.by_product, response.mutable_by_product());
  ToProto(forecast.by_segment, response.mutable_by_segment());
  ToProto(forecast.by_customer_group, response.mutable_by_customer_segment());
  if (response.models_size() > 0) {
    response.set_model_version(response.models(0).version());
  }
  return response;
}

absl::StatusOr<GetCustomerScoresResponse> Scoring::GetCustomerScores(
    const GetCustomerScoresRequest& request) {
  if (request.customer_key().empty()) {
    return absl::InvalidArgumentError("give a customer_key");
  }
  return ReadCustomerScores(*store_, request.customer_key());
}

grpc::Status ScoringServiceImpl::ScoreOpportunity(
    grpc::ServerContext*, const ScoreOpportunityRequest* request,
    ScoreOpportunityResponse* response) {
  return Answer(scoring_.Score(*request), response);
}

grpc::Status ScoringServiceImpl::WhatIfPrice(grpc::ServerContext*,
                                             const WhatIfPriceRequest* request,
                                             WhatIfPriceResponse* response) {
  return Answer(scoring_.WhatIf(*request), response);
}

grpc::Status ScoringServiceImpl::PipelineForecast(
    grpc::ServerContext*, const PipelineForecastRequest* request,
    PipelineForecastResponse* response) {
  return Answer(scoring_.Forecast(*request), response);
}

grpc::Status ScoringServiceImpl::GetCustomerScores(
    grpc::ServerContext*, const GetCustomerScoresRequest* request,
    GetCustomerScoresResponse* response) {
  return Answer(scoring_.GetCustomerScores(*request), response);
}

}  // namespace c360

// c360 ml score | whatif | forecast | score-open: the published per-stage
// models over the local store, through the same Scoring as the gRPC
// ScoringService (score-open through ml/score_open.h, which shares its
// model loading and Scorer::Explain).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "ml/score_open.h"
#include "server/cli_ml.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/json_text.h"
#include "server/runtime.h"
#include "server/scored_entities.h"
#include "server/scoring_service.h"

namespace c360 {
namespace {

absl::StatusOr<WhatIfPriceRequest> WhatIfRequestFrom(const Args& args) {
  if (args.positionals().size() != 1) {
    return absl::InvalidArgumentError("give one OPPORTUNITY_ID");
  }
  absl::StatusOr<double> from = GetDouble(args, "from");
  absl::StatusOr<double> to = GetDouble(args, "to");
  absl::StatusOr<int64_t> steps = args.GetInt("steps");
  if (!from.ok()) return from.status();
  if (!to.ok()) return to.status();
  if (!steps.ok()) return steps.status();
  WhatIfPriceRequest request;
  request.set_opportunity_id(args.positionals()[0]);
  request.set_min_price(*from);
  request.set_max_price(*to);
  // Clamped so that a huge value stays out of range instead of wrapping
  // into it; the range itself is checked by the scorer.
  request.set_steps(static_cast<int32_t>(
      std::min<int64_t>(std::max<int64_t>(*steps, -1), kMaxWhatIfSteps + 1)));
  if (!args.Get("cost").empty()) {
    absl::StatusOr<double> cost = GetDouble(args, "cost");
    if (!cost.ok()) return cost.status();
    request.set_cost(*cost);
  }
  absl::StatusOr<double> share = GetDouble(args, "cost-share");
  if (!share.ok()) return share.status();
  request.set_cost_share_of_price(*share);
  return request;
}

// Keeps only the grouping --by asks for; all three without --by.
absl::Status KeepGrouping(const std::string& by,
                          PipelineForecastResponse* response) {
  if (by.empty()) return absl::OkStatus();
  if (by != "owner" && by != "product" && by != "segment" &&
      by != "customer_segment") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--by must be owner, product, segment or customer_segment, not '", by,
        "'"));
  }
  if (by != "owner") response->clear_by_owner();
  if (by != "product") response->clear_by_product();
  if (by != "segment") response->clear_by_segment();
  if (by != "customer_segment") response->clear_by_customer_segment();
  return absl::OkStatus();
}

std::string SummaryJson(const ScoreOpenSummary& summary, double seconds) {
  std::vector<std::string> models;
  for (const ModelUse& use : summary.by_model) {
    models.push_back(absl::StrCat(
        "{\"family\": ", JsonString(use.family), ", \"version\": ",
        use.version, ", \"opportunities\": ", use.opportunities, "}"));
  }
  return absl::StrCat(
      "{\"opportunities_scored\": ", summary.opportunities_scored,
      ", \"without_customer\": ", summary.without_customer,
      ", \"skipped\": ", summary.skipped,
      ", \"customers\": ", summary.customers,
      ", \"entities\": ", summary.entities,
      ", \"entities_changed\": ", summary.entities_changed,
      ", \"removed\": ", summary.removed,
      ", \"seconds\": ", seconds, ", \"by_model\": [",
      absl::StrJoin(models, ", "), "]}");
}

}  // namespace

int RunMlScoreOpen(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml score-open [--db DIR]",
      "Scores every open opportunity with its stage's published model and "
      "stores its hit rate, grade and factors, and per customer the "
      "expected value (sum of hit rate x price) and profit of its open "
      "pipeline, replacing earlier scores (table scores). A customer key "
      "that names an entity (its id or a record's source/source_id) counts "
      "for the entity: its profile shows the scores, and each entity whose "
      "scores changed gets an ENTITY_SCORED change. Prints a JSON summary.");
  if (auto exit = ParseArgs(args, "ml score-open", argc, argv)) return *exit;
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml score-open", runtime.status());
  const absl::Time start = absl::Now();
  Runtime& local = **runtime;
  ScoreOpenOptions options;
  options.scorer = ScoringOptionsFor(local).scorer;
  auto summary = ScoreOpenOpportunities(
      &local.store(), start,
      AnnounceEntityScores(&local.store(), &local.resolver()), options);
  if (!summary.ok()) return Fail("ml score-open", summary.status());
  absl::StatusOr<int64_t> refreshed = local.RefreshProfiles();
  if (!refreshed.ok()) return Fail("ml score-open", refreshed.status());
  std::printf("%s\n",
              SummaryJson(*summary, absl::ToDoubleSeconds(absl::Now() - start))
                  .c_str());
  return kExitOk;
}

int RunMlScore(int argc, char** argv) {
  Args args = MlArgs("c360 ml score OPPORTUNITY_ID [--db DIR]",
                     "Scores a stored opportunity with the published model: "
                     "hit rate, grade 1-5 and the top positive and negative "
                     "factors, as JSON.");
  args.Positionals("OPPORTUNITY_ID  the CRM's id of a stored opportunity");
  if (auto exit = ParseArgs(args, "ml score", argc, argv)) return *exit;
  if (args.positionals().size() != 1) {
    return Fail("ml score", absl::InvalidArgumentError("give one OPPORTUNITY_ID"));
  }
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml score", runtime.status());
  ScoreOpportunityRequest request;
  request.set_opportunity_id(args.positionals()[0]);
  auto response = Scoring(&(*runtime)->store(), ScoringOptionsFor(**runtime)).Score(request);
  if (!response.ok()) return Fail("ml score", response.status());
  std::printf("%s\n", ToJson(*response).c_str());
  return kExitOk;
}

int RunMlWhatIf(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml whatif OPPORTUNITY_ID --from P --to P [--steps N] [--cost C] "
      "[--cost-share S]",
      "Hit rate, margin (price - cost) / price and expected profit (hit "
      "rate x price x margin) of a stored opportunity at N prices from P to "
      "P, and the best price, as JSON. The cost at price p is C + S x p. "
      "Without --cost: the opportunity's cost, or 0.");
  args.Positionals("OPPORTUNITY_ID  the CRM's id of a stored opportunity");
  args.Option("from", "lowest price");
  args.Option("to", "highest price");
  args.Option("steps", "number of prices, 2 to 1000", "11");
  args.Option("cost", "our cost of the offer (its fixed part)");
  args.Option("cost-share", "the part of the cost that is a share of the "
              "price, e.g. 0.05 for a 5% commission", "0");
  if (auto exit = ParseArgs(args, "ml whatif", argc, argv)) return *exit;
  absl::StatusOr<WhatIfPriceRequest> request = WhatIfRequestFrom(args);
  if (!request.ok()) return Fail("ml whatif", request.status());
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml whatif", runtime.status());
  auto response = Scoring(&(*runtime)->store(), ScoringOptionsFor(**runtime)).WhatIf(*request);
  if (!response.ok()) return Fail("ml whatif", response.status());
  std::printf("%s\n", ToJson(*response).c_str());
  return kExitOk;
}

int RunMlForecast(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml forecast [--db DIR] [--by owner|product|segment|"
      "customer_segment] [filters]",
      "The expected value of the open pipeline with the published model: "
      "sum of hit rate x price and of hit rate x price x margin, in total "
      "and by owner, product, segment (the customer's sector) and stored "
      "c360 segment (customers whose unified profile it selects), as JSON.");
  args.Option("by", "only this grouping: owner, product, segment or "
              "customer_segment");
  args.Option("owner", "only this owner's opportunities");
  args.Option("product", "only this product");
  args.Option("segment", "only customers of this sector");
  args.Option("customer-segment", "only customers in this stored c360 "
              "segment (c360 segment define)");
  args.Option("customer-filter", "only customers whose profile this filter "
              "expression selects, e.g. 'score.best_hit_rate > 0.5' or "
              "'enrichment.credit_rating IN (\"AA\", \"AAA\")'");
  if (auto exit = ParseArgs(args, "ml forecast", argc, argv)) return *exit;
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml forecast", runtime.status());
  PipelineForecastRequest request;
  request.set_owner(args.Get("owner"));
  request.set_product(args.Get("product"));
  request.set_segment(args.Get("segment"));
  request.set_customer_segment(args.Get("customer-segment"));
  request.set_customer_filter(args.Get("customer-filter"));
  auto response = Scoring(&(*runtime)->store(), ScoringOptionsFor(**runtime)).Forecast(request);
  if (!response.ok()) return Fail("ml forecast", response.status());
  absl::Status kept = KeepGrouping(args.Get("by"), &*response);
  if (!kept.ok()) return Fail("ml forecast", kept);
  std::printf("%s\n", ToJson(*response).c_str());
  return kExitOk;
}

}  // namespace c360

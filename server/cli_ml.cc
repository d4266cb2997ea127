// c360 ml: the hit-rate engine's commands over the local store — import
// opportunities, train, report, publish, and score, what-if and forecast
// with the published model. Every command prints JSON on stdout.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "ml/model_registry.h"
#include "ml/opportunity_store.h"
#include "ml/trainer.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/json_text.h"
#include "server/opportunity_import.h"
#include "server/progress.h"
#include "server/report_html.h"
#include "server/runtime.h"
#include "server/scoring_service.h"

namespace c360 {
namespace {

constexpr char kFamily[] = "hit_rate";

// Every ml command works on a local store.
Args MlArgs(const std::string& usage, const std::string& summary) {
  Args args(usage, summary);
  args.Option("db", "local store folder", "c360-data");
  return args;
}

absl::StatusOr<double> GetDouble(const Args& args, const std::string& name) {
  double value = 0;
  if (!absl::SimpleAtod(args.Get(name), &value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", name, " must be a number, not '", args.Get(name), "'"));
  }
  return value;
}

// ---- import ----

absl::StatusOr<OpportunityImport> ReadOpportunities(const Args& args) {
  if (!args.Get("maven").empty()) return ImportMavenCrm(args.Get("maven"));
  if (args.Get("csv").empty()) {
    return absl::InvalidArgumentError("give --maven DIR or --csv FILE");
  }
  OpportunityCsvMapping mapping;
  if (!args.Get("mapping").empty()) {
    std::ifstream in(args.Get("mapping"));
    if (!in) {
      return absl::NotFoundError(absl::StrCat("cannot read ", args.Get("mapping")));
    }
    std::string text((std::istreambuf_iterator<char>(in)), {});
    absl::StatusOr<OpportunityCsvMapping> parsed = ParseOpportunityMapping(text);
    if (!parsed.ok()) return parsed.status();
    mapping = *std::move(parsed);
  }
  mapping.require_outcome = !args.GetFlag("open-only");
  return ImportOpportunityCsv(args.Get("csv"), mapping);
}

int RunImport(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml import [--db DIR] (--maven DIR | --csv FILE [--mapping FILE])",
      "Stores sales opportunities: the Maven CRM data set (four CSV files) or "
      "any CRM export with a mapping file (format in "
      "server/opportunity_import.h). An existing id is replaced. Rejected "
      "rows are listed on stderr with their line and reason (exit code 3).");
  args.Option("maven", "folder of the Maven CRM data set");
  args.Option("csv", "opportunities CSV file");
  args.Option("mapping", "mapping file for --csv (default column names)");
  args.Flag("open-only", "the CSV has no outcome column: import all as open");
  if (auto exit = ParseArgs(args, "ml import", argc, argv)) return *exit;
  absl::StatusOr<OpportunityImport> imported = ReadOpportunities(args);
  if (!imported.ok()) return Fail("ml import", imported.status());
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml import", runtime.status());
  absl::Status saved =
      SaveOpportunities(imported->opportunities, &(*runtime)->store());
  if (!saved.ok()) return Fail("ml import", saved);
  int64_t count[4] = {0, 0, 0, 0};
  for (const Opportunity& opp : imported->opportunities) ++count[opp.outcome()];
  for (const RejectedRow& row : imported->rejected) {
    std::fprintf(stderr, "c360 ml import: %s:%lld: %s\n", row.file.c_str(),
                 static_cast<long long>(row.line), row.reason.c_str());
  }
  std::printf(
      "{\"imported\": %zu, \"won\": %lld, \"lost\": %lld, \"open\": %lld, "
      "\"rejected\": %zu}\n",
      imported->opportunities.size(), (long long)count[OUTCOME_WON],
      (long long)count[OUTCOME_LOST], (long long)count[OUTCOME_OPEN],
      imported->rejected.size());
  return imported->rejected.empty() ? kExitOk : kExitRejected;
}

// ---- train ----

absl::StatusOr<TrainerOptions> TrainerOptionsFrom(const Args& args) {
  TrainerOptions options;
  absl::StatusOr<FeatureSet> set = ParseFeatureSet(args.Get("feature-set"));
  absl::StatusOr<int64_t> seed = args.GetInt("seed");
  absl::StatusOr<int64_t> rounds = args.GetInt("max-rounds");
  absl::StatusOr<int64_t> patience = args.GetInt("early-stopping");
  absl::StatusOr<int64_t> threads = args.GetInt("threads");
  absl::StatusOr<double> fraction = GetDouble(args, "validation-fraction");
  for (const absl::Status& s :
       {set.status(), seed.status(), rounds.status(), patience.status(),
        threads.status(), fraction.status()}) {
    if (!s.ok()) return absl::InvalidArgumentError(s.message());
  }
  if (!(*fraction > 0 && *fraction < 1) || *rounds < 1 || *threads < 1) {
    return absl::InvalidArgumentError(
        "--validation-fraction must be in (0, 1); --max-rounds and "
        "--threads at least 1");
  }
  options.family = args.Get("family");
  options.feature_set = *set;
  options.calibrate = args.GetFlag("calibrate");
  options.source = args.Get("db");
  TrainingParameters& p = options.parameters;
  p.set_seed(static_cast<uint64_t>(*seed));
  p.set_max_rounds(static_cast<int32_t>(*rounds));
  p.set_early_stopping_rounds(static_cast<int32_t>(*patience));
  p.set_nthread(static_cast<int32_t>(*threads));
  p.set_validation_fraction(*fraction);
  return options;
}

// A model's headline figures as one JSON object.
std::string ModelSummaryJson(const StoredModel& m) {
  const TrainingReport& r = m.report();
  return absl::StrFormat(
      "{\"family\": %s, \"version\": %d, \"published\": %s, "
      "\"feature_set\": %s, \"train_auc\": %.6f, \"validation_auc\": %.6f, "
      "\"brier\": %.6f, \"best_rounds\": %d, \"train_examples\": %d, "
      "\"validation_examples\": %d}",
      JsonString(m.family()), m.version(), m.published() ? "true" : "false",
      JsonString(m.schema().feature_set()), r.train_auc(), r.validation_auc(),
      r.brier(), r.best_rounds(), m.data().train_won() + m.data().train_lost(),
      m.data().validation_won() + m.data().validation_lost());
}

int RunTrain(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml train [--db DIR] [options]",
      "Trains a hit-rate model on the stored won and lost opportunities "
      "(seeded stratified split, early stopping on validation AUC) and "
      "stores it as the family's next unpublished version. Fewer than 40 "
      "won or lost examples is an error and stores nothing.");
  args.Option("family", "model family", kFamily);
  args.Option("feature-set", "at_creation or after_first_offer",
              "after_first_offer");
  args.Option("seed", "seed of the split and of XGBoost", "42");
  args.Option("validation-fraction", "share held out for validation", "0.25");
  args.Option("max-rounds", "most boosting rounds", "500");
  args.Option("early-stopping", "stop after this many rounds without a "
              "better validation AUC", "50");
  args.Option("threads", "XGBoost threads", "2");
  args.Flag("calibrate", "fit Platt and isotonic calibration (reported only)");
  if (auto exit = ParseArgs(args, "ml train", argc, argv)) return *exit;
  absl::StatusOr<TrainerOptions> options = TrainerOptionsFrom(args);
  if (!options.ok()) return Fail("ml train", options.status());
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml train", runtime.status());
  auto opportunities = LoadOpportunities((*runtime)->store());
  if (!opportunities.ok()) return Fail("ml train", opportunities.status());
  ProgressBar progress("train", options->parameters.max_rounds());
  options->on_round = [&](int rounds) { progress.Update(rounds, rounds); };
  absl::StatusOr<StoredModel> model =
      TrainHitRateModel(*opportunities, *options);
  progress.Finish();
  if (!model.ok()) return Fail("ml train", model.status());
  ModelRegistry registry(&(*runtime)->store(), RegistryOptions());
  absl::StatusOr<uint64_t> version = registry.Register(*model);
  if (!version.ok()) return Fail("ml train", version.status());
  model->set_version(*version);
  std::printf("%s\n", ModelSummaryJson(*model).c_str());
  return kExitOk;
}

// ---- publish, report ----

absl::StatusOr<uint64_t> VersionArg(const Args& args) {
  uint64_t version = 0;
  if (args.positionals().size() != 1 ||
      !absl::SimpleAtoi(args.positionals()[0], &version)) {
    return absl::InvalidArgumentError("give one VERSION number");
  }
  return version;
}

int RunPublish(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml publish VERSION [--db DIR]",
      "Makes VERSION the family's model for scoring. Refuses a model whose "
      "validation AUC is below the published one's by more than "
      "--max-auc-drop, naming both AUCs.");
  args.Positionals("VERSION  a version printed by c360 ml train");
  args.Option("family", "model family", kFamily);
  args.Option("max-auc-drop", "largest accepted drop in validation AUC",
              "0.01");
  if (auto exit = ParseArgs(args, "ml publish", argc, argv)) return *exit;
  absl::StatusOr<uint64_t> version = VersionArg(args);
  if (!version.ok()) return Fail("ml publish", version.status());
  absl::StatusOr<double> drop = GetDouble(args, "max-auc-drop");
  if (!drop.ok()) return Fail("ml publish", drop.status());
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml publish", runtime.status());
  RegistryOptions options;
  options.max_auc_drop = *drop;
  ModelRegistry registry(&(*runtime)->store(), options);
  absl::Status published = registry.Publish(args.Get("family"), *version);
  if (!published.ok()) return Fail("ml publish", published);
  absl::StatusOr<StoredModel> model = registry.Get(args.Get("family"), *version);
  if (!model.ok()) return Fail("ml publish", model.status());
  std::printf("%s\n", ModelSummaryJson(*model).c_str());
  return kExitOk;
}

// The model a report is about: VERSION, else the published one.
absl::StatusOr<StoredModel> ReportedModel(const Args& args, KvStore* store) {
  ModelRegistry registry(store, RegistryOptions());
  if (args.positionals().empty()) return registry.Published(args.Get("family"));
  absl::StatusOr<uint64_t> version = VersionArg(args);
  if (!version.ok()) return version.status();
  return registry.Get(args.Get("family"), *version);
}

// The price sweep of the report: the opportunity's price from half to one
// and a half times, at its cost (0 when unknown). The first open
// opportunity with a customer when `id` is empty; no sweep without one.
absl::Status PriceSweep(const StoredModel& model, KvStore* store,
                        std::string* id, PriceWhatIf* sweep) {
  auto opportunities = LoadOpportunities(*store);
  if (!opportunities.ok()) return opportunities.status();
  auto scorer = Scorer::Create(model, *opportunities);
  if (!scorer.ok()) return scorer.status();
  if (id->empty()) {
    auto open = std::find_if(
        opportunities->begin(), opportunities->end(), [](const Opportunity& o) {
          return o.outcome() == OUTCOME_OPEN && !o.customer_id().empty();
        });
    if (open == opportunities->end()) return absl::OkStatus();
    *id = open->opportunity_id();
  }
  absl::StatusOr<const Opportunity*> opp = (*scorer)->Find(*id);
  if (!opp.ok()) return opp.status();
  double price = (*opp)->price(), cost = (*opp)->has_cost() ? (*opp)->cost() : 0;
  auto what_if = (*scorer)->WhatIfPrice(**opp, cost, std::max(cost, 0.5 * price),
                                        1.5 * price, 21);
  if (!what_if.ok()) return what_if.status();
  *sweep = *std::move(what_if);
  return absl::OkStatus();
}

int RunReport(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml report [VERSION] [--db DIR] [--html FILE]",
      "Prints a model's training report as JSON (the published model "
      "without VERSION): train vs validation AUC, ROC curve, confusion "
      "matrix, Brier score, reliability table, feature importance. --html "
      "also writes a page with ROC, calibration, learning-curve and price-"
      "sweep plots.");
  args.Positionals("VERSION  a stored version (default: the published one)");
  args.Option("family", "model family", kFamily);
  args.Option("html", "write the HTML report to this file");
  args.Option("opportunity", "opportunity of the price sweep (default: the "
              "first open one)");
  if (auto exit = ParseArgs(args, "ml report", argc, argv)) return *exit;
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml report", runtime.status());
  absl::StatusOr<StoredModel> model = ReportedModel(args, &(*runtime)->store());
  if (!model.ok()) return Fail("ml report", model.status());
  if (!args.Get("html").empty()) {
    std::string id = args.Get("opportunity");
    PriceWhatIf sweep;
    absl::Status swept = PriceSweep(*model, &(*runtime)->store(), &id, &sweep);
    if (!swept.ok()) return Fail("ml report", swept);
    std::ofstream out(args.Get("html"));
    out << TrainingReportHtml(*model, id, sweep);
    if (!out.flush()) {
      return Fail("ml report", absl::UnavailableError(
                                   absl::StrCat("cannot write ", args.Get("html"))));
    }
  }
  model->clear_model();  // the XGBoost bytes mean nothing to a reader
  std::printf("%s\n", ToJson(*model).c_str());
  return kExitOk;
}

// ---- score, whatif, forecast ----

int RunScore(int argc, char** argv) {
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
  auto response = Scoring(&(*runtime)->store()).Score(request);
  if (!response.ok()) return Fail("ml score", response.status());
  std::printf("%s\n", ToJson(*response).c_str());
  return kExitOk;
}

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
  return request;
}

int RunWhatIf(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml whatif OPPORTUNITY_ID --from P --to P [--steps N] [--cost C]",
      "Hit rate, margin (price - cost) / price and expected profit (hit "
      "rate x price x margin) of a stored opportunity at N prices from P to "
      "P, and the best price, as JSON. Without --cost: the opportunity's "
      "cost, or 0.");
  args.Positionals("OPPORTUNITY_ID  the CRM's id of a stored opportunity");
  args.Option("from", "lowest price");
  args.Option("to", "highest price");
  args.Option("steps", "number of prices, 2 to 1000", "11");
  args.Option("cost", "our cost of the offer");
  if (auto exit = ParseArgs(args, "ml whatif", argc, argv)) return *exit;
  absl::StatusOr<WhatIfPriceRequest> request = WhatIfRequestFrom(args);
  if (!request.ok()) return Fail("ml whatif", request.status());
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml whatif", runtime.status());
  auto response = Scoring(&(*runtime)->store()).WhatIf(*request);
  if (!response.ok()) return Fail("ml whatif", response.status());
  std::printf("%s\n", ToJson(*response).c_str());
  return kExitOk;
}

// Keeps only the grouping --by asks for; all three without --by.
absl::Status KeepGrouping(const std::string& by,
                          PipelineForecastResponse* response) {
  if (by.empty()) return absl::OkStatus();
  if (by != "owner" && by != "product" && by != "segment") {
    return absl::InvalidArgumentError(
        absl::StrCat("--by must be owner, product or segment, not '", by, "'"));
  }
  if (by != "owner") response->clear_by_owner();
  if (by != "product") response->clear_by_product();
  if (by != "segment") response->clear_by_segment();
  return absl::OkStatus();
}

int RunForecast(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml forecast [--db DIR] [--by owner|product|segment]",
      "The expected value of the open pipeline with the published model: "
      "sum of hit rate x price and of hit rate x price x margin, in total "
      "and by owner, product and segment (the customer's sector), as JSON.");
  args.Option("by", "only this grouping: owner, product or segment");
  args.Option("owner", "only this owner's opportunities");
  args.Option("product", "only this product");
  args.Option("segment", "only customers of this sector");
  if (auto exit = ParseArgs(args, "ml forecast", argc, argv)) return *exit;
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml forecast", runtime.status());
  PipelineForecastRequest request;
  request.set_owner(args.Get("owner"));
  request.set_product(args.Get("product"));
  request.set_segment(args.Get("segment"));
  auto response = Scoring(&(*runtime)->store()).Forecast(request);
  if (!response.ok()) return Fail("ml forecast", response.status());
  absl::Status kept = KeepGrouping(args.Get("by"), &*response);
  if (!kept.ok()) return Fail("ml forecast", kept);
  std::printf("%s\n", ToJson(*response).c_str());
  return kExitOk;
}

struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

constexpr Subcommand kSubcommands[] = {
    {"import", "store opportunities (Maven data set or mapped CSV)", RunImport},
    {"train", "train a hit-rate model on the stored opportunities", RunTrain},
    {"report", "a model's evaluation as JSON and HTML", RunReport},
    {"publish", "make a model version the one that scores", RunPublish},
    {"score", "hit rate, grade and factors of an opportunity", RunScore},
    {"whatif", "hit rate and expected profit over a price range", RunWhatIf},
    {"forecast", "expected value of the open pipeline", RunForecast},
};

void PrintMlUsage(std::FILE* out) {
  std::fputs("usage: c360 ml SUBCOMMAND [options]   (c360 ml SUBCOMMAND "
             "--help for more)\n\nsubcommands:\n", out);
  for (const Subcommand& s : kSubcommands) {
    std::fprintf(out, "  %-9s %s\n", s.name, s.summary);
  }
}

}  // namespace

int RunMl(int argc, char** argv) {
  if (argc < 1 || std::strcmp(argv[0], "--help") == 0) {
    PrintMlUsage(argc < 1 ? stderr : stdout);
    return argc < 1 ? kExitUsage : kExitOk;
  }
  for (const Subcommand& s : kSubcommands) {
    if (std::strcmp(argv[0], s.name) == 0) return s.run(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "c360 ml: unknown subcommand '%s'\n\n", argv[0]);
  PrintMlUsage(stderr);
  return kExitUsage;
}

}  // namespace c360

// c360 ml: the hit-rate engine's commands over the local store — import
// opportunities, train, report and publish per-stage models (the scoring
// commands are in cli_ml_score.cc). Every command prints JSON on stdout.
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
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "ml/evaluation.h"
#include "ml/model_registry.h"
#include "ml/opportunity_store.h"
#include "ml/stages.h"
#include "ml/trainer.h"
#include "server/cli_ml.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/json_text.h"
#include "server/opportunity_import.h"
#include "server/progress.h"
#include "server/report_html.h"
#include "server/runtime.h"
#include "server/scoring_service.h"

namespace c360 {

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

namespace {

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

// The JSON file of `c360 ml train --features` (FeatureConfig, e.g.
// data/ml_features.json). InvalidArgument names the file and the problem.
absl::StatusOr<FeatureConfig> ReadFeatureConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::string text((std::istreambuf_iterator<char>(in)), {});
  FeatureConfig config;
  auto parsed = google::protobuf::util::JsonStringToMessage(text, &config);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", std::string(parsed.message().data(),
                                           parsed.message().size())));
  }
  for (const auto& [column, scale] : config.ordinal_scales()) {
    if (scale.levels_size() < 2) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": the scale of '", column, "' needs at least two levels"));
    }
  }
  return config;
}

// The tree booster's parameters from their options; InvalidArgument names
// an option that is not a number in its range.
absl::Status BoosterParametersFrom(const Args& args, TrainingParameters* p) {
  struct Parameter {
    const char* option;
    void (TrainingParameters::*set)(double);
    double low, high;  // the valid range, low exclusive, high inclusive
  };
  const Parameter kParameters[] = {
      {"eta", &TrainingParameters::set_eta, 0, 1},
      {"subsample", &TrainingParameters::set_subsample, 0, 1},
      {"colsample", &TrainingParameters::set_colsample_bytree, 0, 1},
      {"min-child-weight", &TrainingParameters::set_min_child_weight, -1, 1e9},
      {"lambda", &TrainingParameters::set_lambda, -1, 1e9},
  };
  for (const Parameter& parameter : kParameters) {
    absl::StatusOr<double> value = GetDouble(args, parameter.option);
    if (!value.ok()) return value.status();
    if (!(*value > parameter.low && *value <= parameter.high)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", parameter.option, " must be in (", parameter.low, ", ",
          parameter.high, "], not ", *value));
    }
    (p->*parameter.set)(*value);
  }
  absl::StatusOr<int64_t> depth = args.GetInt("max-depth");
  if (!depth.ok() || *depth < 1 || *depth > 16) {
    return absl::InvalidArgumentError("--max-depth must be 1 to 16");
  }
  p->set_max_depth(static_cast<int32_t>(*depth));
  return absl::OkStatus();
}

// The options of `c360 ml train`; `folds` gets --cv.
absl::StatusOr<TrainerOptions> TrainerOptionsFrom(const Args& args,
                                                  int* folds) {
  TrainerOptions options;
  absl::StatusOr<int64_t> seed = args.GetInt("seed");
  absl::StatusOr<int64_t> rounds = args.GetInt("max-rounds");
  absl::StatusOr<int64_t> patience = args.GetInt("early-stopping");
  absl::StatusOr<int64_t> threads = args.GetInt("threads");
  absl::StatusOr<int64_t> cv = args.GetInt("cv");
  absl::StatusOr<double> fraction = GetDouble(args, "validation-fraction");
  for (const absl::Status& s :
       {seed.status(), rounds.status(), patience.status(),
        threads.status(), fraction.status(), cv.status()}) {
    if (!s.ok()) return absl::InvalidArgumentError(s.message());
  }
  if (!(*fraction > 0 && *fraction < 1) || *rounds < 1 || *threads < 1 ||
      *cv == 1 || *cv < 0 || *cv > options.min_class_examples) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--validation-fraction must be in (0, 1); --max-rounds and "
        "--threads at least 1; --cv 0 or 2 to ",
        options.min_class_examples));
  }
  *folds = static_cast<int>(*cv);
  if (!args.Get("features").empty()) {
    absl::StatusOr<FeatureConfig> features =
        ReadFeatureConfig(args.Get("features"));
    if (!features.ok()) return features.status();
    options.features = *std::move(features);
  }
  options.calibrate = args.GetFlag("calibrate");
  options.source = args.Get("db");
  TrainingParameters& p = options.parameters;
  p.set_seed(static_cast<uint64_t>(*seed));
  p.set_max_rounds(static_cast<int32_t>(*rounds));
  p.set_early_stopping_rounds(static_cast<int32_t>(*patience));
  p.set_nthread(static_cast<int32_t>(*threads));
  p.set_validation_fraction(*fraction);
  absl::Status booster = BoosterParametersFrom(args, &p);
  if (!booster.ok()) return booster;
  return options;
}

// A model's headline figures as one JSON object.
std::string ModelSummaryJson(const StoredModel& m) {
  const TrainingReport& r = m.report();
  std::string cross_validation;
  if (r.cross_validation_auc_size() > 0) {
    cross_validation = absl::StrFormat(
        ", \"cv_folds\": %d, \"cv_mean_auc\": %.6f, \"cv_auc\": [%s]",
        r.cross_validation_auc_size(), MeanCrossValidationAuc(r),
        absl::StrJoin(r.cross_validation_auc(), ", ",
                      [](std::string* out, double auc) {
                        absl::StrAppendFormat(out, "%.6f", auc);
                      }));
  }
  return absl::StrFormat(
      "{\"family\": %s, \"version\": %d, \"published\": %s, "
      "\"feature_set\": %s, \"train_auc\": %.6f, \"validation_auc\": %.6f, "
      "\"brier\": %.6f, \"best_rounds\": %d, \"train_examples\": %d, "
      "\"validation_examples\": %d%s}",
      JsonString(m.family()), m.version(), m.published() ? "true" : "false",
      JsonString(m.schema().feature_set()), r.train_auc(), r.validation_auc(),
      r.brier(), r.best_rounds(), m.data().train_won() + m.data().train_lost(),
      m.data().validation_won() + m.data().validation_lost(),
      cross_validation);
}

// The validation AUC of each of `folds` folds into `model`'s report.
absl::Status AddCrossValidation(const std::vector<Opportunity>& opps,
                                TrainerOptions options, int folds,
                                StoredModel* model) {
  ProgressBar progress(absl::StrCat("cross-validate ", model->family()),
                       folds);
  options.on_fold = [&](int done) { progress.Update(done, done); };
  absl::StatusOr<std::vector<double>> aucs =
      CrossValidate(opps, options, folds);
  progress.Finish();
  if (!aucs.ok()) return aucs.status();
  for (double auc : *aucs) {
    model->mutable_report()->add_cross_validation_auc(auc);
  }
  return absl::OkStatus();
}

// Trains and registers the model of `stage`, cross-validated in `folds`
// folds unless 0; prints its summary.
absl::Status TrainStage(ModelStage stage, const std::vector<Opportunity>& opps,
                        TrainerOptions options, int folds, KvStore* store) {
  options.family = std::string(StageFamily(stage));
  options.feature_set = StageFeatureSet(stage);
  ProgressBar progress(absl::StrCat("train ", StageName(stage)),
                       options.parameters.max_rounds());
  options.on_round = [&](int rounds) { progress.Update(rounds, rounds); };
  absl::StatusOr<StoredModel> model = TrainHitRateModel(opps, options);
  progress.Finish();
  if (!model.ok()) return model.status();
  options.on_round = nullptr;
  if (folds > 0) {
    absl::Status validated = AddCrossValidation(opps, options, folds, &*model);
    if (!validated.ok()) return validated;
  }
  absl::StatusOr<uint64_t> version =
      ModelRegistry(store, RegistryOptions()).Register(*model);
  if (!version.ok()) return version.status();
  model->set_version(*version);
  std::printf("%s\n", ModelSummaryJson(*model).c_str());
  return absl::OkStatus();
}

int RunTrain(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml train [--db DIR] [--stage creation|offer|both] [options]",
      "Trains hit-rate models on the stored won and lost opportunities "
      "(seeded stratified split, early stopping on validation AUC): the "
      "at-creation model (family hit_rate_at_creation, features known when "
      "the opportunity opens) and/or the after-offer model "
      "(hit_rate_after_offer, plus the offer's product and price). A customer "
      "key that names an entity adds its unified profile as known before the "
      "opportunity's date: records per source, tenure, purchased values. "
      "Each model is stored as its family's next unpublished version and "
      "printed as one JSON line. Fewer than 40 won or lost examples is an "
      "error and stores nothing.");
  args.Option("stage", "creation, offer or both", "both");
  const TrainingParameters defaults = DefaultTrainingParameters();
  auto option = [&](const char* name, const char* help, auto value) {
    args.Option(name, help, absl::StrCat(value));
  };
  option("seed", "seed of the split and of XGBoost", defaults.seed());
  option("validation-fraction", "share held out for validation",
         defaults.validation_fraction());
  option("max-rounds", "most boosting rounds", defaults.max_rounds());
  option("early-stopping",
         "stop after this many rounds without a better validation AUC",
         defaults.early_stopping_rounds());
  option("threads", "XGBoost threads", defaults.nthread());
  option("eta", "learning rate", defaults.eta());
  option("max-depth", "tree depth", defaults.max_depth());
  option("min-child-weight", "least hessian sum in a leaf",
         defaults.min_child_weight());
  option("subsample", "share of rows per tree", defaults.subsample());
  option("colsample", "share of columns per tree",
         defaults.colsample_bytree());
  option("lambda", "L2 regularization of leaf weights", defaults.lambda());
  args.Flag("calibrate", "fit Platt and isotonic calibration (reported only)");
  args.Option("cv", "also run a stratified K-fold cross-validation with the "
              "same parameters and report each fold's validation AUC "
              "(0 = none)", "0");
  args.Option("features", "JSON file of ordinal scales for text columns, "
              "e.g. data/ml_features.json");
  args.Flag("without-profiles", "leave out the columns of the customers' "
            "unified profiles (source.*, profile_tenure_days, enrichment.*), "
            "e.g. to measure what they add");
  if (auto exit = ParseArgs(args, "ml train", argc, argv)) return *exit;
  absl::StatusOr<std::vector<ModelStage>> stages =
      ParseStages(args.Get("stage"));
  if (!stages.ok()) return Fail("ml train", stages.status());
  int folds = 0;
  absl::StatusOr<TrainerOptions> options = TrainerOptionsFrom(args, &folds);
  if (!options.ok()) return Fail("ml train", options.status());
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml train", runtime.status());
  if (!args.GetFlag("without-profiles")) {
    options->profiles = (*runtime)->customer_profiles();
  }
  auto opportunities = LoadOpportunities((*runtime)->store());
  if (!opportunities.ok()) return Fail("ml train", opportunities.status());
  for (ModelStage stage : *stages) {
    absl::Status trained =
        TrainStage(stage, *opportunities, *options, folds, &(*runtime)->store());
    if (!trained.ok()) return Fail("ml train", trained);
  }
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

// The family of the one stage --stage names.
absl::StatusOr<std::string> StageFamilyArg(const Args& args) {
  absl::StatusOr<std::vector<ModelStage>> stages =
      ParseStages(args.Get("stage"));
  if (!stages.ok()) return stages.status();
  if (stages->size() != 1) {
    return absl::InvalidArgumentError("--stage must be creation or offer");
  }
  return std::string(StageFamily(stages->front()));
}

// --grade-bands as numbers (empty when not given); validated by Publish.
absl::StatusOr<std::vector<double>> GradeBandsArg(const Args& args) {
  std::vector<double> bands;
  if (args.Get("grade-bands").empty()) return bands;
  for (absl::string_view part : absl::StrSplit(args.Get("grade-bands"), ',')) {
    double band = 0;
    if (!absl::SimpleAtod(part, &band)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--grade-bands: '", part, "' is not a number"));
    }
    bands.push_back(band);
  }
  return bands;
}

int RunPublish(int argc, char** argv) {
  Args args = MlArgs(
      "c360 ml publish VERSION [--db DIR] [--stage creation|offer] "
      "[--grade-bands B2,B3,B4,B5]",
      "Makes VERSION the stage's model for scoring, with its grade bands "
      "when given (lower hit-rate bounds of grades 2 to 5: four increasing "
      "values in (0, 1), stored with the model; default 0.2,0.4,0.6,0.8). "
      "Refuses a model whose validation AUC is below the published one's by "
      "more than --max-auc-drop, naming both AUCs.");
  args.Positionals("VERSION  a version printed by c360 ml train");
  args.Option("stage", "creation or offer", "creation");
  args.Option("grade-bands", "lower hit-rate bounds of grades 2 to 5");
  args.Option("max-auc-drop", "largest accepted drop in validation AUC",
              "0.01");
  if (auto exit = ParseArgs(args, "ml publish", argc, argv)) return *exit;
  absl::StatusOr<uint64_t> version = VersionArg(args);
  if (!version.ok()) return Fail("ml publish", version.status());
  absl::StatusOr<std::string> family = StageFamilyArg(args);
  if (!family.ok()) return Fail("ml publish", family.status());
  absl::StatusOr<std::vector<double>> bands = GradeBandsArg(args);
  if (!bands.ok()) return Fail("ml publish", bands.status());
  absl::StatusOr<double> drop = GetDouble(args, "max-auc-drop");
  if (!drop.ok()) return Fail("ml publish", drop.status());
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("ml publish", runtime.status());
  RegistryOptions options;
  options.max_auc_drop = *drop;
  ModelRegistry registry(&(*runtime)->store(), options);
  absl::Status published = registry.Publish(*family, *version, *bands);
  if (!published.ok()) return Fail("ml publish", published);
  absl::StatusOr<StoredModel> model = registry.Get(*family, *version);
  if (!model.ok()) return Fail("ml publish", model.status());
  std::printf("%s\n", ModelSummaryJson(*model).c_str());
  return kExitOk;
}

// The model a report is about: VERSION, else the published one.
absl::StatusOr<StoredModel> ReportedModel(const Args& args, KvStore* store) {
  absl::StatusOr<std::string> family = StageFamilyArg(args);
  if (!family.ok()) return family.status();
  ModelRegistry registry(store, RegistryOptions());
  if (args.positionals().empty()) return registry.Published(*family);
  absl::StatusOr<uint64_t> version = VersionArg(args);
  if (!version.ok()) return version.status();
  return registry.Get(*family, *version);
}

// The price sweep of the report: the opportunity's price from half to one
// and a half times, at its cost (0 when unknown). The first open
// opportunity with a customer when `id` is empty; no sweep without one.
absl::Status PriceSweep(const StoredModel& model, Runtime& runtime,
                        std::string* id, PriceWhatIf* sweep) {
  auto opportunities = LoadOpportunities(runtime.store());
  if (!opportunities.ok()) return opportunities.status();
  auto scorer = Scorer::Create(model, *opportunities,
                               ScoringOptionsFor(runtime).scorer);
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
  auto what_if = (*scorer)->WhatIfPrice(**opp, CostModel{.fixed = cost},
                                        std::max(cost, 0.5 * price),
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
  args.Option("stage", "creation or offer", "creation");
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
    absl::Status swept = PriceSweep(*model, **runtime, &id, &sweep);
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

constexpr Subcommand kSubcommands[] = {
    {"import", "store opportunities (Maven data set or mapped CSV)", RunImport},
    {"train", "train a hit-rate model on the stored opportunities", RunTrain},
    {"report", "a model's evaluation as JSON and HTML", RunReport},
    {"publish", "make a model version the one that scores", RunPublish},
    {"score", "hit rate, grade and factors of an opportunity", RunMlScore},
    {"whatif", "hit rate and expected profit over a price range", RunMlWhatIf},
    {"forecast", "expected value of the open pipeline", RunMlForecast},
    {"score-open", "score and store every open opportunity and customer",
     RunMlScoreOpen},
};

}  // namespace

int RunMl(int argc, char** argv) {
  return RunSubcommand("ml", argc, argv, kSubcommands);
}

}  // namespace c360

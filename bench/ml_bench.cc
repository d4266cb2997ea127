// Hit-rate engine benchmark on the Maven CRM data: training time, single
// opportunity scoring latency (p50/p99, in-process) and batch scoring of 1M
// opportunities. Targets: training < 10 s, p99 <= 50 us, 1M < 10 s on 2
// cores.
//
// Usage: ml_bench [maven folder] [key=value ...]
//   keys: eta, max_depth, subsample, colsample_bytree, min_child_weight,
//         lambda, nthread, seed, max_rounds, early_stopping_rounds,
//         feature_set (at_creation | after_first_offer), batch (rows)
//    or: ml_bench store=DB
//   scores the open opportunities of a store with its published
//   after-offer model, reading the customers' profiles from the store as
//   the server does (each call reads the profile: the cost of the profile
//   columns), then with each customer's profile read once (memoized).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "ml/opportunity_store.h"
#include "ml/score_open.h"
#include "ml/scorer.h"
#include "ml/trainer.h"
#include "server/opportunity_import.h"
#include "server/runtime.h"
#include "server/scoring_service.h"

namespace c360 {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Applies one key=value argument; false for an unknown key or bad value.
bool ApplyArgument(const std::string& arg, TrainerOptions* options,
                   int64_t* batch) {
  std::pair<std::string, std::string> kv = absl::StrSplit(arg, '=');
  TrainingParameters& p = options->parameters;
  double v = 0;
  if (kv.first == "feature_set") {
    absl::StatusOr<FeatureSet> set = ParseFeatureSet(kv.second);
    if (set.ok()) options->feature_set = *set;
    return set.ok();
  }
  if (!absl::SimpleAtod(kv.second, &v)) return false;
  if (kv.first == "eta")
    p.set_eta(v);
  else if (kv.first == "max_depth")
    p.set_max_depth(v);
  else if (kv.first == "subsample")
    p.set_subsample(v);
  else if (kv.first == "colsample_bytree")
    p.set_colsample_bytree(v);
  else if (kv.first == "min_child_weight")
    p.set_min_child_weight(v);
  else if (kv.first == "lambda")
    p.set_lambda(v);
  else if (kv.first == "nthread")
    p.set_nthread(v);
  else if (kv.first == "seed")
    p.set_seed(v);
  else if (kv.first == "max_rounds")
    p.set_max_rounds(v);
  else if (kv.first == "early_stopping_rounds")
    p.set_early_stopping_rounds(v);
  else if (kv.first == "batch")
    *batch = static_cast<int64_t>(v);
  else
    return false;
  return true;
}

void BenchSingle(const Scorer& scorer, const std::vector<Opportunity>& opps) {
  std::vector<double> micros;
  for (int i = 0; i < 20000; ++i) {
    const Opportunity& opp = opps[i % opps.size()];
    Clock::time_point start = Clock::now();
    absl::StatusOr<double> hit = scorer.HitRate(opp);
    micros.push_back(SecondsSince(start) * 1e6);
    if (!hit.ok()) {
      std::fprintf(stderr, "%s\n", hit.status().ToString().c_str());
      return;
    }
  }
  std::sort(micros.begin(), micros.end());
  std::printf("single scoring: p50 %.1f us, p99 %.1f us (%zu calls)\n",
              micros[micros.size() / 2], micros[micros.size() * 99 / 100],
              micros.size());
}

void BenchBatch(const Scorer& scorer, const std::vector<Opportunity>& opps,
                int64_t total) {
  constexpr int64_t kChunk = 65536;
  std::vector<Opportunity> chunk;
  for (int64_t i = 0; i < kChunk; ++i) chunk.push_back(opps[i % opps.size()]);
  Clock::time_point start = Clock::now();
  double sum = 0;
  for (int64_t done = 0; done < total; done += kChunk) {
    chunk.resize(std::min(kChunk, total - done));
    absl::StatusOr<std::vector<float>> hits = scorer.HitRates(chunk);
    if (!hits.ok()) {
      std::fprintf(stderr, "%s\n", hits.status().ToString().c_str());
      return;
    }
    for (float h : *hits) sum += h;
  }
  std::printf("batch scoring: %lld opportunities in %.2f s (mean hit %.3f)\n",
              static_cast<long long>(total), SecondsSince(start), sum / total);
}

// Single and batch scoring of a store's open opportunities with the
// published after-offer model and profiles read from the store.
int RunOnStore(const std::string& db) {
  RuntimeOptions runtime_options;
  runtime_options.db_path = db;
  absl::StatusOr<std::unique_ptr<Runtime>> runtime =
      Runtime::Open(runtime_options);
  if (!runtime.ok()) {
    std::fprintf(stderr, "%s\n", runtime.status().ToString().c_str());
    return 1;
  }
  absl::StatusOr<std::vector<Opportunity>> all =
      LoadOpportunities((*runtime)->store());
  if (!all.ok()) return 1;
  std::vector<Opportunity> open;
  for (const Opportunity& opp : *all) {
    if (opp.outcome() == OUTCOME_OPEN && opp.has_first_offer_at()) {
      open.push_back(opp);
    }
  }
  ScorerOptions live = ScoringOptionsFor(**runtime).scorer;
  ScorerOptions memoized = live;
  memoized.profiles = std::make_shared<MemoizedCustomerProfiles>(live.profiles);
  for (const auto& [name, options] :
       {std::pair{"profiles read per call", live},
        std::pair{"profiles memoized", memoized}}) {
    absl::StatusOr<StageScorer> scorer = LoadStageScorer(
        &(*runtime)->store(), ModelStage::kAfterOffer, *all, options);
    if (!scorer.ok() || open.empty()) {
      std::fprintf(stderr, "no published after-offer model or no open deal\n");
      return 1;
    }
    std::printf("%s, %zu open opportunities:\n", name, open.size());
    BenchSingle(*scorer->scorer, open);
    BenchBatch(*scorer->scorer, open, 100000);
  }
  return 0;
}

int Run(int argc, char** argv) {
  if (argc == 2 && absl::StartsWith(argv[1], "store=")) {
    return RunOnStore(std::string(argv[1]).substr(6));
  }
  std::string folder = "../shared/data/maven_crm";
  TrainerOptions options;
  int64_t batch = 1000000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.find('=') == std::string::npos) {
      folder = arg;
    } else if (!ApplyArgument(arg, &options, &batch)) {
      std::fprintf(stderr, "bad argument %s\n", argv[i]);
      return 2;
    }
  }
  absl::StatusOr<OpportunityImport> data = ImportMavenCrm(folder);
  if (!data.ok()) {
    std::fprintf(stderr, "%s\n", data.status().ToString().c_str());
    return 1;
  }
  Clock::time_point start = Clock::now();
  absl::StatusOr<StoredModel> model =
      TrainHitRateModel(data->opportunities, options);
  if (!model.ok()) {
    std::fprintf(stderr, "%s\n", model.status().ToString().c_str());
    return 1;
  }
  const TrainingReport& r = model->report();
  std::printf(
      "training: %.2f s, %d rounds kept, train AUC %.4f, "
      "validation AUC %.4f, Brier %.4f (%s)\n",
      SecondsSince(start), r.best_rounds(), r.train_auc(), r.validation_auc(),
      r.brier(), std::string(FeatureSetName(options.feature_set)).c_str());
  for (int i = 0; i < std::min(8, r.importance_size()); ++i) {
    std::printf("  %-24s gain %.2f\n", r.importance(i).feature().c_str(),
                r.importance(i).gain());
  }
  absl::StatusOr<std::unique_ptr<Scorer>> scorer =
      Scorer::Create(*model, data->opportunities);
  if (!scorer.ok()) {
    std::fprintf(stderr, "%s\n", scorer.status().ToString().c_str());
    return 1;
  }
  BenchSingle(**scorer, data->opportunities);
  BenchBatch(**scorer, data->opportunities, batch);
  return 0;
}

}  // namespace
}  // namespace c360

int main(int argc, char** argv) { return c360::Run(argc, argv); }

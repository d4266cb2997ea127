// c360 eval-bulk: match quality of bulk resolution on data with known
// answers (FEBRL files, or generated sample data), the model trained by EM
// without the answers.
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/febrl.h"
#include "server/generator.h"
#include "server/json_text.h"

namespace c360 {
namespace {

constexpr char kCommand[] = "eval-bulk";

absl::StatusOr<FebrlData> ReadFiles(const std::vector<std::string>& files,
                                    FebrlEvalOptions* options) {
  FebrlData data;
  const bool linkage = files.size() == 2;
  for (size_t i = 0; i < files.size(); ++i) {
    const std::string source = linkage ? (i == 0 ? "a" : "b") : "febrl";
    absl::StatusOr<FebrlData> part = ReadFebrlFile(files[i], source);
    if (!part.ok()) return part.status();
    for (size_t r = 0; r < part->records.size(); ++r) {
      data.records.push_back(std::move(part->records[r]));
      data.person_ids.push_back(std::move(part->person_ids[r]));
    }
    // Each side of a linkage holds one record per person.
    if (linkage) options->blocking.one_record_per_person_sources.push_back(source);
  }
  return data;
}

FebrlData Generated(int64_t people, uint64_t seed) {
  FebrlData data;
  GenerateRecords({.people = people, .seed = seed}, [&](const GeneratedRecord& g) {
    data.records.push_back(g.record);
    data.person_ids.push_back(std::to_string(g.person_id));
  });
  return data;
}

std::string SweepJson(const std::vector<ThresholdQuality>& sweep) {
  std::string json = "[";
  for (const ThresholdQuality& q : sweep) {
    absl::StrAppendFormat(
        &json,
        "%s\n  {\"link_probability\": %g, \"precision\": %.5f, "
        "\"recall\": %.5f, \"f1\": %.5f, \"bcubed_f1\": %.5f}",
        json.size() > 1 ? "," : "", q.link_probability,
        q.metrics.pairwise_precision, q.metrics.pairwise_recall,
        q.metrics.pairwise_f1, q.metrics.bcubed_f1);
  }
  return json + "]";
}

void Print(const FebrlEvaluation& e) {
  const ClusterMetrics& m = e.metrics;
  const MatchModel& model = *e.model;
  absl::PrintF(
      "{\"records\": %d, \"people\": %d, \"entities\": %d, \"true_pairs\": %d, "
      "\"predicted_pairs\": %d, \"correct_pairs\": %d,\n"
      "\"pairwise\": {\"precision\": %.5f, \"recall\": %.5f, \"f1\": %.5f},\n"
      "\"bcubed\": {\"precision\": %.5f, \"recall\": %.5f, \"f1\": %.5f},\n"
      "\"mixed_entities\": %d, \"split_people\": %d, \"review_pairs\": %d,\n"
      "\"prepare_s\": %.3f, \"train_s\": %.3f, \"resolve_s\": %.3f,\n"
      "\"candidate_pairs\": %d, \"em_iterations\": %d, \"em_converged\": %s,\n"
      "\"prior\": %.6f, \"link_probability\": %.3f, \"link_weight\": %.3f, "
      "\"review_probability\": %.3f, \"review_weight\": %.3f,\n"
      "\"sessions\": %s,\n\"sweep\": %s,\n\"fields\": %s}\n",
      m.records, m.people, m.entities, m.true_pairs, m.predicted_pairs,
      m.correct_pairs, m.pairwise_precision, m.pairwise_recall, m.pairwise_f1,
      m.bcubed_precision, m.bcubed_recall, m.bcubed_f1, m.mixed_entities,
      m.split_people, e.review_pairs, e.prepare_seconds, e.train_seconds,
      e.resolve_seconds, e.em.candidate_pairs, e.em.iterations,
      e.em.converged ? "true" : "false", model.params().prior,
      model.params().link_probability, model.link_threshold(),
      model.params().review_probability, model.review_threshold(),
      TrainingSessionsJson(e.em), SweepJson(e.sweep),
      MatchModelFieldsJson(model));
}

}  // namespace

int RunEvalBulk(int argc, char** argv) {
  Args args("c360 eval-bulk FILE [FILE_B] | c360 eval-bulk --generated N",
            "Resolves records with known answers in bulk as c360 would without "
            "them (block, learn the match model by EM, score, cluster at the "
            "model's own threshold) and prints pairwise and B-cubed quality, "
            "timings and the learned levels as JSON. One FEBRL file is "
            "deduplicated; two (4a, 4b) are linked one-to-one.");
  args.Positionals("FILE [FILE_B]  FEBRL CSV files (../shared/data/febrl)");
  args.Option("generated", "evaluate on N generated people instead of files");
  args.Option("seed", "seed of the generated people", "42");
  args.Option("nicknames", "nickname and transliteration groups",
              absl::StrCat(C360_DATA_DIR, "/nicknames.tsv"));
  AddThresholdOptions(args);
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  FebrlEvalOptions options;
  absl::Status thresholds = ParseThresholds(
      args, &options.link_probability, &options.review_probability);
  if (!thresholds.ok()) return Fail(kCommand, thresholds);
  absl::StatusOr<FebrlData> data;
  if (!args.Get("generated").empty()) {
    absl::StatusOr<int64_t> people = args.GetInt("generated");
    absl::StatusOr<int64_t> seed = args.GetInt("seed");
    if (!people.ok()) return Fail(kCommand, people.status());
    if (!seed.ok()) return Fail(kCommand, seed.status());
    data = Generated(*people, static_cast<uint64_t>(*seed));
  } else if (args.positionals().size() == 1 || args.positionals().size() == 2) {
    data = ReadFiles(args.positionals(), &options);
  } else {
    return Fail(kCommand, absl::InvalidArgumentError("give FILE [FILE_B] or --generated N"));
  }
  if (!data.ok()) return Fail(kCommand, data.status());
  absl::StatusOr<NicknameTable> nicknames = NicknameTable::Load(args.Get("nicknames"));
  if (!nicknames.ok()) return Fail(kCommand, nicknames.status());
  absl::StatusOr<FebrlEvaluation> evaluation =
      EvaluateFebrl(*data, *std::move(nicknames), options);
  if (!evaluation.ok()) return Fail(kCommand, evaluation.status());
  Print(*evaluation);
  return kExitOk;
}

}  // namespace c360

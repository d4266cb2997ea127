// Measures c360's bulk resolution on the FEBRL benchmark without using its
// answers for anything but the measurement: trains the match model by EM,
// scores, clusters at the model's own link threshold and prints one JSON
// object with pairwise and B-cubed quality, timings, and each comparison
// level's m, u and weight (the future `c360 match-report`).
//
//   febrl_eval [--nicknames=PATH] dataset3.csv          # deduplication
//   febrl_eval [--nicknames=PATH] dataset4a.csv dataset4b.csv  # linkage
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "resolver/comparison.h"
#include "server/febrl.h"

namespace c360 {
namespace {

struct Args {
  std::string nicknames = DefaultNicknamePath(C360_SOURCE_DIR);
  std::vector<std::string> files;
};

Args ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (absl::StartsWith(arg, "--nicknames=")) {
      args.nicknames = arg.substr(12);
    } else {
      args.files.push_back(arg);
    }
  }
  return args;
}

std::string LevelsJson(const MatchModel& model) {
  std::vector<std::string> fields;
  const std::vector<FieldSchema>& schema = ComparisonSchema();
  for (size_t f = 0; f < schema.size(); ++f) {
    std::vector<std::string> levels;
    for (size_t l = 1; l < schema[f].levels.size(); ++l) {
      const LevelProbabilities& p = model.params().levels[f][l];
      levels.push_back(absl::StrFormat(
          "{\"level\": \"%s\", \"m\": %.6g, \"u\": %.6g, \"weight\": %.3f}",
          schema[f].levels[l], p.m, p.u, model.LevelWeight(f, l)));
    }
    fields.push_back(absl::StrFormat("    \"%s\": [\n      %s]", schema[f].name,
                                     absl::StrJoin(levels, ",\n      ")));
  }
  return absl::StrJoin(fields, ",\n");
}

void Print(const FebrlEvaluation& e) {
  const ClusterMetrics& m = e.metrics;
  const MatchModel& model = *e.model;
  absl::PrintF(
      "{\n  \"records\": %d, \"people\": %d, \"entities\": %d,\n"
      "  \"true_pairs\": %d, \"predicted_pairs\": %d, \"correct_pairs\": %d,\n"
      "  \"pairwise_precision\": %.5f, \"pairwise_recall\": %.5f, "
      "\"pairwise_f1\": %.5f,\n"
      "  \"bcubed_precision\": %.5f, \"bcubed_recall\": %.5f, "
      "\"bcubed_f1\": %.5f,\n"
      "  \"mixed_entities\": %d, \"split_people\": %d, \"review_pairs\": %d,\n"
      "  \"prepare_s\": %.3f, \"train_s\": %.3f, \"resolve_s\": %.3f,\n"
      "  \"candidate_pairs\": %d, \"patterns\": %d, \"em_iterations\": %d, "
      "\"em_converged\": %s,\n"
      "  \"prior\": %.6f, \"link_probability\": %.3f, \"link_weight\": %.3f, "
      "\"review_probability\": %.3f, \"review_weight\": %.3f,\n"
      "  \"levels\": {\n%s\n  }\n}\n",
      m.records, m.people, m.entities, m.true_pairs, m.predicted_pairs,
      m.correct_pairs, m.pairwise_precision, m.pairwise_recall, m.pairwise_f1,
      m.bcubed_precision, m.bcubed_recall, m.bcubed_f1, m.mixed_entities,
      m.split_people, e.review_pairs, e.prepare_seconds, e.train_seconds,
      e.resolve_seconds, e.em.candidate_pairs, e.em.patterns, e.em.iterations,
      e.em.converged ? "true" : "false", model.params().prior,
      model.params().link_probability, model.link_threshold(),
      model.params().review_probability, model.review_threshold(),
      LevelsJson(model));
}

int Run(const Args& args) {
  if (args.files.empty() || args.files.size() > 2) {
    std::fprintf(stderr,
                 "usage: febrl_eval [--nicknames=PATH] FILE [FILE_B]\n");
    return 2;
  }
  absl::StatusOr<NicknameTable> nicknames = NicknameTable::Load(args.nicknames);
  if (!nicknames.ok()) {
    std::fprintf(stderr, "%s\n", nicknames.status().ToString().c_str());
    return 1;
  }
  FebrlData data;
  FebrlEvalOptions options;
  const bool linkage = args.files.size() == 2;
  for (size_t i = 0; i < args.files.size(); ++i) {
    const std::string source = linkage ? (i == 0 ? "a" : "b") : "febrl";
    absl::StatusOr<FebrlData> part = ReadFebrlFile(args.files[i], source);
    if (!part.ok()) {
      std::fprintf(stderr, "%s\n", part.status().ToString().c_str());
      return 1;
    }
    for (size_t r = 0; r < part->records.size(); ++r) {
      data.records.push_back(std::move(part->records[r]));
      data.person_ids.push_back(std::move(part->person_ids[r]));
    }
    if (linkage)
      options.blocking.one_record_per_person_sources.push_back(source);
  }
  absl::StatusOr<FebrlEvaluation> evaluation =
      EvaluateFebrl(data, *std::move(nicknames), options);
  if (!evaluation.ok()) {
    std::fprintf(stderr, "%s\n", evaluation.status().ToString().c_str());
    return 1;
  }
  Print(*evaluation);
  return 0;
}

}  // namespace
}  // namespace c360

int main(int argc, char** argv) {
  return c360::Run(c360::ParseArgs(argc, argv));
}

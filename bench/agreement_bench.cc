// agreement_bench: do bulk and incremental resolution give the same answer?
//
//   agreement_bench --people 2000 [--seed 42] [--dir DIR]
//
// Generates people, learns the match model by EM on all their records (as
// `c360 bulk-load --train` does), then resolves the same records twice with
// that model: in bulk (BulkLoad: scored pairs, strongest first, clusters) and
// one at a time in generator order (Resolver::UpsertBatch, as `c360 ingest`
// and UpsertStream). Prints, as JSON, each one's quality against the
// generator's truth and how far the two partitions agree: pairwise
// precision/recall of the incremental entities measured against the bulk
// ones, and the share of records whose entity holds exactly the same
// records both ways.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/types/span.h"
#include "resolver/bulk_loader.h"
#include "resolver/evaluation.h"
#include "resolver/matcher_store.h"
#include "server/args.h"
#include "server/generator.h"
#include "server/runtime.h"
#include "store/repository.h"

namespace c360 {
namespace {

constexpr size_t kChunk = 1024;

// A runtime over a new store in `dir` whose active model is `model`.
absl::StatusOr<std::unique_ptr<Runtime>> RuntimeWithModel(
    const std::string& dir, const MatchModel& model) {
  std::filesystem::remove_all(dir);
  RuntimeOptions options;
  options.db_path = dir;
  {
    absl::StatusOr<std::unique_ptr<Runtime>> empty = Runtime::Open(options);
    if (!empty.ok()) return empty.status();
    absl::StatusOr<uint64_t> saved = SaveActiveMatcher((*empty)->store(), model);
    if (!saved.ok()) return saved.status();
  }
  return Runtime::Open(options);  // the resolver loads the active model
}

// The entity of every record, in input order.
absl::StatusOr<std::vector<std::string>> EntitiesOf(
    Runtime& runtime, const std::vector<SourceRecord>& records) {
  Repository repository(&runtime.store());
  std::vector<std::string> entities;
  for (const SourceRecord& record : records) {
    RecordKey key;
    key.set_source(record.source());
    key.set_source_id(record.source_id());
    absl::StatusOr<StoredRecord> stored = repository.GetRecord(key);
    if (!stored.ok()) return stored.status();
    entities.push_back(stored->entity_id());
  }
  return entities;
}

ClusterMetrics Against(const std::vector<std::string>& entities,
                       const std::vector<std::string>& reference) {
  std::vector<Assignment> assignments;
  for (size_t i = 0; i < entities.size(); ++i) {
    assignments.push_back({entities[i], reference[i]});
  }
  return Evaluate(assignments);
}

// Share of records whose entity holds the same records in both partitions.
double SameEntityShare(const std::vector<std::string>& a,
                       const std::vector<std::string>& b) {
  absl::flat_hash_map<std::string, std::vector<int>> members_a, members_b;
  for (size_t i = 0; i < a.size(); ++i) {
    members_a[a[i]].push_back(static_cast<int>(i));
    members_b[b[i]].push_back(static_cast<int>(i));
  }
  size_t same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += members_a[a[i]] == members_b[b[i]];
  return a.empty() ? 1.0 : static_cast<double>(same) / a.size();
}

std::string MetricsJson(const ClusterMetrics& m) {
  return absl::StrFormat(
      "{\"precision\": %.4f, \"recall\": %.4f, \"f1\": %.4f, "
      "\"bcubed_f1\": %.4f, \"entities\": %d}",
      m.pairwise_precision, m.pairwise_recall, m.pairwise_f1, m.bcubed_f1,
      m.entities);
}

absl::Status Run(int64_t people, uint64_t seed, const std::string& dir) {
  std::vector<SourceRecord> records;
  std::vector<std::string> truth;
  GenerateRecords({.people = people, .seed = seed}, [&](const GeneratedRecord& g) {
    records.push_back(g.record);
    truth.push_back(absl::StrCat(g.person_id));
  });
  absl::StatusOr<std::unique_ptr<MatchModel>> model;
  {
    RuntimeOptions options;
    options.db_path = dir + "/regions";
    absl::StatusOr<std::unique_ptr<Runtime>> runtime = Runtime::Open(options);
    if (!runtime.ok()) return runtime.status();
    absl::StatusOr<NicknameTable> nicknames =
        NicknameTable::Load(absl::StrCat(C360_DATA_DIR, "/nicknames.tsv"));
    if (!nicknames.ok()) return nicknames.status();
    absl::StatusOr<TrainedMatcher> trained = TrainMatcherOnRecords(
        SampleComparables(records, (*runtime)->region_for(), records.size(), 1, 2),
        *std::move(nicknames), {});
    if (!trained.ok()) return trained.status();
    model = std::move(trained->model);
  }
  absl::StatusOr<std::unique_ptr<Runtime>> bulk =
      RuntimeWithModel(dir + "/bulk", **model);
  if (!bulk.ok()) return bulk.status();
  BulkLoadOptions options;
  options.region_for = (*bulk)->region_for();
  absl::StatusOr<BulkLoadReport> loaded =
      BulkLoad((*bulk)->store(), records, (*bulk)->resolver().decider(), options);
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<std::unique_ptr<Runtime>> incremental =
      RuntimeWithModel(dir + "/incremental", **model);
  if (!incremental.ok()) return incremental.status();
  for (size_t i = 0; i < records.size(); i += kChunk) {
    for (const auto& result : (*incremental)->resolver().UpsertBatch(
             absl::MakeConstSpan(records).subspan(i, kChunk))) {
      if (!result.ok()) return result.status();
    }
  }
  absl::StatusOr<std::vector<std::string>> in_bulk = EntitiesOf(**bulk, records);
  if (!in_bulk.ok()) return in_bulk.status();
  absl::StatusOr<std::vector<std::string>> one_by_one =
      EntitiesOf(**incremental, records);
  if (!one_by_one.ok()) return one_by_one.status();
  std::printf(
      "{\"records\": %zu, \"bulk\": %s,\n\"incremental\": %s,\n"
      "\"incremental_vs_bulk\": %s,\n\"records_in_identical_entities\": %.4f}\n",
      records.size(), MetricsJson(Against(*in_bulk, truth)).c_str(),
      MetricsJson(Against(*one_by_one, truth)).c_str(),
      MetricsJson(Against(*one_by_one, *in_bulk)).c_str(),
      SameEntityShare(*in_bulk, *one_by_one));
  return absl::OkStatus();
}

}  // namespace
}  // namespace c360

int main(int argc, char** argv) {
  c360::Args args("agreement_bench [--people N] [--seed S] [--dir DIR]",
                  "Resolves generated records in bulk and one at a time with "
                  "the same EM-trained model and prints, as JSON, each one's "
                  "quality and how far their entities agree.");
  args.Option("people", "people to generate (about 2.2 records each)", "2000");
  args.Option("seed", "seed of the generated people", "42");
  args.Option("dir", "scratch folder (deleted first and after)",
              absl::StrCat(std::filesystem::temp_directory_path().string(),
                           "/c360_agreement_", getpid()));
  absl::Status parsed = args.Parse(argc - 1, argv + 1);
  if (!parsed.ok() || args.help_requested()) {
    std::fputs(args.Help().c_str(), parsed.ok() ? stdout : stderr);
    return parsed.ok() ? 0 : 2;
  }
  absl::StatusOr<int64_t> people = args.GetInt("people");
  absl::StatusOr<int64_t> seed = args.GetInt("seed");
  if (!people.ok() || !seed.ok() || *people < 2) {
    std::fprintf(stderr, "agreement_bench: --people (≥ 2) and --seed are integers\n");
    return 2;
  }
  const std::string dir = args.Get("dir");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  absl::Status status = c360::Run(*people, static_cast<uint64_t>(*seed), dir);
  std::filesystem::remove_all(dir);
  if (!status.ok()) {
    std::fprintf(stderr, "agreement_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}

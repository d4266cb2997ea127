// c360 bulk-load: the initial load of an empty store from several source
// files at once, resolved in bulk on every core (resolver/bulk_loader.h).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/strings/str_format.h"
#include "resolver/bulk_loader.h"
#include "resolver/matcher_store.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/json_text.h"
#include "server/progress.h"
#include "server/record_reader.h"
#include "server/runtime.h"

namespace c360 {
namespace {

constexpr char kCommand[] = "bulk-load";

// One SOURCE:MAPPING:FILE argument, with its rejects file.
struct InputFile {
  std::string source;
  std::string mapping;  // empty for JSON Lines
  std::string path;
  std::unique_ptr<std::ofstream> rejects_out;
  std::unique_ptr<RejectsWriter> rejects;
};

// Every record read, with the file and line it came from.
struct Input {
  std::vector<InputFile> files;
  std::vector<SourceRecord> records;
  std::vector<std::pair<int, int64_t>> origin;  // (file, line) by record
  int64_t rows = 0;
  int64_t rejected = 0;
};

absl::StatusOr<InputFile> ParseInputFile(const std::string& spec) {
  std::vector<std::string> parts = absl::StrSplit(spec, absl::MaxSplits(':', 2));
  if (parts.size() != 3 || parts[0].empty() || parts[2].empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", spec, "': give SOURCE:MAPPING:FILE (MAPPING empty for JSON Lines)"));
  }
  InputFile file{parts[0], parts[1], parts[2], nullptr, nullptr};
  file.rejects_out = std::make_unique<std::ofstream>(
      file.path + ".rejects.jsonl", std::ios::trunc);
  file.rejects = std::make_unique<RejectsWriter>(file.rejects_out.get());
  return file;
}

absl::StatusOr<std::unique_ptr<RecordReader>> OpenReader(const InputFile& file,
                                                         std::istream* in) {
  if (file.mapping.empty()) return NewJsonLinesReader(in, file.source);
  absl::StatusOr<CsvMapping> mapping = LoadCsvMapping(file.mapping);
  if (!mapping.ok()) return mapping.status();
  return NewCsvReader(in, file.source, *std::move(mapping));
}

// Appends the file's records to `input`; bad rows go to its rejects file.
absl::Status ReadFile(int index, Input* input) {
  InputFile& file = input->files[index];
  std::ifstream in(file.path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", file.path));
  absl::StatusOr<std::unique_ptr<RecordReader>> reader = OpenReader(file, &in);
  if (!reader.ok()) {
    return absl::Status(reader.status().code(),
                        absl::StrCat(file.path, ": ", reader.status().message()));
  }
  std::error_code no_size;  // the bar then shows rows only
  ProgressBar progress(absl::StrCat("read ", file.path),
                       std::filesystem::file_size(file.path, no_size));
  ReadResult row;
  for (int64_t rows = 1; (*reader)->Next(&row); ++rows) {
    ++input->rows;
    progress.Update((*reader)->bytes_read(), rows);
    if (!row.record.ok()) {
      ++input->rejected;
      file.rejects->Write(row.line, row.record.status().message(), row.raw);
      continue;
    }
    input->records.push_back(*std::move(row.record));
    input->origin.emplace_back(index, row.line);
  }
  return absl::OkStatus();
}

// One progress bar per phase of the load, on the calling thread.
class PhaseProgress {
 public:
  void Update(absl::string_view phase, int64_t done, int64_t total) {
    if (phase != phase_) {
      phase_ = std::string(phase);
      bar_ = std::make_unique<ProgressBar>(phase_, total);
    }
    bar_->Update(done, done);
  }

 private:
  std::string phase_;
  std::unique_ptr<ProgressBar> bar_;
};

// What --train did, as a JSON object ("null" without --train).
struct Training {
  std::string json = "null";
};

void PrintSummary(const Input& input, const BulkLoadReport& report,
                  double read_seconds, const Training& training) {
  const double load_seconds = report.prepare_seconds + report.block_seconds +
                              report.score_seconds + report.cluster_seconds +
                              report.write_seconds;
  std::printf(
      "{\"rows\": %lld, \"records\": %lld, \"rejected\": %lld, "
      "\"superseded\": %zu, \"entities\": %lld, \"nothing_to_match\": %lld, "
      "\"pairs_scored\": %lld, "
      "\"hot_keys\": %lld, \"review_pairs\": %lld, \"review_tasks\": %lld, "
      "\"commits\": %lld, "
      "\"seconds\": {\"read\": %.2f, \"prepare\": %.2f, \"block\": %.2f, "
      "\"score\": %.2f, \"cluster\": %.2f, \"write\": %.2f, \"load\": %.2f}, "
      "\"records_per_s\": %.0f,\n\"matcher\": %s}\n",
      static_cast<long long>(input.rows), static_cast<long long>(report.loaded),
      static_cast<long long>(input.rejected), report.superseded.size(),
      static_cast<long long>(report.entities),
      static_cast<long long>(report.nothing_to_match),
      static_cast<long long>(report.pairs_scored),
      static_cast<long long>(report.hot_keys),
      static_cast<long long>(report.review_pairs),
      static_cast<long long>(report.review_tasks),
      static_cast<long long>(report.commits), read_seconds,
      report.prepare_seconds, report.block_seconds, report.score_seconds,
      report.cluster_seconds, report.write_seconds, load_seconds,
      load_seconds > 0 ? report.records / load_seconds : 0,
      training.json.c_str());
}

// Trains the match model by EM on (a sample of) the input, stores it as the
// active model and returns it: the bulk load then resolves with it.
absl::StatusOr<std::unique_ptr<MatchModel>> Train(const Args& args,
                                                  Runtime& runtime,
                                                  const Input& input,
                                                  Training* training) {
  absl::StatusOr<int64_t> sample = args.GetInt("train-sample");
  if (!sample.ok()) return sample.status();
  double link = 0, review = 0;
  absl::Status thresholds = ParseThresholds(args, &link, &review);
  if (!thresholds.ok()) return thresholds;
  absl::StatusOr<NicknameTable> nicknames = NicknameTable::Load(args.Get("nicknames"));
  if (!nicknames.ok()) return nicknames.status();
  const absl::Time start = absl::Now();
  absl::StatusOr<TrainedMatcher> trained = TrainMatcherOnRecords(
      SampleComparables(input.records, runtime.region_for(),
                        static_cast<size_t>(std::max<int64_t>(*sample, 2)), 1,
                        2),
      *std::move(nicknames), {});
  if (!trained.ok()) return trained.status();
  absl::StatusOr<std::unique_ptr<MatchModel>> model =
      trained->model->WithThresholds(link, review);
  if (!model.ok()) return model;
  absl::StatusOr<uint64_t> version = SaveActiveMatcher(runtime.store(), **model);
  if (!version.ok()) return version.status();
  training->json = absl::StrFormat(
      "{\"version\": %d, \"trained_on\": %d, \"candidate_pairs\": %d, "
      "\"prior\": %.3g, \"seconds\": %.2f, \"sessions\": %s}",
      *version, trained->records, trained->report.candidate_pairs,
      (*model)->params().prior, absl::ToDoubleSeconds(absl::Now() - start),
      TrainingSessionsJson(trained->report));
  return model;
}

absl::StatusOr<BulkLoadReport> Load(const Args& args, Input& input,
                                    Training* training) {
  RuntimeOptions runtime_options;
  runtime_options.db_path = args.Get("db");
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = Runtime::Open(runtime_options);
  if (!runtime.ok()) return runtime.status();
  std::unique_ptr<MatchModel> model;
  if (args.GetFlag("train")) {
    absl::StatusOr<std::unique_ptr<MatchModel>> trained =
        Train(args, **runtime, input, training);
    if (!trained.ok()) return trained.status();
    model = *std::move(trained);
  }
  BulkLoadOptions options;
  options.region_for = (*runtime)->region_for();
  options.max_postings_per_key = runtime_options.resolver.max_postings_per_key;
  options.limits = runtime_options.resolver.limits;
  PhaseProgress progress;
  options.progress = [&progress](absl::string_view phase, int64_t done,
                                 int64_t total) {
    progress.Update(phase, done, total);
  };
  // Without --train: the v1 rules, what the runtime's resolver uses in a
  // store without a trained model.
  const MatchDecider& decider =
      model ? *model : (*runtime)->resolver().decider();
  absl::StatusOr<BulkLoadReport> report =
      BulkLoad((*runtime)->store(), input.records, decider, options);
  if (!report.ok()) return report;
  absl::StatusOr<int64_t> profiles = (*runtime)->RefreshProfiles(
      [&progress](int64_t done, int64_t total) {
        progress.Update("profiles", done, total);
      });
  if (!profiles.ok()) return profiles.status();
  for (const BulkRejection& r : report->rejected) {
    const auto& [file, line] = input.origin[r.index];
    input.files[file].rejects->Write(line, r.reason, "");
  }
  input.rejected += static_cast<int64_t>(report->rejected.size());
  return report;
}

}  // namespace

int RunBulkLoad(int argc, char** argv) {
  Args args("c360 bulk-load [--db DIR] SOURCE:MAPPING:FILE ...",
            "Initial load of an empty store: reads every file, then resolves "
            "all records at once on every core (much faster than ingest). "
            "MAPPING is a CSV mapping file, or empty for JSON Lines "
            "(crm::crm.jsonl). Bad rows go to FILE.rejects.jsonl with their "
            "line and reason; a later row with the same source id updates an "
            "earlier one. A store that holds records is refused: add to it "
            "with c360 ingest. Prints a JSON summary.\n"
            "Exit code: 0 all loaded, 3 some rows rejected, 1 failure.");
  args.Positionals("SOURCE:MAPPING:FILE  one per source file");
  args.Option("db", "local store folder (empty or new)", "c360-data");
  args.Flag("train",
            "first learn the match model by EM from the input (or a sample), "
            "store it as the active model and resolve with it; without it "
            "the v1 rules resolve");
  // EM needs the pairs of one person together: a random sample of records
  // breaks most of them, so it is only for inputs too big to learn from.
  args.Option("train-sample", "records --train learns from at most",
              "2000000");
  args.Option("nicknames", "nickname and transliteration groups",
              absl::StrCat(C360_DATA_DIR, "/nicknames.tsv"));
  AddThresholdOptions(args);
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  if (args.positionals().empty()) {
    return Fail(kCommand, absl::InvalidArgumentError("give at least one SOURCE:MAPPING:FILE"));
  }
  Input input;
  for (const std::string& spec : args.positionals()) {
    absl::StatusOr<InputFile> file = ParseInputFile(spec);
    if (!file.ok()) return Fail(kCommand, file.status());
    input.files.push_back(*std::move(file));
  }
  const absl::Time start = absl::Now();
  for (int i = 0; i < static_cast<int>(input.files.size()); ++i) {
    if (absl::Status read = ReadFile(i, &input); !read.ok()) return Fail(kCommand, read);
  }
  const double read_seconds = absl::ToDoubleSeconds(absl::Now() - start);
  Training training;
  absl::StatusOr<BulkLoadReport> report = Load(args, input, &training);
  if (!report.ok()) return Fail(kCommand, report.status());
  PrintSummary(input, *report, read_seconds, training);
  return input.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace c360

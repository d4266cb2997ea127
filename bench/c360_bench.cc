// c360_bench: ingest throughput and GetProfile latency on generated data.
//
//   c360_bench --people 46000 --runs 3 [--dir DIR] [--bulk]
//
// Prints one JSON object per measurement. Ingest runs `runs` times into a
// fresh store each time and reports every run and the median; latencies are
// percentiles over single calls after the last ingest. Ingest is incremental
// (Resolver::UpsertBatch) unless --bulk measures BulkLoad instead, with the
// records per second of each of its phases.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "c360/service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "resolver/bulk_loader.h"
#include "server/args.h"
#include "server/generator.h"
#include "server/runtime.h"
#include "server/serve.h"

namespace c360 {
namespace {

constexpr size_t kChunk = 1024;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

struct Percentiles {
  double p50_us, p99_us, max_us;
};

Percentiles Summarize(std::vector<double> micros) {
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) { return micros[static_cast<size_t>(q * (micros.size() - 1))]; };
  return {at(0.50), at(0.99), micros.back()};
}

void PrintLatency(const char* name, const Percentiles& p, size_t calls) {
  std::printf("{\"measure\": \"%s\", \"calls\": %zu, \"p50_us\": %.1f, "
              "\"p99_us\": %.1f, \"max_us\": %.1f}\n",
              name, calls, p.p50_us, p.p99_us, p.max_us);
  std::fflush(stdout);
}

// A runtime over a new, empty store in `dir`.
absl::StatusOr<std::unique_ptr<Runtime>> FreshRuntime(const std::string& dir) {
  std::filesystem::remove_all(dir);
  RuntimeOptions options;
  options.db_path = dir;
  return Runtime::Open(options);
}

// Loads every record into a fresh store; returns records per second.
absl::StatusOr<double> IngestOnce(const std::vector<SourceRecord>& records,
                                  const std::string& dir,
                                  std::unique_ptr<Runtime>* kept) {
  auto runtime = FreshRuntime(dir);
  if (!runtime.ok()) return runtime.status();
  absl::Time start = absl::Now();
  for (size_t i = 0; i < records.size(); i += kChunk) {
    auto chunk = absl::MakeConstSpan(records).subspan(i, kChunk);
    for (const auto& result : (*runtime)->resolver().UpsertBatch(chunk)) {
      if (!result.ok()) return result.status();
    }
  }
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  *kept = *std::move(runtime);
  return records.size() / seconds;
}

double PerSecond(size_t records, double seconds) {
  return seconds > 0 ? records / seconds : 0;
}

void PrintBulkPhases(const BulkLoadReport& report) {
  const size_t n = report.records;
  std::printf("{\"measure\": \"bulk_phases\", \"pairs_scored\": %lld, "
              "\"entities\": %lld, \"prepare_records_per_s\": %.0f, "
              "\"block_records_per_s\": %.0f, \"score_records_per_s\": %.0f, "
              "\"cluster_records_per_s\": %.0f, \"write_records_per_s\": %.0f}\n",
              static_cast<long long>(report.pairs_scored),
              static_cast<long long>(report.entities),
              PerSecond(n, report.prepare_seconds), PerSecond(n, report.block_seconds),
              PerSecond(n, report.score_seconds), PerSecond(n, report.cluster_seconds),
              PerSecond(n, report.write_seconds));
}

// Bulk-loads every record into a fresh store; returns records per second.
absl::StatusOr<double> BulkLoadOnce(const std::vector<SourceRecord>& records,
                                    const std::string& dir,
                                    std::unique_ptr<Runtime>* kept) {
  auto runtime = FreshRuntime(dir);
  if (!runtime.ok()) return runtime.status();
  BulkLoadOptions bulk;
  bulk.region_for = (*runtime)->region_for();
  absl::Time start = absl::Now();
  auto report = BulkLoad((*runtime)->store(), records,
                         (*runtime)->resolver().decider(), bulk);
  if (!report.ok()) return report.status();
  double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  PrintBulkPhases(*report);
  *kept = *std::move(runtime);
  return records.size() / seconds;
}

std::vector<RecordKey> SampleKeys(const std::vector<SourceRecord>& records,
                                  size_t n) {
  std::mt19937_64 random(7);
  std::vector<RecordKey> keys;
  for (size_t i = 0; i < n; ++i) {
    const SourceRecord& r = records[random() % records.size()];
    RecordKey key;
    key.set_source(r.source());
    key.set_source_id(r.source_id());
    keys.push_back(key);
  }
  return keys;
}

template <typename Call>
std::vector<double> Time(const std::vector<RecordKey>& keys, Call call) {
  std::vector<double> micros;
  micros.reserve(keys.size());
  for (const RecordKey& key : keys) {
    absl::Time start = absl::Now();
    call(key);
    micros.push_back(absl::ToDoubleMicroseconds(absl::Now() - start));
  }
  return micros;
}

absl::Status MeasureReads(Runtime& runtime, const std::vector<RecordKey>& keys) {
  size_t failures = 0;
  PrintLatency("get_profile_in_process", Summarize(Time(keys, [&](const RecordKey& k) {
                 failures += !runtime.profiles().ByRecordKey(k, false).ok();
               })), keys.size());
  auto server = RunningServer::Start(&runtime, ServeOptions());  // loopback, free port
  if (!server.ok()) return server.status();
  auto stub = ProfileService::NewStub(grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", (*server)->port()),
      grpc::InsecureChannelCredentials()));
  PrintLatency("get_profile_grpc_one_client", Summarize(Time(keys, [&](const RecordKey& k) {
                 GetProfileRequest request;
                 *request.mutable_record() = k;
                 GetProfileResponse response;
                 grpc::ClientContext context;
                 failures += !stub->GetProfile(&context, request, &response).ok();
               })), keys.size());
  (*server)->Shutdown(absl::Seconds(1));
  (*server)->Wait();
  if (failures > 0) return absl::InternalError(absl::StrCat(failures, " lookups failed"));
  return absl::OkStatus();
}

int Run(int argc, char** argv) {
  Args args("c360_bench [--people N] [--runs R] [--dir DIR] [--bulk]",
            "Measures bulk ingest throughput (both cores) and GetProfile "
            "latency in-process and over gRPC on loopback, on generated data.");
  args.Option("people", "people to generate (about 2.2 records each)", "46000");
  args.Option("runs", "ingest runs; the median is reported", "3");
  args.Option("lookups", "GetProfile calls per latency measurement", "20000");
  args.Flag("bulk", "measure the bulk initial load instead of incremental ingest");
  args.Option("dir", "scratch store folder (deleted first)",
              absl::StrCat(std::filesystem::temp_directory_path().string(),
                           "/c360_bench_", getpid()));
  absl::Status parsed = args.Parse(argc - 1, argv + 1);
  if (!parsed.ok() || args.help_requested()) {
    std::fputs(args.Help().c_str(), parsed.ok() ? stdout : stderr);
    return parsed.ok() ? 0 : 2;
  }
  auto people = args.GetInt("people");
  auto runs = args.GetInt("runs");
  auto lookups = args.GetInt("lookups");
  if (!people.ok() || !runs.ok() || !lookups.ok() || *runs < 1) {
    std::fprintf(stderr, "c360_bench: --people, --runs, --lookups must be positive integers\n");
    return 2;
  }
  std::vector<SourceRecord> records;
  GenerateRecords({.people = *people, .seed = 1},
                  [&](const GeneratedRecord& g) { records.push_back(g.record); });
  const char* measure = args.GetFlag("bulk") ? "bulk_load" : "ingest";
  std::vector<double> rates;
  std::unique_ptr<Runtime> runtime;
  for (int64_t run = 0; run < *runs; ++run) {
    runtime.reset();
    auto rate = args.GetFlag("bulk")
                    ? BulkLoadOnce(records, args.Get("dir"), &runtime)
                    : IngestOnce(records, args.Get("dir"), &runtime);
    if (!rate.ok()) {
      std::fprintf(stderr, "c360_bench: %s\n", rate.status().ToString().c_str());
      return 1;
    }
    rates.push_back(*rate);
    std::printf("{\"measure\": \"%s_run\", \"run\": %lld, \"records\": %zu, "
                "\"records_per_s\": %.0f, \"seconds\": %.1f}\n", measure,
                static_cast<long long>(run + 1), records.size(), *rate,
                records.size() / *rate);
    std::fflush(stdout);
  }
  std::printf("{\"measure\": \"%s\", \"records\": %zu, \"runs\": %zu, "
              "\"median_records_per_s\": %.0f}\n", measure, records.size(),
              rates.size(), Median(rates));
  absl::Status measured = MeasureReads(*runtime, SampleKeys(records, *lookups));
  runtime.reset();
  std::filesystem::remove_all(args.Get("dir"));
  if (!measured.ok()) {
    std::fprintf(stderr, "c360_bench: %s\n", measured.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace c360

int main(int argc, char** argv) { return c360::Run(argc, argv); }

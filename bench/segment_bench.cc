// segment_bench: segment scans over a profiles table of generated profiles.
//
//   segment_bench [--profiles 1000000] [--runs 3] [--dir DIR] [--keep]
//
// Fills a store with --profiles SegmentRows and their profile_index keys
// (reused when --dir already holds that many from an earlier --keep run),
// then prints one JSON object per measurement, each the median of --runs:
//   full_scan      in-process scan with a typical filter (no index plan):
//                  profiles examined per second
//   count          Count with the same filter
//   indexed_scan   a selective filter on an indexed field: time to the
//                  first row and to the last
//   grpc_scan      every profile streamed by SegmentService.Scan over
//                  loopback gRPC (server in-process), rows per second
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "c360/segment.grpc.pb.h"
#include "enrich/segment_index.h"
#include "enrich/segment_scan.h"
#include "grpcpp/grpcpp.h"
#include "server/args.h"
#include "server/json_text.h"
#include "server/runtime.h"
#include "server/serve.h"
#include "store/rocksdb_store.h"

namespace c360 {
namespace {

constexpr int kRowsPerCommit = 2000;
constexpr char kTypicalFilter[] =
    R"(records >= 2 AND birth_date < "1990-01-01" AND exists(phone))";
constexpr char kSelectiveFilter[] =
    R"(postcode = "00170" AND consent.marketing = "granted")";

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

template <typename T>
const T& Pick(const std::vector<T>& options, std::mt19937_64& random) {
  return options[random() % options.size()];
}

// A profile as the projection would flatten it: ~20 fields, some with
// several values, postcodes spread over a thousand values.
SegmentRow GeneratedProfile(int64_t i, std::mt19937_64& random) {
  static const std::vector<std::string> kGiven = {
      "Liisa", "Mikko", "Anna", "Juha", "Maria", "Timo", "Sari", "Jari"};
  static const std::vector<std::string> kFamily = {
      "Virtanen", "Korhonen", "Nieminen", "Mäkinen", "Hämäläinen", "Laine"};
  static const std::vector<std::string> kCities = {
      "Helsinki", "Espoo", "Tampere", "Oulu", "Turku", "Vantaa"};
  static const std::vector<std::string> kSources = {"crm", "erp", "web", "shop"};
  static const std::vector<std::string> kBands = {"1-9", "10-49", "50-249", "250+"};
  std::map<std::string, std::vector<std::string>> fields;
  const std::string& given = Pick(kGiven, random);
  const std::string& family = Pick(kFamily, random);
  fields["name"] = {absl::StrCat(given, " ", family)};
  fields["given_name"] = {given};
  fields["family_name"] = {family};
  fields["birth_date"] = {absl::StrFormat("%04d-%02d-%02d", 1940 + random() % 65,
                                          1 + random() % 12, 1 + random() % 28)};
  fields["email"] = {absl::StrCat("p", i, "@example.fi")};
  if (random() % 4 == 0) fields["email"].push_back(absl::StrCat("p", i, "@work.fi"));
  if (random() % 3 != 0) fields["phone"] = {absl::StrCat("+35840", 1000000 + i)};
  fields["street"] = {absl::StrCat("Mannerheimintie ", 1 + random() % 200)};
  fields["postcode"] = {absl::StrFormat("%05d", 10 * (random() % 1000))};
  fields["city"] = {Pick(kCities, random)};
  fields["country"] = {random() % 10 == 0 ? "SE" : "FI"};
  fields["consent.marketing"] = {random() % 3 == 0 ? "denied" : "granted"};
  fields["enrichment.industry_code"] = {absl::StrCat(62000 + random() % 50)};
  fields["enrichment.employee_band"] = {Pick(kBands, random)};
  const int sources = 1 + static_cast<int>(random() % 3);
  int records = 0;
  for (int s = 0; s < sources; ++s) {
    const std::string& source = kSources[(i + s) % kSources.size()];
    const int count = 1 + static_cast<int>(random() % 2);
    fields["source"].push_back(source);
    fields[absl::StrCat("source.", source)] = {absl::StrCat(count)};
    records += count;
  }
  fields["records"] = {absl::StrCat(records)};
  fields["created_at"] = {"2025-03-01T09:00:00Z"};
  fields["updated_at"] = {absl::StrFormat("2026-%02d-%02dT12:00:00Z",
                                          1 + random() % 11, 1 + random() % 28)};
  fields["score.churn"] = {absl::StrFormat("%.3f", (random() % 1000) / 1000.0)};
  SegmentRow row;
  row.set_entity_id(absl::StrFormat("E%010d", i));
  for (auto& [name, values] : fields) {
    SegmentField* field = row.add_fields();
    field->set_name(name);
    for (std::string& value : values) field->add_values(std::move(value));
  }
  return row;
}

absl::Status Fill(KvStore* store, int64_t profiles) {
  std::mt19937_64 random(42);
  for (int64_t i = 0; i < profiles;) {
    WriteSet writes;
    for (int n = 0; n < kRowsPerCommit && i < profiles; ++n, ++i) {
      SegmentRow row = GeneratedProfile(i, random);
      for (std::string& key : ProfileIndexKeys(row)) {
        writes.Put(Table::kProfileIndex, std::move(key), "");
      }
      writes.Put(Table::kProfiles, ProfileKey(row.entity_id()),
                 row.SerializeAsString());
    }
    absl::Status committed = store->Commit(writes);
    if (!committed.ok()) return committed;
  }
  return absl::OkStatus();
}

// The profiles already in the store.
absl::StatusOr<int64_t> StoredProfiles(const KvStore& store) {
  int64_t count = 0;
  absl::Status scanned = store.Scan(Table::kProfiles, "", "",
                                    [&](absl::string_view, absl::string_view) {
                                      ++count;
                                      return true;
                                    });
  if (!scanned.ok()) return scanned;
  return count;
}

SegmentQuery QueryOf(const char* expression) {
  SegmentQuery query;
  query.filter = *SegmentFilter::Compile(expression);
  return query;
}

// One in-process scan; sets the milliseconds to the first and last row.
absl::Status TimedScan(const KvStore& store, const SegmentQuery& query,
                       double* first_ms, double* total_ms, int64_t* rows) {
  const std::unique_ptr<ReadView> snapshot = store.Snapshot();
  const absl::Time start = absl::Now();
  *rows = 0;
  *first_ms = -1;
  absl::Status status = SegmentScanner(*snapshot).Scan(
      query, ScanOptions(), [&](const ScanResponse& batch) {
        if (*first_ms < 0) *first_ms = absl::ToDoubleMilliseconds(absl::Now() - start);
        *rows += batch.rows_size();
        return absl::OkStatus();
      });
  *total_ms = absl::ToDoubleMilliseconds(absl::Now() - start);
  return status;
}

absl::Status MeasureInProcess(const KvStore& store, int64_t profiles, int runs) {
  std::vector<double> rates, count_ms, first_ms, indexed_ms;
  int64_t selected = 0, counted = 0, indexed_rows = 0;
  const SegmentQuery typical = QueryOf(kTypicalFilter);
  const SegmentQuery selective = QueryOf(kSelectiveFilter);
  for (int run = 0; run < runs; ++run) {
    double first = 0, total = 0;
    absl::Status status = TimedScan(store, typical, &first, &total, &selected);
    if (!status.ok()) return status;
    rates.push_back(profiles / (total / 1000));

    const absl::Time start = absl::Now();
    absl::StatusOr<int64_t> count = SegmentScanner(store).Count(typical);
    if (!count.ok()) return count.status();
    counted = *count;
    count_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));

    status = TimedScan(store, selective, &first, &total, &indexed_rows);
    if (!status.ok()) return status;
    first_ms.push_back(first);
    indexed_ms.push_back(total);
  }
  std::printf("{\"measure\": \"full_scan\", \"profiles\": %lld, \"filter\": %s, "
              "\"selected\": %lld, \"median_profiles_per_s\": %.0f}\n",
              (long long)profiles, JsonString(kTypicalFilter).c_str(),
              (long long)selected, Median(rates));
  std::printf("{\"measure\": \"count\", \"count\": %lld, \"median_ms\": %.1f, "
              "\"profiles_per_s\": %.0f}\n",
              (long long)counted, Median(count_ms),
              profiles / (Median(count_ms) / 1000));
  std::printf("{\"measure\": \"indexed_scan\", \"filter\": %s, \"rows\": %lld, "
              "\"median_first_row_ms\": %.2f, \"median_total_ms\": %.2f}\n",
              JsonString(kSelectiveFilter).c_str(),
              (long long)indexed_rows, Median(first_ms), Median(indexed_ms));
  std::fflush(stdout);
  return absl::OkStatus();
}

absl::Status MeasureGrpc(Runtime* runtime, int runs) {
  absl::StatusOr<std::unique_ptr<RunningServer>> server =
      RunningServer::Start(runtime, ServeOptions());  // loopback, free port
  if (!server.ok()) return server.status();
  auto stub = SegmentService::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*server)->port()),
                          grpc::InsecureChannelCredentials()));
  std::vector<double> rates;
  int64_t rows = 0, bytes = 0;
  for (int run = 0; run < runs; ++run) {
    grpc::ClientContext context;
    const absl::Time start = absl::Now();
    auto reader = stub->Scan(&context, ScanRequest());
    ScanResponse batch;
    rows = bytes = 0;
    while (reader->Read(&batch)) {
      rows += batch.rows_size();
      bytes += static_cast<int64_t>(batch.ByteSizeLong());
    }
    grpc::Status status = reader->Finish();
    if (!status.ok()) return absl::InternalError(status.error_message());
    rates.push_back(rows / absl::ToDoubleSeconds(absl::Now() - start));
  }
  (*server)->Shutdown(absl::Seconds(1));
  (*server)->Wait();
  std::printf("{\"measure\": \"grpc_scan\", \"rows\": %lld, \"mb\": %.0f, "
              "\"median_rows_per_s\": %.0f}\n",
              (long long)rows, bytes / 1e6, Median(rates));
  std::fflush(stdout);
  return absl::OkStatus();
}

absl::Status Run(const std::string& dir, int64_t profiles, int runs, bool keep) {
  {
    absl::StatusOr<std::unique_ptr<KvStore>> store = OpenRocksDbStore({.path = dir});
    if (!store.ok()) return store.status();
    absl::StatusOr<int64_t> stored = StoredProfiles(**store);
    if (!stored.ok()) return stored.status();
    if (*stored != profiles) {
      store->reset();
      std::filesystem::remove_all(dir);
      store = OpenRocksDbStore({.path = dir});
      if (!store.ok()) return store.status();
      const absl::Time start = absl::Now();
      absl::Status filled = Fill(store->get(), profiles);
      if (!filled.ok()) return filled;
      std::printf("{\"measure\": \"fill\", \"profiles\": %lld, \"seconds\": %.1f}\n",
                  (long long)profiles, absl::ToDoubleSeconds(absl::Now() - start));
    }
  }
  RuntimeOptions options;
  options.db_path = dir;
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = Runtime::Open(options);
  if (!runtime.ok()) return runtime.status();
  absl::Status measured = MeasureInProcess((*runtime)->store(), profiles, runs);
  if (measured.ok()) measured = MeasureGrpc(runtime->get(), runs);
  runtime->reset();
  if (!keep) std::filesystem::remove_all(dir);
  return measured;
}

}  // namespace
}  // namespace c360

int main(int argc, char** argv) {
  c360::Args args("segment_bench [--profiles N] [--runs R] [--dir DIR] [--keep]",
                  "Segment scan throughput over generated profiles (JSON).");
  args.Option("profiles", "profiles in the store", "1000000");
  args.Option("runs", "runs per measurement; the median is reported", "3");
  args.Option("dir", "store folder", "/tmp/c360-segment-bench");
  args.Flag("keep", "keep the store for the next run");
  absl::Status parsed = args.Parse(argc - 1, argv + 1);
  if (!parsed.ok() || args.help_requested()) {
    std::fputs(args.Help().c_str(), parsed.ok() ? stdout : stderr);
    return parsed.ok() ? 0 : 2;
  }
  absl::StatusOr<int64_t> profiles = args.GetInt("profiles");
  absl::StatusOr<int64_t> runs = args.GetInt("runs");
  if (!profiles.ok() || !runs.ok() || *profiles < 1 || *runs < 1) {
    std::fputs("segment_bench: --profiles and --runs must be positive\n", stderr);
    return 2;
  }
  absl::Status status = c360::Run(args.Get("dir"), *profiles,
                                  static_cast<int>(*runs), args.GetFlag("keep"));
  if (!status.ok()) {
    std::fprintf(stderr, "segment_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}

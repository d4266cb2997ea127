// c360_load: open-loop mixed gRPC traffic against a c360 server at rising
// rates, until the server saturates.
//
//   c360_load --db DIR [--people N --seed S]       starts `c360 serve` on DIR
//   c360_load --server HOST:PORT [--people N --seed S]
//
// Traffic (--mix, drawn at random per request): 80 % GetProfile by a
// member record's key, 15 % Upsert of a generated record under a new source
// id (resolved, and linked to its person's entity: the store grows), 5 %
// FindProfiles by e-mail. The keys
// and records come from the generator (`c360 gen --people N --seed S`), so
// a --server store must hold that data; with --db a new folder is first
// bulk-loaded with it and the real `c360 serve` binary is started on
// loopback.
//
// Each step sends requests on a fixed schedule at its target rate for
// --step-seconds (open loop: a late server does not slow the sender) on
// asynchronous stubs, and measures each call's latency from when it was
// due, so queueing in the client and the server counts. Rates rise by
// --rate-step until a step saturates: fewer than 90 % of the target rate
// completed within the step, or p99 above --p99-limit-ms, or any error.
// One JSON line per step and a summary line on stdout; a table and
// progress on stderr.
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "c360/service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "resolver/bulk_loader.h"
#include "server/args.h"
#include "server/generator.h"
#include "server/runtime.h"
#include "tests/e2e/server_process.h"

namespace c360 {
namespace {

using Clock = std::chrono::steady_clock;

constexpr double kMinAchievedShare = 0.9;
constexpr auto kDeadline = std::chrono::seconds(30);

enum Kind { kGet, kUpsert, kFind, kKinds };
constexpr const char* kKindNames[kKinds] = {"get", "upsert", "find"};

// What the requests are made of: the generated records.
struct Workload {
  std::vector<SourceRecord> records;
  std::vector<std::string> emails;
  std::string run_id;  // makes the upserted source ids new in every run
};

Workload Generate(int64_t people, uint64_t seed) {
  Workload work;
  GenerateRecords({.people = people, .seed = seed},
                  [&](const GeneratedRecord& g) {
                    work.records.push_back(g.record);
                    for (const std::string& e : g.record.emails()) {
                      work.emails.push_back(e);
                    }
                  });
  work.run_id =
      absl::StrCat(getpid(), "-", Clock::now().time_since_epoch().count());
  return work;
}

// Bulk-loads the records into the new store at `db`.
absl::Status PrepareStore(const std::string& db, const Workload& work) {
  std::fprintf(stderr, "c360_load: bulk-loading %zu records into %s\n",
               work.records.size(), db.c_str());
  RuntimeOptions options;
  options.db_path = db;
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = Runtime::Open(options);
  if (!runtime.ok()) return runtime.status();
  BulkLoadOptions bulk;
  bulk.region_for = (*runtime)->region_for();
  absl::StatusOr<BulkLoadReport> report =
      BulkLoad((*runtime)->store(), work.records,
               (*runtime)->resolver().decider(), bulk);
  return report.status();
}

// CPU seconds used so far by the server (0 when it is not ours) and by
// this process.
struct CpuSeconds {
  double server = 0;
  double client = 0;
};

double Seconds(const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; }

CpuSeconds CpuNow(pid_t server) {
  CpuSeconds cpu;
  rusage self;
  getrusage(RUSAGE_SELF, &self);
  cpu.client = Seconds(self.ru_utime) + Seconds(self.ru_stime);
  if (server <= 0) return cpu;
  std::ifstream stat_file(absl::StrCat("/proc/", server, "/stat"));
  std::string stat;
  std::getline(stat_file, stat);
  // After the command name in parentheses: field 3 (state) onwards; utime
  // and stime are fields 14 and 15, in clock ticks.
  std::vector<std::string> fields =
      absl::StrSplit(stat.substr(stat.rfind(')') + 1), ' ', absl::SkipEmpty());
  int64_t user = 0, system = 0;
  if (fields.size() > 12 && absl::SimpleAtoi(fields[11], &user) &&
      absl::SimpleAtoi(fields[12], &system)) {
    cpu.server = static_cast<double>(user + system) / sysconf(_SC_CLK_TCK);
  }
  return cpu;
}

// The CPU both processes used since `before`, in cores over `seconds`, and
// the server's VmRSS and VmHWM, as JSON fields.
std::string ResourceFields(pid_t server, const CpuSeconds& before,
                           double seconds) {
  const CpuSeconds now = CpuNow(server);
  std::string fields = absl::StrFormat(", \"client_cpu_cores\": %.2f",
                                       (now.client - before.client) / seconds);
  if (server <= 0) return fields;
  absl::StrAppend(&fields,
                  absl::StrFormat(", \"server_cpu_cores\": %.2f",
                                  (now.server - before.server) / seconds));
  std::ifstream status(absl::StrCat("/proc/", server, "/status"));
  std::string name;
  double kib = 0;
  while (status >> name) {
    if ((name == "VmRSS:" || name == "VmHWM:") && status >> kib) {
      absl::StrAppend(&fields, absl::StrFormat(", \"server_%s_mib\": %.1f",
                                               name == "VmRSS:" ? "rss" : "hwm",
                                               kib / 1024));
    }
  }
  return fields;
}

double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  return sorted[static_cast<size_t>(q * (sorted.size() - 1))];
}

// What one step measured; filled by the completion thread.
class StepStats {
 public:
  StepStats(Clock::time_point start, Clock::time_point end)
      : start_(start), end_(end) {}

  void Sent() {
    absl::MutexLock lock(&mutex_);
    ++outstanding_;
  }

  void Completed(Kind kind, Clock::time_point due, const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    absl::MutexLock lock(&mutex_);
    --outstanding_;
    if (!status.ok()) {
      ++errors_[absl::StatusCodeToString(
          static_cast<absl::StatusCode>(status.error_code()))];
      return;
    }
    micros_[kind].push_back(
        std::chrono::duration<double, std::micro>(now - due).count());
    if (now <= end_) ++in_window_;
  }

  // Blocks until every call sent has completed.
  void AwaitAll() {
    absl::MutexLock lock(&mutex_);
    mutex_.Await(absl::Condition(
        +[](int64_t* outstanding) { return *outstanding == 0; },
        &outstanding_));
  }

  // The step as one JSON object; `target` is the rate it aimed at, and
  // `resources` ends the object (ResourceFields).
  std::string Json(double target, const std::string& resources) {
    absl::MutexLock lock(&mutex_);
    std::vector<double> all;
    std::string kinds;
    for (int k = 0; k < kKinds; ++k) {
      std::sort(micros_[k].begin(), micros_[k].end());
      all.insert(all.end(), micros_[k].begin(), micros_[k].end());
      absl::StrAppend(
          &kinds,
          absl::StrFormat(
              ", \"%s\": {\"ok\": %zu, \"p50_ms\": %.3f, \"p99_ms\": %.3f}",
              kKindNames[k], micros_[k].size(),
              Percentile(micros_[k], 0.5) / 1000,
              Percentile(micros_[k], 0.99) / 1000));
    }
    std::sort(all.begin(), all.end());
    p99_ms_ = Percentile(all, 0.99) / 1000;
    has_errors_ = !errors_.empty();
    achieved_ =
        in_window_ / std::chrono::duration<double>(end_ - start_).count();
    std::string errors =
        absl::StrJoin(errors_, ", ", [](std::string* out, const auto& e) {
          absl::StrAppend(out, "\"", e.first, "\": ", e.second);
        });
    return absl::StrFormat(
        "{\"target_rps\": %.0f, \"achieved_rps\": %.0f, \"ok\": %zu, "
        "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, "
        "\"errors\": {%s}%s%s}",
        target, achieved_, all.size(), Percentile(all, 0.5) / 1000, p99_ms_,
        all.empty() ? 0.0 : all.back() / 1000, errors, kinds, resources);
  }

  // Valid after Json.
  double achieved() const { return achieved_; }
  double p99_ms() const { return p99_ms_; }
  bool has_errors() const { return has_errors_; }

 private:
  const Clock::time_point start_;
  const Clock::time_point end_;
  absl::Mutex mutex_;
  int64_t outstanding_ ABSL_GUARDED_BY(mutex_) = 0;
  int64_t in_window_ ABSL_GUARDED_BY(mutex_) = 0;
  std::vector<double> micros_[kKinds] ABSL_GUARDED_BY(mutex_);
  std::map<std::string, int64_t> errors_ ABSL_GUARDED_BY(mutex_);
  double achieved_ = 0;
  double p99_ms_ = 0;
  bool has_errors_ = false;
};

// One asynchronous call in flight; its own completion-queue tag.
struct Call {
  virtual ~Call() = default;
  Kind kind;
  Clock::time_point due;
  StepStats* stats;
  grpc::ClientContext context;
  grpc::Status status;
};

template <typename Response>
struct CallOf : Call {
  Response response;
  std::unique_ptr<grpc::ClientAsyncResponseReader<Response>> reader;
};

// Sends the traffic over `channels` connections, each request's kind drawn
// with the weights of `mix` (get, upsert, find), and drains one completion
// queue on its own thread.
class LoadClient {
 public:
  LoadClient(const std::string& address, int channels,
             const std::vector<double>& mix, const Workload* work)
      : work_(work), random_(1), kinds_(mix.begin(), mix.end()) {
    for (int i = 0; i < channels; ++i) {
      grpc::ChannelArguments args;
      args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // own connection
      auto channel = grpc::CreateCustomChannel(
          address, grpc::InsecureChannelCredentials(), args);
      profiles_.push_back(ProfileService::NewStub(channel));
      ingest_.push_back(IngestService::NewStub(channel));
    }
    drainer_ = std::thread([this] { Drain(); });
  }

  ~LoadClient() {
    queue_.Shutdown();
    drainer_.join();
  }

  // Sends at `rate` per second from `start` until `end`, then waits for
  // every answer; `stats` hears of each call.
  void RunStep(double rate, Clock::time_point start, Clock::time_point end,
               StepStats* stats) {
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / rate));
    int64_t n = 0;
    for (Clock::time_point due = start; due < end;
         due = start + ++n * interval) {
      if (Clock::now() < due) std::this_thread::sleep_until(due);
      Send(static_cast<Kind>(kinds_(random_)), due, n, stats);
    }
    stats->AwaitAll();
  }

 private:
  void Send(Kind kind, Clock::time_point due, int64_t n, StepStats* stats) {
    const size_t channel = n % profiles_.size();
    stats->Sent();
    switch (kind) {
      case kGet:
        return Start<GetProfileResponse>(
            kind, due, stats, [&](grpc::ClientContext* context) {
              GetProfileRequest request;
              const SourceRecord& r = Pick(work_->records);
              request.mutable_record()->set_source(r.source());
              request.mutable_record()->set_source_id(r.source_id());
              return profiles_[channel]->AsyncGetProfile(context, request,
                                                         &queue_);
            });
      case kUpsert:
        return Start<UpsertResponse>(
            kind, due, stats, [&](grpc::ClientContext* context) {
              UpsertRequest request;
              *request.mutable_record() = Pick(work_->records);
              request.mutable_record()->set_source_id(
                  absl::StrCat("load-", work_->run_id, "-", ++upserts_));
              return ingest_[channel]->AsyncUpsert(context, request, &queue_);
            });
      default:
        return Start<FindProfilesResponse>(
            kind, due, stats, [&](grpc::ClientContext* context) {
              FindProfilesRequest request;
              request.set_email(Pick(work_->emails));
              return profiles_[channel]->AsyncFindProfiles(context, request,
                                                           &queue_);
            });
    }
  }

  // Starts the call that `begin` makes on a new context.
  template <typename Response, typename Begin>
  void Start(Kind kind, Clock::time_point due, StepStats* stats, Begin begin) {
    auto* call = new CallOf<Response>;
    call->kind = kind;
    call->due = due;
    call->stats = stats;
    call->context.set_deadline(std::chrono::system_clock::now() + kDeadline);
    call->reader = begin(&call->context);
    call->reader->Finish(&call->response, &call->status, call);
  }

  template <typename T>
  const T& Pick(const std::vector<T>& values) {
    return values[random_() % values.size()];
  }

  void Drain() {
    void* tag = nullptr;
    bool ok = false;
    while (queue_.Next(&tag, &ok)) {
      std::unique_ptr<Call> call(static_cast<Call*>(tag));
      call->stats->Completed(call->kind, call->due, call->status);
    }
  }

  const Workload* work_;
  std::mt19937_64 random_;
  std::discrete_distribution<int> kinds_;
  int64_t upserts_ = 0;
  std::vector<std::unique_ptr<ProfileService::Stub>> profiles_;
  std::vector<std::unique_ptr<IngestService::Stub>> ingest_;
  grpc::CompletionQueue queue_;
  std::thread drainer_;
};

struct Options {
  int64_t people, seed, channels;
  double start_rate, rate_step, max_rate, p99_limit_ms;
  std::chrono::seconds step, warmup;
  std::vector<double> mix;  // weights of get, upsert, find
};

// A step that held: its target, what it achieved and its p99.
struct Held {
  double target, achieved, p99_ms;
};

struct SweepResult {
  std::vector<Held> held;
  std::string ended_by = "max-rate";  // or "saturation", "errors"
};

// Why a step ends the sweep: "errors", "saturation", or "" when it held.
const char* Verdict(const StepStats& stats, double rate,
                    const Options& options) {
  if (stats.has_errors()) return "errors";
  if (stats.achieved() < kMinAchievedShare * rate ||
      stats.p99_ms() > options.p99_limit_ms) {
    return "saturation";
  }
  return "";
}

// Steps up the rate until saturation.
SweepResult Sweep(LoadClient& client, const Options& options, pid_t server) {
  SweepResult result;
  std::fprintf(stderr, "%10s %10s %9s\n", "target/s", "achieved/s", "p99 ms");
  for (double rate = options.start_rate; rate <= options.max_rate;
       rate += options.rate_step) {
    const CpuSeconds cpu = CpuNow(server);
    const Clock::time_point start = Clock::now();
    StepStats stats(start, start + options.step);
    client.RunStep(rate, start, start + options.step, &stats);
    const double seconds =
        std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%s\n",
                stats.Json(rate, ResourceFields(server, cpu, seconds)).c_str());
    std::fflush(stdout);
    const char* verdict = Verdict(stats, rate, options);
    std::fprintf(stderr, "%10.0f %10.0f %9.3f %s\n", rate, stats.achieved(),
                 stats.p99_ms(), verdict);
    if (*verdict != '\0') {
      result.ended_by = verdict;
      break;
    }
    result.held.push_back({rate, stats.achieved(), stats.p99_ms()});
  }
  return result;
}

// The last step that held, and the median p99 of all that held.
void PrintSummary(SweepResult result, double limit_ms) {
  std::vector<Held>& held = result.held;
  const Held last = held.empty() ? Held{0, 0, 0} : held.back();
  std::sort(held.begin(), held.end(),
            [](const Held& a, const Held& b) { return a.p99_ms < b.p99_ms; });
  std::printf(
      "{\"summary\": true, \"ended_by\": \"%s\", \"held_steps\": %zu, "
      "\"sustained_target_rps\": %.0f, \"sustained_achieved_rps\": %.0f, "
      "\"sustained_p99_ms\": %.3f, \"median_p99_ms_of_held_steps\": %.3f, "
      "\"p99_limit_ms\": %.1f}\n",
      result.ended_by.c_str(), held.size(), last.target, last.achieved,
      last.p99_ms, held.empty() ? 0.0 : held[held.size() / 2].p99_ms, limit_ms);
}

// The weights of --mix; InvalidArgument unless three, >= 0, not all 0.
absl::StatusOr<std::vector<double>> ReadMix(const std::string& text) {
  std::vector<double> mix;
  for (absl::string_view weight : absl::StrSplit(text, ',')) {
    int percent = 0;
    if (!absl::SimpleAtoi(weight, &percent) || percent < 0) percent = -1;
    mix.push_back(percent);
  }
  if (mix.size() != kKinds || *std::min_element(mix.begin(), mix.end()) < 0 ||
      *std::max_element(mix.begin(), mix.end()) == 0) {
    return absl::InvalidArgumentError(
        "--mix must be three weights GET,UPSERT,FIND, e.g. 80,15,5");
  }
  return mix;
}

absl::StatusOr<Options> ReadOptions(const Args& args) {
  Options options;
  int64_t start_rate, rate_step, max_rate, p99_limit_ms, step, warmup;
  for (const auto& [name, value, least] :
       std::vector<std::tuple<const char*, int64_t*, int64_t>>{
           {"people", &options.people, 1},
           {"seed", &options.seed, 0},
           {"channels", &options.channels, 1},
           {"start-rate", &start_rate, 1},
           {"rate-step", &rate_step, 1},
           {"max-rate", &max_rate, 1},
           {"p99-limit-ms", &p99_limit_ms, 1},
           {"step-seconds", &step, 1},
           {"warmup-seconds", &warmup, 0}}) {
    absl::StatusOr<int64_t> number = args.GetInt(name);
    if (!number.ok()) return number.status();
    if (*number < least) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", name, " must be at least ", least));
    }
    *value = *number;
  }
  options.start_rate = start_rate;
  options.rate_step = rate_step;
  options.max_rate = max_rate;
  options.p99_limit_ms = p99_limit_ms;
  options.step = std::chrono::seconds(step);
  options.warmup = std::chrono::seconds(warmup);
  absl::StatusOr<std::vector<double>> mix = ReadMix(args.Get("mix"));
  if (!mix.ok()) return mix.status();
  options.mix = *std::move(mix);
  return options;
}

// Bulk-loads the store at `db` when it is missing or empty, and starts
// `binary serve` on it.
absl::StatusOr<std::unique_ptr<ServerProcess>> StartServer(
    const std::string& binary, const std::string& db, const Workload& work) {
  std::error_code none;  // an unreadable folder fails to open below
  if (!std::filesystem::exists(db, none) ||
      std::filesystem::is_empty(db, none)) {
    absl::Status prepared = PrepareStore(db, work);
    if (!prepared.ok()) return prepared;
  }
  auto server = std::make_unique<ServerProcess>(binary, db);
  if (server->address().empty()) {
    return absl::UnavailableError(absl::StrCat(binary, " serve did not start"));
  }
  return server;
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "c360_load: %s\n",
               std::string(status.message()).c_str());
  return absl::IsInvalidArgument(status) ? 2 : 1;
}

int Run(int argc, char** argv) {
  Args args("c360_load (--db DIR | --server HOST:PORT) [--people N --seed S]",
            "Drives open-loop mixed gRPC traffic (80 % GetProfile, 15 % "
            "Upsert, 5 % FindProfiles) at rising rates until the server "
            "saturates; one JSON line per step on stdout, a table on stderr.");
  args.Option("db",
              "store folder: bulk-loaded with the generated data when "
              "missing or empty, then served by `c360 serve` on loopback");
  args.Option("server",
              "address of a running server whose store holds the "
              "generated data");
  args.Option("c360", "the c360 binary started with --db", C360_BINARY);
  args.Option("people", "people generated (about 2.2 records each)", "46000");
  args.Option("seed", "generator seed", "1");
  args.Option("start-rate", "first target rate, requests/s", "1000");
  args.Option("rate-step", "added to the target rate each step", "1000");
  args.Option("max-rate", "last target rate tried", "40000");
  args.Option("step-seconds", "length of each step", "5");
  args.Option("warmup-seconds", "unmeasured traffic at the first rate", "2");
  args.Option("p99-limit-ms", "a step with a higher p99 is saturated", "5");
  args.Option("channels", "gRPC connections", "2");
  args.Option("mix", "weights of GetProfile, Upsert, FindProfiles", "80,15,5");
  absl::Status parsed = args.Parse(argc - 1, argv + 1);
  if (!parsed.ok() || args.help_requested()) {
    std::fputs(args.Help().c_str(), parsed.ok() ? stdout : stderr);
    return parsed.ok() ? 0 : 2;
  }
  absl::StatusOr<Options> options = ReadOptions(args);
  if (!options.ok()) return Fail(options.status());
  if (args.Get("db").empty() == args.Get("server").empty()) {
    return Fail(
        absl::InvalidArgumentError("give --db DIR or --server HOST:PORT"));
  }
  const Workload work =
      Generate(options->people, static_cast<uint64_t>(options->seed));
  std::unique_ptr<ServerProcess> server;
  std::string address = args.Get("server");
  if (address.empty()) {
    absl::StatusOr<std::unique_ptr<ServerProcess>> started =
        StartServer(args.Get("c360"), args.Get("db"), work);
    if (!started.ok()) return Fail(started.status());
    server = *std::move(started);
    address = server->address();
  }
  std::fprintf(stderr, "c360_load: %zu records, server %s\n",
               work.records.size(), address.c_str());
  LoadClient client(address, static_cast<int>(options->channels), options->mix,
                    &work);
  const Clock::time_point warm = Clock::now();
  StepStats warmup(warm, warm + options->warmup);
  client.RunStep(options->start_rate, warm, warm + options->warmup, &warmup);
  SweepResult result = Sweep(client, *options, server ? server->pid() : -1);
  const bool errors = result.ended_by == "errors";
  PrintSummary(std::move(result), options->p99_limit_ms);
  return errors ? 1 : 0;
}

}  // namespace
}  // namespace c360

int main(int argc, char** argv) { return c360::Run(argc, argv); }

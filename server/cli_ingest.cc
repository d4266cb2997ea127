// c360 ingest: files into the store, locally or through a server.
#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "c360/service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "server/cli_util.h"
#include "server/json_text.h"
#include "server/commands.h"
#include "server/ingest.h"
#include "server/progress.h"
#include "server/record_reader.h"
#include "server/runtime.h"

namespace c360 {
namespace {

constexpr char kCommand[] = "ingest";
constexpr size_t kChunk = 1024;

// Where read records go: the local resolver or a server's UpsertStream.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  virtual absl::Status Send(const std::vector<SourceRecord>& chunk,
                            int64_t first_index) = 0;
  virtual absl::StatusOr<UpsertSummary> Finish() = 0;
};

class LocalSink : public RecordSink {
 public:
  explicit LocalSink(std::unique_ptr<Runtime> runtime)
      : runtime_(std::move(runtime)) {}
  absl::Status Send(const std::vector<SourceRecord>& chunk,
                    int64_t first_index) override {
    summary_.set_received(summary_.received() + chunk.size());
    return ResolveChunk(runtime_->resolver(), chunk, first_index, &summary_);
  }
  // Brings the profiles table up to date before the store closes.
  absl::StatusOr<UpsertSummary> Finish() override {
    absl::StatusOr<int64_t> refreshed = runtime_->RefreshProfiles();
    if (!refreshed.ok()) return refreshed.status();
    return summary_;
  }

 private:
  std::unique_ptr<Runtime> runtime_;
  UpsertSummary summary_;
};

class RemoteSink : public RecordSink {
 public:
  explicit RemoteSink(std::shared_ptr<grpc::Channel> channel)
      : stub_(IngestService::NewStub(std::move(channel))),
        writer_(stub_->UpsertStream(&context_, &summary_)) {}
  absl::Status Send(const std::vector<SourceRecord>& chunk,
                    int64_t) override {
    UpsertRequest request;
    for (const SourceRecord& record : chunk) {
      *request.mutable_record() = record;
      if (!writer_->Write(request)) {
        return absl::UnavailableError("the server closed the stream");
      }
    }
    return absl::OkStatus();
  }
  absl::StatusOr<UpsertSummary> Finish() override {
    writer_->WritesDone();
    grpc::Status status = writer_->Finish();
    if (!status.ok()) return FromGrpcStatus(status);
    return summary_;
  }

 private:
  std::unique_ptr<IngestService::Stub> stub_;
  grpc::ClientContext context_;
  UpsertSummary summary_;
  std::unique_ptr<grpc::ClientWriter<UpsertRequest>> writer_;
};

absl::StatusOr<std::unique_ptr<RecordReader>> OpenReader(const Args& args,
                                                         std::istream* in) {
  const std::string& file = args.positionals()[0];
  const std::string& source = args.Get("source");
  if (!args.Get("mapping").empty()) {
    absl::StatusOr<CsvMapping> mapping = LoadCsvMapping(args.Get("mapping"));
    if (!mapping.ok()) return mapping.status();
    return NewCsvReader(in, source, *std::move(mapping));
  }
  if (absl::EndsWith(file, ".jsonl") || absl::EndsWith(file, ".ndjson") ||
      absl::EndsWith(file, ".json")) {
    return NewJsonLinesReader(in, source);
  }
  return absl::InvalidArgumentError(
      absl::StrCat(file, ": give --mapping for CSV, or use a .jsonl file"));
}

absl::StatusOr<std::unique_ptr<RecordSink>> OpenSink(const Args& args) {
  if (!args.Get("server").empty()) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        ClientChannel(args, args.Get("server"));
    if (!channel.ok()) return channel.status();
    return std::unique_ptr<RecordSink>(new RemoteSink(*std::move(channel)));
  }
  RuntimeOptions options;
  options.db_path = args.Get("db");
  if (!args.Get("region").empty()) {
    options.resolver.source_regions[args.Get("source")] = args.Get("region");
  }
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = Runtime::Open(options);
  if (!runtime.ok()) return runtime.status();
  return std::unique_ptr<RecordSink>(new LocalSink(*std::move(runtime)));
}

int64_t FileSize(std::istream& in) {
  in.seekg(0, std::ios::end);
  int64_t size = in.tellg();
  in.seekg(0);
  return size;
}

struct Totals {
  int64_t rows = 0;
  int64_t rejected = 0;
};

// Reads every row, sends records in chunks, writes rejections.
absl::StatusOr<UpsertSummary> Load(RecordReader& reader, RecordSink& sink,
                                   RejectsWriter& rejects, int64_t size,
                                   Totals* totals) {
  ProgressBar progress("ingest", size);
  std::vector<SourceRecord> chunk;
  std::vector<int64_t> lines;  // line of every record sent, by stream index
  ReadResult row;
  auto flush = [&]() -> absl::Status {
    absl::Status sent = sink.Send(chunk, lines.size() - chunk.size());
    chunk.clear();
    progress.Update(reader.bytes_read(), totals->rows);
    return sent;
  };
  while (reader.Next(&row)) {
    ++totals->rows;
    if (!row.record.ok()) {
      ++totals->rejected;
      rejects.Write(row.line, row.record.status().message(), row.raw);
      continue;
    }
    chunk.push_back(*std::move(row.record));
    lines.push_back(row.line);
    if (chunk.size() == kChunk) {
      if (absl::Status s = flush(); !s.ok()) return s;
    }
  }
  if (absl::Status s = flush(); !s.ok()) return s;
  progress.Finish();
  absl::StatusOr<UpsertSummary> summary = sink.Finish();
  if (!summary.ok()) return summary;
  for (const Rejection& r : summary->rejections()) {
    rejects.Write(lines[r.index()], r.reason(), "");
  }
  totals->rejected += summary->rejected();
  summary->clear_rejections();
  return summary;
}

}  // namespace

int RunIngest(int argc, char** argv) {
  Args args("c360 ingest --source NAME [--mapping FILE] FILE",
            "Loads a JSON Lines or CSV file of one source system, resolving "
            "every record. Bad rows go to the rejects file with their line "
            "number and reason; the rest loads. Prints a JSON summary.\n"
            "Exit code: 0 all loaded, 3 some rows rejected, 1 failure.");
  args.Positionals("FILE  a .jsonl file, or a CSV file with --mapping");
  args.Option("source", "source system name, e.g. crm");
  args.Option("mapping", "CSV column mapping file (see data/mappings/)");
  args.Option("db", "local store folder", "c360-data");
  args.Option("server", "send to a running server (HOST:PORT) instead of --db");
  AddClientSecurityOptions(args);
  args.Option("region", "phone region of this source (local store only)");
  args.Option("rejects", "rejects file (default: FILE.rejects.jsonl)");
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  if (args.positionals().size() != 1 || args.Get("source").empty()) {
    return Fail(kCommand, absl::InvalidArgumentError(
                              "give --source NAME and exactly one FILE"));
  }
  const std::string& file = args.positionals()[0];
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(kCommand, absl::NotFoundError(absl::StrCat("cannot read ", file)));
  int64_t size = FileSize(in);
  auto reader = OpenReader(args, &in);
  if (!reader.ok()) return Fail(kCommand, reader.status());
  auto sink = OpenSink(args);
  if (!sink.ok()) return Fail(kCommand, sink.status());
  std::string rejects_path = args.Get("rejects").empty()
                                 ? absl::StrCat(file, ".rejects.jsonl")
                                 : args.Get("rejects");
  std::ofstream rejects_out(rejects_path, std::ios::trunc);
  RejectsWriter rejects(&rejects_out);
  Totals totals;
  absl::StatusOr<UpsertSummary> summary = Load(**reader, **sink, rejects, size, &totals);
  if (!summary.ok()) return Fail(kCommand, summary.status());
  std::printf(
      "{\"file\": %s, \"source\": %s, \"rows\": %lld, \"rejected\": "
      "%lld, \"rejects_file\": %s, \"outcomes\": %s}\n",
      JsonString(file).c_str(), JsonString(args.Get("source")).c_str(),
      static_cast<long long>(totals.rows), static_cast<long long>(totals.rejected),
      JsonString(rejects_path).c_str(),
      ToJson(*summary, /*indent=*/false).c_str());
  return totals.rejected > 0 ? kExitRejected : kExitOk;
}

}  // namespace c360

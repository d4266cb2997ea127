// c360 segment: define, list, count, scan and export segments of the
// profiles table, in-process on a store (--db) or through a running server
// (--server, role segment), with the same SegmentService semantics.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "c360/segment.grpc.pb.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/grpcpp.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/csv.h"
#include "server/json_text.h"
#include "server/progress.h"
#include "server/segment_service.h"
#include "enrich/segment_row_view.h"
#include "store/rocksdb_store.h"

namespace c360 {
namespace {

// SegmentService's calls, on a local store or through a server.
class Segments {
 public:
  virtual ~Segments() = default;
  virtual absl::Status Scan(const ScanRequest& request,
                            const ScanBatchSink& sink) = 0;
  virtual absl::StatusOr<CountResponse> Count(const CountRequest& request) = 0;
  virtual absl::StatusOr<SegmentDefinition> Define(
      const DefineSegmentRequest& request) = 0;
  virtual absl::StatusOr<ListSegmentsResponse> List() = 0;
};

class LocalSegments final : public Segments {
 public:
  explicit LocalSegments(std::unique_ptr<KvStore> store)
      : store_(std::move(store)), api_(store_.get()) {}

  absl::Status Scan(const ScanRequest& request,
                    const ScanBatchSink& sink) override {
    return api_.Scan(request, sink);
  }
  absl::StatusOr<CountResponse> Count(const CountRequest& request) override {
    return api_.Count(request);
  }
  absl::StatusOr<SegmentDefinition> Define(
      const DefineSegmentRequest& request) override {
    return api_.DefineSegment(request, LocalActor());
  }
  absl::StatusOr<ListSegmentsResponse> List() override {
    return api_.ListSegments();
  }

 private:
  std::unique_ptr<KvStore> store_;
  SegmentApi api_;
};

class ServedSegments final : public Segments {
 public:
  explicit ServedSegments(const std::shared_ptr<grpc::Channel>& channel)
      : stub_(SegmentService::NewStub(channel)) {}

  absl::Status Scan(const ScanRequest& request,
                    const ScanBatchSink& sink) override {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<ScanResponse>> reader =
        stub_->Scan(&context, request);
    ScanResponse batch;
    absl::Status status;
    while (status.ok() && reader->Read(&batch)) status = sink(batch);
    if (!status.ok()) context.TryCancel();
    const grpc::Status finished = reader->Finish();
    return status.ok() ? FromGrpcStatus(finished) : status;
  }
  absl::StatusOr<CountResponse> Count(const CountRequest& request) override {
    return Call(&SegmentService::Stub::Count, request);
  }
  absl::StatusOr<SegmentDefinition> Define(
      const DefineSegmentRequest& request) override {
    return Call(&SegmentService::Stub::DefineSegment, request);
  }
  absl::StatusOr<ListSegmentsResponse> List() override {
    return Call(&SegmentService::Stub::ListSegments, ListSegmentsRequest());
  }

 private:
  template <typename Request, typename Response>
  absl::StatusOr<Response> Call(
      grpc::Status (SegmentService::Stub::*method)(grpc::ClientContext*,
                                                   const Request&, Response*),
      const Request& request) {
    grpc::ClientContext context;
    Response response;
    grpc::Status status = (stub_.get()->*method)(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return response;
  }

  std::unique_ptr<SegmentService::Stub> stub_;
};

Args SegmentArgs(const std::string& usage, const std::string& summary) {
  Args args(usage, summary);
  args.Option("db", "local store folder", "c360-data");
  args.Option("server", "use a running server (HOST:PORT) instead of --db");
  AddClientSecurityOptions(args);
  return args;
}

// The store or server the options name; a local store opens read-only
// unless the command `writes`.
absl::StatusOr<std::unique_ptr<Segments>> Connect(const Args& args,
                                                  bool writes) {
  if (!args.Get("server").empty()) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        ClientChannel(args, args.Get("server"));
    if (!channel.ok()) return channel.status();
    return std::make_unique<ServedSegments>(*channel);
  }
  RocksDbOptions options;
  options.path = args.Get("db");
  options.create_if_missing = false;
  options.read_only = !writes;
  absl::StatusOr<std::unique_ptr<KvStore>> store = OpenRocksDbStore(options);
  if (!store.ok()) return store.status();
  return std::make_unique<LocalSegments>(*std::move(store));
}

std::vector<std::string> FieldList(const std::string& text) {
  return absl::StrSplit(text, ',', absl::SkipEmpty());
}

// --updated-since into `since`; nothing when the option is empty.
absl::Status ParseSince(const Args& args, google::protobuf::Timestamp* since) {
  const std::string& text = args.Get("updated-since");
  if (text.empty() ||
      google::protobuf::util::TimeUtil::FromString(text, since)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--updated-since '", text, "': give an RFC 3339 time, e.g. ",
      "2026-11-25T13:00:00Z"));
}

// One row as a line of JSON: one value as a string, several as an array.
std::string JsonLine(const SegmentRow& row) {
  std::string line = absl::StrCat("{\"entity_id\":", JsonString(row.entity_id()));
  for (const SegmentField& field : row.fields()) {
    absl::StrAppend(&line, ",", JsonString(field.name()), ":");
    if (field.values_size() == 1) {
      absl::StrAppend(&line, JsonString(field.values(0)));
      continue;
    }
    line += '[';
    for (int i = 0; i < field.values_size(); ++i) {
      absl::StrAppend(&line, i > 0 ? "," : "", JsonString(field.values(i)));
    }
    line += ']';
  }
  line += "}\n";
  return line;
}

// One row as a CSV line: entity_id, then `fields`, a field's values joined
// with ';'.
std::string CsvLine(const SegmentRow& row, const std::vector<std::string>& fields) {
  std::string line = csv_internal::CsvField(row.entity_id(), ',');
  for (const std::string& name : fields) {
    line += ',';
    if (const SegmentField* field = FindField(row, name)) {
      line += csv_internal::CsvField(absl::StrJoin(field->values(), ";"), ',');
    }
  }
  line += '\n';
  return line;
}

// Where scanned rows go and in which format.
struct Output {
  std::string format;               // "jsonl" or "csv"
  std::vector<std::string> fields;  // the CSV columns after entity_id
  std::string path;                 // "" = stdout
};

absl::StatusOr<Output> OutputOf(const Args& args,
                                std::vector<std::string> fields) {
  Output output{args.Get("format"), std::move(fields), args.Get("out")};
  if (output.format != "jsonl" && output.format != "csv") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--format must be jsonl or csv, not '", output.format, "'"));
  }
  if (output.format == "csv" && output.fields.empty()) {
    return absl::InvalidArgumentError(
        "CSV needs its columns: give --fields a,b,c (or define the segment "
        "with --fields)");
  }
  return output;
}

// Runs the scan into the output, with a progress line on a terminal when the
// rows go elsewhere. A failed scan names the token that resumes it.
absl::Status WriteScan(Segments& segments, const ScanRequest& request,
                       const Output& output) {
  std::FILE* out = output.path.empty() ? stdout : std::fopen(output.path.c_str(), "w");
  if (out == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot write ", output.path));
  }
  if (output.format == "csv") {
    std::vector<std::string> header = {"entity_id"};
    header.insert(header.end(), output.fields.begin(), output.fields.end());
    std::vector<std::string> cells;
    for (const std::string& name : header) {
      cells.push_back(csv_internal::CsvField(name, ','));
    }
    std::fprintf(out, "%s\n", absl::StrJoin(cells, ",").c_str());
  }
  const bool show_progress = out != stdout || !isatty(fileno(stdout));
  ProgressBar progress("rows", 0);
  int64_t rows = 0;
  std::string last_token;
  absl::Status status = segments.Scan(request, [&](const ScanResponse& batch) {
    for (const SegmentRow& row : batch.rows()) {
      const std::string line = output.format == "csv"
                                   ? CsvLine(row, output.fields)
                                   : JsonLine(row);
      std::fwrite(line.data(), 1, line.size(), out);
    }
    rows += batch.rows_size();
    last_token = batch.resume_token();
    if (show_progress) progress.Update(rows, rows);
    return absl::OkStatus();
  });
  if (show_progress) progress.Finish();
  const bool written = out == stdout ? std::fflush(out) == 0 : std::fclose(out) == 0;
  if (!status.ok() && !last_token.empty()) {
    return absl::Status(status.code(),
                        absl::StrCat(status.message(), " (after ", rows,
                                     " rows; continue with --resume ",
                                     last_token, ")"));
  }
  if (status.ok() && !written) {
    return absl::DataLossError(absl::StrCat("cannot write all rows to ",
                                            output.path.empty() ? "stdout" : output.path));
  }
  return status;
}

void AddScanOptions(Args& args) {
  args.Option("format", "jsonl or csv", "jsonl");
  args.Option("out", "write to this file instead of stdout");
  args.Option("purpose", "leave out profiles without granted consent for it");
  args.Option("updated-since", "only profiles updated at or after this RFC 3339 time");
  args.Option("resume", "continue a scan that failed (the token its error named)");
}

// The scan options shared by scan and export.
absl::StatusOr<ScanRequest> ScanRequestOf(const Args& args) {
  ScanRequest request;
  request.set_purpose(args.Get("purpose"));
  request.set_resume_token(args.Get("resume"));
  absl::Status since = ParseSince(args, request.mutable_updated_since());
  if (!since.ok()) return since;
  return request;
}

int RunDefine(int argc, char** argv) {
  constexpr char kCommand[] = "segment define";
  Args args = SegmentArgs(
      "c360 segment define NAME EXPR [--purpose P] [--fields a,b,c]",
      "Stores (or replaces) a named segment: a filter expression "
      "(docs/api.md, \"Filter expressions\"), the purpose its exports serve "
      "(a profile without granted consent for it is left out) and the "
      "fields they write. A malformed expression is refused with its "
      "column. Prints the stored definition as JSON.");
  args.Positionals("NAME  letters, digits, '_', '-', '.'\nEXPR  the filter");
  args.Option("purpose", "consent purpose, e.g. marketing");
  args.Option("fields", "fields an export writes, comma-separated (default all)");
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  if (args.positionals().size() != 2) {
    return Fail(kCommand, absl::InvalidArgumentError("give NAME and EXPR"));
  }
  DefineSegmentRequest request;
  SegmentDefinition* segment = request.mutable_segment();
  segment->set_name(args.positionals()[0]);
  segment->set_expression(args.positionals()[1]);
  segment->set_purpose(args.Get("purpose"));
  for (std::string& field : FieldList(args.Get("fields"))) {
    segment->add_fields(std::move(field));
  }
  auto segments = Connect(args, /*writes=*/true);
  if (!segments.ok()) return Fail(kCommand, segments.status());
  absl::StatusOr<SegmentDefinition> defined = (*segments)->Define(request);
  if (!defined.ok()) return Fail(kCommand, defined.status());
  std::printf("%s\n", ToJson(*defined, /*indent=*/false).c_str());
  return kExitOk;
}

int RunList(int argc, char** argv) {
  constexpr char kCommand[] = "segment list";
  Args args = SegmentArgs("c360 segment list",
                          "Prints every stored segment, one JSON line each, "
                          "by name.");
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  auto segments = Connect(args, /*writes=*/false);
  if (!segments.ok()) return Fail(kCommand, segments.status());
  absl::StatusOr<ListSegmentsResponse> list = (*segments)->List();
  if (!list.ok()) return Fail(kCommand, list.status());
  for (const SegmentDefinition& segment : list->segments()) {
    std::printf("%s\n", ToJson(segment, /*indent=*/false).c_str());
  }
  return kExitOk;
}

int RunCount(int argc, char** argv) {
  constexpr char kCommand[] = "segment count";
  Args args = SegmentArgs(
      "c360 segment count (EXPR | --segment NAME) [--purpose P]",
      "How many profiles a filter or a stored segment selects, as JSON.");
  args.Positionals("EXPR  the filter (empty: every profile)");
  args.Option("segment", "count a stored segment instead of EXPR");
  args.Option("purpose", "leave out profiles without granted consent for it");
  args.Option("updated-since", "only profiles updated at or after this RFC 3339 time");
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  if (args.positionals().size() != (args.Get("segment").empty() ? 1u : 0u)) {
    return Fail(kCommand,
                absl::InvalidArgumentError("give EXPR or --segment NAME"));
  }
  CountRequest request;
  if (args.Get("segment").empty()) request.set_filter(args.positionals()[0]);
  request.set_segment(args.Get("segment"));
  request.set_purpose(args.Get("purpose"));
  absl::Status since = ParseSince(args, request.mutable_updated_since());
  if (!since.ok()) return Fail(kCommand, since);
  auto segments = Connect(args, /*writes=*/false);
  if (!segments.ok()) return Fail(kCommand, segments.status());
  absl::StatusOr<CountResponse> count = (*segments)->Count(request);
  if (!count.ok()) return Fail(kCommand, count.status());
  std::printf("{\"count\": %lld}\n", static_cast<long long>(count->count()));
  return kExitOk;
}

int RunScan(int argc, char** argv) {
  constexpr char kCommand[] = "segment scan";
  Args args = SegmentArgs(
      "c360 segment scan EXPR [--fields a,b,c] [--format jsonl|csv] "
      "[--limit N]",
      "Writes the profiles a filter selects, in entity-id order (or by the "
      "index for a selective filter), from one point in time: JSON Lines "
      "{\"entity_id\": ..., \"field\": \"value\" or [values]}, or CSV "
      "(entity_id and --fields; several values joined with ';').");
  args.Positionals("EXPR  the filter (empty: every profile)");
  args.Option("fields", "fields to write, comma-separated (default all)");
  args.Option("limit", "stop after N rows (0 = all)", "0");
  AddScanOptions(args);
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  if (args.positionals().size() != 1) {
    return Fail(kCommand, absl::InvalidArgumentError("give one EXPR"));
  }
  absl::StatusOr<int64_t> limit = args.GetInt("limit");
  if (!limit.ok()) return Fail(kCommand, limit.status());
  absl::StatusOr<ScanRequest> request = ScanRequestOf(args);
  if (!request.ok()) return Fail(kCommand, request.status());
  request->set_filter(args.positionals()[0]);
  request->set_limit(*limit);
  std::vector<std::string> fields = FieldList(args.Get("fields"));
  for (const std::string& field : fields) request->add_fields(field);
  absl::StatusOr<Output> output = OutputOf(args, fields);
  if (!output.ok()) return Fail(kCommand, output.status());
  auto segments = Connect(args, /*writes=*/false);
  if (!segments.ok()) return Fail(kCommand, segments.status());
  absl::Status written = WriteScan(**segments, *request, *output);
  return written.ok() ? kExitOk : Fail(kCommand, written);
}

// The stored segment named `name`.
absl::StatusOr<SegmentDefinition> FindSegment(Segments& segments,
                                              const std::string& name) {
  absl::StatusOr<ListSegmentsResponse> list = segments.List();
  if (!list.ok()) return list.status();
  for (const SegmentDefinition& segment : list->segments()) {
    if (segment.name() == name) return segment;
  }
  return absl::NotFoundError(absl::StrCat("no segment '", name, "'"));
}

int RunExport(int argc, char** argv) {
  constexpr char kCommand[] = "segment export";
  Args args = SegmentArgs(
      "c360 segment export NAME [--format jsonl|csv] [--out FILE] "
      "[--purpose P]",
      "Writes a stored segment's profiles with its fields, leaving out "
      "those without granted consent for its purpose (and --purpose), from "
      "one point in time; formats as for `c360 segment scan`. A progress "
      "line goes to stderr on a terminal.");
  args.Positionals("NAME  a stored segment");
  args.Option("fields", "fields to write instead of the segment's, comma-separated");
  AddScanOptions(args);
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  if (args.positionals().size() != 1) {
    return Fail(kCommand, absl::InvalidArgumentError("give one NAME"));
  }
  absl::StatusOr<ScanRequest> request = ScanRequestOf(args);
  if (!request.ok()) return Fail(kCommand, request.status());
  auto segments = Connect(args, /*writes=*/false);
  if (!segments.ok()) return Fail(kCommand, segments.status());
  absl::StatusOr<SegmentDefinition> segment =
      FindSegment(**segments, args.positionals()[0]);
  if (!segment.ok()) return Fail(kCommand, segment.status());
  request->set_segment(segment->name());
  std::vector<std::string> fields = FieldList(args.Get("fields"));
  for (const std::string& field : fields) request->add_fields(field);
  if (fields.empty()) fields.assign(segment->fields().begin(), segment->fields().end());
  absl::StatusOr<Output> output = OutputOf(args, fields);
  if (!output.ok()) return Fail(kCommand, output.status());
  absl::Status written = WriteScan(**segments, *request, *output);
  return written.ok() ? kExitOk : Fail(kCommand, written);
}

constexpr Subcommand kSubcommands[] = {
    {"define", "store a named segment (filter, purpose, fields)", RunDefine},
    {"list", "the stored segments", RunList},
    {"count", "how many profiles a filter or segment selects", RunCount},
    {"scan", "the profiles a filter selects, as JSON Lines or CSV", RunScan},
    {"export", "a stored segment's profiles, as JSON Lines or CSV", RunExport},
};

}  // namespace

int RunSegment(int argc, char** argv) {
  return RunSubcommand("segment", argc, argv, kSubcommands);
}

}  // namespace c360

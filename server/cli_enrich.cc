// c360 enrich: purchased data — import a provider delivery, list and
// re-activate deliveries, set the survivorship rules, report data quality.
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "enrich/enrichment_import.h"
#include "enrich/enrichment_store.h"
#include "enrich/provider_evaluation.h"
#include "enrich/quality_report.h"
#include "enrich/survivorship.h"
#include "resolver/match_model.h"
#include "google/protobuf/util/time_util.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/json_text.h"
#include "server/progress.h"
#include "server/provider_reader.h"
#include "server/record_reader.h"

namespace c360 {
namespace {

constexpr char kCommand[] = "enrich";

absl::StatusOr<ProviderKind> ParseKind(const std::string& kind) {
  if (kind == "company") return COMPANY;
  if (kind == "person") return PERSON;
  return absl::InvalidArgumentError(
      absl::StrCat("--kind must be company or person, not \"", kind, "\""));
}

absl::StatusOr<google::protobuf::Timestamp> ParseDay(const std::string& day) {
  google::protobuf::Timestamp at;
  if (day.empty()) return at;
  absl::Time time;
  std::string error;
  if (!absl::ParseTime("%Y-%m-%d", day, absl::UTCTimeZone(), &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--delivered \"", day, "\": expected YYYY-MM-DD"));
  }
  at.set_seconds(absl::ToUnixSeconds(time));
  return at;
}

// Rejected rows and warnings, one JSON line each, next to the file.
void WriteProblems(const std::string& path, const ProviderFile& file) {
  std::ofstream out(path, std::ios::trunc);
  RejectsWriter rejects(&out);
  for (const RowProblem& p : file.rejected) rejects.Write(p.line, p.reason, p.raw);
  for (const RowProblem& p : file.warnings) {
    rejects.Write(p.line, absl::StrCat("warning: ", p.reason), p.raw);
  }
}

// The match report: counts and every unmatched row with its reason.
void WriteMatchReport(const std::string& path, const ImportOutcome& outcome) {
  std::ofstream out(path, std::ios::trunc);
  out << "{\"delivery\":" << ToJson(outcome.delivery, false)
      << ",\"by_business_id\":" << outcome.by_business_id
      << ",\"by_name_postcode\":" << outcome.by_name_postcode
      << ",\"by_person_model\":" << outcome.by_person_model
      << ",\"unmatched\":[";
  for (size_t i = 0; i < outcome.unmatched.size(); ++i) {
    const UnmatchedRow& u = outcome.unmatched[i];
    out << (i ? ",\n" : "\n") << "{\"line\":" << u.line
        << ",\"key\":" << JsonString(u.key) << ",\"reason\":" << JsonString(u.reason)
        << "}";
  }
  out << "]}\n";
}

int RunImport(int argc, char** argv) {
  Args args("c360 enrich import --provider NAME --kind company|person "
            "[--mapping FILE] FILE",
            "Imports a provider delivery (JSON Lines, or CSV with --mapping) "
            "and matches its rows to the stored records: company rows by "
            "business id, then company name + postcode; person rows by the "
            "match model. Never creates or merges entities. Rejected rows "
            "(with line and reason) and warnings go to FILE.rejects.jsonl, "
            "the match report with every unmatched row to FILE.match.json. "
            "Prints a JSON summary.\n"
            "Exit code: 0 all rows loaded, 3 some rows rejected, 1 failure.");
  args.Positionals("FILE  the delivered file");
  args.Option("provider", "provider name, e.g. dnb");
  args.Option("kind", "company or person");
  args.Option("mapping", "CSV column mapping file (see data/mappings/provider_*.map)");
  args.Option("delivered", "the delivery's date, YYYY-MM-DD (default: today)");
  args.Option("min-probability",
              "person rows: the least match probability that links a row "
              "(with a trained match model; the v1 rules use their own link "
              "threshold)",
              "0.99999");
  args.Option("db", "local store folder", "c360-data");
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  if (args.positionals().size() != 1) {
    return Fail(kCommand, absl::InvalidArgumentError("give exactly one FILE"));
  }
  const std::string& path = args.positionals()[0];
  absl::StatusOr<ProviderKind> kind = ParseKind(args.Get("kind"));
  if (!kind.ok()) return Fail(kCommand, kind.status());
  absl::StatusOr<google::protobuf::Timestamp> delivered = ParseDay(args.Get("delivered"));
  if (!delivered.ok()) return Fail(kCommand, delivered.status());
  if (absl::Status valid = ValidateProviderName(args.Get("provider")); !valid.ok()) {
    return Fail(kCommand, valid);
  }
  double min_probability = 0;
  if (!absl::SimpleAtod(args.Get("min-probability"), &min_probability) ||
      min_probability <= 0 || min_probability >= 1) {
    return Fail(kCommand, absl::InvalidArgumentError(
                              "--min-probability must be a number in (0, 1)"));
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<ProviderFile> file =
      ReadProviderFile(path, {args.Get("provider"), *kind, args.Get("mapping")});
  if (!file.ok()) return Fail(kCommand, file.status());
  const absl::Time read = absl::Now();
  WriteProblems(absl::StrCat(path, ".rejects.jsonl"), *file);
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail(kCommand, runtime.status());
  EnrichmentImporter importer(&(*runtime)->store(), &(*runtime)->resolver());
  ImportRequest request;
  request.provider = args.Get("provider");
  request.kind = *kind;
  request.file = path;
  request.delivered_at = *delivered;
  request.rejected = static_cast<int64_t>(file->rejected.size());
  if ((*runtime)->matcher_version() > 0) {
    request.min_person_score = ProbabilityToWeight(min_probability);
  }
  request.actor = LocalActor();
  const int64_t rows = static_cast<int64_t>(file->rows.size());
  const absl::Time opened = absl::Now();
  ProgressBar matching("match", rows);
  absl::StatusOr<ImportOutcome> outcome = importer.Import(
      request, std::move(file->rows),
      [&](int64_t done) { matching.Update(done, done); });
  if (!outcome.ok()) return Fail(kCommand, outcome.status());
  matching.Finish();
  WriteMatchReport(absl::StrCat(path, ".match.json"), *outcome);
  const absl::Time matched = absl::Now();
  ProgressBar profiles("profiles", 0);
  absl::StatusOr<int64_t> refreshed = (*runtime)->RefreshProfiles(
      [&](int64_t done, int64_t total) { profiles.Update(done, done); });
  if (!refreshed.ok()) return Fail(kCommand, refreshed.status());
  profiles.Finish();
  const absl::Time done = absl::Now();
  const double total_seconds = absl::ToDoubleSeconds(done - start);
  const Delivery& d = outcome->delivery;
  std::printf(
      "{\"provider\":%s,\"delivery_id\":%s,\"rows\":%lld,\"accepted\":%lld,"
      "\"rejected\":%lld,\"warnings\":%zu,\"matched\":%lld,\"by_business_id\":%lld,"
      "\"by_name_postcode\":%lld,\"by_person_model\":%lld,\"unmatched\":%zu,"
      "\"entities_enriched\":%lld,\"profiles_recomputed\":%lld,"
      "\"read_seconds\":%.2f,\"open_seconds\":%.2f,\"match_and_store_seconds\":%.2f,"
      "\"profiles_seconds\":%.2f,\"total_seconds\":%.2f,\"rows_per_s\":%.0f}\n",
      JsonString(d.provider()).c_str(), JsonString(d.delivery_id()).c_str(),
      static_cast<long long>(d.rows()), static_cast<long long>(d.accepted()),
      static_cast<long long>(d.rejected()), file->warnings.size(),
      static_cast<long long>(d.matched()),
      static_cast<long long>(outcome->by_business_id),
      static_cast<long long>(outcome->by_name_postcode),
      static_cast<long long>(outcome->by_person_model), outcome->unmatched.size(),
      static_cast<long long>(outcome->entities_touched),
      static_cast<long long>(*refreshed), absl::ToDoubleSeconds(read - start),
      absl::ToDoubleSeconds(opened - read), absl::ToDoubleSeconds(matched - opened), absl::ToDoubleSeconds(done - matched),
      total_seconds, total_seconds > 0 ? d.rows() / total_seconds : 0.0);
  return d.rejected() > 0 ? kExitRejected : kExitOk;
}

int RunDeliveries(int argc, char** argv) {
  Args args("c360 enrich deliveries [--provider NAME]",
            "Lists the imported deliveries, oldest first per provider, one "
            "JSON object per line.");
  args.Option("provider", "only this provider's deliveries");
  args.Option("db", "local store folder", "c360-data");
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail(kCommand, runtime.status());
  const KvStore& store = (*runtime)->store();
  absl::StatusOr<std::vector<Delivery>> deliveries =
      args.Get("provider").empty() ? AllDeliveries(store)
                                   : Deliveries(store, args.Get("provider"));
  if (!deliveries.ok()) return Fail(kCommand, deliveries.status());
  for (const Delivery& d : *deliveries) std::printf("%s\n", ToJson(d, false).c_str());
  return kExitOk;
}

int RunActivate(int argc, char** argv) {
  Args args("c360 enrich activate --provider NAME --delivery ID",
            "Makes an older delivery current again: it is re-activated and "
            "every newer delivery of the provider is withdrawn. The profiles "
            "it touches are recomputed and announced in the change feed.");
  args.Option("provider", "provider name");
  args.Option("delivery", "delivery id (see c360 enrich deliveries)");
  args.Option("db", "local store folder", "c360-data");
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail(kCommand, runtime.status());
  EnrichmentImporter importer(&(*runtime)->store(), &(*runtime)->resolver());
  absl::StatusOr<Delivery> delivery =
      importer.Activate(args.Get("provider"), args.Get("delivery"), LocalActor());
  if (!delivery.ok()) return Fail(kCommand, delivery.status());
  absl::StatusOr<int64_t> refreshed = (*runtime)->RefreshProfiles();
  if (!refreshed.ok()) return Fail(kCommand, refreshed.status());
  std::printf("%s\n", ToJson(*delivery, false).c_str());
  return kExitOk;
}

int RunRules(int argc, char** argv) {
  Args args("c360 enrich rules [--set FILE]",
            "Prints the active survivorship rules as JSON; with --set, checks "
            "and stores FILE (see data/survivorship.json) and recomputes "
            "every profile.");
  args.Option("set", "a survivorship rules file (JSON)");
  args.Option("db", "local store folder", "c360-data");
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail(kCommand, runtime.status());
  if (!args.Get("set").empty()) {
    std::ifstream in(args.Get("set"));
    if (!in) {
      return Fail(kCommand, absl::NotFoundError(absl::StrCat("cannot read ", args.Get("set"))));
    }
    std::string text((std::istreambuf_iterator<char>(in)), {});
    absl::StatusOr<SurvivorshipRules> rules = ParseSurvivorshipRules(text);
    if (!rules.ok()) return Fail(kCommand, rules.status());
    WriteSet writes;
    PutActiveRules(*rules, &writes);
    if (absl::Status s = (*runtime)->store().Commit(writes); !s.ok()) {
      return Fail(kCommand, s);
    }
    ProgressBar profiles("profiles", 0);
    absl::StatusOr<int64_t> rebuilt = (*runtime)->RebuildProfiles(
        [&](int64_t done, int64_t total) { profiles.Update(done, done); });
    if (!rebuilt.ok()) return Fail(kCommand, rebuilt.status());
    profiles.Finish();
  }
  absl::StatusOr<SurvivorshipRules> active = ActiveRules((*runtime)->store());
  if (!active.ok()) return Fail(kCommand, active.status());
  std::printf("%s\n", ToJson(*active).c_str());
  return kExitOk;
}

int RunQuality(int argc, char** argv) {
  Args args("c360 enrich quality",
            "Prints the data-quality report as JSON: fill rate per attribute "
            "for each source and provider, conflicts between sources (entities "
            "where two sources hold an attribute without a common value) and "
            "each delivery's match rate.");
  args.Option("db", "local store folder", "c360-data");
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail(kCommand, runtime.status());
  absl::StatusOr<QualityReport> report =
      BuildQualityReport((*runtime)->store(), (*runtime)->region_for());
  if (!report.ok()) return Fail(kCommand, report.status());
  std::printf("%s\n", QualityReportJson(*report).c_str());
  return kExitOk;
}

int RunMatchEval(int argc, char** argv) {
  Args args("c360 enrich eval --provider NAME --truth FILE --records-truth FILE",
            "Measures how well a person delivery was matched against known "
            "answers (what `c360 gen --providers` writes): precision = matched "
            "rows linked to a record of the right person / matched rows; "
            "recall = those / rows about a person the sources hold. JSON.");
  args.Option("provider", "provider name");
  args.Option("delivery", "delivery id (default: the provider's newest)");
  args.Option("truth", "row_key,person_id per provider row (provider_truth.csv)");
  args.Option("records-truth", "source,source_id,person_id per record (truth.csv)");
  args.Option("wrong", "write each wrong match (row key, record key) to this CSV");
  args.Option("db", "local store folder", "c360-data");
  if (auto exit = ParseArgs(args, kCommand, argc, argv)) return *exit;
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> rows =
      ReadTruth(args.Get("truth"), 1);
  if (!rows.ok()) return Fail(kCommand, rows.status());
  absl::StatusOr<absl::flat_hash_map<std::string, std::string>> records =
      ReadTruth(args.Get("records-truth"), 2);
  if (!records.ok()) return Fail(kCommand, records.status());
  absl::StatusOr<std::unique_ptr<Runtime>> runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail(kCommand, runtime.status());
  std::string delivery = args.Get("delivery");
  if (delivery.empty()) {
    absl::StatusOr<std::vector<Delivery>> all =
        Deliveries((*runtime)->store(), args.Get("provider"));
    if (!all.ok()) return Fail(kCommand, all.status());
    if (all->empty()) {
      return Fail(kCommand, absl::NotFoundError(absl::StrCat(
                                "provider ", args.Get("provider"), " has no deliveries")));
    }
    delivery = all->back().delivery_id();
  }
  absl::StatusOr<RowMatchQuality> quality = EvaluateRowMatches(
      (*runtime)->store(), args.Get("provider"), delivery, *records, *rows);
  if (!quality.ok()) return Fail(kCommand, quality.status());
  if (!args.Get("wrong").empty()) {
    std::ofstream out(args.Get("wrong"), std::ios::trunc);
    out << "row_key,source,source_id\n";
    for (const auto& [row, record] : quality->wrong) {
      out << row << "," << record.source() << "," << record.source_id() << "\n";
    }
  }
  std::printf(
      "{\"provider\":%s,\"delivery_id\":%s,\"rows\":%lld,"
      "\"about_known_people\":%lld,\"matched\":%lld,\"correct\":%lld,"
      "\"matched_unknown_people\":%lld,"
      "\"precision\":%.4f,\"recall\":%.4f}\n",
      JsonString(args.Get("provider")).c_str(), JsonString(delivery).c_str(),
      static_cast<long long>(quality->rows),
      static_cast<long long>(quality->about_known_people),
      static_cast<long long>(quality->matched), static_cast<long long>(quality->correct),
      static_cast<long long>(quality->matched_unknown_people),
      quality->precision, quality->recall);
  return kExitOk;
}

}  // namespace

int RunEnrich(int argc, char** argv) {
  static constexpr Subcommand kSubcommands[] = {
      {"import", "import a provider delivery and match it", RunImport},
      {"deliveries", "list the imported deliveries", RunDeliveries},
      {"activate", "make an older delivery current again", RunActivate},
      {"rules", "show or set the survivorship rules", RunRules},
      {"quality", "data-quality report per source and provider", RunQuality},
      {"eval", "person-row match quality against known answers", RunMatchEval}};
  return RunSubcommand(kCommand, argc, argv, kSubcommands);
}

}  // namespace c360

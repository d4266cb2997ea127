// c360 gen, hot-keys, eval: commands that work on files and the local store.
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "resolver/evaluation.h"
#include "resolver/resolver.h"
#include "server/cli_util.h"
#include "server/json_text.h"
#include "server/progress.h"
#include "server/commands.h"
#include "server/generator.h"
#include "server/opportunity_generator.h"
#include "server/provider_generator.h"
#include "server/runtime.h"
#include "store/consistency.h"
#include "store/repository.h"

namespace c360 {
namespace {

}  // namespace

int RunGen(int argc, char** argv) {
  Args args("c360 gen --people N --seed S --out DIR [--providers] "
            "[--opportunities N]",
            "Writes sample files of four source systems (crm_contacts.csv, "
            "erp_customers.csv, webshop_accounts.csv, social_handles.csv) and "
            "truth.csv, readable with the mappings in data/mappings/. With "
            "--providers also purchased data about the same people: "
            "provider_company.csv, provider_person.csv (mappings "
            "provider_company.map, provider_person.map) and "
            "provider_truth.csv (row_key,person_id; -1 for people in no "
            "record). With --opportunities N also N sales opportunities of "
            "the same people (opportunities.csv, mapping "
            "generated_opportunities.map) whose outcomes depend on the "
            "people's records, purchased data and the deals' own fields "
            "(server/opportunity_generator.h).");
  args.Option("people", "number of people", "1000");
  args.Option("seed", "random seed", "1");
  args.Option("out", "output folder", "sample-data");
  args.Flag("providers", "also write the provider files");
  args.Option("extra-companies",
              "with --providers: register rows of companies no record names",
              "50");
  args.Option("extra-persons",
              "with --providers: consumer rows of people in no record", "200");
  args.Option("opportunities",
              "rows of opportunities.csv: CRM sales opportunities of the "
              "people, 1-4 per customer while people last; 0 = no file",
              "0");
  if (auto exit = ParseArgs(args, "gen", argc, argv)) return *exit;
  absl::StatusOr<int64_t> people = args.GetInt("people");
  absl::StatusOr<int64_t> seed = args.GetInt("seed");
  absl::StatusOr<int64_t> extra_companies = args.GetInt("extra-companies");
  absl::StatusOr<int64_t> extra_persons = args.GetInt("extra-persons");
  absl::StatusOr<int64_t> opportunities = args.GetInt("opportunities");
  if (!people.ok()) return Fail("gen", people.status());
  if (!seed.ok()) return Fail("gen", seed.status());
  if (!extra_companies.ok()) return Fail("gen", extra_companies.status());
  if (!extra_persons.ok()) return Fail("gen", extra_persons.status());
  if (!opportunities.ok()) return Fail("gen", opportunities.status());
  if (*people <= 0) return Fail("gen", absl::InvalidArgumentError("--people must be > 0"));
  if (*extra_companies < 0 || *extra_persons < 0) {
    return Fail("gen", absl::InvalidArgumentError(
                           "--extra-companies and --extra-persons must be >= 0"));
  }
  if (*opportunities < 0) {
    return Fail("gen",
                absl::InvalidArgumentError("--opportunities must be >= 0"));
  }
  GeneratorOptions options;
  options.people = *people;
  options.seed = static_cast<uint64_t>(*seed);
  ProgressBar progress("gen", options.people);
  absl::StatusOr<GeneratorStats> stats = WriteSampleFiles(
      options, args.Get("out"),
      [&](int64_t person_id) { progress.Update(person_id, person_id); });
  progress.Finish();
  if (!stats.ok()) return Fail("gen", stats.status());
  ProviderGeneratorOptions provider_options;
  provider_options.source = options;
  provider_options.extra_companies = *extra_companies;
  provider_options.extra_persons = *extra_persons;
  std::string more_counts;
  if (args.GetFlag("providers")) {
    absl::StatusOr<ProviderStats> provider_stats =
        WriteProviderFiles(provider_options, args.Get("out"));
    if (!provider_stats.ok()) return Fail("gen", provider_stats.status());
    more_counts = absl::StrFormat(
        ", \"provider_company\": %d, \"provider_company_without_id\": %d, "
        "\"provider_person\": %d, \"provider_person_in_no_record\": %d",
        provider_stats->companies, provider_stats->companies_without_id,
        provider_stats->persons, provider_stats->unrelated_persons);
  }
  if (*opportunities > 0) {
    OpportunityGeneratorOptions opportunity_options;
    opportunity_options.providers = provider_options;
    opportunity_options.opportunities = *opportunities;
    absl::StatusOr<OpportunityStats> opportunity_stats =
        WriteOpportunityFile(opportunity_options, args.Get("out"));
    if (!opportunity_stats.ok()) return Fail("gen", opportunity_stats.status());
    more_counts += absl::StrFormat(
        ", \"opportunities\": %d, \"opportunity_customers\": %d, "
        "\"won\": %d, \"lost\": %d, \"open\": %d",
        opportunity_stats->opportunities, opportunity_stats->customers,
        opportunity_stats->won, opportunity_stats->lost,
        opportunity_stats->open);
  }
  std::printf(
      "{\"out\": %s, \"people\": %lld, \"records\": %lld, \"crm\": %lld, "
      "\"erp\": %lld, \"webshop\": %lld, \"social\": %lld%s}\n",
      JsonString(args.Get("out")).c_str(), static_cast<long long>(stats->people),
      static_cast<long long>(stats->records), static_cast<long long>(stats->crm),
      static_cast<long long>(stats->erp), static_cast<long long>(stats->webshop),
      static_cast<long long>(stats->social), more_counts.c_str());
  return kExitOk;
}

int RunHotKeys(int argc, char** argv) {
  Args args("c360 hot-keys [--db DIR]",
            "Lists the candidate keys shared by too many records to be used "
            "for matching (info@ addresses, switchboards), as JSON Lines.");
  args.Option("db", "local store folder", "c360-data");
  args.Option("max-postings", "keys with more records than this are listed", "50");
  if (auto exit = ParseArgs(args, "hot-keys", argc, argv)) return *exit;
  absl::StatusOr<int64_t> max = args.GetInt("max-postings");
  if (!max.ok()) return Fail("hot-keys", max.status());
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("hot-keys", runtime.status());
  auto hot = HotCandidateKeys((*runtime)->store(), *max);
  if (!hot.ok()) return Fail("hot-keys", hot.status());
  for (const auto& [key, count] : *hot) {
    std::printf("{\"key\": %s, \"records\": %lld}\n", JsonString(key).c_str(),
                static_cast<long long>(count));
  }
  return kExitOk;
}

int RunCheck(int argc, char** argv) {
  Args args("c360 check [--db DIR]",
            "Verifies every invariant of the store (docs/storage.md) on one "
            "snapshot; prints a census as JSON, or the first violation and "
            "exit code 1.");
  args.Option("db", "local store folder", "c360-data");
  if (auto exit = ParseArgs(args, "check", argc, argv)) return *exit;
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("check", runtime.status());
  std::unique_ptr<ReadView> snapshot = (*runtime)->store().Snapshot();
  absl::StatusOr<StoreCensus> census = CheckStore(*snapshot);
  if (!census.ok()) return Fail("check", census.status());
  std::printf(
      "{\"ok\": true, \"records\": %lld, \"entities\": %lld, \"memberships\": "
      "%lld, \"candidate_keys\": %lld, \"aliases\": %lld, \"changes\": %lld, "
      "\"audit_events\": %lld, \"constraints\": %lld, \"review_tasks\": "
      "%lld, \"erased_entities\": %lld, \"suppressed\": %lld, "
      "\"enrichment_links\": %lld}\n",
      (long long)census->records, (long long)census->entities,
      (long long)census->memberships, (long long)census->postings,
      (long long)census->aliases, (long long)census->changes,
      (long long)census->audit_events, (long long)census->constraints,
      (long long)census->review_tasks, (long long)census->erased_entities,
      (long long)census->suppressed, (long long)census->enrichment_links);
  return kExitOk;
}

int RunEval(int argc, char** argv) {
  Args args("c360 eval --truth FILE [--db DIR]",
            "Compares the store's entities with known answers "
            "(source,source_id,person_id) and prints pairwise and B-cubed "
            "precision, recall and F1 as JSON.");
  args.Option("db", "local store folder", "c360-data");
  args.Option("truth", "truth CSV file");
  if (auto exit = ParseArgs(args, "eval", argc, argv)) return *exit;
  auto truth = ReadTruth(args.Get("truth"), 2);
  if (!truth.ok()) return Fail("eval", truth.status());
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("eval", runtime.status());
  std::vector<Assignment> assignments;
  absl::Status scanned = Repository(&(*runtime)->store()).ScanRecords(
      [&](const StoredRecord& r) {
        auto it = truth->find(RecordKeyString(KeyOf(r.record())));
        if (it != truth->end()) assignments.push_back({r.entity_id(), it->second});
        return true;
      });
  if (!scanned.ok()) return Fail("eval", scanned);
  ClusterMetrics m = Evaluate(assignments);
  std::printf(
      "{\"records\": %lld, \"entities\": %lld, \"people\": %lld, "
      "\"pairwise\": {\"precision\": %.4f, \"recall\": %.4f, \"f1\": %.4f, "
      "\"true_pairs\": %lld, \"predicted_pairs\": %lld, \"correct_pairs\": %lld}, "
      "\"bcubed\": {\"precision\": %.4f, \"recall\": %.4f, \"f1\": %.4f}, "
      "\"mixed_entities\": %lld, \"split_people\": %lld}\n",
      (long long)m.records, (long long)m.entities, (long long)m.people,
      m.pairwise_precision, m.pairwise_recall, m.pairwise_f1,
      (long long)m.true_pairs, (long long)m.predicted_pairs,
      (long long)m.correct_pairs, m.bcubed_precision, m.bcubed_recall,
      m.bcubed_f1, (long long)m.mixed_entities, (long long)m.split_people);
  return kExitOk;
}

}  // namespace c360

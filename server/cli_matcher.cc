// c360 train-matcher, match-report, explain: the learned match model.
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "c360/service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "resolver/matcher_store.h"
#include "server/cli_util.h"
#include "server/commands.h"
#include "server/json_text.h"
#include "server/runtime.h"

namespace c360 {
int RunTrainMatcher(int argc, char** argv) {
  Args args("c360 train-matcher [--db DIR]",
            "Learns the Fellegi-Sunter match model from the store's records "
            "without known answers (u from random pairs, m by EM over the "
            "blocked pairs, term frequencies of names), stores it as a new "
            "version and makes it active for later resolution. A failed "
            "training leaves the previous model active. Stop the server "
            "first: one process opens a store.");
  args.Option("db", "local store folder", "c360-data");
  args.Option("nicknames", "nickname and transliteration groups",
              absl::StrCat(C360_DATA_DIR, "/nicknames.tsv"));
  AddThresholdOptions(args);
  if (auto exit = ParseArgs(args, "train-matcher", argc, argv)) return *exit;
  double link = 0, review = 0;
  absl::Status thresholds = ParseThresholds(args, &link, &review);
  if (!thresholds.ok()) return Fail("train-matcher", thresholds);
  absl::StatusOr<NicknameTable> nicknames = NicknameTable::Load(args.Get("nicknames"));
  if (!nicknames.ok()) return Fail("train-matcher", nicknames.status());
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("train-matcher", runtime.status());
  absl::Time start = absl::Now();
  absl::StatusOr<TrainedMatcher> trained = TrainMatcher(
      (*runtime)->store(), (*runtime)->region_for(), *std::move(nicknames), {});
  if (!trained.ok()) return Fail("train-matcher", trained.status());
  absl::StatusOr<std::unique_ptr<MatchModel>> model =
      trained->model->WithThresholds(link, review);
  if (!model.ok()) return Fail("train-matcher", model.status());
  absl::StatusOr<uint64_t> version = SaveActiveMatcher((*runtime)->store(), **model);
  if (!version.ok()) return Fail("train-matcher", version.status());
  std::printf(
      "{\"version\": %llu, \"records\": %lld, \"candidate_pairs\": %lld, "
      "\"candidate_prior\": %.4f, \"prior\": %.3g, \"em_iterations\": %d, "
      "\"converged\": %s, \"seconds\": %.3f,\n\"sessions\": %s}\n",
      static_cast<unsigned long long>(*version),
      static_cast<long long>(trained->records),
      static_cast<long long>(trained->report.candidate_pairs),
      trained->report.candidate_prior, (*model)->params().prior,
      trained->report.iterations, trained->report.converged ? "true" : "false",
      absl::ToDoubleSeconds(absl::Now() - start),
      TrainingSessionsJson(trained->report).c_str());
  return kExitOk;
}

int RunMatchReport(int argc, char** argv) {
  Args args("c360 match-report [--db DIR]",
            "Prints the active match model as JSON: every comparison level's "
            "m and u probability and weight (log2 m/u), the prior and the "
            "link and review thresholds.");
  args.Option("db", "local store folder", "c360-data");
  if (auto exit = ParseArgs(args, "match-report", argc, argv)) return *exit;
  auto runtime = OpenLocalStore(args);
  if (!runtime.ok()) return Fail("match-report", runtime.status());
  auto active = LoadActiveMatcher((*runtime)->store());
  if (!active.ok()) return Fail("match-report", active.status());
  const MatchModel& model = *active->second;
  std::printf(
      "{\"version\": %llu, \"prior\": %.6g, \"link_probability\": %.3f, "
      "\"link_weight\": %.3f, \"review_probability\": %.3f, "
      "\"review_weight\": %.3f,\n\"fields\": %s}\n",
      static_cast<unsigned long long>(active->first), model.params().prior,
      model.params().link_probability, model.link_threshold(),
      model.params().review_probability, model.review_threshold(),
      MatchModelFieldsJson(model).c_str());
  return kExitOk;
}

int RunExplain(int argc, char** argv) {
  Args args("c360 explain LEFT RIGHT",
            "Explains over gRPC why two records, a record and an entity, or "
            "two entities are or are not the same person: each field's values, "
            "comparison level and weight, the total and the decision.");
  args.Positionals("LEFT, RIGHT  a record key source/source_id or an entity id");
  args.Option("server", "server address", "127.0.0.1:50051");
  AddClientSecurityOptions(args);
  if (auto exit = ParseArgs(args, "explain", argc, argv)) return *exit;
  if (args.positionals().size() != 2) {
    return Fail("explain", absl::InvalidArgumentError("give LEFT and RIGHT"));
  }
  ExplainMatchRequest request;
  request.set_left(args.positionals()[0]);
  request.set_right(args.positionals()[1]);
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      ClientChannel(args, args.Get("server"));
  if (!channel.ok()) return Fail("explain", channel.status());
  ExplainMatchResponse response;
  grpc::ClientContext context;
  grpc::Status status = ProfileService::NewStub(*channel)->ExplainMatch(
      &context, request, &response);
  if (!status.ok()) return Fail("explain", FromGrpcStatus(status));
  std::printf("%s\n", ToJson(response).c_str());
  return kExitOk;
}

}  // namespace c360

#include "server/ingest.h"

#include "store/repository.h"

namespace c360 {
namespace {

constexpr int kMaxListedRejections = 1000;

void CountOutcome(UpsertOutcome outcome, UpsertSummary* summary) {
  switch (outcome) {
    case CREATED: summary->set_created(summary->created() + 1); break;
    case LINKED: summary->set_linked(summary->linked() + 1); break;
    case MERGED: summary->set_merged(summary->merged() + 1); break;
    case UPDATED: summary->set_updated(summary->updated() + 1); break;
    case UNCHANGED: summary->set_unchanged(summary->unchanged() + 1); break;
    default: break;
  }
}

}  // namespace

absl::Status ResolveChunk(Resolver& resolver,
                          const std::vector<SourceRecord>& chunk,
                          int64_t first_index, UpsertSummary* summary) {
  std::vector<absl::StatusOr<UpsertResult>> results = resolver.UpsertBatch(chunk);
  for (size_t i = 0; i < results.size(); ++i) {
    if (results[i].ok()) {
      CountOutcome(results[i]->outcome, summary);
      if (results[i]->nothing_to_match) {
        summary->set_nothing_to_match(summary->nothing_to_match() + 1);
      }
      continue;
    }
    if (!absl::IsInvalidArgument(results[i].status())) return results[i].status();
    summary->set_rejected(summary->rejected() + 1);
    if (summary->rejections_size() >= kMaxListedRejections) continue;
    Rejection* rejection = summary->add_rejections();
    rejection->set_index(first_index + static_cast<int64_t>(i));
    *rejection->mutable_record() = KeyOf(chunk[i]);
    rejection->set_reason(std::string(results[i].status().message()));
  }
  return absl::OkStatus();
}

}  // namespace c360

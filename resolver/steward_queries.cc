#include "resolver/steward_queries.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "resolver/explain.h"

namespace c360 {
namespace {

using google::protobuf::util::TimeUtil;

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 1000;
constexpr int kMaxEntityRecords = 50;

absl::StatusOr<int> PageSize(int requested) {
  if (requested < 0 || requested > kMaxPage) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size must be between 0 and ", kMaxPage));
  }
  return requested == 0 ? kDefaultPage : requested;
}

bool Matches(const ListReviewTasksRequest& request, const ReviewTask& task,
             absl::Time now) {
  bool any_score = request.min_score() == 0 && request.max_score() == 0;
  if (!any_score && (task.score() < request.min_score() ||
                     task.score() > request.max_score())) {
    return false;
  }
  if (!request.source().empty() && task.record().source() != request.source()) {
    return false;
  }
  absl::Time created = absl::FromUnixNanos(
      TimeUtil::TimestampToNanoseconds(task.created_at()));
  return now - created >= absl::Seconds(request.min_age_seconds());
}

bool Names(const AuditEvent& event, const absl::flat_hash_set<std::string>& ids) {
  if (ids.contains(event.entity_id())) return true;
  return std::any_of(event.other_entity_ids().begin(),
                     event.other_entity_ids().end(),
                     [&](const std::string& id) { return ids.contains(id); });
}

}  // namespace

absl::StatusOr<std::string> ObsoleteReason(const Repository& repo,
                                           const ReviewTask& task) {
  absl::StatusOr<std::string> live = repo.LiveEntityId(task.entity_id());
  if (absl::IsNotFound(live.status())) {
    return absl::StrCat("entity ", task.entity_id(), " no longer exists");
  }
  if (!live.ok()) return live.status();
  if (*live != task.entity_id()) {
    return absl::StrCat("entity ", task.entity_id(), " was merged into ", *live);
  }
  absl::StatusOr<StoredRecord> record = repo.GetRecord(task.record());
  if (!record.ok()) {
    return absl::DataLossError(absl::StrCat("review task ", task.task_id(), ": ",
                                            record.status().message()));
  }
  if (record->entity_id() == *live) {
    return absl::StrCat("record ", RecordKeyString(task.record()),
                        " already belongs to ", *live);
  }
  const RecordKey& matched = task.evidence().matched_record();
  absl::StatusOr<StoredRecord> partner = repo.GetRecord(matched);
  if (!partner.ok()) return partner.status();
  if (partner->entity_id() != *live) {
    return absl::StrCat("record ", RecordKeyString(matched), " left ", *live);
  }
  return std::string();
}

absl::StatusOr<ReviewTask> CurrentTask(const Repository& repo, ReviewTask task) {
  if (task.state() != OPEN) return task;
  absl::StatusOr<std::string> reason = ObsoleteReason(repo, task);
  if (!reason.ok()) return reason.status();
  if (!reason->empty()) task.set_state(OBSOLETE);
  return task;
}

absl::StatusOr<ListReviewTasksResponse> ListReviewTasks(
    const ReadView& view, const ListReviewTasksRequest& request, absl::Time now) {
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (request.min_score() > request.max_score()) {
    return absl::InvalidArgumentError("min_score is above max_score");
  }
  ReviewState wanted = request.state() == REVIEW_STATE_UNSPECIFIED
                           ? OPEN
                           : request.state();
  Repository repo(&view);
  ListReviewTasksResponse response;
  absl::Status failure;
  absl::Status scanned = repo.ScanReviewTasks(
      request.page_token(), [&](const ReviewTask& stored) {
        if (response.tasks_size() == *page_size) {
          response.set_next_page_token(stored.task_id());
          return false;
        }
        if (!Matches(request, stored, now)) return true;
        absl::StatusOr<ReviewTask> task = CurrentTask(repo, stored);
        if (!task.ok()) {
          failure = task.status();
          return false;
        }
        if (task->state() == wanted) *response.add_tasks() = *std::move(task);
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!failure.ok()) return failure;
  return response;
}

absl::StatusOr<GetReviewTaskResponse> GetReviewTask(
    const ReadView& view, const MatchDecider& decider,
    const RegionForSource& region_for, absl::string_view task_id) {
  if (task_id.empty()) return absl::InvalidArgumentError("task_id: empty");
  Repository repo(&view);
  absl::StatusOr<ReviewTask> stored = repo.GetReviewTask(task_id);
  if (!stored.ok()) return stored.status();
  GetReviewTaskResponse response;
  absl::StatusOr<ReviewTask> task = CurrentTask(repo, *std::move(stored));
  if (!task.ok()) return task.status();
  absl::StatusOr<StoredRecord> record = repo.GetRecord(task->record());
  if (!record.ok()) return record.status();
  *response.mutable_record() = record->record();
  absl::StatusOr<std::string> live = repo.LiveEntityId(task->entity_id());
  if (!live.ok()) return live.status();
  response.set_live_entity_id(*live);
  absl::StatusOr<std::vector<RecordKey>> members = repo.Members(*live);
  if (!members.ok()) return members.status();
  for (size_t i = 0; i < members->size() && i < kMaxEntityRecords; ++i) {
    absl::StatusOr<StoredRecord> member = repo.GetRecord((*members)[i]);
    if (!member.ok()) return member.status();
    *response.add_entity_records() = member->record();
  }
  if (record->entity_id() != *live) {
    absl::StatusOr<Explanation> explained = ExplainMatch(
        view, decider, region_for, RecordKeyString(task->record()), *live);
    if (!explained.ok()) return explained.status();
    *response.mutable_explanation() = std::move(explained->evidence);
  }
  *response.mutable_task() = *std::move(task);
  return response;
}

absl::StatusOr<EntityHistoryResponse> EntityHistory(
    const ReadView& view, const EntityHistoryRequest& request) {
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (request.entity_id().empty()) {
    return absl::InvalidArgumentError("entity_id: empty");
  }
  uint64_t below = UINT64_MAX;
  if (!request.page_token().empty() &&
      !absl::SimpleAtoi(request.page_token(), &below)) {
    return absl::InvalidArgumentError("page_token: not one of EntityHistory's");
  }
  Repository repo(&view);
  absl::StatusOr<std::string> live = repo.LiveEntityId(request.entity_id());
  if (!live.ok()) return live.status();
  absl::StatusOr<EntityState> entity = repo.GetEntity(*live);
  if (!entity.ok()) return entity.status();
  absl::flat_hash_set<std::string> ids(entity->aliases().begin(),
                                       entity->aliases().end());
  ids.insert(*live);
  std::vector<AuditEvent> events;
  absl::Status scanned = repo.ScanAudit([&](const AuditEvent& event) {
    if (event.sequence() < below && Names(event, ids)) events.push_back(event);
    return true;
  });
  if (!scanned.ok()) return scanned;
  EntityHistoryResponse response;
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (response.events_size() == *page_size) {
      response.set_next_page_token(
          absl::StrCat(response.events(*page_size - 1).sequence()));
      break;
    }
    *response.add_events() = *it;
  }
  return response;
}

}  // namespace c360

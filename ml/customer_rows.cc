#include "ml/customer_rows.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "store/customer_scores.h"
#include "store/keys.h"

namespace c360 {
namespace {

// Adds an opportunity scored `hit_rate` to `customer`.
void AddOpportunity(const Opportunity& opp, double hit_rate,
                    CustomerScores* customer) {
  customer->set_open_opportunities(customer->open_opportunities() + 1);
  customer->set_expected_value(customer->expected_value() +
                               hit_rate * opp.price());
  if (opp.has_cost()) {
    customer->set_expected_profit(customer->expected_profit() +
                                  hit_rate * (opp.price() - opp.cost()));
  } else {
    customer->set_without_cost(customer->without_cost() + 1);
  }
  customer->set_best_hit_rate(std::max(customer->best_hit_rate(), hit_rate));
  customer->add_opportunity_ids(opp.opportunity_id());
}

// Adds `key` to the ascending list `keys` unless it is there.
void AddKey(const std::string& key,
            google::protobuf::RepeatedPtrField<std::string>* keys) {
  if (std::find(keys->begin(), keys->end(), key) != keys->end()) return;
  *keys->Add() = key;
  std::sort(keys->begin(), keys->end());
}

// True when `stored` holds `scores` but for scored_at.
bool Unchanged(CustomerScores scores, absl::string_view stored) {
  CustomerScores old;
  if (!old.ParseFromArray(stored.data(), static_cast<int>(stored.size()))) {
    return false;
  }
  old.clear_scored_at();
  scores.clear_scored_at();
  return old.SerializeAsString() == scores.SerializeAsString();
}

// Entity-row writes by the live entity each announces; "" for rows of
// erased ids, deleted without announcing anybody.
using EntityWrites = std::map<std::string, WriteSet>;

// The writes of UpdateEntityRows, before batching.
absl::StatusOr<EntityWrites> EntityRowWrites(
    const ReadView& view, const std::map<std::string, CustomerScores>& rows,
    std::map<std::string, std::string> stored,
    const google::protobuf::Timestamp& now) {
  EntityWrites writes;
  for (const auto& [id, scores] : rows) {
    std::string key = EntityScoresKey(id);
    auto old = stored.find(key);
    const bool unchanged =
        old != stored.end() && Unchanged(scores, old->second);
    if (old != stored.end()) stored.erase(old);
    if (unchanged) continue;
    CustomerScores row = scores;
    *row.mutable_scored_at() = now;
    writes[id].Put(Table::kScores, std::move(key), row.SerializeAsString());
  }
  Repository repo(&view);
  for (const auto& [key, value] : stored) {
    absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
    if (!parts.ok()) return parts.status();
    absl::StatusOr<std::string> live = repo.LiveEntityId(parts->back());
    if (!live.ok() && !absl::IsNotFound(live.status())) return live.status();
    writes[live.ok() ? *live : ""].Delete(Table::kScores, key);
  }
  return writes;
}

}  // namespace

absl::Status CustomerRows::Add(const Opportunity& opp, double hit_rate) {
  const std::string& key = opp.customer_id();
  auto [it, inserted] = entity_of_.try_emplace(key);
  if (inserted) {
    absl::StatusOr<std::string> entity = ResolveCustomerKey(repo_, key);
    if (entity.ok()) {
      it->second = *std::move(entity);
    } else if (!absl::IsNotFound(entity.status())) {
      return entity.status();
    }
  }
  const std::string& entity = it->second;
  CustomerScores* row = entity.empty() ? &by_key_[key] : &by_entity_[entity];
  if (row->customer_key().empty()) {
    row->set_customer_key(entity.empty() ? key : entity);
  }
  if (!entity.empty()) AddKey(key, row->mutable_customer_keys());
  AddOpportunity(opp, hit_rate, row);
  return absl::OkStatus();
}

absl::StatusOr<EntityRowsUpdate> UpdateEntityRows(
    const ReadView& view, const std::map<std::string, CustomerScores>& rows,
    std::map<std::string, std::string> stored,
    const google::protobuf::Timestamp& now, int batch_size,
    const EntityScoresWriter& write) {
  absl::StatusOr<EntityWrites> writes =
      EntityRowWrites(view, rows, std::move(stored), now);
  if (!writes.ok()) return writes.status();
  EntityRowsUpdate update;
  WriteSet batch;
  std::vector<std::string> ids;
  for (auto it = writes->begin(); it != writes->end(); ++it) {
    batch.Append(it->second);
    for (const WriteSet::Op& op : it->second.ops()) {
      update.deleted += op.is_delete;
    }
    if (!it->first.empty()) ids.push_back(it->first);
    if (static_cast<int>(ids.size()) < batch_size &&
        std::next(it) != writes->end()) {
      continue;
    }
    absl::Status written = write(batch, ids);
    if (!written.ok()) return written;
    update.announced += static_cast<int64_t>(ids.size());
    batch = WriteSet();
    ids.clear();
  }
  return update;
}

}  // namespace c360

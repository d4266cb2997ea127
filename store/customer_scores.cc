#include "store/customer_scores.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "store/keys.h"

namespace c360 {
namespace {

constexpr absl::string_view kEntityPart = "entity";

using Strings = google::protobuf::RepeatedPtrField<std::string>;

// `into` as the ascending union of both lists.
void MergeAscending(const Strings& from, Strings* into) {
  std::set<std::string> all(into->begin(), into->end());
  all.insert(from.begin(), from.end());
  into->Clear();
  for (const std::string& s : all) *into->Add() = s;
}

bool Before(const google::protobuf::Timestamp& a,
            const google::protobuf::Timestamp& b) {
  return std::make_pair(a.seconds(), a.nanos()) <
         std::make_pair(b.seconds(), b.nanos());
}

}  // namespace

std::string EntityScoresKey(absl::string_view entity_id) {
  return EncodeKey({kEntityPart, entity_id});
}

std::string EntityScoresPrefix() { return EncodeKey({kEntityPart}); }

absl::StatusOr<std::string> ResolveCustomerKey(const Repository& repo,
                                               absl::string_view customer_key) {
  if (std::optional<RecordKey> record = ParseRecordKey(customer_key)) {
    absl::StatusOr<StoredRecord> stored = repo.GetRecord(*record);
    if (!stored.ok()) return stored.status();
    return stored->entity_id();
  }
  return repo.LiveEntityId(customer_key);
}

void AddCustomerScores(const CustomerScores& from, CustomerScores* into) {
  into->set_open_opportunities(into->open_opportunities() +
                               from.open_opportunities());
  into->set_expected_value(into->expected_value() + from.expected_value());
  into->set_expected_profit(into->expected_profit() + from.expected_profit());
  into->set_without_cost(into->without_cost() + from.without_cost());
  into->set_best_hit_rate(
      std::max(into->best_hit_rate(), from.best_hit_rate()));
  if (Before(into->scored_at(), from.scored_at())) {
    *into->mutable_scored_at() = from.scored_at();
  }
  MergeAscending(from.opportunity_ids(), into->mutable_opportunity_ids());
  MergeAscending(from.customer_keys(), into->mutable_customer_keys());
}

absl::StatusOr<CustomerScores> ReadEntityScores(const ReadView& view,
                                                absl::string_view entity_id,
                                                const Strings& aliases) {
  std::vector<std::string> ids = {std::string(entity_id)};
  ids.insert(ids.end(), aliases.begin(), aliases.end());
  CustomerScores total;
  bool found = false;
  for (const std::string& id : ids) {
    absl::StatusOr<std::string> row =
        view.Get(Table::kScores, EntityScoresKey(id));
    if (absl::IsNotFound(row.status())) continue;
    if (!row.ok()) return row.status();
    CustomerScores scores;
    if (!scores.ParseFromString(*row)) {
      return absl::DataLossError(
          absl::StrCat("unparsable stored scores of entity ", id));
    }
    AddCustomerScores(scores, &total);
    found = true;
  }
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("no stored scores of entity ", entity_id));
  }
  total.set_customer_key(std::string(entity_id));
  return total;
}

}  // namespace c360

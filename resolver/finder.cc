#include "resolver/finder.h"

#include <algorithm>
#include <map>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "resolver/normalize.h"
#include "store/repository.h"

namespace c360 {
namespace {

// A lookup returns at most this many records per key; more would mean the
// key is shared by a crowd (an info@ address) and says nothing.
constexpr size_t kMaxRecordsPerKey = 1000;

using RecordSet = absl::flat_hash_set<std::string>;  // RecordKeyString

absl::StatusOr<std::vector<Posting>> Postings(const Repository& repo,
                                              const std::string& key) {
  return repo.Postings(key, kMaxRecordsPerKey);
}

// Records under every token's name + birth date key.
absl::StatusOr<std::vector<Posting>> NameDateRecords(const Repository& repo,
                                                     const FindQuery& query) {
  absl::StatusOr<BirthDate> date = ParseBirthDate(query.birth_date);
  if (!date.ok()) return date.status();
  std::vector<std::string> tokens =
      NameTokens(FoldNameVariants(NormalizeName(query.name)));
  if (tokens.empty()) return absl::InvalidArgumentError("name: no letters");
  std::vector<Posting> common;
  for (size_t i = 0; i < tokens.size(); ++i) {
    absl::StatusOr<std::vector<Posting>> records = Postings(
        repo, absl::StrCat("nd:", tokens[i], "|", FormatBirthDate(*date)));
    if (!records.ok()) return records.status();
    if (i == 0) {
      common = *std::move(records);
      continue;
    }
    RecordSet here;
    for (const Posting& p : *records) here.insert(RecordKeyString(p.record));
    common.erase(std::remove_if(common.begin(), common.end(),
                                [&](const Posting& p) {
                                  return !here.contains(RecordKeyString(p.record));
                                }),
                 common.end());
  }
  return common;
}

absl::Status ValidateQuery(const FindQuery& query) {
  if (query.email.empty() && query.phone.empty() && query.name.empty() &&
      query.birth_date.empty()) {
    return absl::InvalidArgumentError(
        "give at least one of email, phone, or name with birth_date");
  }
  if (query.name.empty() != query.birth_date.empty()) {
    return absl::InvalidArgumentError(
        "name and birth_date must be given together");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<FoundEntity>> FindEntities(const ReadView& view,
                                                      const FindQuery& query) {
  absl::Status valid = ValidateQuery(query);
  if (!valid.ok()) return valid;
  Repository repo(&view);
  std::vector<std::pair<std::string, std::vector<Posting>>> hits;
  if (!query.email.empty()) {
    absl::StatusOr<std::string> email = NormalizeEmail(query.email);
    if (!email.ok()) return email.status();
    auto records = Postings(repo, "em:" + CanonicalEmail(*email));
    if (!records.ok()) return records.status();
    hits.emplace_back("email", *std::move(records));
  }
  if (!query.phone.empty()) {
    absl::StatusOr<std::string> phone = NormalizePhone(query.phone, query.region);
    if (!phone.ok()) return phone.status();
    auto records = Postings(repo, "ph:" + *phone);
    if (!records.ok()) return records.status();
    hits.emplace_back("phone", *std::move(records));
  }
  if (!query.name.empty()) {
    auto records = NameDateRecords(repo, query);
    if (!records.ok()) return records.status();
    hits.emplace_back("name_birth_date", *std::move(records));
  }
  std::map<std::string, std::vector<std::string>> criteria_by_entity;
  for (const auto& [criterion, postings] : hits) {
    for (const Posting& posting : postings) {
      std::vector<std::string>& matched = criteria_by_entity[posting.entity_id];
      if (std::find(matched.begin(), matched.end(), criterion) == matched.end()) {
        matched.push_back(criterion);
      }
    }
  }
  std::vector<FoundEntity> found;
  for (auto& [id, matched] : criteria_by_entity) found.push_back({id, matched});
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.matched_on.size() > b.matched_on.size();
  });
  if (found.size() > query.limit) found.resize(query.limit);
  return found;
}

}  // namespace c360

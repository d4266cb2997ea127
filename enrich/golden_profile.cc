#include "enrich/golden_profile.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "resolver/normalize.h"
#include "store/repository.h"

namespace c360 {
namespace {

using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;

// One observed value of an attribute.
template <typename Value>
struct Observation {
  Value value;
  const StoredRecord* source;
};

// Groups observations by normalized key and ranks the groups by a rule.
template <typename Value>
class Votes {
 public:
  void Add(const std::string& key, Value value, const StoredRecord* source) {
    if (key.empty()) return;
    auto [it, inserted] = index_.try_emplace(key, groups_.size());
    if (inserted) groups_.emplace_back();
    groups_[it->second].push_back({std::move(value), source});
  }

  // Winner first. Each group is represented by its most recent observation.
  std::vector<std::pair<Observation<Value>, int>> Ranked(
      bool most_frequent) const {
    std::vector<std::pair<Observation<Value>, int>> ranked;
    for (const auto& group : groups_) {
      const Observation<Value>* latest = &group.front();
      for (const auto& o : group) {
        if (Observed(o) > Observed(*latest)) latest = &o;
      }
      ranked.emplace_back(*latest, static_cast<int>(group.size()));
    }
    std::stable_sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
      if (most_frequent && a.second != b.second) return a.second > b.second;
      return Observed(a.first) > Observed(b.first);
    });
    return ranked;
  }

 private:
  static const Timestamp& Observed(const Observation<Value>& o) {
    return o.source->record().observed_at();
  }

  absl::flat_hash_map<std::string, size_t> index_;
  std::vector<std::vector<Observation<Value>>> groups_;
};

template <typename Value>
Provenance ProvenanceOf(const std::pair<Observation<Value>, int>& winner,
                        bool most_frequent) {
  Provenance provenance;
  *provenance.mutable_record() = KeyOf(winner.first.source->record());
  *provenance.mutable_observed_at() =
      winner.first.source->record().observed_at();
  provenance.set_rule(most_frequent ? "most_frequent" : "most_recent");
  provenance.set_support(winner.second);
  return provenance;
}

// Fills one GoldenValue per ranked group (or only the winner).
void FillValues(const Votes<std::string>& votes, bool most_frequent,
                const std::function<GoldenValue*()>& next, bool all) {
  for (const auto& ranked : votes.Ranked(most_frequent)) {
    GoldenValue* golden = next();
    golden->set_value(ranked.first.value);
    *golden->mutable_provenance() = ProvenanceOf(ranked, most_frequent);
    if (!all) return;
  }
}

std::string DisplayName(const PersonName& name) {
  if (!name.full().empty()) return name.full();
  std::vector<std::string> parts;
  for (const std::string* p : {&name.given(), &name.middle(), &name.family()}) {
    if (!p->empty()) parts.push_back(*p);
  }
  return absl::StrJoin(parts, " ");
}

void FillNames(const std::vector<StoredRecord>& members, Profile* profile) {
  Votes<PersonName> names;
  for (const StoredRecord& m : members) {
    for (const PersonName& name : m.record().names()) {
      names.Add(NormalizeName(DisplayName(name)), name, &m);
    }
  }
  auto ranked = names.Ranked(false);
  if (ranked.empty()) return;
  Provenance provenance = ProvenanceOf(ranked.front(), false);
  const PersonName& winner = ranked.front().first.value;
  auto set = [&](GoldenValue* golden, const std::string& value) {
    if (value.empty()) return;
    golden->set_value(value);
    *golden->mutable_provenance() = provenance;
  };
  set(profile->mutable_name(), DisplayName(winner));
  set(profile->mutable_given_name(), winner.given());
  set(profile->mutable_family_name(), winner.family());
}

void FillContacts(const std::vector<StoredRecord>& members,
                  const RegionForSource& region_for, Profile* profile) {
  Votes<std::string> emails, phones, birth_dates, organizations, business_ids;
  for (const StoredRecord& m : members) {
    const SourceRecord& r = m.record();
    for (const std::string& email : r.emails()) {
      absl::StatusOr<std::string> normalized = NormalizeEmail(email);
      if (normalized.ok()) emails.Add(CanonicalEmail(*normalized), *normalized, &m);
    }
    const std::string& region = r.addresses().empty() || r.addresses(0).country().empty()
                                    ? region_for(r.source())
                                    : r.addresses(0).country();
    for (const std::string& phone : r.phones()) {
      absl::StatusOr<std::string> e164 = NormalizePhone(phone, region);
      phones.Add(e164.ok() ? *e164 : phone, e164.ok() ? *e164 : phone, &m);
    }
    birth_dates.Add(r.birth_date(), r.birth_date(), &m);
    organizations.Add(NormalizeName(r.organization()), r.organization(), &m);
    business_ids.Add(NormalizeBusinessId(r.business_id()), r.business_id(), &m);
  }
  FillValues(emails, true, [&] { return profile->add_emails(); }, true);
  FillValues(phones, true, [&] { return profile->add_phones(); }, true);
  FillValues(birth_dates, true, [&] { return profile->mutable_birth_date(); }, false);
  FillValues(organizations, false, [&] { return profile->mutable_organization(); }, false);
  FillValues(business_ids, false, [&] { return profile->mutable_business_id(); }, false);
}

void FillAddressesAndHandles(const std::vector<StoredRecord>& members,
                             Profile* profile) {
  Votes<PostalAddress> addresses;
  Votes<SocialHandle> handles;
  for (const StoredRecord& m : members) {
    for (const PostalAddress& a : m.record().addresses()) {
      addresses.Add(absl::StrCat(NormalizePostcode(a.postcode()), "|",
                                 NormalizeName(absl::StrCat(a.street(), " ",
                                                            a.house_number())),
                                 "|", NormalizeName(a.city())),
                    a, &m);
    }
    for (const SocialHandle& h : m.record().social_handles()) {
      handles.Add(absl::StrCat(h.platform(), ":", NormalizeHandle(h.handle())), h, &m);
    }
  }
  for (const auto& ranked : addresses.Ranked(false)) {
    GoldenAddress* golden = profile->add_addresses();
    *golden->mutable_address() = ranked.first.value;
    *golden->mutable_provenance() = ProvenanceOf(ranked, false);
  }
  for (const auto& ranked : handles.Ranked(true)) {
    GoldenSocialHandle* golden = profile->add_social_handles();
    *golden->mutable_handle() = ranked.first.value;
    *golden->mutable_provenance() = ProvenanceOf(ranked, true);
  }
}

}  // namespace

Profile BuildProfile(const EntityState& entity,
                     const std::vector<StoredRecord>& members,
                     const RegionForSource& region_for) {
  Profile profile;
  profile.set_entity_id(entity.entity_id());
  *profile.mutable_aliases() = entity.aliases();
  *profile.mutable_created_at() = entity.created_at();
  *profile.mutable_updated_at() = entity.updated_at();
  std::vector<const StoredRecord*> by_age;
  for (const StoredRecord& m : members) by_age.push_back(&m);
  std::stable_sort(by_age.begin(), by_age.end(), [](auto* a, auto* b) {
    return a->first_seen() < b->first_seen();
  });
  for (const StoredRecord* m : by_age) *profile.add_records() = KeyOf(m->record());
  FillNames(members, &profile);
  FillContacts(members, region_for, &profile);
  FillAddressesAndHandles(members, &profile);
  return profile;
}

absl::StatusOr<ProfileLookup> ProfileReader::ByEntityId(
    absl::string_view entity_id, bool include_records) const {
  absl::StatusOr<std::string> live = Repository(view_).LiveEntityId(entity_id);
  if (!live.ok()) return live.status();
  absl::StatusOr<Profile> profile = Load(*live, include_records);
  if (!profile.ok()) return profile.status();
  ProfileLookup lookup{*std::move(profile), ""};
  if (*live != entity_id) lookup.redirected_from = std::string(entity_id);
  return lookup;
}

absl::StatusOr<ProfileLookup> ProfileReader::ByRecordKey(
    const RecordKey& key, bool include_records) const {
  absl::StatusOr<StoredRecord> record = Repository(view_).GetRecord(key);
  if (!record.ok()) return record.status();
  absl::StatusOr<Profile> profile = Load(record->entity_id(), include_records);
  if (!profile.ok()) return profile.status();
  return ProfileLookup{*std::move(profile), ""};
}

absl::StatusOr<Profile> ProfileReader::Load(const std::string& live_id,
                                            bool include_records) const {
  Repository repo(view_);
  absl::StatusOr<EntityState> entity = repo.GetEntity(live_id);
  if (!entity.ok()) return entity.status();
  absl::StatusOr<std::vector<RecordKey>> keys = repo.Members(live_id);
  if (!keys.ok()) return keys.status();
  std::vector<StoredRecord> members;
  members.reserve(keys->size());
  for (const RecordKey& key : *keys) {
    absl::StatusOr<StoredRecord> member = repo.GetRecord(key);
    if (!member.ok()) return member.status();
    members.push_back(*std::move(member));
  }
  Profile profile = BuildProfile(*entity, members, region_for_);
  if (include_records) {
    for (const StoredRecord& m : members) *profile.add_member_records() = m.record();
  }
  return profile;
}

}  // namespace c360

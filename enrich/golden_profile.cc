#include "enrich/golden_profile.h"

#include <algorithm>
#include <functional>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "enrich/enrichment_store.h"
#include "enrich/survivorship.h"
#include "google/protobuf/util/time_util.h"
#include "resolver/normalize.h"
#include "store/customer_scores.h"
#include "store/repository.h"

namespace c360 {
namespace {

// The candidates of one attribute, each with the typed value it stands for.
template <typename Value>
class Votes {
 public:
  // Ignores a value without a normalized key or a display form.
  void Add(std::string key, Value value, std::string display,
           const Provenance& origin, int completeness) {
    if (key.empty() || display.empty()) return;
    candidates_.push_back(
        {std::move(display), std::move(key), origin, completeness});
    values_.push_back(std::move(value));
  }

  const std::vector<SurvivorshipCandidate>& candidates() const {
    return candidates_;
  }
  const Value& value(size_t index) const { return values_[index]; }

 private:
  std::vector<SurvivorshipCandidate> candidates_;
  std::vector<Value> values_;
};

Provenance RecordOrigin(const SourceRecord& record) {
  Provenance origin;
  *origin.mutable_record() = KeyOf(record);
  *origin.mutable_observed_at() = record.observed_at();
  return origin;
}

// A provider value is observed when it was delivered; its record is the
// row (source = provider, source_id = row key).
Provenance ProviderOrigin(const ProviderRow& row) {
  Provenance origin;
  *origin.mutable_record() = KeyOf(row.identity());
  *origin.mutable_observed_at() = row.delivered_at();
  origin.set_provider(row.provider());
  origin.set_delivery_id(row.delivery_id());
  return origin;
}

std::string DisplayName(const PersonName& name) {
  if (!name.full().empty()) return name.full();
  std::vector<std::string> parts;
  for (const std::string* p : {&name.given(), &name.middle(), &name.family()}) {
    if (!p->empty()) parts.push_back(*p);
  }
  return absl::StrJoin(parts, " ");
}

// "Mannerheimintie 12 B, 00100 Helsinki, FI": an address as one line.
std::string AddressLine(const PostalAddress& a) {
  std::vector<std::string> parts;
  for (std::string part :
       {absl::StrCat(a.street(), " ", a.house_number()),
        absl::StrCat(a.postcode(), " ", a.city()), a.country()}) {
    absl::StripAsciiWhitespace(&part);
    if (!part.empty()) parts.push_back(std::move(part));
  }
  return absl::StrJoin(parts, ", ");
}

int FilledParts(const PostalAddress& a) {
  int filled = 0;
  for (const std::string* p : {&a.street(), &a.house_number(), &a.postcode(),
                               &a.city(), &a.country()}) {
    filled += !p->empty();
  }
  return filled;
}

// "granted" or "denied" for a consent statement, "" for anything else.
std::string ConsentValue(absl::string_view text) {
  const std::string value =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (const char* yes : {"granted", "yes", "true", "1", "opt-in"}) {
    if (value == yes) return "granted";
  }
  for (const char* no :
       {"denied", "no", "false", "0", "opt-out", "withdrawn"}) {
    if (value == no) return "denied";
  }
  return "";
}

// The purpose of a consent attribute ("consent.marketing",
// "consent_marketing"), "" for any other attribute.
std::string ConsentPurpose(absl::string_view attribute) {
  for (absl::string_view prefix : {"consent.", "consent_"}) {
    if (absl::StartsWith(attribute, prefix)) {
      return absl::AsciiStrToLower(attribute.substr(prefix.size()));
    }
  }
  return "";
}

// How many of an attribute's ranked values the profile keeps.
enum class Kept { kOne, kAll };

// Collects every attribute's candidates, then ranks them by the rules and
// fills the profile.
class ProfileBuilder {
 public:
  ProfileBuilder(const SurvivorshipRules& rules,
                 const RegionForSource& region_for, bool include_candidates,
                 Profile* profile)
      : rules_(rules),
        region_for_(region_for),
        include_candidates_(include_candidates),
        profile_(profile) {}

  void AddRecord(const StoredRecord& member) {
    const Provenance origin = RecordOrigin(member.record());
    AddIdentity(member.record(), origin);
    for (const auto& [attribute, text] : member.record().attributes()) {
      const std::string purpose = ConsentPurpose(attribute);
      const std::string value = ConsentValue(text);
      if (purpose.empty() || value.empty()) continue;
      consents_[purpose].Add(value, value, value, origin, 1);
    }
  }

  void AddProviderRow(const ProviderRow& row) {
    const Provenance origin = ProviderOrigin(row);
    // A company row's other identity values (its address above all) are
    // the company's, not the person's.
    if (row.kind() == COMPANY) AddOrganization(row.identity(), origin);
    if (row.kind() == PERSON) AddIdentity(row.identity(), origin);
    for (const auto& [attribute, value] : row.attributes()) {
      enrichment_[attribute].Add(value, value, value, origin, 1);
    }
  }

  void Finish() {
    FillName();
    FillAll("birth_date", birth_dates_, Kept::kOne,
            [&] { return profile_->mutable_birth_date(); });
    FillAll("email", emails_, Kept::kAll,
            [&] { return profile_->add_emails(); });
    FillAll("phone", phones_, Kept::kAll,
            [&] { return profile_->add_phones(); });
    for (const RankedValue& r : Decide("address", addresses_, Kept::kAll)) {
      GoldenAddress* golden = profile_->add_addresses();
      *golden->mutable_address() = addresses_.value(r.representative);
      *golden->mutable_provenance() = r.provenance;
    }
    FillAll("organization", organizations_, Kept::kOne,
            [&] { return profile_->mutable_organization(); });
    FillAll("business_id", business_ids_, Kept::kOne,
            [&] { return profile_->mutable_business_id(); });
    for (const RankedValue& r : Decide("social_handle", handles_, Kept::kAll)) {
      GoldenSocialHandle* golden = profile_->add_social_handles();
      *golden->mutable_handle() = handles_.value(r.representative);
      *golden->mutable_provenance() = r.provenance;
    }
    FillNamed("enrichment.", enrichment_, profile_->mutable_enrichment());
    FillNamed("consent.", consents_, profile_->mutable_consents());
  }

 private:
  using Named = std::map<std::string, Votes<std::string>>;

  // Names, birth date, contacts, addresses, handles and organization of a
  // member record or a person row.
  void AddIdentity(const SourceRecord& r, const Provenance& origin) {
    for (const PersonName& name : r.names()) {
      const std::string display = DisplayName(name);
      const std::string key = NormalizeName(display);
      names_.Add(key, name, display, origin, NameTokens(key).size());
    }
    const std::string& date = r.birth_date();
    birth_dates_.Add(date, date, date, origin,
                     1 + std::count(date.begin(), date.end(), '-'));
    for (const std::string& email : r.emails()) {
      absl::StatusOr<std::string> normalized = NormalizeEmail(email);
      if (!normalized.ok()) continue;
      emails_.Add(CanonicalEmail(*normalized), *normalized, *normalized, origin,
                  1);
    }
    const std::string& region =
        r.addresses().empty() || r.addresses(0).country().empty()
            ? region_for_(r.source())
            : r.addresses(0).country();
    for (const std::string& phone : r.phones()) {
      absl::StatusOr<std::string> e164 = NormalizePhone(phone, region);
      const std::string& value = e164.ok() ? *e164 : phone;
      phones_.Add(value, value, value, origin, 1);
    }
    for (const PostalAddress& a : r.addresses()) {
      addresses_.Add(absl::StrCat(NormalizePostcode(a.postcode()), "|",
                                  NormalizeName(absl::StrCat(a.street(), " ",
                                                             a.house_number())),
                                  "|", NormalizeName(a.city())),
                     a, AddressLine(a), origin, FilledParts(a));
    }
    for (const SocialHandle& h : r.social_handles()) {
      handles_.Add(absl::StrCat(h.platform(), ":", NormalizeHandle(h.handle())),
                   h, absl::StrCat(h.platform(), ":", h.handle()), origin,
                   1 + !h.display_name().empty());
    }
    AddOrganization(r, origin);
  }

  void AddOrganization(const SourceRecord& r, const Provenance& origin) {
    organizations_.Add(NormalizeName(r.organization()), r.organization(),
                       r.organization(), origin, 1);
    business_ids_.Add(NormalizeBusinessId(r.business_id()), r.business_id(),
                      r.business_id(), origin, 1);
  }

  // Ranks an attribute's candidates and lists them when asked; returns the
  // values that make the profile.
  template <typename Value>
  std::vector<RankedValue> Decide(const std::string& attribute,
                                  const Votes<Value>& votes, Kept kept) {
    Ranking ranking =
        RankCandidates(RuleFor(rules_, attribute), votes.candidates());
    const size_t size = kept == Kept::kAll
                            ? ranking.ranked.size()
                            : std::min<size_t>(1, ranking.ranked.size());
    if (include_candidates_ && !votes.candidates().empty()) {
      AttributeCandidates* listed = profile_->add_candidates();
      listed->set_attribute(attribute);
      for (size_t i = 0; i < ranking.ranked.size(); ++i) {
        List(votes.candidates(), ranking.ranked[i], i < size, listed);
      }
      for (const RankedValue& r : ranking.left_out) {
        List(votes.candidates(), r, false, listed);
      }
    }
    ranking.ranked.resize(size);
    return std::move(ranking.ranked);
  }

  static void List(const std::vector<SurvivorshipCandidate>& candidates,
                   const RankedValue& ranked, bool chosen,
                   AttributeCandidates* listed) {
    Candidate* c = listed->add_candidates();
    c->set_value(candidates[ranked.representative].value);
    *c->mutable_provenance() = ranked.provenance;
    c->set_chosen(chosen);
    c->set_decided_by(ranked.decided_by);
  }

  // One GoldenValue per kept value of a string attribute.
  void FillAll(const std::string& attribute, const Votes<std::string>& votes,
               Kept kept, const std::function<GoldenValue*()>& next) {
    for (const RankedValue& r : Decide(attribute, votes, kept)) {
      GoldenValue* golden = next();
      golden->set_value(votes.value(r.representative));
      *golden->mutable_provenance() = r.provenance;
    }
  }

  // The winning name gives the display, given and family name alike.
  void FillName() {
    std::vector<RankedValue> ranked = Decide("name", names_, Kept::kOne);
    if (ranked.empty()) return;
    const PersonName& winner = names_.value(ranked[0].representative);
    auto set = [&](GoldenValue* golden, const std::string& value) {
      if (value.empty()) return;
      golden->set_value(value);
      *golden->mutable_provenance() = ranked[0].provenance;
    };
    set(profile_->mutable_name(), DisplayName(winner));
    set(profile_->mutable_given_name(), winner.given());
    set(profile_->mutable_family_name(), winner.family());
  }

  // One NamedGoldenValue per name, by name; the rule is `prefix` + name.
  void FillNamed(absl::string_view prefix, const Named& named,
                 google::protobuf::RepeatedPtrField<NamedGoldenValue>* out) {
    for (const auto& [name, votes] : named) {
      FillAll(absl::StrCat(prefix, name), votes, Kept::kOne, [&] {
        NamedGoldenValue* value = out->Add();
        value->set_name(name);
        return value->mutable_value();
      });
    }
  }

  const SurvivorshipRules& rules_;
  const RegionForSource& region_for_;
  const bool include_candidates_;
  Profile* profile_;
  Votes<PersonName> names_;
  Votes<std::string> birth_dates_, emails_, phones_, organizations_,
      business_ids_;
  Votes<PostalAddress> addresses_;
  Votes<SocialHandle> handles_;
  Named enrichment_, consents_;
};

// The records stored under `keys`.
absl::StatusOr<std::vector<StoredRecord>> MemberRecords(
    const Repository& repo, const std::vector<RecordKey>& keys) {
  std::vector<StoredRecord> members;
  members.reserve(keys.size());
  for (const RecordKey& key : keys) {
    absl::StatusOr<StoredRecord> member = repo.GetRecord(key);
    if (!member.ok()) return member.status();
    members.push_back(*std::move(member));
  }
  return members;
}

}  // namespace

Profile BuildProfile(const EntityState& entity,
                     const std::vector<StoredRecord>& members,
                     const std::vector<ProviderRow>& provider_rows,
                     const SurvivorshipRules& rules,
                     const RegionForSource& region_for,
                     bool include_candidates) {
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
  ProfileBuilder builder(rules, region_for, include_candidates, &profile);
  for (const StoredRecord* m : by_age) {
    *profile.add_records() = KeyOf(m->record());
    ++(*profile.mutable_records_per_source())[m->record().source()];
    builder.AddRecord(*m);
  }
  for (const ProviderRow& row : provider_rows) builder.AddProviderRow(row);
  builder.Finish();
  return profile;
}

absl::StatusOr<ProfileContext> ProfileReader::LoadContext() const {
  absl::StatusOr<SurvivorshipRules> rules = ActiveRules(*view_);
  if (!rules.ok()) return rules.status();
  absl::StatusOr<VisibleDeliveries> deliveries = AllVisibleDeliveries(*view_);
  if (!deliveries.ok()) return deliveries.status();
  return ProfileContext{*std::move(rules), *std::move(deliveries)};
}

absl::StatusOr<ProfileLookup> ProfileReader::ByEntityId(
    absl::string_view entity_id, bool include_records,
    bool include_candidates) const {
  return Find(entity_id, include_records, include_candidates, nullptr);
}

absl::StatusOr<ProfileLookup> ProfileReader::ByEntityId(
    absl::string_view entity_id, const ProfileContext& context) const {
  return Find(entity_id, false, false, &context);
}

absl::StatusOr<ProfileLookup> ProfileReader::Find(
    absl::string_view entity_id, bool include_records, bool include_candidates,
    const ProfileContext* context) const {
  absl::StatusOr<std::string> live = Repository(view_).LiveEntityId(entity_id);
  if (!live.ok()) return live.status();
  absl::StatusOr<Profile> profile =
      Load(*live, include_records, include_candidates, context);
  if (!profile.ok()) return profile.status();
  ProfileLookup lookup{*std::move(profile), ""};
  if (*live != entity_id) lookup.redirected_from = std::string(entity_id);
  return lookup;
}

absl::StatusOr<ProfileLookup> ProfileReader::ByRecordKey(
    const RecordKey& key, bool include_records, bool include_candidates) const {
  absl::StatusOr<StoredRecord> record = Repository(view_).GetRecord(key);
  if (!record.ok()) return record.status();
  absl::StatusOr<Profile> profile =
      Load(record->entity_id(), include_records, include_candidates, nullptr);
  if (!profile.ok()) return profile.status();
  return ProfileLookup{*std::move(profile), ""};
}

absl::StatusOr<Profile> ProfileReader::Load(
    const std::string& live_id, bool include_records, bool include_candidates,
    const ProfileContext* context) const {
  Repository repo(view_);
  absl::StatusOr<EntityState> entity = repo.GetEntity(live_id);
  if (!entity.ok()) return entity.status();
  absl::StatusOr<std::vector<RecordKey>> keys = repo.Members(live_id);
  if (!keys.ok()) return keys.status();
  absl::StatusOr<std::vector<StoredRecord>> members =
      MemberRecords(repo, *keys);
  if (!members.ok()) return members.status();
  // Without a context the rules and the linked providers' deliveries are
  // read now.
  absl::StatusOr<std::vector<ProviderRow>> rows =
      context != nullptr
          ? EffectiveProviderRows(*view_, *keys, context->deliveries)
          : EffectiveProviderRows(*view_, *keys);
  if (!rows.ok()) return rows.status();
  absl::StatusOr<SurvivorshipRules> active;
  if (context == nullptr) {
    active = ActiveRules(*view_);
    if (!active.ok()) return active.status();
  }
  Profile profile = BuildProfile(*entity, *members, *rows,
                                 context != nullptr ? context->rules : *active,
                                 region_for_, include_candidates);
  absl::StatusOr<CustomerScores> scores =
      ReadEntityScores(*view_, live_id, entity->aliases());
  if (scores.ok()) {
    *profile.mutable_scores() = *std::move(scores);
  } else if (!absl::IsNotFound(scores.status())) {
    return scores.status();
  }
  if (include_records) {
    for (const StoredRecord& m : *members)
      *profile.add_member_records() = m.record();
  }
  return profile;
}

}  // namespace c360

// Golden profiles: the unified view of an entity built from its member
// records and the provider rows that apply to them, every value chosen by
// the survivorship rules (enrich/survivorship.h) and carrying its
// provenance.
//
// Attributes and their candidates:
//   name (given and family name come from the winning name), birth_date,
//   organization, business_id: one golden value;
//   email, phone, address, social_handle: every distinct value, winner
//   first;
//   enrichment.<attr>: the provider rows' purchased attributes;
//   consent.<purpose>: member records' attributes "consent.<purpose>" or
//   "consent_<purpose>" read as "granted" or "denied".
// A person row's identity (names, birth date, contacts, addresses) offers
// candidates as the rules allow; a company row offers only its official
// name (organization) and business id; its address is the company's, never
// the person's.
#ifndef C360_ENRICH_GOLDEN_PROFILE_H_
#define C360_ENRICH_GOLDEN_PROFILE_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/enrichment.pb.h"
#include "c360/profile.pb.h"
#include "c360/segment.pb.h"
#include "c360/storage.pb.h"
#include "enrich/enrichment_store.h"
#include "resolver/normalized_record.h"
#include "store/kv_store.h"

namespace c360 {

// Builds the profile of `entity` from its member records and the provider
// rows that apply to them (EffectiveProviderRows) by `rules`. With
// `include_candidates` the profile lists every candidate of every attribute
// with the rule that decided its place.
Profile BuildProfile(const EntityState& entity,
                     const std::vector<StoredRecord>& members,
                     const std::vector<ProviderRow>& provider_rows,
                     const SurvivorshipRules& rules,
                     const RegionForSource& region_for,
                     bool include_candidates);

// The profile as segment scans see it (table profiles), fields sorted by
// name: name, given_name, family_name, birth_date, email, phone, street,
// postcode, city, country (every address's, golden first, each value once),
// organization, business_id, handle ("platform:handle"),
// enrichment.<attr>, consent.<purpose>, source (the members' source names),
// source.<name> (that source's record count), records (the record count),
// created_at and updated_at (RFC 3339, UTC), and from the stored scores of
// open opportunities score.open_opportunities, score.expected_value,
// score.expected_profit (2 decimals; left out when no opportunity had a
// cost) and score.best_hit_rate (4 decimals). Empty values and fields
// without values are left out.
SegmentRow FlattenProfile(const Profile& profile);

// What every profile built at one moment shares: the active survivorship
// rules (ActiveRules) and the visible deliveries of every provider. A batch
// that builds many profiles (enrich/profile_projection.h) loads it once
// (ProfileReader::LoadContext); a single lookup reads both afresh.
struct ProfileContext {
  SurvivorshipRules rules;
  VisibleDeliveries deliveries;
};

// A profile with how it was found.
struct ProfileLookup {
  Profile profile;
  // The retired id asked for, when the lookup was redirected by an alias.
  std::string redirected_from;
};

// Reads profiles from a store view with the active survivorship rules
// (ActiveRules, read at every lookup so that a change of rules applies at
// once, unless a ProfileContext is given). Thread-safe.
class ProfileReader {
 public:
  // `view` is not owned and must outlive the reader.
  ProfileReader(const ReadView* view, RegionForSource region_for)
      : view_(view), region_for_(std::move(region_for)) {}

  // The profile of a live or retired (aliased) entity id; NotFound when the
  // id never existed, or "entity <id> was erased" for an erased one (built
  // from member records, a profile never shows erased data). Its scores
  // are the stored ones (store/customer_scores.h ReadEntityScores).
  // `include_records` adds the member records, `include_candidates` every
  // attribute's candidates.
  absl::StatusOr<ProfileLookup> ByEntityId(
      absl::string_view entity_id, bool include_records,
      bool include_candidates = false) const;

  // The rules and deliveries the view holds now; an error when either
  // cannot be read.
  absl::StatusOr<ProfileContext> LoadContext() const;

  // As ByEntityId(entity_id, false), built with `context`'s rules and
  // deliveries instead of reading them (for batches; see ProfileContext).
  absl::StatusOr<ProfileLookup> ByEntityId(absl::string_view entity_id,
                                           const ProfileContext& context) const;

  // The profile of the entity holding the record; NotFound for an unknown
  // record key.
  absl::StatusOr<ProfileLookup> ByRecordKey(
      const RecordKey& key, bool include_records,
      bool include_candidates = false) const;

 private:
  // ByEntityId; `context` null reads the rules and deliveries from the view.
  absl::StatusOr<ProfileLookup> Find(absl::string_view entity_id,
                                     bool include_records,
                                     bool include_candidates,
                                     const ProfileContext* context) const;
  // The profile of a live entity id.
  absl::StatusOr<Profile> Load(const std::string& live_id, bool include_records,
                               bool include_candidates,
                               const ProfileContext* context) const;

  const ReadView* view_;
  RegionForSource region_for_;
};

}  // namespace c360

#endif  // C360_ENRICH_GOLDEN_PROFILE_H_

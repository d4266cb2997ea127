// Golden profiles: the unified view of an entity built from its member
// records by survivorship rules, every value carrying its provenance.
//
// Rules of v1 (per attribute):
//   name, organization, business id, addresses: most recent observation wins;
//   birth date, e-mails, phones, social handles: most frequent (by
//   normalized value) wins, ties broken by the most recent observation.
// Multi-valued attributes list every distinct value, winner first.
#ifndef C360_ENRICH_GOLDEN_PROFILE_H_
#define C360_ENRICH_GOLDEN_PROFILE_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/profile.pb.h"
#include "c360/storage.pb.h"
#include "resolver/normalized_record.h"
#include "store/kv_store.h"

namespace c360 {

// Builds the profile of `entity` from its member records.
Profile BuildProfile(const EntityState& entity,
                     const std::vector<StoredRecord>& members,
                     const RegionForSource& region_for);

// A profile with how it was found.
struct ProfileLookup {
  Profile profile;
  // The retired id asked for, when the lookup was redirected by an alias.
  std::string redirected_from;
};

// Reads profiles from a store view. Thread-safe.
class ProfileReader {
 public:
  // `view` is not owned and must outlive the reader.
  ProfileReader(const ReadView* view, RegionForSource region_for)
      : view_(view), region_for_(std::move(region_for)) {}

  // The profile of a live or retired (aliased) entity id; NotFound when the
  // id never existed, or "entity <id> was erased" for an erased one (built
  // from member records, a profile never shows erased data).
  absl::StatusOr<ProfileLookup> ByEntityId(absl::string_view entity_id,
                                           bool include_records) const;

  // The profile of the entity holding the record; NotFound for an unknown
  // record key.
  absl::StatusOr<ProfileLookup> ByRecordKey(const RecordKey& key,
                                            bool include_records) const;

 private:
  absl::StatusOr<Profile> Load(const std::string& live_id,
                               bool include_records) const;

  const ReadView* view_;
  RegionForSource region_for_;
};

}  // namespace c360

#endif  // C360_ENRICH_GOLDEN_PROFILE_H_

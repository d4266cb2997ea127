// FlattenProfile (golden_profile.h): a profile as segment scans see it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "enrich/golden_profile.h"

namespace c360 {
namespace {

// RFC 3339 UTC in whole seconds: one fixed width, so that times compare
// correctly as text in filters ("updated_at >= \"2026-11-01T00:00:00Z\"").
std::string WholeSeconds(const google::protobuf::Timestamp& at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(at.seconds()),
                          absl::UTCTimeZone());
}


// Field name -> values in order, each once. A std::map, so the fields come
// out sorted by name.
class Fields {
 public:
  void Add(const std::string& field, const std::string& value) {
    if (value.empty()) return;
    std::vector<std::string>& values = fields_[field];
    for (const std::string& seen : values) {
      if (seen == value) return;
    }
    values.push_back(value);
  }

  template <typename Golden>
  void AddAll(const std::string& field,
              const google::protobuf::RepeatedPtrField<Golden>& values) {
    for (const Golden& golden : values) Add(field, golden.value());
  }

  SegmentRow Row(const std::string& entity_id) const {
    SegmentRow row;
    row.set_entity_id(entity_id);
    for (const auto& [name, values] : fields_) {
      SegmentField* field = row.add_fields();
      field->set_name(name);
      for (const std::string& value : values) field->add_values(value);
    }
    return row;
  }

 private:
  std::map<std::string, std::vector<std::string>> fields_;
};

// The stored scores of the entity's open opportunities as decimal text,
// which filters compare numerically (`score.expected_value > 10000`).
// Expected profit only when an opportunity had a cost: without one it is
// unknown, not 0.
void AddScores(const CustomerScores& scores, Fields* fields) {
  fields->Add("score.open_opportunities",
              absl::StrCat(scores.open_opportunities()));
  fields->Add("score.expected_value",
              absl::StrFormat("%.2f", scores.expected_value()));
  if (scores.without_cost() < scores.open_opportunities()) {
    fields->Add("score.expected_profit",
                absl::StrFormat("%.2f", scores.expected_profit()));
  }
  fields->Add("score.best_hit_rate",
              absl::StrFormat("%.4f", scores.best_hit_rate()));
}

}  // namespace

SegmentRow FlattenProfile(const Profile& profile) {
  Fields fields;
  fields.Add("name", profile.name().value());
  fields.Add("given_name", profile.given_name().value());
  fields.Add("family_name", profile.family_name().value());
  fields.Add("birth_date", profile.birth_date().value());
  fields.AddAll("email", profile.emails());
  fields.AddAll("phone", profile.phones());
  for (const GoldenAddress& golden : profile.addresses()) {
    const PostalAddress& a = golden.address();
    fields.Add("street", a.street());
    fields.Add("postcode", a.postcode());
    fields.Add("city", a.city());
    fields.Add("country", a.country());
  }
  fields.Add("organization", profile.organization().value());
  fields.Add("business_id", profile.business_id().value());
  for (const GoldenSocialHandle& golden : profile.social_handles()) {
    const SocialHandle& h = golden.handle();
    if (!h.handle().empty()) {
      fields.Add("handle", absl::StrCat(h.platform(), ":", h.handle()));
    }
  }
  for (const NamedGoldenValue& named : profile.enrichment()) {
    fields.Add(absl::StrCat("enrichment.", named.name()),
               named.value().value());
  }
  for (const NamedGoldenValue& named : profile.consents()) {
    fields.Add(absl::StrCat("consent.", named.name()), named.value().value());
  }
  // A proto map's order is unspecified; sources are listed by name.
  const std::map<std::string, int32_t> per_source(
      profile.records_per_source().begin(), profile.records_per_source().end());
  for (const auto& [source, count] : per_source) {
    fields.Add("source", source);
    fields.Add(absl::StrCat("source.", source), absl::StrCat(count));
  }
  if (profile.records_size() > 0) {
    fields.Add("records", absl::StrCat(profile.records_size()));
  }
  if (profile.has_created_at()) {
    fields.Add("created_at", WholeSeconds(profile.created_at()));
  }
  if (profile.has_updated_at()) {
    fields.Add("updated_at", WholeSeconds(profile.updated_at()));
  }
  if (profile.has_scores()) AddScores(profile.scores(), &fields);
  return fields.Row(profile.entity_id());
}

}  // namespace c360

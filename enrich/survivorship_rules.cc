// The survivorship configuration: defaults, parsing and checking, storage,
// and the lookup of an attribute's rule (survivorship.h).
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "enrich/survivorship.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "store/keys.h"

namespace c360 {
namespace {

const char kRulesKey[] = "survivorship_rules";
const char kEnrichmentPrefix[] = "enrichment.";
const char kConsentPrefix[] = "consent.";

AttributeRule Rule(absl::string_view attribute,
                   std::vector<SurvivorshipStrategy> order, ProviderUse use) {
  AttributeRule rule;
  rule.set_attribute(std::string(attribute));
  for (SurvivorshipStrategy strategy : order) rule.add_order(strategy);
  rule.set_provider_use(use);
  return rule;
}

const std::vector<std::string>& PlainAttributes() {
  static const auto* const kAttributes = new std::vector<std::string>{
      "name",    "birth_date",   "email",       "phone",
      "address", "organization", "business_id", "social_handle"};
  return *kAttributes;
}

bool IsKnownAttribute(absl::string_view attribute) {
  for (const std::string& plain : PlainAttributes()) {
    if (attribute == plain) return true;
  }
  for (absl::string_view prefix : {kEnrichmentPrefix, kConsentPrefix}) {
    if (absl::StartsWith(attribute, prefix) &&
        attribute.size() > prefix.size()) {
      return true;
    }
  }
  return false;
}

// "enrichment.*" for "enrichment.<name>", "consent.*" for "consent.<x>",
// else "".
std::string WildcardOf(absl::string_view attribute) {
  for (absl::string_view prefix : {kEnrichmentPrefix, kConsentPrefix}) {
    if (absl::StartsWith(attribute, prefix)) return absl::StrCat(prefix, "*");
  }
  return "";
}

const AttributeRule* Find(const SurvivorshipRules& rules,
                          absl::string_view attribute) {
  for (const AttributeRule& rule : rules.rules()) {
    if (rule.attribute() == attribute) return &rule;
  }
  return nullptr;
}

// How errors name a rule: 'rule 2 ("email")', 1-based as people count.
std::string RuleLabel(int index, absl::string_view attribute) {
  std::string label = absl::StrCat("survivorship rule ", index + 1);
  if (!attribute.empty()) absl::StrAppend(&label, " (\"", attribute, "\")");
  return label;
}

// Parses one element of "rules" on its own, so that an error (a misspelled
// field, an unknown enum name) names the rule it is in.
absl::Status ParseRule(int index, const google::protobuf::Value& element,
                       AttributeRule* rule) {
  std::string text;
  (void)google::protobuf::util::MessageToJsonString(element, &text);
  auto parsed = google::protobuf::util::JsonStringToMessage(text, rule);
  if (parsed.ok()) return absl::OkStatus();
  std::string attribute;
  if (element.has_struct_value()) {
    const auto& fields = element.struct_value().fields();
    auto it = fields.find("attribute");
    if (it != fields.end()) attribute = it->second.string_value();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      RuleLabel(index, attribute), ": ", std::string(parsed.message())));
}

absl::Status CheckOrder(const AttributeRule& rule, const std::string& label) {
  if (rule.order().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(label, ": order is empty"));
  }
  for (int strategy : rule.order()) {
    if (strategy == STRATEGY_UNSPECIFIED ||
        !SurvivorshipStrategy_IsValid(strategy)) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": unknown strategy ", strategy, " in order"));
    }
    if (strategy == SOURCE_PRIORITY && rule.source_priority().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          label, ": SOURCE_PRIORITY needs a source_priority list"));
    }
  }
  return absl::OkStatus();
}

// Checks every rule and gives those without provider_use the default's.
absl::Status CheckRules(SurvivorshipRules* rules) {
  absl::flat_hash_map<std::string, int> seen;
  for (int i = 0; i < rules->rules_size(); ++i) {
    AttributeRule& rule = *rules->mutable_rules(i);
    const std::string label = RuleLabel(i, rule.attribute());
    if (!IsKnownAttribute(rule.attribute())) {
      return absl::InvalidArgumentError(absl::StrCat(
          label,
          ": unknown attribute; use name, birth_date, email, phone, "
          "address, organization, business_id, social_handle, "
          "enrichment.<name>, enrichment.*, consent.<purpose> or "
          "consent.*"));
    }
    auto [it, fresh] = seen.emplace(rule.attribute(), i);
    if (!fresh) {
      return absl::InvalidArgumentError(absl::StrCat(
          label, ": duplicate attribute, rule ", it->second + 1, " has it"));
    }
    absl::Status order = CheckOrder(rule, label);
    if (!order.ok()) return order;
    if (!ProviderUse_IsValid(rule.provider_use())) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": unknown provider_use ", rule.provider_use()));
    }
    if (rule.provider_use() == PROVIDER_USE_UNSPECIFIED) {
      rule.set_provider_use(
          RuleFor(DefaultSurvivorshipRules(), rule.attribute()).provider_use());
    }
  }
  return absl::OkStatus();
}

}  // namespace

SurvivorshipRules DefaultSurvivorshipRules() {
  const std::vector<SurvivorshipStrategy> recent = {MOST_RECENT};
  const std::vector<SurvivorshipStrategy> frequent = {MOST_FREQUENT,
                                                      MOST_RECENT};
  SurvivorshipRules rules;
  for (AttributeRule rule : {
           Rule("name", recent, PROVIDER_FILL),
           Rule("birth_date", frequent, PROVIDER_FILL),
           Rule("email", frequent, PROVIDER_NEVER),
           Rule("phone", frequent, PROVIDER_NEVER),
           Rule("address", recent, PROVIDER_FILL),
           Rule("organization", recent, PROVIDER_FILL),
           Rule("business_id", recent, PROVIDER_NEVER),
           Rule("social_handle", frequent, PROVIDER_NEVER),
           Rule("enrichment.*", recent, PROVIDER_COMPETE),
           // Purchased data never states a person's consent.
           Rule("consent.*", recent, PROVIDER_NEVER),
       }) {
    *rules.add_rules() = std::move(rule);
  }
  return rules;
}

absl::StatusOr<SurvivorshipRules> ParseSurvivorshipRules(
    absl::string_view json) {
  google::protobuf::Struct document;
  auto parsed =
      google::protobuf::util::JsonStringToMessage(std::string(json), &document);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("survivorship rules: not a JSON object: ",
                     std::string(parsed.message())));
  }
  SurvivorshipRules rules;
  for (const auto& [field, value] : document.fields()) {
    if (field != "rules") {
      return absl::InvalidArgumentError(
          absl::StrCat("survivorship rules: unknown field \"", field, "\""));
    }
    if (!value.has_list_value()) {
      return absl::InvalidArgumentError(
          "survivorship rules: \"rules\" is not a list");
    }
    for (int i = 0; i < value.list_value().values_size(); ++i) {
      absl::Status rule =
          ParseRule(i, value.list_value().values(i), rules.add_rules());
      if (!rule.ok()) return rule;
    }
  }
  absl::Status checked = CheckRules(&rules);
  if (!checked.ok()) return checked;
  return rules;
}

absl::StatusOr<SurvivorshipRules> ActiveRules(const ReadView& view) {
  absl::StatusOr<std::string> stored =
      view.Get(Table::kMeta, EncodeKey({kRulesKey}));
  if (absl::IsNotFound(stored.status())) return DefaultSurvivorshipRules();
  if (!stored.ok()) return stored.status();
  SurvivorshipRules rules;
  if (!rules.ParseFromString(*stored)) {
    return absl::DataLossError("unreadable survivorship rules");
  }
  return rules;
}

void PutActiveRules(const SurvivorshipRules& rules, WriteSet* writes) {
  writes->Put(Table::kMeta, EncodeKey({kRulesKey}), rules.SerializeAsString());
}

AttributeRule RuleFor(const SurvivorshipRules& rules,
                      absl::string_view attribute) {
  static const auto* const kDefaults =
      new SurvivorshipRules(DefaultSurvivorshipRules());
  const std::string wildcard = WildcardOf(attribute);
  for (const SurvivorshipRules* set : {&rules, kDefaults}) {
    if (const AttributeRule* rule = Find(*set, attribute)) return *rule;
    if (wildcard.empty()) continue;
    if (const AttributeRule* rule = Find(*set, wildcard)) return *rule;
  }
  return Rule(attribute, {MOST_RECENT}, PROVIDER_FILL);
}

}  // namespace c360

#include "enrich/quality_report.h"

#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "enrich/enrichment_store.h"
#include "store/keys.h"
#include "store/repository.h"

namespace c360 {
namespace {

// An attribute's normalized values in one record.
using Values = std::map<std::string, std::set<std::string>>;

std::string FamilyName(const NormalizedName& name) {
  return absl::StrJoin(name.family.empty() ? name.unordered : name.family, " ");
}

Values RecordValues(const SourceRecord& r, const NormalizedRecord& n) {
  Values values;
  for (const NormalizedName& name : n.names) values["name"].insert(FamilyName(name));
  if (n.birth_date) values["birth_date"].insert(r.birth_date());
  values["email"].insert(n.emails.begin(), n.emails.end());
  values["phone"].insert(n.phones.begin(), n.phones.end());
  values["address"].insert(n.postcodes.begin(), n.postcodes.end());
  if (!r.organization().empty()) values["organization"].insert(r.organization());
  if (!n.business_id.empty()) values["business_id"].insert(n.business_id);
  values["social_handle"].insert(n.handles.begin(), n.handles.end());
  return values;
}

// Attributes whose disagreement between sources is a conflict (an
// organization is written too differently to compare as text).
constexpr const char* kConflictAttributes[] = {"name", "birth_date", "email",
                                               "phone", "address", "business_id"};

class ReportBuilder {
 public:
  ReportBuilder(const ReadView& view, const RegionForSource& region_for)
      : view_(view), repo_(&view), region_for_(region_for) {}

  absl::Status AddEntity(const std::vector<RecordKey>& members) {
    ++report_.entities;
    std::map<std::string, Values> by_source;
    for (const RecordKey& key : members) {
      absl::StatusOr<StoredRecord> stored = repo_.GetRecord(key);
      if (!stored.ok()) return stored.status();
      const NormalizedRecord normalized =
          NormalizeRecord(stored->record(), region_for_(key.source()));
      Values values = RecordValues(stored->record(), normalized);
      FillCounts& fill = report_.sources[key.source()];
      ++fill.total;
      Values& merged = by_source[key.source()];
      for (auto& [attribute, set] : values) {
        if (set.empty()) continue;
        ++fill.filled[attribute];
        merged[attribute].insert(set.begin(), set.end());
      }
    }
    if (by_source.size() > 1) ++report_.multi_source_entities;
    CountConflicts(by_source);
    return absl::OkStatus();
  }

  absl::Status AddProviderRows() {
    absl::StatusOr<std::vector<Delivery>> deliveries = AllDeliveries(view_);
    if (!deliveries.ok()) return deliveries.status();
    report_.deliveries = *deliveries;
    std::set<std::pair<std::string, std::string>> visible;
    for (const Delivery& d : *deliveries) {
      if (!d.withdrawn()) visible.insert({d.provider(), d.delivery_id()});
    }
    return view_.Scan(Table::kProviderRows, "", "",
                      [&](absl::string_view, absl::string_view value) {
                        ProviderRow row;
                        if (row.ParseFromArray(value.data(), static_cast<int>(value.size())) &&
                            visible.count({row.provider(), row.delivery_id()}) > 0) {
                          AddRow(row);
                        }
                        return true;
                      });
  }

  QualityReport Take() {
    for (auto& [key, entities] : conflicts_) {
      report_.conflicts.push_back({std::get<0>(key), std::get<1>(key),
                                   std::get<2>(key), entities});
    }
    return std::move(report_);
  }

 private:
  void CountConflicts(const std::map<std::string, Values>& by_source) {
    for (const char* attribute : kConflictAttributes) {
      for (auto a = by_source.begin(); a != by_source.end(); ++a) {
        auto va = a->second.find(attribute);
        if (va == a->second.end()) continue;
        for (auto b = std::next(a); b != by_source.end(); ++b) {
          auto vb = b->second.find(attribute);
          if (vb == b->second.end()) continue;
          if (!Intersect(va->second, vb->second)) {
            ++conflicts_[{attribute, a->first, b->first}];
          }
        }
      }
    }
  }

  static bool Intersect(const std::set<std::string>& a, const std::set<std::string>& b) {
    for (const std::string& v : a) {
      if (b.count(v) > 0) return true;
    }
    return false;
  }

  void AddRow(const ProviderRow& row) {
    FillCounts& fill = report_.providers[row.provider()];
    ++fill.total;
    const SourceRecord& id = row.identity();
    if (!id.names().empty()) ++fill.filled["name"];
    if (!id.birth_date().empty()) ++fill.filled["birth_date"];
    if (!id.addresses().empty()) ++fill.filled["address"];
    if (!id.organization().empty()) ++fill.filled["organization"];
    if (!id.business_id().empty()) ++fill.filled["business_id"];
    for (const auto& [name, value] : row.attributes()) {
      if (!value.empty()) ++fill.filled[absl::StrCat("enrichment.", name)];
    }
  }

  const ReadView& view_;
  Repository repo_;
  const RegionForSource& region_for_;
  QualityReport report_;
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> conflicts_;
};

void AppendFill(const std::map<std::string, FillCounts>& fills, std::string* out) {
  bool first = true;
  for (const auto& [name, fill] : fills) {
    absl::StrAppend(out, first ? "" : ",", "\"", name, "\":{\"total\":", fill.total,
                    ",\"fill_rate\":{");
    bool first_attribute = true;
    for (const auto& [attribute, count] : fill.filled) {
      absl::StrAppendFormat(out, "%s\"%s\":%.4f", first_attribute ? "" : ",", attribute,
                            fill.total ? static_cast<double>(count) / fill.total : 0.0);
      first_attribute = false;
    }
    absl::StrAppend(out, "}}");
    first = false;
  }
}

}  // namespace

absl::StatusOr<QualityReport> BuildQualityReport(const ReadView& view,
                                                 const RegionForSource& region_for) {
  ReportBuilder builder(view, region_for);
  std::string entity;
  std::vector<RecordKey> members;
  absl::Status status = absl::OkStatus();
  auto flush = [&] {
    if (!members.empty() && status.ok()) status = builder.AddEntity(members);
    members.clear();
  };
  absl::Status scanned = view.Scan(
      Table::kMembership, "", "", [&](absl::string_view key, absl::string_view) {
        absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
        if (!parts.ok() || parts->size() != 3) {
          status = absl::DataLossError("malformed membership key");
          return false;
        }
        if ((*parts)[0] != entity) {
          flush();
          entity = (*parts)[0];
        }
        RecordKey record;
        record.set_source((*parts)[1]);
        record.set_source_id((*parts)[2]);
        members.push_back(std::move(record));
        return status.ok();
      });
  flush();
  if (!scanned.ok()) return scanned;
  if (!status.ok()) return status;
  absl::Status rows = builder.AddProviderRows();
  if (!rows.ok()) return rows;
  return builder.Take();
}

std::string QualityReportJson(const QualityReport& report) {
  std::string out = absl::StrCat("{\"entities\":", report.entities,
                                 ",\"multi_source_entities\":",
                                 report.multi_source_entities, ",\"sources\":{");
  AppendFill(report.sources, &out);
  absl::StrAppend(&out, "},\"providers\":{");
  AppendFill(report.providers, &out);
  absl::StrAppend(&out, "},\"deliveries\":[");
  for (size_t i = 0; i < report.deliveries.size(); ++i) {
    const Delivery& d = report.deliveries[i];
    absl::StrAppendFormat(
        &out,
        "%s{\"provider\":\"%s\",\"delivery_id\":\"%s\",\"withdrawn\":%s,"
        "\"rows\":%d,\"accepted\":%d,\"rejected\":%d,\"matched\":%d,"
        "\"match_rate\":%.4f}",
        i ? "," : "", d.provider(), d.delivery_id(), d.withdrawn() ? "true" : "false",
        d.rows(), d.accepted(), d.rejected(), d.matched(),
        d.accepted() ? static_cast<double>(d.matched()) / d.accepted() : 0.0);
  }
  absl::StrAppend(&out, "],\"conflicts\":[");
  for (size_t i = 0; i < report.conflicts.size(); ++i) {
    const SourceConflict& c = report.conflicts[i];
    absl::StrAppendFormat(&out,
                          "%s{\"attribute\":\"%s\",\"sources\":[\"%s\",\"%s\"],"
                          "\"entities\":%d}",
                          i ? "," : "", c.attribute, c.source_a, c.source_b,
                          c.entities);
  }
  absl::StrAppend(&out, "]}");
  return out;
}

}  // namespace c360

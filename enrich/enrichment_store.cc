#include "enrich/enrichment_store.h"

#include <algorithm>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "enrich/business_id.h"
#include "resolver/normalize.h"
#include "store/keys.h"

namespace c360 {
namespace {

template <typename Message>
absl::StatusOr<Message> Parse(absl::string_view bytes, absl::string_view what) {
  Message message;
  if (!message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("unreadable ", what));
  }
  return message;
}

absl::StatusOr<std::vector<Delivery>> ScanDeliveries(const ReadView& view,
                                                     absl::string_view prefix) {
  std::vector<Delivery> deliveries;
  absl::Status status = absl::OkStatus();
  absl::Status scanned = view.Scan(
      Table::kDeliveries, prefix, "",
      [&](absl::string_view, absl::string_view value) {
        absl::StatusOr<Delivery> delivery = Parse<Delivery>(value, "delivery");
        if (!delivery.ok()) {
          status = delivery.status();
          return false;
        }
        deliveries.push_back(*std::move(delivery));
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!status.ok()) return status;
  return deliveries;
}

// The linked (provider, row key) pairs of the records, with the deliveries
// each is linked in.
using LinkedDeliveries =
    absl::flat_hash_map<std::pair<std::string, std::string>,
                        absl::flat_hash_set<std::string>>;

absl::StatusOr<LinkedDeliveries> Links(const ReadView& view,
                                       const std::vector<RecordKey>& records) {
  LinkedDeliveries links;
  for (const RecordKey& record : records) {
    absl::Status scanned = ScanRecordLinks(view, record, [&](const LinkedRow& link) {
      links[{link.provider, link.row_key}].insert(link.delivery_id);
      return true;
    });
    if (!scanned.ok()) return scanned;
  }
  return links;
}


// For each linked (provider, row key), the row of the newest visible
// delivery that holds the key when it is one the records are linked to;
// ordered by provider, then row key.
absl::StatusOr<std::vector<ProviderRow>> RowsOfLinks(
    const ReadView& view, const LinkedDeliveries& links,
    const VisibleDeliveries& visible) {
  const DeliveryIds none;  // a provider without deliveries
  std::vector<ProviderRow> rows;
  for (const auto& [provider_and_key, delivery_ids] : links) {
    const auto provider = visible.find(provider_and_key.first);
    absl::StatusOr<std::optional<ProviderRow>> row =
        EffectiveProviderRow(view, provider_and_key.first, provider_and_key.second,
                     provider == visible.end() ? none : provider->second);
    if (!row.ok()) return row.status();
    if (row->has_value() && delivery_ids.contains((*row)->delivery_id())) {
      rows.push_back(**std::move(row));
    }
  }
  std::sort(rows.begin(), rows.end(),
            [](const ProviderRow& a, const ProviderRow& b) {
              return std::tie(a.provider(), a.identity().source_id()) <
                     std::tie(b.provider(), b.identity().source_id());
            });
  return rows;
}

// Provider rows carry CanonicalBusinessId's output: "FI:12345678".
bool IsCanonicalBusinessId(absl::string_view id) {
  return id.size() > 3 && absl::ascii_isupper(id[0]) && absl::ascii_isupper(id[1]) &&
         id[2] == ':';
}

}  // namespace

absl::Status ScanProviderRows(
    const ReadView& view, absl::string_view provider, absl::string_view row_key,
    const std::function<bool(const ProviderRow&)>& visit) {
  absl::Status status = absl::OkStatus();
  const std::string prefix = row_key.empty() ? EncodeKey({provider})
                                             : EncodeKey({provider, row_key});
  absl::Status scanned = view.Scan(
      Table::kProviderRows, prefix, "",
      [&](absl::string_view, absl::string_view value) {
        absl::StatusOr<ProviderRow> row = Parse<ProviderRow>(value, "provider row");
        if (!row.ok()) {
          status = row.status();
          return false;
        }
        return visit(*row);
      });
  if (!scanned.ok()) return scanned;
  return status;
}

absl::StatusOr<std::optional<ProviderRow>> EffectiveProviderRow(
    const ReadView& view, absl::string_view provider, absl::string_view row_key,
    const DeliveryIds& visible) {
  std::optional<ProviderRow> newest;
  absl::Status scanned = ScanProviderRows(
      view, provider, row_key, [&](const ProviderRow& row) {
        // Delivery ids sort by import time, so the last one seen is newest.
        if (visible.contains(row.delivery_id())) newest = row;
        return true;
      });
  if (!scanned.ok()) return scanned;
  return newest;
}

absl::Status ScanRecordLinks(const ReadView& view, const RecordKey& record,
                             const std::function<bool(const LinkedRow&)>& visit) {
  absl::Status status = absl::OkStatus();
  absl::Status scanned = view.Scan(
      Table::kEnrichmentLinks, EnrichmentLinkPrefix(record), "",
      [&](absl::string_view key, absl::string_view) {
        absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
        if (!parts.ok() || parts->size() != 5) {
          status = absl::DataLossError("malformed enrichment link key");
          return false;
        }
        return visit({(*parts)[2], (*parts)[3], (*parts)[4], std::string(key)});
      });
  if (!scanned.ok()) return scanned;
  return status;
}

absl::StatusOr<std::vector<Delivery>> Deliveries(const ReadView& view,
                                                 absl::string_view provider) {
  return ScanDeliveries(view, EncodeKey({provider}));
}

absl::StatusOr<std::vector<Delivery>> AllDeliveries(const ReadView& view) {
  return ScanDeliveries(view, "");
}

absl::StatusOr<ProviderRow> GetProviderRow(const ReadView& view,
                                           absl::string_view provider,
                                           absl::string_view row_key,
                                           absl::string_view delivery_id) {
  absl::StatusOr<std::string> bytes = view.Get(
      Table::kProviderRows, ProviderRowKey(provider, row_key, delivery_id));
  if (!bytes.ok()) return bytes.status();
  return Parse<ProviderRow>(*bytes, "provider row");
}

absl::StatusOr<DeliveryIds> VisibleDeliveryIds(const ReadView& view,
                                               absl::string_view provider) {
  absl::StatusOr<std::vector<Delivery>> deliveries = Deliveries(view, provider);
  if (!deliveries.ok()) return deliveries.status();
  DeliveryIds visible;
  for (const Delivery& d : *deliveries) {
    if (!d.withdrawn()) visible.insert(d.delivery_id());
  }
  return visible;
}

absl::StatusOr<VisibleDeliveries> AllVisibleDeliveries(const ReadView& view) {
  absl::StatusOr<std::vector<Delivery>> deliveries = AllDeliveries(view);
  if (!deliveries.ok()) return deliveries.status();
  VisibleDeliveries visible;
  for (const Delivery& d : *deliveries) {
    DeliveryIds& ids = visible[d.provider()];
    if (!d.withdrawn()) ids.insert(d.delivery_id());
  }
  return visible;
}

absl::StatusOr<std::vector<ProviderRow>> EffectiveProviderRows(
    const ReadView& view, const std::vector<RecordKey>& records) {
  absl::StatusOr<LinkedDeliveries> links = Links(view, records);
  if (!links.ok()) return links.status();
  // Only the linked providers' deliveries are read.
  VisibleDeliveries visible;
  for (const auto& [provider_and_key, delivery_ids] : *links) {
    const std::string& provider = provider_and_key.first;
    if (visible.contains(provider)) continue;
    absl::StatusOr<DeliveryIds> ids = VisibleDeliveryIds(view, provider);
    if (!ids.ok()) return ids.status();
    visible[provider] = *std::move(ids);
  }
  return RowsOfLinks(view, *links, visible);
}

absl::StatusOr<std::vector<ProviderRow>> EffectiveProviderRows(
    const ReadView& view, const std::vector<RecordKey>& records,
    const VisibleDeliveries& visible) {
  absl::StatusOr<LinkedDeliveries> links = Links(view, records);
  if (!links.ok()) return links.status();
  return RowsOfLinks(view, *links, visible);
}

std::vector<std::string> CompanyMatchKeys(const SourceRecord& record) {
  std::vector<std::string> keys;
  const std::string country =
      record.addresses().empty() ? "" : record.addresses(0).country();
  if (IsCanonicalBusinessId(record.business_id())) {
    keys.push_back(absl::StrCat("bid:", record.business_id()));
  } else if (!record.business_id().empty()) {
    absl::StatusOr<std::string> id =
        CanonicalBusinessId(record.business_id(), country);
    if (id.ok()) keys.push_back(absl::StrCat("bid:", *id));
  }
  if (!record.organization().empty() && !record.addresses().empty()) {
    const std::string name = NormalizeCompanyName(record.organization());
    const std::string postcode = NormalizePostcode(record.addresses(0).postcode());
    if (!name.empty() && !postcode.empty()) {
      keys.push_back(absl::StrCat("org:", name, "|", postcode));
    }
  }
  return keys;
}

}  // namespace c360

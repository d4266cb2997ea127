#include "enrich/company_links.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "enrich/enrichment_store.h"
#include "store/keys.h"
#include "store/repository.h"

namespace c360 {
namespace {

// The link keys `record` should have to company rows.
absl::StatusOr<absl::flat_hash_set<std::string>> WantedLinks(
    const ReadView& view, const RecordKey& record,
    const std::vector<std::string>& match_keys) {
  absl::flat_hash_set<std::string> wanted;
  absl::Status status = absl::OkStatus();
  for (const std::string& match_key : match_keys) {
    absl::Status scanned = view.Scan(
        Table::kProviderIndex, EncodeKey({match_key}), "",
        [&](absl::string_view key, absl::string_view) {
          absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
          if (!parts.ok() || parts->size() != 4) {
            status = absl::DataLossError("malformed provider index key");
            return false;
          }
          wanted.insert(
              EnrichmentLinkKey(record, (*parts)[1], (*parts)[2], (*parts)[3]));
          return true;
        });
    if (!scanned.ok()) return scanned;
    if (!status.ok()) return status;
  }
  return wanted;
}

// The record's current links to company rows.
absl::StatusOr<std::vector<std::string>> CompanyLinks(const ReadView& view,
                                                      const RecordKey& record) {
  std::vector<std::string> links;
  absl::Status status = absl::OkStatus();
  absl::Status scanned = ScanRecordLinks(view, record, [&](const LinkedRow& link) {
    absl::StatusOr<ProviderRow> row =
        GetProviderRow(view, link.provider, link.row_key, link.delivery_id);
    if (!row.ok()) {
      status = row.status();
      return false;
    }
    if (row->kind() == COMPANY) links.push_back(link.link_key);
    return true;
  });
  if (!scanned.ok()) return scanned;
  if (!status.ok()) return status;
  return links;
}

}  // namespace

absl::Status LinkRecordToCompanies(const ReadView& view,
                                   const StoredRecord& stored,
                                   WriteSet* writes) {
  const RecordKey record = KeyOf(stored.record());
  absl::StatusOr<absl::flat_hash_set<std::string>> wanted =
      WantedLinks(view, record, CompanyMatchKeys(stored.record()));
  if (!wanted.ok()) return wanted.status();
  absl::StatusOr<std::vector<std::string>> existing = CompanyLinks(view, record);
  if (!existing.ok()) return existing.status();
  for (const std::string& link : *existing) {
    if (!wanted->contains(link)) writes->Delete(Table::kEnrichmentLinks, link);
  }
  for (const std::string& link : *wanted) {
    writes->Put(Table::kEnrichmentLinks, link, "");
  }
  return absl::OkStatus();
}

}  // namespace c360

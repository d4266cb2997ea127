// Reading a provider delivery (purchased data) into ProviderRows with the
// record readers of server/record_reader.h: JSON Lines of c360.SourceRecord,
// or CSV with a mapping file in the same language (data/mappings/
// provider_*.map). Purchased values are mapped as attribute.<name> (in JSON,
// "attributes") and end up in ProviderRow.attributes, not in the identity.
//
// Beyond what the record readers check (UTF-8, sizes, e-mails, impossible
// birth dates, ...), each row is checked for its kind:
//   COMPANY: a business id, when present, must pass CanonicalBusinessId
//     with the address country as the hint; identity.business_id becomes the
//     canonical id. The row's key is the canonical id, else "name:" +
//     NormalizeCompanyName(organization) + "|" + NormalizePostcode(postcode);
//     a row with neither is rejected. A source_id in the row is ignored, so
//     a company mapping need not map one.
//   PERSON: the provider's key (source_id) and a name are required.
// A key seen earlier in the file rejects the later row. identity.source is
// the provider.
#ifndef C360_SERVER_PROVIDER_READER_H_
#define C360_SERVER_PROVIDER_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c360/enrichment.pb.h"

namespace c360 {

struct ProviderFileOptions {
  // The provider's name (ValidateProviderName), e.g. "dnb".
  std::string provider;
  ProviderKind kind = PROVIDER_KIND_UNSPECIFIED;
  // The CSV mapping file; empty for JSON Lines.
  std::string mapping_path;
};

// A rejected row or a warning about the file.
struct RowProblem {
  // 1-based line where the row starts (1 for the header).
  int64_t line = 0;
  std::string reason;
  // The row's text (at most 4 KiB of it).
  std::string raw;
};

struct ProviderFile {
  // The accepted rows in file order, with provider, kind, line, identity
  // and attributes set.
  std::vector<ProviderRow> rows;
  // Rejected rows with their reasons, e.g. `business id "1234567-9":
  // Y-tunnus check digit should be 1` or "duplicate key FI:12345678, first
  // at line 2".
  std::vector<RowProblem> rejected;
  // "column 'X' is not mapped; ignored", one per unmapped CSV column, at
  // line 1.
  std::vector<RowProblem> warnings;
  // Rows read, accepted and rejected.
  int64_t rows_read = 0;
};

// Reads the whole file at `path`. Fails only when the file cannot be read
// at all or the options are wrong: InvalidArgument for an invalid provider
// name or kind, a bad mapping file, or a mapped column missing from the CSV
// header; NotFound when the file or mapping cannot be opened.
absl::StatusOr<ProviderFile> ReadProviderFile(
    const std::string& path, const ProviderFileOptions& options);

}  // namespace c360

#endif  // C360_SERVER_PROVIDER_READER_H_

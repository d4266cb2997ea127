#include "server/provider_reader.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "enrich/business_id.h"
#include "enrich/enrichment_import.h"
#include "resolver/normalize.h"
#include "resolver/record_validator.h"
#include "server/csv.h"
#include "server/record_reader.h"

namespace c360 {
namespace {

// Limits for reading the header row on its own; those of the record
// reader's, which reads it too, so no header fails here that passed there.
constexpr size_t kMaxHeaderBytes = 1 << 20;
constexpr size_t kMaxRawBytes = 4 << 10;

// Company rows are keyed by what identifies the company, not by the
// provider's row id.
RowKeys KeysOf(ProviderKind kind) {
  return kind == COMPANY ? RowKeys::kDerived : RowKeys::kInRow;
}

absl::Status InFile(const std::string& path, const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat(path, ": ", status.message()));
}

bool IsMappedColumn(const CsvMapping& mapping, absl::string_view column) {
  return std::any_of(mapping.fields.begin(), mapping.fields.end(),
                     [column](const CsvMapping::Field& field) {
                       return !field.is_constant && field.column == column;
                     });
}

// One warning per header column the mapping does not use. The header is
// read again here because the record reader keeps it to itself.
std::vector<RowProblem> UnmappedColumns(const std::string& path,
                                        const CsvMapping& mapping) {
  std::ifstream in(path, std::ios::binary);
  csv_internal::CsvTokenizer tokenizer(&in, mapping.delimiter, kMaxHeaderBytes,
                                       kMaxRawBytes);
  csv_internal::CsvRow header;
  std::vector<RowProblem> warnings;
  if (!tokenizer.Next(&header)) return warnings;
  for (const std::string& cell : header.cells) {
    const absl::string_view column = absl::StripAsciiWhitespace(cell);
    if (IsMappedColumn(mapping, column)) continue;
    warnings.push_back(
        {header.line,
         absl::StrCat("column '", column, "' is not mapped; ignored"),
         header.raw});
  }
  return warnings;
}

// The record reader for the file's format; unmapped CSV columns are added
// to `warnings`.
absl::StatusOr<std::unique_ptr<RecordReader>> OpenReader(
    const std::string& path, const ProviderFileOptions& options,
    std::istream* in, std::vector<RowProblem>* warnings) {
  const RowKeys keys = KeysOf(options.kind);
  if (options.mapping_path.empty()) {
    return NewJsonLinesReader(in, options.provider, keys);
  }
  absl::StatusOr<CsvMapping> mapping =
      LoadCsvMapping(options.mapping_path, keys);
  if (!mapping.ok()) return mapping.status();
  *warnings = UnmappedColumns(path, *mapping);
  absl::StatusOr<std::unique_ptr<RecordReader>> reader =
      NewCsvReader(in, options.provider, *std::move(mapping), keys);
  if (!reader.ok()) return InFile(path, reader.status());
  return reader;
}

// Keys a company row by its canonical business id, else by its name and
// postcode.
absl::Status KeyCompany(SourceRecord* identity) {
  const PostalAddress address =
      identity->addresses().empty() ? PostalAddress() : identity->addresses(0);
  if (!identity->business_id().empty()) {
    absl::StatusOr<std::string> id =
        CanonicalBusinessId(identity->business_id(), address.country());
    if (!id.ok()) return id.status();
    identity->set_business_id(*id);
    identity->set_source_id(*std::move(id));
    return absl::OkStatus();
  }
  const std::string name = NormalizeCompanyName(identity->organization());
  const std::string postcode = NormalizePostcode(address.postcode());
  if (name.empty() || postcode.empty()) {
    return absl::InvalidArgumentError(
        "no business id and no company name + postcode");
  }
  identity->set_source_id(absl::StrCat("name:", name, "|", postcode));
  // The key derived from a long name may exceed the limit on keys.
  return ValidateRecord(*identity);
}

bool HasName(const SourceRecord& identity) {
  return std::any_of(identity.names().begin(), identity.names().end(),
                     [](const PersonName& name) {
                       return !name.full().empty() || !name.given().empty() ||
                              !name.family().empty();
                     });
}

// Turns records into rows and rejects repeated keys.
class RowBuilder {
 public:
  explicit RowBuilder(const ProviderFileOptions& options) : options_(options) {}

  absl::StatusOr<ProviderRow> Build(SourceRecord identity, int64_t line);

 private:
  const ProviderFileOptions& options_;
  // The line of each key's first row.
  absl::flat_hash_map<std::string, int64_t> first_line_;
};

absl::StatusOr<ProviderRow> RowBuilder::Build(SourceRecord identity,
                                              int64_t line) {
  if (options_.kind == COMPANY) {
    absl::Status status = KeyCompany(&identity);
    if (!status.ok()) return status;
  } else if (!HasName(identity)) {
    return absl::InvalidArgumentError("names: a person row needs a name");
  }
  const auto [first, inserted] =
      first_line_.emplace(identity.source_id(), line);
  if (!inserted) {
    return absl::InvalidArgumentError(absl::StrCat(
        "duplicate key ", first->first, ", first at line ", first->second));
  }
  ProviderRow row;
  row.set_provider(options_.provider);
  row.set_kind(options_.kind);
  row.set_line(line);
  row.mutable_attributes()->swap(*identity.mutable_attributes());
  *row.mutable_identity() = std::move(identity);
  return row;
}

absl::Status CheckOptions(const ProviderFileOptions& options) {
  absl::Status status = ValidateProviderName(options.provider);
  if (!status.ok()) return status;
  if (options.kind != COMPANY && options.kind != PERSON) {
    return absl::InvalidArgumentError("kind must be COMPANY or PERSON");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ProviderFile> ReadProviderFile(
    const std::string& path, const ProviderFileOptions& options) {
  absl::Status status = CheckOptions(options);
  if (!status.ok()) return status;
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open '", path, "'"));
  ProviderFile file;
  absl::StatusOr<std::unique_ptr<RecordReader>> reader =
      OpenReader(path, options, &in, &file.warnings);
  if (!reader.ok()) return reader.status();
  RowBuilder builder(options);
  ReadResult result;
  while ((*reader)->Next(&result)) {
    ++file.rows_read;
    absl::StatusOr<ProviderRow> row =
        result.record.ok()
            ? builder.Build(*std::move(result.record), result.line)
            : result.record.status();
    if (row.ok()) {
      file.rows.push_back(*std::move(row));
    } else {
      file.rejected.push_back({result.line, std::string(row.status().message()),
                               std::move(result.raw)});
    }
  }
  if (in.bad()) {
    return absl::DataLossError(absl::StrCat("cannot read '", path, "'"));
  }
  return file;
}

}  // namespace c360

#include "enrich/segment_store.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "enrich/segment_filter.h"
#include "store/keys.h"

namespace c360 {
namespace {

std::string SegmentKey(absl::string_view name) { return EncodeKey({name}); }

// Names travel in URLs, file names and command lines: keep them plain.
absl::Status CheckName(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("a segment needs a name");
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_' && c != '-' && c != '.') {
      return absl::InvalidArgumentError(absl::StrCat(
          "segment name '", name,
          "': use letters, digits, '_', '-' and '.' only"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<SegmentDefinition> Parse(absl::string_view name,
                                        absl::string_view bytes) {
  SegmentDefinition definition;
  if (!definition.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError(absl::StrCat("unreadable segment '", name, "'"));
  }
  return definition;
}

}  // namespace

absl::StatusOr<SegmentDefinition> DefineSegment(
    KvStore* store, SegmentDefinition definition, absl::string_view actor,
    const google::protobuf::Timestamp& now) {
  absl::Status name = CheckName(definition.name());
  if (!name.ok()) return name;
  absl::StatusOr<SegmentFilter> filter =
      SegmentFilter::Compile(definition.expression());
  if (!filter.ok()) return filter.status();
  *definition.mutable_defined_at() = now;
  definition.set_defined_by(std::string(actor));
  WriteSet writes;
  writes.Put(Table::kSegments, SegmentKey(definition.name()),
             definition.SerializeAsString());
  absl::Status committed = store->Commit(writes);
  if (!committed.ok()) return committed;
  return definition;
}

absl::StatusOr<SegmentDefinition> GetSegment(const ReadView& view,
                                             absl::string_view name) {
  absl::StatusOr<std::string> bytes = view.Get(Table::kSegments, SegmentKey(name));
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(absl::StrCat("no segment '", name, "'"));
  }
  if (!bytes.ok()) return bytes.status();
  return Parse(name, *bytes);
}

absl::StatusOr<std::vector<SegmentDefinition>> ListSegments(
    const ReadView& view) {
  std::vector<SegmentDefinition> segments;
  absl::Status status;
  absl::Status scanned = view.Scan(
      Table::kSegments, "", "", [&](absl::string_view key, absl::string_view bytes) {
        absl::StatusOr<std::vector<std::string>> name = DecodeKey(key);
        absl::StatusOr<SegmentDefinition> definition =
            Parse(name.ok() && !name->empty() ? (*name)[0] : "?", bytes);
        if (!definition.ok()) {
          status = definition.status();
          return false;
        }
        segments.push_back(*std::move(definition));
        return true;
      });
  if (!scanned.ok()) return scanned;
  if (!status.ok()) return status;
  return segments;
}

}  // namespace c360

#include "store/schema.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "store/keys.h"

namespace c360 {

absl::Status EnsureSchemaVersion(KvStore* store) {
  const std::string key = EncodeKey({"schema_version"});
  absl::StatusOr<std::string> stored = store->Get(Table::kMeta, key);
  if (absl::IsNotFound(stored.status())) {
    WriteSet stamp;
    stamp.Put(Table::kMeta, key, absl::StrCat(kSchemaVersion));
    return store->Commit(stamp);
  }
  if (!stored.ok()) return stored.status();
  int version = 0;
  if (!absl::SimpleAtoi(*stored, &version) || version != kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("store has schema version '", *stored,
                     "' but this binary reads version ", kSchemaVersion,
                     "; see docs/operations.md on upgrades"));
  }
  return absl::OkStatus();
}

}  // namespace c360

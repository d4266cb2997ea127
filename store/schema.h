// The store's schema version: the layout of keys and values described in
// docs/storage.md. A binary opens only a store of its own version.
#ifndef C360_STORE_SCHEMA_H_
#define C360_STORE_SCHEMA_H_

#include "absl/status/status.h"
#include "store/kv_store.h"

namespace c360 {

// Bump on any incompatible change of docs/storage.md, with an upgrade step.
inline constexpr int kSchemaVersion = 1;

// Stamps an empty store with kSchemaVersion; for a stamped store, returns OK
// when the version matches and FailedPrecondition naming both versions when
// not.
absl::Status EnsureSchemaVersion(KvStore* store);

}  // namespace c360

#endif  // C360_STORE_SCHEMA_H_

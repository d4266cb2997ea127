// The embedded default store: one RocksDB database in a local folder with one
// column family per Table.
#ifndef C360_STORE_ROCKSDB_STORE_H_
#define C360_STORE_ROCKSDB_STORE_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "store/kv_store.h"

namespace c360 {

struct RocksDbOptions {
  // Folder of the database; created when missing.
  std::string path;
  // Bytes of the block cache shared by all tables.
  size_t block_cache_bytes = size_t{256} << 20;
  // fsync the write-ahead log on every commit. Off, a commit survives a
  // process crash but not a power loss of the last few writes; on, it
  // survives both at the cost of one fsync per commit.
  bool sync_writes = false;
  // Create the database when the folder holds none; off, opening a folder
  // without a database fails.
  bool create_if_missing = true;
  // Open for reads only: no lock is taken (a server may hold the database),
  // Commit fails, and the database must exist with every table.
  bool read_only = false;
};

// Opens (creating when missing, as the options allow) the database at
// `options.path`, with every table's column family. A new database is
// stamped with the current schema version; an existing one must carry it,
// else FailedPrecondition names both versions. Unavailable when another
// process holds the database open (unless read-only); InvalidArgument when
// there is no database and none may be created.
absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksDbStore(
    const RocksDbOptions& options);

// OK when no process holds the database at `path` open, or there is none;
// Unavailable when one does (e.g. a running server).
absl::Status EnsureNotInUse(const std::string& path);

}  // namespace c360

#endif  // C360_STORE_ROCKSDB_STORE_H_

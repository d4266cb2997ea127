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
};

// Opens (creating when missing) the database at `options.path`, with every
// table's column family. A new database is stamped with the current schema
// version; an existing one must carry it, else FailedPrecondition names both
// versions. Unavailable when another process holds the database open.
absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksDbStore(
    const RocksDbOptions& options);

}  // namespace c360

#endif  // C360_STORE_ROCKSDB_STORE_H_

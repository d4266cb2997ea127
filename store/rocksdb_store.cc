#include "store/rocksdb_store.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "store/keys.h"
#include "store/schema.h"

namespace c360 {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string message = absl::StrCat(what, ": ", s.ToString());
  if (s.IsNotFound()) return absl::NotFoundError(message);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::UnavailableError(message);
  }
  if (s.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (s.IsCorruption()) return absl::DataLossError(message);
  return absl::InternalError(message);
}

// Length through the first 0x00 0x01 terminator, or 0 when there is none.
size_t FirstPartLength(absl::string_view key) {
  for (size_t i = 0; i + 1 < key.size(); ++i) {
    if (key[i] != '\0') continue;
    if (key[i + 1] == '\x01') return i + 2;
    ++i;  // an escaped 0x00 0xFF
  }
  return 0;
}

bool IsWholeFirstPart(absl::string_view prefix) {
  return !prefix.empty() && FirstPartLength(prefix) == prefix.size();
}

// The first part of an encoded key (see keys.h), terminator included. Tables
// scanned by their first part (membership by entity, candidate keys by key)
// get prefix bloom filters from it, so that the many lookups of keys nobody
// else holds (a new e-mail, a new phone) are answered without a search.
class FirstKeyPart : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "c360.FirstKeyPart"; }

  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), FirstPartLength(View(key)));
  }

  bool InDomain(const rocksdb::Slice& key) const override {
    return FirstPartLength(View(key)) > 0;
  }

 private:
  static absl::string_view View(const rocksdb::Slice& s) {
    return absl::string_view(s.data(), s.size());
  }

 private:
};

bool ScannedByFirstPart(Table table) {
  return table == Table::kMembership || table == Table::kCandidateKeys;
}

// Reads through an optional snapshot; shared by the store and its views.
class RocksReader : public ReadView {
 public:
  RocksReader(rocksdb::DB* db,
              const std::vector<rocksdb::ColumnFamilyHandle*>* families,
              const rocksdb::Snapshot* snapshot)
      : db_(db), families_(families), snapshot_(snapshot) {}

  absl::StatusOr<std::string> Get(Table table,
                                  absl::string_view key) const override {
    std::string value;
    rocksdb::Status s = db_->Get(ReadOptions(), Family(table),
                                 rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return absl::NotFoundError("no such key");
    if (!s.ok()) return FromRocks(s, "get");
    return value;
  }

  absl::Status Scan(Table table, absl::string_view prefix,
                    absl::string_view start,
                    const ScanVisitor& visit) const override {
    std::string limit = PrefixSuccessor(prefix);
    rocksdb::Slice upper(limit);
    rocksdb::ReadOptions options = ReadOptions();
    if (!limit.empty()) options.iterate_upper_bound = &upper;
    // The prefix filters answer only for whole first parts; any other scan
    // must see every key.
    options.total_order_seek =
        !(ScannedByFirstPart(table) && IsWholeFirstPart(prefix));
    options.prefix_same_as_start = !options.total_order_seek;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(options, Family(table)));
    absl::string_view first = start > prefix ? start : prefix;
    for (it->Seek(rocksdb::Slice(first.data(), first.size())); it->Valid();
         it->Next()) {
      if (!visit(absl::string_view(it->key().data(), it->key().size()),
                 absl::string_view(it->value().data(), it->value().size()))) {
        break;
      }
    }
    return FromRocks(it->status(), "scan");
  }

 protected:
  rocksdb::DB* db() const { return db_; }
  rocksdb::ColumnFamilyHandle* Family(Table table) const {
    return (*families_)[static_cast<int>(table)];
  }
  const rocksdb::Snapshot* snapshot() const { return snapshot_; }

 private:
  rocksdb::ReadOptions ReadOptions() const {
    rocksdb::ReadOptions options;
    options.snapshot = snapshot_;
    return options;
  }

  rocksdb::DB* db_;
  const std::vector<rocksdb::ColumnFamilyHandle*>* families_;
  const rocksdb::Snapshot* snapshot_;
};

// A point-in-time view; releases its snapshot when destroyed.
class RocksSnapshotView : public RocksReader {
 public:
  RocksSnapshotView(rocksdb::DB* db,
                    const std::vector<rocksdb::ColumnFamilyHandle*>* families)
      : RocksReader(db, families, db->GetSnapshot()) {}
  ~RocksSnapshotView() override { db()->ReleaseSnapshot(snapshot()); }
};

class RocksDbStore : public KvStore {
 public:
  RocksDbStore(std::unique_ptr<rocksdb::DB> db,
               std::vector<rocksdb::ColumnFamilyHandle*> families,
               bool sync_writes)
      : db_(std::move(db)),
        families_(std::move(families)),
        latest_(db_.get(), &families_, nullptr),
        sync_writes_(sync_writes) {}

  ~RocksDbStore() override {
    for (auto* family : families_) db_->DestroyColumnFamilyHandle(family);
    db_->Close().PermitUncheckedError();
  }

  absl::StatusOr<std::string> Get(Table table,
                                  absl::string_view key) const override {
    return latest_.Get(table, key);
  }

  absl::Status Scan(Table table, absl::string_view prefix,
                    absl::string_view start,
                    const ScanVisitor& visit) const override {
    return latest_.Scan(table, prefix, start, visit);
  }

  absl::Status Commit(const WriteSet& writes) override {
    rocksdb::WriteBatch batch;
    for (const WriteSet::Op& op : writes.ops()) {
      auto* family = families_[static_cast<int>(op.table)];
      rocksdb::Status s = op.is_delete ? batch.Delete(family, op.key)
                                       : batch.Put(family, op.key, op.value);
      if (!s.ok()) return FromRocks(s, "batch");
    }
    rocksdb::WriteOptions options;
    options.sync = sync_writes_;
    return FromRocks(db_->Write(options, &batch), "commit");
  }

  std::unique_ptr<ReadView> Snapshot() const override {
    return std::make_unique<RocksSnapshotView>(db_.get(), &families_);
  }

  // Flushes the memtables, then hard-links the table files (copies them
  // across file systems) and copies the manifest and the live WAL.
  absl::Status Checkpoint(const std::string& dir) override {
    rocksdb::Checkpoint* raw = nullptr;
    absl::Status created =
        FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw), "checkpoint");
    if (!created.ok()) return created;
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    return FromRocks(checkpoint->CreateCheckpoint(dir),
                     absl::StrCat("checkpoint to ", dir));
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> families_;
  RocksReader latest_;
  bool sync_writes_;
};

rocksdb::Options DatabaseOptions(const RocksDbOptions& options) {
  rocksdb::Options db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  rocksdb::BlockBasedTableOptions table;
  // In a 1M-record store a table file's whole-file bloom filter is several
  // MB: more than one shard of a cache split 64 ways holds, so it was never
  // kept, and every prefix check read it from disk again and verified its
  // checksum (three quarters of the time spent matching purchased person
  // rows). Four shards, and index and filter blocks in a high-priority half
  // that scans of data blocks cannot evict.
  rocksdb::LRUCacheOptions cache(options.block_cache_bytes, /*num_shard_bits=*/2,
                                 false, /*high_pri_pool_ratio=*/0.5);
  table.block_cache = rocksdb::NewLRUCache(cache);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  table.cache_index_and_filter_blocks = true;
  table.cache_index_and_filter_blocks_with_high_priority = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  db_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return db_options;
}

rocksdb::ColumnFamilyOptions FamilyOptions(const rocksdb::Options& base,
                                           Table table) {
  rocksdb::ColumnFamilyOptions family(base);
  if (ScannedByFirstPart(table)) {
    family.prefix_extractor = std::make_shared<FirstKeyPart>();
    family.memtable_prefix_bloom_size_ratio = 0.05;
  }
  return family;
}

}  // namespace

absl::StatusOr<std::unique_ptr<KvStore>> OpenRocksDbStore(
    const RocksDbOptions& options) {
  rocksdb::Options db_options = DatabaseOptions(options);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, db_options);
  for (Table table : AllTables()) {
    descriptors.emplace_back(std::string(TableName(table)),
                             FamilyOptions(db_options, table));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  absl::Status opened = FromRocks(
      options.read_only
          ? rocksdb::DB::OpenForReadOnly(db_options, options.path, descriptors,
                                         &handles, &raw)
          : rocksdb::DB::Open(db_options, options.path, descriptors, &handles,
                              &raw),
      absl::StrCat("opening ", options.path));
  if (!opened.ok()) return opened;
  std::unique_ptr<rocksdb::DB> db(raw);
  // handles[0] is the unused default family; the rest follow Table order.
  db->DestroyColumnFamilyHandle(handles[0]);
  handles.erase(handles.begin());
  auto store = std::make_unique<RocksDbStore>(std::move(db), std::move(handles),
                                              options.sync_writes);
  absl::Status schema = EnsureSchemaVersion(store.get());
  if (!schema.ok()) return schema;
  return store;
}

absl::Status EnsureNotInUse(const std::string& path) {
  rocksdb::Env* env = rocksdb::Env::Default();
  const std::string lock_file = path + "/LOCK";
  if (env->FileExists(lock_file).IsNotFound()) return absl::OkStatus();
  rocksdb::FileLock* lock = nullptr;
  absl::Status locked = FromRocks(env->LockFile(lock_file, &lock),
                                  absl::StrCat(path, " is in use"));
  if (!locked.ok()) return locked;
  return FromRocks(env->UnlockFile(lock), absl::StrCat("unlocking ", path));
}

}  // namespace c360

#include "store/rocksdb_store.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/keys.h"
#include "store/repository.h"
#include "store/schema.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class RocksDbStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = NewTestDir("rocksdb_store");
    store_ = Open();
  }

  std::unique_ptr<KvStore> Open() {
    absl::StatusOr<std::unique_ptr<KvStore>> store =
        OpenRocksDbStore({.path = path_});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::vector<std::string> Keys(Table table, absl::string_view prefix,
                                absl::string_view start = "") {
    std::vector<std::string> keys;
    EXPECT_TRUE(store_
                    ->Scan(table, prefix, start,
                           [&](absl::string_view key, absl::string_view) {
                             keys.emplace_back(key);
                             return true;
                           })
                    .ok());
    return keys;
  }

  std::string path_;
  std::unique_ptr<KvStore> store_;
};

TEST_F(RocksDbStoreTest, CommitAppliesEveryTableTogether) {
  WriteSet writes;
  writes.Put(Table::kRecords, "r", "1");
  writes.Put(Table::kEntities, "e", "2");
  writes.Put(Table::kRecords, "gone", "x");
  writes.Delete(Table::kRecords, "gone");
  ASSERT_TRUE(store_->Commit(writes).ok());
  EXPECT_EQ(*store_->Get(Table::kRecords, "r"), "1");
  EXPECT_EQ(*store_->Get(Table::kEntities, "e"), "2");
  EXPECT_EQ(store_->Get(Table::kRecords, "gone").status().code(),
            absl::StatusCode::kNotFound);
  // Tables are separate key spaces.
  EXPECT_EQ(store_->Get(Table::kEntities, "r").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RocksDbStoreTest, ScanStaysInsidePrefixAndHonoursStart) {
  WriteSet writes;
  for (const char* key : {"a1", "a2", "a3", "b1"}) {
    writes.Put(Table::kMeta, key, "");
  }
  ASSERT_TRUE(store_->Commit(writes).ok());
  EXPECT_THAT(Keys(Table::kMeta, "a"), ElementsAre("a1", "a2", "a3"));
  EXPECT_THAT(Keys(Table::kMeta, "a", "a2"), ElementsAre("a2", "a3"));
}

// Candidate keys and membership have prefix filters on the first key part:
// whole-part scans must still find every key, partial ones too.
TEST_F(RocksDbStoreTest, PrefixFilteredTablesScanWholeAndPartialPrefixes) {
  const std::string zero_inside("a\0b", 3);
  WriteSet writes;
  writes.Put(Table::kCandidateKeys, EncodeKey({"a", "1"}), "");
  writes.Put(Table::kCandidateKeys, EncodeKey({"a", "2"}), "");
  writes.Put(Table::kCandidateKeys, EncodeKey({zero_inside, "3"}), "");
  writes.Put(Table::kCandidateKeys, EncodeKey({"ab", "4"}), "");
  ASSERT_TRUE(store_->Commit(writes).ok());
  EXPECT_THAT(Keys(Table::kCandidateKeys, EncodeKey({"a"})), SizeIs(2));
  EXPECT_THAT(Keys(Table::kCandidateKeys, EncodeKey({zero_inside})), SizeIs(1));
  EXPECT_THAT(Keys(Table::kCandidateKeys, EncodeKey({"b"})), SizeIs(0));
  EXPECT_THAT(Keys(Table::kCandidateKeys, "a"), SizeIs(4));
  EXPECT_THAT(Keys(Table::kCandidateKeys, ""), SizeIs(4));
  // The same after reopening, when the keys come back from the log.
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_THAT(Keys(Table::kCandidateKeys, EncodeKey({"a"})), SizeIs(2));
  EXPECT_THAT(Keys(Table::kCandidateKeys, "a"), SizeIs(4));
}

TEST_F(RocksDbStoreTest, SnapshotIgnoresLaterCommits) {
  WriteSet first;
  first.Put(Table::kRecords, "k", "old");
  ASSERT_TRUE(store_->Commit(first).ok());
  std::unique_ptr<ReadView> snapshot = store_->Snapshot();
  WriteSet second;
  second.Put(Table::kRecords, "k", "new");
  second.Put(Table::kRecords, "k2", "new");
  ASSERT_TRUE(store_->Commit(second).ok());
  EXPECT_EQ(*snapshot->Get(Table::kRecords, "k"), "old");
  EXPECT_EQ(snapshot->Get(Table::kRecords, "k2").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(*store_->Get(Table::kRecords, "k"), "new");
}

TEST_F(RocksDbStoreTest, DataSurvivesReopen) {
  WriteSet writes;
  writes.Put(Table::kAliases, "E2", "E1");
  ASSERT_TRUE(store_->Commit(writes).ok());
  store_.reset();
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(*store_->Get(Table::kAliases, "E2"), "E1");
}

TEST_F(RocksDbStoreTest, SecondOpenOfSameFolderIsUnavailable) {
  absl::StatusOr<std::unique_ptr<KvStore>> second =
      OpenRocksDbStore({.path = path_});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable)
      << second.status();
}

TEST_F(RocksDbStoreTest, RefusesAnotherSchemaVersion) {
  WriteSet writes;
  writes.Put(Table::kMeta, EncodeKey({"schema_version"}), "999");
  ASSERT_TRUE(store_->Commit(writes).ok());
  store_.reset();
  absl::StatusOr<std::unique_ptr<KvStore>> reopened =
      OpenRocksDbStore({.path = path_});
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reopened.status().message(), HasSubstr("'999'"));
}

TEST_F(RocksDbStoreTest, RepositoryRoundTripsTypedRows) {
  RecordKey key;
  key.set_source("crm");
  key.set_source_id("0031");
  StoredRecord stored;
  *stored.mutable_record()->mutable_source() = "crm";
  stored.mutable_record()->set_source_id("0031");
  stored.set_entity_id("E1");
  EntityState entity;
  entity.set_entity_id("E1");
  RepositoryWrites writes;
  writes.PutRecord(stored);
  writes.PutEntity(entity);
  writes.AddMember("E1", key);
  writes.AddPosting("em:a@b.fi", key, "E1");
  writes.PutAlias("E0", "E1");
  writes.PutAlias("E00", "E0");
  ASSERT_TRUE(store_->Commit(writes.write_set()).ok());

  Repository repo(store_.get());
  EXPECT_EQ(repo.GetRecord(key)->entity_id(), "E1");
  EXPECT_EQ(*repo.LiveEntityId("E00"), "E1");
  EXPECT_EQ(repo.LiveEntityId("E9").status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_EQ(repo.Members("E1")->size(), 1u);
  EXPECT_EQ((*repo.Members("E1"))[0].source_id(), "0031");
  ASSERT_EQ(repo.Postings("em:a@b.fi", 10)->size(), 1u);
  EXPECT_EQ((*repo.Postings("em:a@b.fi", 10))[0].entity_id, "E1");
  EXPECT_TRUE(repo.Postings("em:a@b", 10)->empty());
  EXPECT_EQ(repo.GetCounters()->next_entity(), 1u);
}

}  // namespace
}  // namespace c360

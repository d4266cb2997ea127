// A real RocksDB store with a rules resolver and a steward over it, shared by
// the steward and erasure suites: upserts checked against every store
// invariant, record keys, and a dump of every table to show that a refused
// operation changed nothing.
#ifndef C360_TESTS_RESOLVER_STEWARD_FIXTURE_H_
#define C360_TESTS_RESOLVER_STEWARD_FIXTURE_H_

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "resolver/resolver.h"
#include "resolver/rule_decider.h"
#include "resolver/steward.h"
#include "store/consistency.h"
#include "store/rocksdb_store.h"
#include "tests/test_dirs.h"

namespace c360 {

inline RecordKey Key(const std::string& source, const std::string& id) {
  RecordKey key;
  key.set_source(source);
  key.set_source_id(id);
  return key;
}

class StewardStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = NewTestDir("steward_store");
    auto rocks = OpenRocksDbStore({.path = dir_ + "/db"});
    ASSERT_TRUE(rocks.ok()) << rocks.status();
    store_ = *std::move(rocks);
    resolver_ = std::make_unique<Resolver>(store_.get(), NewRuleDecider(),
                                           ResolverOptions{});
    steward_ = std::make_unique<Steward>(store_.get(), resolver_.get());
  }

  // Upserts `record` and checks the store; returns its entity id.
  std::string Upsert(const SourceRecord& record) {
    absl::StatusOr<UpsertResult> result = resolver_->Upsert(record);
    EXPECT_TRUE(result.ok()) << result.status();
    ExpectConsistent();
    return result.ok() ? result->entity_id : "";
  }

  void ExpectConsistent() {
    absl::StatusOr<StoreCensus> census = CheckStore(*store_->Snapshot());
    EXPECT_TRUE(census.ok()) << census.status();
  }

  // Every row of every table, to compare the store before and after.
  std::string Dump() {
    std::string all;
    for (Table table : AllTables()) {
      EXPECT_TRUE(store_->Scan(table, "", "", [&](absl::string_view k,
                                                  absl::string_view v) {
        absl::StrAppend(&all, TableName(table), ":", k, "=", v, "\n");
        return true;
      }).ok());
    }
    return all;
  }

  std::string dir_;
  std::unique_ptr<KvStore> store_;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<Steward> steward_;
};

}  // namespace c360

#endif  // C360_TESTS_RESOLVER_STEWARD_FIXTURE_H_

#include "store/consistency.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resolver/resolver.h"
#include "resolver/rule_decider.h"
#include "store/keys.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;

// A store with three people, two of whose records were merged.
class ConsistencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenRocksDbStore({.path = NewTestDir("consistency")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    Resolver resolver(store_.get(), NewRuleDecider(), {});
    auto add = [&](const char* source, const char* id, const char* email,
                   const char* phone, const char* birth_date) {
      SourceRecord r;
      r.set_source(source);
      r.set_source_id(id);
      r.add_names()->set_full("Anna Korhonen");
      if (*email) r.add_emails(email);
      if (*phone) r.add_phones(phone);
      r.set_birth_date(birth_date);
      ASSERT_TRUE(resolver.Upsert(r).ok());
    };
    add("crm", "1", "anna@example.fi", "", "");
    add("erp", "2", "", "040 111 2222", "1990-04-01");
    // Merges 1 and 2: between them only the name agrees, but the evidence
    // holds on average with this record's birth date and contacts.
    add("webshop", "3", "anna@example.fi", "040 111 2222", "1990-04-01");
    add("crm", "4", "other@example.fi", "", "");
  }

  absl::Status Check() { return CheckStore(*store_).status(); }

  void Apply(const WriteSet& writes) { ASSERT_TRUE(store_->Commit(writes).ok()); }

  std::unique_ptr<KvStore> store_;
};

TEST_F(ConsistencyTest, ResolvedStoreIsConsistent) {
  absl::StatusOr<StoreCensus> census = CheckStore(*store_);
  ASSERT_TRUE(census.ok()) << census.status();
  EXPECT_EQ(census->records, 4);
  EXPECT_EQ(census->entities, 2);
  EXPECT_EQ(census->memberships, 4);
  EXPECT_EQ(census->aliases, 1);
  EXPECT_EQ(census->audit_events, 1);
  EXPECT_EQ(census->changes, 4);  // created, created, merged, created
}

TEST_F(ConsistencyTest, MissingMembershipIsFound) {
  WriteSet writes;
  writes.Delete(Table::kMembership, EncodeKey({"E0000000001", "crm", "1"}));
  Apply(writes);
  EXPECT_EQ(Check().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(Check().message(), HasSubstr("membership rows"));
}

TEST_F(ConsistencyTest, StalePostingIsFound) {
  RecordKey key;
  key.set_source("crm");
  key.set_source_id("1");
  RepositoryWrites writes;
  writes.AddPosting("em:anna@example.fi", key, "E0000000002");
  Apply(writes.write_set());
  EXPECT_THAT(Check().message(), HasSubstr("candidate key em:anna@example.fi of crm/1"));
}

TEST_F(ConsistencyTest, WrongRecordCountIsFound) {
  EntityState entity = *Repository(store_.get()).GetEntity("E0000000001");
  entity.set_record_count(7);
  RepositoryWrites writes;
  writes.PutEntity(entity);
  Apply(writes.write_set());
  EXPECT_THAT(Check().message(), HasSubstr("counts 7 records, has 3"));
}

TEST_F(ConsistencyTest, GapInChangeLogIsFound) {
  WriteSet writes;
  writes.Delete(Table::kChangeLog, EncodeSequence(2));
  Apply(writes);
  EXPECT_THAT(Check().message(), HasSubstr("change_log has a gap before 2"));
}

TEST_F(ConsistencyTest, DanglingAliasIsFound) {
  RepositoryWrites writes;
  writes.PutAlias("E0000000009", "E0000000077");
  Apply(writes.write_set());
  EXPECT_THAT(Check().message(), HasSubstr("not live"));
}

}  // namespace
}  // namespace c360

#include "resolver/bulk_loader.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resolver/resolver.h"
#include "resolver/rule_decider.h"
#include "server/generator.h"
#include "store/consistency.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"
#include "tests/resolver/test_stores.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

RecordKey Key(const std::string& source, const std::string& id) {
  RecordKey key;
  key.set_source(source);
  key.set_source_id(id);
  return key;
}

// Fails every commit after the first `commits_allowed`, like a crash.
class FailingStore : public ForwardingStore {
 public:
  FailingStore(KvStore* inner, int commits_allowed)
      : ForwardingStore(inner), commits_allowed_(commits_allowed) {}
  absl::Status Commit(const WriteSet& writes) override {
    if (commits_allowed_-- <= 0) return absl::UnavailableError("crashed");
    return ForwardingStore::Commit(writes);
  }

 private:
  int commits_allowed_;
};

// A store with a resolver over it: the resolver gives the phone regions and
// continues after the bulk load.
struct Fixture {
  Fixture() {
    auto opened = OpenRocksDbStore({.path = NewTestDir("bulk_loader")});
    EXPECT_TRUE(opened.ok()) << opened.status();
    store = *std::move(opened);
    resolver = std::make_unique<Resolver>(store.get(), NewRuleDecider(),
                                          ResolverOptions{});
    options.region_for = [this](const std::string& source) -> const std::string& {
      return resolver->RegionFor(source);
    };
  }

  absl::StatusOr<BulkLoadReport> Load(const std::vector<SourceRecord>& records,
                                      KvStore* into = nullptr) {
    return BulkLoad(into ? *into : *store, records, *decider, options);
  }

  std::string EntityOf(const RecordKey& key) const {
    absl::StatusOr<StoredRecord> stored = Repository(store.get()).GetRecord(key);
    return stored.ok() ? stored->entity_id() : stored.status().ToString();
  }

  std::unique_ptr<KvStore> store;
  std::unique_ptr<Resolver> resolver;
  std::unique_ptr<MatchDecider> decider = NewRuleDecider();
  BulkLoadOptions options;
};

void ExpectConsistent(const KvStore& store) {
  absl::StatusOr<StoreCensus> census = CheckStore(store);
  EXPECT_TRUE(census.ok()) << census.status();
}

TEST(BulkLoaderTest, GeneratedDataLeavesAConsistentStore) {
  std::vector<SourceRecord> records;
  GenerateRecords({.people = 300, .seed = 5},
                  [&](const GeneratedRecord& g) { records.push_back(g.record); });
  Fixture f;
  f.options.entities_per_commit = 50;
  absl::StatusOr<BulkLoadReport> report = f.Load(records);
  ASSERT_TRUE(report.ok()) << report.status();
  absl::StatusOr<StoreCensus> census = CheckStore(*f.store);
  ASSERT_TRUE(census.ok()) << census.status();
  EXPECT_EQ(census->records, report->loaded);
  EXPECT_EQ(census->entities, report->entities);
  EXPECT_EQ(census->changes, report->entities);
  EXPECT_GT(report->pairs_scored, 0);
  EXPECT_LT(report->entities, report->loaded);
  EXPECT_EQ(report->commits, (report->entities + 49) / 50);
}

// Bulk and incremental resolution agree on the hard cases of the v1 rules.
TEST(BulkLoaderTest, SeparatesFamiliesAndBridgesLikeIncremental) {
  SourceRecord mother = Person("crm", "1", "Liisa", "Jääskeläinen");
  mother.add_emails("jaaskelaiset@kolumbus.fi");
  mother.add_phones("09 123 4567");
  mother.set_birth_date("1961-05-02");
  SourceRecord son = Person("webshop", "2", "Eero", "Jaaskelainen");
  son.add_emails("jaaskelaiset@kolumbus.fi");
  son.add_phones("+358 9 1234567");
  SourceRecord erp = Person("erp", "3", "Дмитрий", "Иванов");
  erp.set_birth_date("1984-03-07");
  SourceRecord shop = Person("webshop", "4", "Dmitry", "Ivanov");
  shop.set_birth_date("1984-03-07");
  SourceRecord barbara = AtHome(Person("crm", "5", "Barbara", "Nowak"));
  barbara.set_birth_date("1973-08-02");
  SourceRecord daughter = AtHome(Person("erp", "6", "Barbara", "Nowak"));
  daughter.set_birth_date("2003-06-16");
  SourceRecord bridge = AtHome(Person("webshop", "7", "Barbara", "Nowak"));
  const std::vector<SourceRecord> records = {mother, son,      erp,   shop,
                                             barbara, daughter, bridge};
  Fixture bulk, incremental;
  ASSERT_TRUE(bulk.Load(records).ok());
  for (const SourceRecord& r : records) ASSERT_TRUE(incremental.resolver->Upsert(r).ok());
  for (Fixture* f : {&bulk, &incremental}) {
    EXPECT_NE(f->EntityOf(KeyOf(mother)), f->EntityOf(KeyOf(son)));
    EXPECT_EQ(f->EntityOf(KeyOf(erp)), f->EntityOf(KeyOf(shop)));
    EXPECT_NE(f->EntityOf(KeyOf(barbara)), f->EntityOf(KeyOf(daughter)));
    ExpectConsistent(*f->store);
  }
  // The bridge joins one of the two, the older on a tie, and chains nothing.
  EXPECT_EQ(bulk.EntityOf(KeyOf(bridge)), bulk.EntityOf(KeyOf(barbara)));
  // A linked record keeps the evidence of its pair; a first record has none.
  Repository repo(bulk.store.get());
  EXPECT_EQ(repo.GetRecord(KeyOf(shop))->evidence().matched_record().source(), "erp");
  EXPECT_GE(repo.GetRecord(KeyOf(shop))->evidence().score(), 7.0);
  EXPECT_FALSE(repo.GetRecord(KeyOf(erp))->has_evidence());
}

TEST(BulkLoaderTest, EntityIdsFollowInputOrderAndRepeat) {
  std::vector<SourceRecord> records;
  GenerateRecords({.people = 100, .seed = 9},
                  [&](const GeneratedRecord& g) { records.push_back(g.record); });
  Fixture first, second;
  first.options.threads = 1;
  second.options.threads = 2;
  ASSERT_TRUE(first.Load(records).ok());
  ASSERT_TRUE(second.Load(records).ok());
  EXPECT_EQ(first.EntityOf(KeyOf(records[0])), "E0000000001");
  for (const SourceRecord& r : records) {
    EXPECT_EQ(first.EntityOf(KeyOf(r)), second.EntityOf(KeyOf(r)));
  }
}

// Same name and postcode score in the rules' review band: the two stay apart
// and the later one gets a review task against the earlier one's entity, as
// incremental resolution would leave it.
TEST(BulkLoaderTest, ReviewBandPairLeavesOneTaskForTheLaterRecord) {
  std::vector<SourceRecord> records;
  for (const char* source : {"crm", "web"}) {
    records.push_back(Person(source, "1", "Mikko", "Virtanen"));
    records.back().add_addresses()->set_postcode("00100");
  }
  records.push_back(Person("crm", "2", "Anna", "Nowak"));
  Fixture f;
  absl::StatusOr<BulkLoadReport> report = f.Load(records);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->review_tasks, 1);
  ExpectConsistent(*f.store);
  absl::StatusOr<ReviewTask> task =
      Repository(f.store.get()).GetReviewTask("T0000000001");
  ASSERT_TRUE(task.ok()) << task.status();
  EXPECT_EQ(task->record().source(), "web");
  EXPECT_EQ(task->entity_id(), f.EntityOf(KeyOf(records[0])));
  EXPECT_NE(task->entity_id(), f.EntityOf(KeyOf(records[1])));
  EXPECT_EQ(task->state(), OPEN);
  EXPECT_GT(task->evidence().fields_size(), 0);
}

TEST(BulkLoaderTest, StoreWithRecordsIsRefused) {
  Fixture f;
  ASSERT_TRUE(f.resolver->Upsert(Person("crm", "1", "Mikko", "Virtanen")).ok());
  absl::StatusOr<BulkLoadReport> report = f.Load({Person("crm", "2", "Anna", "Nowak")});
  EXPECT_EQ(report.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(report.status().message(), HasSubstr("incremental ingest"));
}

TEST(BulkLoaderTest, InvalidRecordsAreReportedWithIndexAndReason) {
  SourceRecord bad_email = Person("crm", "2", "Anna", "Nowak");
  bad_email.add_emails("not-an-email");
  Fixture f;
  absl::StatusOr<BulkLoadReport> report = f.Load(
      {Person("crm", "1", "Mikko", "Virtanen"), bad_email,
       Person("crm", "", "No", "Id"), SourceRecord()});
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_THAT(report->rejected, SizeIs(3));
  EXPECT_EQ(report->rejected[0].index, 1u);
  EXPECT_THAT(report->rejected[0].reason, HasSubstr("emails[0]"));
  EXPECT_EQ(report->rejected[1].index, 2u);
  EXPECT_THAT(report->rejected[1].reason, HasSubstr("source_id"));
  EXPECT_EQ(report->rejected[2].index, 3u);
  EXPECT_EQ(report->loaded, 1);
  // A record with a name only becomes its own entity.
  EXPECT_EQ(report->entities, 1);
  ExpectConsistent(*f.store);
}

TEST(BulkLoaderTest, IncrementalIngestContinuesFromTheBulkLoad) {
  SourceRecord mikko = Person("crm", "1", "Mikko", "Virtanen");
  mikko.add_emails("mikko.virtanen@example.fi");
  Fixture f;
  ASSERT_TRUE(f.Load({mikko, Person("crm", "2", "Anna", "Nowak")}).ok());
  SourceRecord again = Person("webshop", "9", "Mikko", "Virtanen");
  again.add_emails("Mikko.Virtanen@example.fi");
  absl::StatusOr<UpsertResult> linked = f.resolver->Upsert(again);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(linked->outcome, LINKED);
  EXPECT_EQ(linked->entity_id, "E0000000001");
  absl::StatusOr<UpsertResult> created =
      f.resolver->Upsert(Person("erp", "3", "Olga", "Petrova"));
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->entity_id, "E0000000003");
  EXPECT_EQ(f.resolver->Upsert(mikko)->outcome, UNCHANGED);
  std::vector<ChangeType> types;
  ASSERT_TRUE(Repository(f.store.get()).ScanChanges(1, [&](const ChangeEvent& e) {
    types.push_back(e.type());
    return true;
  }).ok());
  EXPECT_THAT(types, ElementsAre(ENTITY_CREATED, ENTITY_CREATED, ENTITY_UPDATED,
                                 ENTITY_CREATED));
  ExpectConsistent(*f.store);
}

TEST(BulkLoaderTest, LaterRecordWithTheSameKeyWins) {
  SourceRecord old_version = Person("crm", "1", "Mikko", "Virtanen");
  old_version.add_emails("old@example.fi");
  SourceRecord new_version = Person("crm", "1", "Mikko", "Virtanen");
  new_version.add_emails("new@example.fi");
  Fixture f;
  absl::StatusOr<BulkLoadReport> report =
      f.Load({old_version, Person("crm", "2", "Anna", "Nowak"), new_version});
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_THAT(report->superseded, ElementsAre(0u));
  EXPECT_EQ(report->loaded, 2);
  Repository repo(f.store.get());
  EXPECT_EQ(repo.GetRecord(Key("crm", "1"))->record().emails(0), "new@example.fi");
  // The surviving version keeps the first one's place: the oldest entity.
  EXPECT_EQ(f.EntityOf(Key("crm", "1")), "E0000000001");
  EXPECT_THAT(*repo.Postings("em:old@example.fi", 10), SizeIs(0));
  EXPECT_THAT(*repo.Postings("em:new@example.fi", 10), SizeIs(1));
  ExpectConsistent(*f.store);
}

TEST(BulkLoaderTest, FailedCommitLeavesAConsistentStoreToContinue) {
  std::vector<SourceRecord> records;
  GenerateRecords({.people = 100, .seed = 2},
                  [&](const GeneratedRecord& g) { records.push_back(g.record); });
  Fixture f;
  f.options.entities_per_commit = 10;
  FailingStore crashing(f.store.get(), 3);
  absl::StatusOr<BulkLoadReport> report = f.Load(records, &crashing);
  EXPECT_EQ(report.status().code(), absl::StatusCode::kUnavailable);
  absl::StatusOr<StoreCensus> census = CheckStore(*f.store);
  ASSERT_TRUE(census.ok()) << census.status();
  EXPECT_EQ(census->entities, 30);
  absl::StatusOr<UpsertResult> next =
      f.resolver->Upsert(Person("crm", "new", "Zofia", "Zielinska"));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->entity_id, "E0000000031");
  ExpectConsistent(*f.store);
}

}  // namespace
}  // namespace c360

#include "resolver/resolver.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resolver/finder.h"
#include "resolver/rule_decider.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"
#include "tests/resolver/test_stores.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// Counts commits and fails the next one on demand, to show that a decision
// is one write or nothing.
class CountingStore : public ForwardingStore {
 public:
  explicit CountingStore(std::unique_ptr<KvStore> inner)
      : ForwardingStore(inner.get()), inner_(std::move(inner)) {}
  absl::Status Commit(const WriteSet& writes) override {
    ++commits;
    if (fail_next) {
      fail_next = false;
      return absl::UnavailableError("disk on fire");
    }
    return ForwardingStore::Commit(writes);
  }

  int commits = 0;
  bool fail_next = false;

 private:
  std::unique_ptr<KvStore> inner_;
};

class ResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rocks = OpenRocksDbStore({.path = NewTestDir("resolver")});
    ASSERT_TRUE(rocks.ok()) << rocks.status();
    store_ = std::make_unique<CountingStore>(*std::move(rocks));
    resolver_ = std::make_unique<Resolver>(store_.get(), NewRuleDecider(),
                                           ResolverOptions{});
  }

  UpsertResult Upsert(const SourceRecord& record) {
    absl::StatusOr<UpsertResult> result = resolver_->Upsert(record);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : UpsertResult{};
  }

  Repository repo() { return Repository(store_.get()); }

  std::vector<ChangeType> ChangeTypes() {
    std::vector<ChangeType> types;
    EXPECT_TRUE(repo().ScanChanges(1, [&](const ChangeEvent& e) {
      types.push_back(e.type());
      return true;
    }).ok());
    return types;
  }

  std::unique_ptr<CountingStore> store_;
  std::unique_ptr<Resolver> resolver_;
};

TEST_F(ResolverTest, NewRecordCreatesEntityInOneCommit) {
  SourceRecord r = Person("crm", "1", "Mikko", "Virtanen");
  r.add_emails("mikko.virtanen@example.fi");
  UpsertResult result = Upsert(r);
  EXPECT_EQ(result.outcome, CREATED);
  EXPECT_EQ(result.entity_id, "E0000000001");
  EXPECT_EQ(store_->commits, 1);
  EXPECT_THAT(*repo().Members("E0000000001"), SizeIs(1));
  EXPECT_THAT(*repo().Postings("em:mikko.virtanen@example.fi", 10), SizeIs(1));
  EXPECT_THAT(ChangeTypes(), ElementsAre(ENTITY_CREATED));
}

// No name with a birth date or postcode, no contact: kept and counted,
// never dropped, never matched.
TEST_F(ResolverTest, RecordWithNothingToMatchOnIsKeptAsItsOwnEntity) {
  SourceRecord bare;
  bare.set_source("crm");
  bare.set_source_id("bare");
  bare.add_names()->set_full("Anna");
  const UpsertResult first = Upsert(bare);
  EXPECT_EQ(first.outcome, CREATED);
  EXPECT_TRUE(first.nothing_to_match);
  bare.set_source_id("bare2");
  const UpsertResult second = Upsert(bare);
  EXPECT_EQ(second.outcome, CREATED);
  EXPECT_NE(second.entity_id, first.entity_id);
  SourceRecord with_email = Person("crm", "x", "Anna", "Virtanen");
  with_email.add_emails("anna@example.fi");
  EXPECT_FALSE(Upsert(with_email).nothing_to_match);
}

TEST_F(ResolverTest, SameContentTwiceIsANoOpAndChangeIsAnUpdate) {
  SourceRecord r = Person("crm", "1", "Mikko", "Virtanen");
  r.add_emails("mikko@example.fi");
  std::string entity = Upsert(r).entity_id;
  EXPECT_EQ(Upsert(r).outcome, UNCHANGED);
  EXPECT_EQ(store_->commits, 1);

  r.set_emails(0, "mikko.v@example.fi");
  UpsertResult updated = Upsert(r);
  EXPECT_EQ(updated.outcome, UPDATED);
  EXPECT_EQ(updated.entity_id, entity);
  // The old e-mail no longer finds the record; the new one does.
  EXPECT_THAT(*repo().Postings("em:mikko@example.fi", 10), SizeIs(0));
  EXPECT_THAT(*repo().Postings("em:mikko.v@example.fi", 10), SizeIs(1));
  EXPECT_THAT(ChangeTypes(), ElementsAre(ENTITY_CREATED, ENTITY_UPDATED));
}

TEST_F(ResolverTest, FailedCommitLeavesStoreUnchanged) {
  store_->fail_next = true;
  absl::StatusOr<UpsertResult> result =
      resolver_->Upsert(Person("crm", "1", "Mikko", "Virtanen"));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  RecordKey key;
  key.set_source("crm");
  key.set_source_id("1");
  EXPECT_EQ(repo().GetRecord(key).status().code(), absl::StatusCode::kNotFound);
  // The entity number was not consumed by the failed write.
  EXPECT_EQ(Upsert(Person("crm", "1", "Mikko", "Virtanen")).entity_id,
            "E0000000001");
}

TEST_F(ResolverTest, InvalidRecordIsRejectedWithoutWriting) {
  SourceRecord r = Person("crm", "", "Mikko", "Virtanen");
  absl::StatusOr<UpsertResult> result = resolver_->Upsert(r);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("source_id"));
  EXPECT_EQ(store_->commits, 0);
}

TEST_F(ResolverTest, SamePersonAcrossSourcesAndScriptsLinks) {
  SourceRecord erp = Person("erp", "77", "Дмитрий", "Иванов");
  erp.set_birth_date("1984-03-07");
  SourceRecord shop = Person("webshop", "u9", "Dmitry", "Ivanov");
  shop.set_birth_date("1984-03-07");
  std::string entity = Upsert(erp).entity_id;
  UpsertResult linked = Upsert(shop);
  EXPECT_EQ(linked.outcome, LINKED);
  EXPECT_EQ(linked.entity_id, entity);
  StoredRecord stored = *repo().GetRecord(linked.record);
  EXPECT_EQ(stored.evidence().matched_record().source(), "erp");
  EXPECT_GE(stored.evidence().score(), 7.0);
}

TEST_F(ResolverTest, FamilyMembersSharingContactsStayApart) {
  SourceRecord mother = Person("crm", "1", "Liisa", "Jääskeläinen");
  mother.add_emails("jaaskelaiset@kolumbus.fi");
  mother.add_phones("09 123 4567");
  mother.set_birth_date("1961-05-02");
  SourceRecord son = Person("webshop", "2", "Eero", "Jaaskelainen");
  son.add_emails("jaaskelaiset@kolumbus.fi");
  son.add_phones("+358 9 1234567");
  UpsertResult first = Upsert(mother);
  UpsertResult second = Upsert(son);
  EXPECT_EQ(second.outcome, CREATED);
  EXPECT_NE(first.entity_id, second.entity_id);
}

TEST_F(ResolverTest, NamesakesWithOtherBirthDatesStayApart) {
  SourceRecord a = Person("crm", "1", "Anna", "Nowak");
  a.set_birth_date("1980-01-01");
  a.add_addresses()->set_postcode("00-950");
  SourceRecord b = Person("erp", "2", "Anna", "Nowak");
  b.set_birth_date("1991-07-15");
  b.add_addresses()->set_postcode("00-950");
  EXPECT_NE(Upsert(a).entity_id, Upsert(b).entity_id);
}

TEST_F(ResolverTest, BridgingRecordMergesIntoOldestEntityAndLeavesAlias) {
  SourceRecord by_email = Person("crm", "1", "Katarzyna", "Kowalska");
  by_email.add_emails("kasia.k@wp.pl");
  SourceRecord by_phone = Person("erp", "2", "Katarzyna", "Kowalska");
  by_phone.add_phones("+48 512 345 678");
  by_phone.set_birth_date("1981-07-02");
  SourceRecord both = Person("webshop", "3", "Katarzyna", "Kowalska");
  both.add_emails("Kasia.K@wp.pl");
  both.add_phones("512345678");
  both.set_birth_date("1981-07-02");
  both.add_addresses()->set_country("PL");
  std::string oldest = Upsert(by_email).entity_id;
  std::string younger = Upsert(by_phone).entity_id;
  ASSERT_NE(oldest, younger);
  UpsertResult merged = Upsert(both);
  EXPECT_EQ(merged.outcome, MERGED);
  EXPECT_EQ(merged.entity_id, oldest);
  EXPECT_THAT(merged.merged_entity_ids, ElementsAre(younger));
  EXPECT_EQ(*repo().LiveEntityId(younger), oldest);
  EXPECT_THAT(*repo().Members(oldest), SizeIs(3));
  EXPECT_THAT(*repo().Members(younger), SizeIs(0));
  EXPECT_EQ(repo().GetRecord(KeyOf(by_phone))->entity_id(), oldest);
  // The moved record's postings name its new entity.
  auto postings = repo().Postings("ph:+48512345678", 10);
  ASSERT_THAT(*postings, SizeIs(2));
  EXPECT_EQ((*postings)[0].entity_id, oldest);
  EXPECT_EQ((*postings)[1].entity_id, oldest);
  EXPECT_EQ(repo().GetEntity(oldest)->record_count(), 3);
  EXPECT_THAT(ChangeTypes(),
              ElementsAre(ENTITY_CREATED, ENTITY_CREATED, ENTITY_MERGED));
}

// The bridge matches both entities, but between the two nothing but the
// name agrees: on average their pairs do not weigh a link, so the bridge
// joins the better one and the other stays apart (no chaining).
TEST_F(ResolverTest, BridgeAloneDoesNotMergeTwoEntities) {
  SourceRecord by_email = Person("crm", "1", "Katarzyna", "Kowalska");
  by_email.add_emails("kasia.k@wp.pl");
  SourceRecord by_phone = Person("erp", "2", "Katarzyna", "Kowalska");
  by_phone.add_phones("+48 512 345 678");
  SourceRecord both = Person("webshop", "3", "Katarzyna", "Kowalska");
  both.add_emails("Kasia.K@wp.pl");
  both.add_phones("512345678");
  both.add_addresses()->set_country("PL");
  const std::string first = Upsert(by_email).entity_id;
  const std::string second = Upsert(by_phone).entity_id;
  const UpsertResult linked = Upsert(both);
  EXPECT_EQ(linked.outcome, LINKED);
  EXPECT_THAT(linked.merged_entity_ids, SizeIs(0));
  EXPECT_THAT(*repo().Members(first), SizeIs(linked.entity_id == first ? 2 : 1));
  EXPECT_THAT(*repo().Members(second), SizeIs(linked.entity_id == second ? 2 : 1));
}

TEST_F(ResolverTest, RecordWithoutBirthDateDoesNotMergeMotherAndDaughter) {
  SourceRecord mother = AtHome(Person("crm", "1", "Barbara", "Nowak"));
  mother.set_birth_date("1973-08-02");
  SourceRecord daughter = AtHome(Person("erp", "2", "Barbara", "Nowak"));
  daughter.set_birth_date("2003-06-16");
  SourceRecord either = AtHome(Person("webshop", "3", "Barbara", "Nowak"));
  std::string mother_entity = Upsert(mother).entity_id;
  std::string daughter_entity = Upsert(daughter).entity_id;
  ASSERT_NE(mother_entity, daughter_entity);
  UpsertResult linked = Upsert(either);
  EXPECT_EQ(linked.outcome, LINKED);
  EXPECT_TRUE(linked.merged_entity_ids.empty());
  EXPECT_EQ(repo().GetEntity(mother_entity)->record_count() +
                repo().GetEntity(daughter_entity)->record_count(),
            3);

  // A later record with the mother's birth date joins only her entity, and
  // cannot join the entity that now holds the undated record if that one is
  // the daughter's.
  SourceRecord mother_again = AtHome(Person("webshop", "4", "Barbara", "Nowak"));
  mother_again.set_birth_date("1973-08-02");
  EXPECT_EQ(Upsert(mother_again).entity_id, mother_entity);
}

TEST_F(ResolverTest, OverfullKeyBringsNoCandidatesAndIsReported) {
  ResolverOptions options;
  options.max_postings_per_key = 3;
  resolver_ = std::make_unique<Resolver>(store_.get(), NewRuleDecider(), options);
  for (int i = 0; i < 5; ++i) {
    SourceRecord r = Person("crm", std::to_string(i), "Mikko", "Virtanen");
    r.add_emails("info@firma.fi");
    UpsertResult result = Upsert(r);
    // Only the first records can link through the shared address; once it is
    // held by more than 3 records it is ignored.
    if (i >= 4) EXPECT_EQ(result.outcome, CREATED) << i;
  }
  auto hot = HotCandidateKeys(*store_, 3);
  ASSERT_TRUE(hot.ok());
  EXPECT_THAT(*hot, ::testing::Contains(::testing::Pair("em:info@firma.fi", 5)));
}

TEST_F(ResolverTest, BatchMatchesOneByOne) {
  std::vector<SourceRecord> batch;
  for (int i = 0; i < 20; ++i) {
    SourceRecord r = Person("crm", std::to_string(i), "Person", "Number" + std::to_string(i % 10));
    r.add_emails("p" + std::to_string(i % 10) + "@example.fi");
    batch.push_back(r);
  }
  batch[5].set_source_id("");
  auto results = resolver_->UpsertBatch(batch);
  ASSERT_THAT(results, SizeIs(20));
  EXPECT_EQ(results[5].status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(results[0]->outcome, CREATED);
  EXPECT_EQ(results[10]->outcome, LINKED);
  EXPECT_EQ(results[10]->entity_id, results[0]->entity_id);
}

TEST_F(ResolverTest, FinderFindsByEmailPhoneAndNameWithBirthDate) {
  SourceRecord r = Person("crm", "1", "Åsa", "Öberg");
  r.add_emails("asa.oberg@telia.com");
  r.add_phones("070-123 45 67");
  r.add_addresses()->set_country("SE");
  r.set_birth_date("1975-11-30");
  std::string entity = Upsert(r).entity_id;
  FindQuery query;
  query.email = "ASA.OBERG@telia.com";
  query.phone = "+46701234567";
  auto found = FindEntities(*store_, query);
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_THAT(*found, SizeIs(1));
  EXPECT_EQ((*found)[0].entity_id, entity);
  EXPECT_THAT((*found)[0].matched_on, ElementsAre("email", "phone"));

  FindQuery by_name;
  by_name.name = "Oberg Asa";
  by_name.birth_date = "1975-11-30";
  EXPECT_THAT(*FindEntities(*store_, by_name), SizeIs(1));
  by_name.birth_date = "1975-11-29";
  EXPECT_THAT(*FindEntities(*store_, by_name), SizeIs(0));
  EXPECT_EQ(FindEntities(*store_, FindQuery{}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace c360

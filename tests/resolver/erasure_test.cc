// Erasure (the right to be forgotten) on a real RocksDB store: what an
// erased record or entity leaves behind (ids, time, actor and nothing
// personal), the suppression list refusing a re-ingest without renewed
// consent, the change feed, and errors that leave the store unchanged.
#include "resolver/erasure.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "enrich/golden_profile.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resolver/bulk_loader.h"
#include "resolver/rule_decider.h"
#include "resolver/steward.h"
#include "resolver/suppression.h"
#include "store/consistency.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"
#include "tests/resolver/steward_fixture.h"
#include "tests/resolver/test_stores.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kEmail[] = "mikko.virtanen@example.fi";
constexpr char kPhone[] = "+358 40 765 4321";

// Mikko with e-mail and birth date.
SourceRecord MikkoByEmail(const std::string& id) {
  SourceRecord r = Person("crm", id, "Mikko", "Virtanen");
  r.add_emails(kEmail);
  r.set_birth_date("1984-05-03");
  return r;
}

// Mikko with a phone only: shares no candidate key with MikkoByEmail.
SourceRecord MikkoByPhone(const std::string& id) {
  SourceRecord r = Person("erp", id, "Mikko", "Virtanen");
  r.add_phones(kPhone);
  return r;
}

SourceRecord Anna() {
  SourceRecord r = Person("crm", "anna", "Anna", "Korhonen");
  r.add_emails("anna.korhonen@example.com");
  return r;
}

const std::string& Finland(const std::string&) {
  static const std::string fi = "FI";
  return fi;
}

class ErasureTest : public StewardStoreTest {
 protected:
  void SetUp() override {
    StewardStoreTest::SetUp();
    eraser_ = std::make_unique<Eraser>(store_.get(), resolver_.get());
  }

  // Two Mikko entities merged by a steward (one id becomes an alias) with
  // a note naming him, and Anna apart. Returns the surviving id.
  std::string TwoMikkosMerged(std::string* alias) {
    std::string a = Upsert(MikkoByEmail("1"));
    std::string b = Upsert(MikkoByPhone("2"));
    EXPECT_NE(a, b);
    Upsert(Anna());
    MergeEntitiesRequest merge;
    merge.set_entity_a(a);
    merge.set_entity_b(b);
    merge.set_note("Mikko Virtanen called: both are him");
    auto merged = steward_->MergeEntities(merge, "steward:ella");
    EXPECT_TRUE(merged.ok()) << merged.status();
    *alias = b;
    return a;
  }

  absl::StatusOr<ProfileLookup> Profile(const std::string& id) {
    return ProfileReader(store_.get(), Finland).ByEntityId(id, true);
  }

  std::vector<ChangeEvent> Changes() {
    std::vector<ChangeEvent> changes;
    EXPECT_TRUE(Repository(store_.get()).ScanChanges(1, [&](const ChangeEvent& e) {
      changes.push_back(e);
      return true;
    }).ok());
    return changes;
  }

  std::unique_ptr<Eraser> eraser_;
};

TEST_F(ErasureTest, ErasingOneRecordKeepsTheEntityWithoutItsData) {
  std::string alias;
  std::string entity = TwoMikkosMerged(&alias);
  auto erased = eraser_->EraseRecord(Key("erp", "2"), "request 17", "cli:dpo");
  ASSERT_TRUE(erased.ok()) << erased.status();
  ExpectConsistent();
  EXPECT_EQ(erased->entity_id, entity);
  EXPECT_FALSE(erased->entity_erased);
  EXPECT_EQ(erased->audit.action(), "erase_record");
  EXPECT_EQ(erased->audit.note(), "request 17");

  auto profile = Profile(entity);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_EQ(profile->profile.records_size(), 1);
  EXPECT_THAT(profile->profile.phones(), IsEmpty());
  Repository repo(store_.get());
  EXPECT_TRUE(absl::IsNotFound(repo.GetRecord(Key("erp", "2")).status()));
  auto postings = repo.Postings("ph:+358407654321", 10);
  ASSERT_TRUE(postings.ok());
  EXPECT_THAT(*postings, IsEmpty());
  EXPECT_EQ(repo.GetEntity(entity)->record_count(), 1);
  // The steward's merge named the record: its note is gone, its ids stay.
  bool saw_merge = false;
  ASSERT_TRUE(repo.ScanAudit([&](const AuditEvent& e) {
    if (e.action() == "merge") {
      saw_merge = true;
      EXPECT_EQ(e.note(), "");
      EXPECT_EQ(e.actor(), "steward:ella");
    }
    return true;
  }).ok());
  EXPECT_TRUE(saw_merge);
  EXPECT_FALSE(absl::StrContains(Dump(), "7654321"));
  EXPECT_EQ(Changes().back().type(), RECORD_ERASED);
  EXPECT_EQ(RecordKeyString(Changes().back().record()), "erp/2");
}

TEST_F(ErasureTest, ErasingAnEntityLeavesNoPersonalDataAnywhere) {
  std::string alias;
  std::string entity = TwoMikkosMerged(&alias);
  std::string namesake = Upsert(Person("web", "3", "Mikko", "Virtanen"));
  auto erased = eraser_->EraseEntity(alias, "request 18", "cli:dpo");
  ASSERT_TRUE(erased.ok()) << erased.status();
  ExpectConsistent();
  EXPECT_EQ(erased->entity_id, entity);
  EXPECT_TRUE(erased->entity_erased);
  EXPECT_EQ(erased->records.size(), 2u);

  for (const std::string& id : {entity, alias}) {
    auto profile = Profile(id);
    EXPECT_TRUE(absl::IsNotFound(profile.status())) << id;
    EXPECT_THAT(profile.status().message(), HasSubstr(id + " was erased"));
  }
  std::string dump = absl::AsciiStrToLower(Dump());
  for (const char* personal :
       {"mikko.virtanen", "7654321", "1984-05-03", "both are him"}) {
    EXPECT_FALSE(absl::StrContains(dump, personal)) << personal;
  }
  EXPECT_TRUE(absl::StrContains(dump, "anna.korhonen"));  // others stay
  const ChangeEvent last = Changes().back();
  EXPECT_EQ(last.type(), ENTITY_ERASED);
  EXPECT_EQ(last.entity_id(), entity);
  EXPECT_TRUE(Profile(namesake).ok());  // no shared identifier
}

TEST_F(ErasureTest, ReviewTasksNamingAnErasedRecordGo) {
  SourceRecord first = Person("crm", "10", "Mikko", "Virtanen");
  first.add_addresses()->set_postcode("00100");
  SourceRecord second = first;
  second.set_source("web");
  Upsert(first);
  Upsert(second);
  bool has_task = false;
  ASSERT_TRUE(Repository(store_.get()).ScanReviewTasks("", [&](const ReviewTask&) {
    has_task = true;
    return false;
  }).ok());
  ASSERT_TRUE(has_task);
  ASSERT_TRUE(eraser_->EraseRecord(Key("crm", "10"), "", "cli:dpo").ok());
  ExpectConsistent();
  ASSERT_TRUE(Repository(store_.get()).ScanReviewTasks("", [&](const ReviewTask& t) {
    ADD_FAILURE() << t.task_id() << " survived";
    return true;
  }).ok());
}

TEST_F(ErasureTest, AReingestNeedsRenewedConsent) {
  Upsert(MikkoByEmail("1"));
  std::string entity = Upsert(MikkoByPhone("2"));
  ASSERT_TRUE(eraser_->EraseEntity(entity, "", "cli:dpo").ok());
  ASSERT_TRUE(eraser_->EraseRecord(Key("crm", "1"), "", "cli:dpo").ok());
  ExpectConsistent();

  auto again = resolver_->Upsert(MikkoByEmail("1"));
  EXPECT_TRUE(absl::IsInvalidArgument(again.status()));
  EXPECT_EQ(again.status().message(),
            "record matches an erased person (suppressed identifier: email); "
            "send it with renewed consent to re-create");
  SourceRecord by_phone = MikkoByPhone("9");
  EXPECT_THAT(resolver_->Upsert(by_phone).status().message(),
              HasSubstr("suppressed identifier: phone"));

  SourceRecord consented = MikkoByEmail("1");
  (*consented.mutable_attributes())[kConsentAttribute] = kConsentRenewed;
  auto created = resolver_->Upsert(consented);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->outcome, CREATED);
  EXPECT_NE(created->entity_id, entity);
  ExpectConsistent();
  // Its identifiers are no longer suppressed; the phone still is.
  EXPECT_TRUE(resolver_->Upsert(MikkoByEmail("5")).ok());
  EXPECT_FALSE(resolver_->Upsert(by_phone).ok());
}

TEST_F(ErasureTest, BulkLoadRefusesErasedPeople) {
  std::string entity = Upsert(MikkoByEmail("1"));
  ASSERT_TRUE(eraser_->EraseEntity(entity, "", "cli:dpo").ok());
  BulkLoadOptions options;
  options.region_for = Finland;
  options.threads = 1;
  std::vector<SourceRecord> records = {MikkoByEmail("1"), Anna()};
  auto report = BulkLoad(*store_, records, resolver_->decider(), options);
  ASSERT_TRUE(report.ok()) << report.status();
  ASSERT_EQ(report->rejected.size(), 1u);
  EXPECT_EQ(report->rejected[0].index, 0u);
  EXPECT_THAT(report->rejected[0].reason, HasSubstr("suppressed identifier"));
  EXPECT_EQ(report->loaded, 1);
  ExpectConsistent();
}

TEST_F(ErasureTest, ErasingWhatDoesNotExistChangesNothing) {
  std::string entity = Upsert(MikkoByEmail("1"));
  std::string before = Dump();
  auto record = eraser_->EraseRecord(Key("crm", "nope"), "", "cli:dpo");
  EXPECT_TRUE(absl::IsNotFound(record.status())) << record.status();
  auto unknown = eraser_->EraseEntity("E0000000099", "", "cli:dpo");
  EXPECT_TRUE(absl::IsNotFound(unknown.status())) << unknown.status();
  EXPECT_EQ(Dump(), before);

  ASSERT_TRUE(eraser_->EraseEntity(entity, "", "cli:dpo").ok());
  before = Dump();
  auto twice = eraser_->EraseEntity(entity, "", "cli:dpo");
  EXPECT_TRUE(absl::IsNotFound(twice.status()));
  EXPECT_THAT(twice.status().message(), HasSubstr("was erased"));
  EXPECT_EQ(Dump(), before);
}

}  // namespace
}  // namespace c360

// Steward operations and review tasks on a real RocksDB store: every action,
// constraints honoured by later automatic decisions and by re-resolution,
// stable ids, and bad input that leaves the store byte-for-byte unchanged.
#include "resolver/steward.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resolver/reresolve.h"
#include "resolver/rule_decider.h"
#include "resolver/steward_queries.h"
#include "store/consistency.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"
#include "tests/resolver/steward_fixture.h"
#include "tests/resolver/test_stores.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Same name and postcode: 4 + 1, in the rules' review band [5, 7).
SourceRecord Mikko(const std::string& source, const std::string& id) {
  SourceRecord r = Person(source, id, "Mikko", "Virtanen");
  r.add_addresses()->set_postcode("00100");
  return r;
}

// Someone else entirely.
SourceRecord Other(const std::string& id, const std::string& given,
                   const std::string& family) {
  SourceRecord r = Person("crm", id, given, family);
  r.add_emails(given + "." + family + "@example.fi");
  return r;
}

class StewardTest : public StewardStoreTest {
 protected:
  std::vector<ReviewTask> Tasks(ReviewState state = OPEN) {
    ListReviewTasksRequest request;
    request.set_state(state);
    auto listed = ListReviewTasks(*store_, request, absl::Now());
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return {};
    return {listed->tasks().begin(), listed->tasks().end()};
  }

  std::string EntityOf(const std::string& source, const std::string& id) {
    auto record = Repository(store_.get()).GetRecord(Key(source, id));
    EXPECT_TRUE(record.ok()) << record.status();
    return record.ok() ? record->entity_id() : "";
  }

  absl::StatusOr<ReresolveStats> Reresolve() {
    auto stats = c360::Reresolve(store_.get(), resolver_.get(),
                                 NewTestDir("scratch") + "/db", "cli:test");
    ExpectConsistent();
    return stats;
  }

  DecideRequest Decision(const std::string& task, Verdict verdict) {
    DecideRequest request;
    request.set_task_id(task);
    request.set_verdict(verdict);
    request.set_note("checked by phone");
    return request;
  }

};

TEST_F(StewardTest, ReviewBandStoresOneOpenTaskWithTheNewEntity) {
  std::string a = Upsert(Mikko("crm", "1"));
  std::string b = Upsert(Mikko("web", "1"));
  EXPECT_NE(a, b);
  std::vector<ReviewTask> tasks = Tasks();
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0].task_id(), "T0000000001");
  EXPECT_EQ(RecordKeyString(tasks[0].record()), "web/1");
  EXPECT_EQ(tasks[0].entity_id(), a);
  EXPECT_DOUBLE_EQ(tasks[0].score(), 5.0);
  EXPECT_EQ(RecordKeyString(tasks[0].evidence().matched_record()), "crm/1");
  Upsert(Mikko("web", "1"));  // unchanged: no second task
  EXPECT_EQ(Tasks().size(), 1u);

  auto got = GetReviewTask(*store_, resolver_->decider(),
                           [](const std::string&) -> const std::string& {
                             static const std::string fi = "FI";
                             return fi;
                           },
                           "T0000000001");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->record().source_id(), "1");
  EXPECT_EQ(got->entity_records_size(), 1);
  EXPECT_DOUBLE_EQ(got->explanation().score(), 5.0);
}

TEST_F(StewardTest, SameMergesIntoTheOlderIdAndSurvivesReresolve) {
  std::string a = Upsert(Mikko("crm", "1"));
  std::string b = Upsert(Mikko("web", "1"));
  auto decided = steward_->Decide(Decision("T0000000001", SAME), "token:alice");
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->entity_id(), a);
  EXPECT_EQ(decided->retired_entity_id(), b);
  EXPECT_EQ(decided->task().state(), DECIDED_SAME);
  EXPECT_EQ(EntityOf("web", "1"), a);
  EXPECT_EQ(*Repository(store_.get()).LiveEntityId(b), a);
  ExpectConsistent();
  EXPECT_TRUE(Tasks().empty());

  auto stats = Reresolve();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->changed_entities, 0);
  EXPECT_EQ(EntityOf("web", "1"), a);
  EXPECT_EQ(EntityOf("crm", "1"), a);
  EXPECT_EQ(Tasks(DECIDED_SAME).size(), 1u);
}

TEST_F(StewardTest, NotSameHoldsThroughReingestAndReresolve) {
  std::string a = Upsert(Mikko("crm", "1"));
  std::string b = Upsert(Mikko("web", "1"));
  ASSERT_TRUE(steward_->Decide(Decision("T0000000001", NOT_SAME), "token:bob").ok());
  ExpectConsistent();
  // The same records with a shared e-mail would now link at once.
  SourceRecord crm = Mikko("crm", "1"), web = Mikko("web", "1");
  crm.add_emails("mikko@example.fi");
  web.add_emails("mikko@example.fi");
  Upsert(crm);
  Upsert(web);
  EXPECT_NE(EntityOf("crm", "1"), EntityOf("web", "1"));
  // A third record of the same person joins one of them, never both.
  SourceRecord erp = Mikko("erp", "1");
  erp.add_emails("mikko@example.fi");
  Upsert(erp);
  EXPECT_NE(EntityOf("crm", "1"), EntityOf("web", "1"));
  auto stats = Reresolve();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(EntityOf("crm", "1"), a);
  EXPECT_EQ(EntityOf("web", "1"), b);
  EXPECT_EQ(Tasks().size(), 0u);
  EXPECT_EQ(Tasks(DECIDED_NOT_SAME).size(), 1u);
}

// A new model that would link the pair outright (here: rules whose link
// threshold the pair's name and postcode reach) still keeps it apart, in
// re-resolution and on re-ingest.
TEST_F(StewardTest, NotSameHoldsUnderANewModel) {
  const std::string a = Upsert(Mikko("crm", "1"));
  const std::string b = Upsert(Mikko("web", "1"));
  ASSERT_TRUE(steward_->Decide(Decision("T0000000001", NOT_SAME), "token:bob").ok());
  RuleDeciderOptions eager;
  eager.link_threshold = 5.0;
  eager.review_threshold = 5.0;
  steward_.reset();
  resolver_ = std::make_unique<Resolver>(store_.get(), NewRuleDecider(eager),
                                         ResolverOptions{});
  steward_ = std::make_unique<Steward>(store_.get(), resolver_.get());
  auto stats = Reresolve();
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(EntityOf("crm", "1"), a);
  EXPECT_EQ(EntityOf("web", "1"), b);
  SourceRecord web = Mikko("web", "1");
  web.add_phones("+358 40 123 4567");
  Upsert(web);
  EXPECT_EQ(EntityOf("web", "1"), b);
  // Without the decision the new model links a third such record.
  const std::string c = Upsert(Mikko("erp", "1"));
  EXPECT_TRUE(c == a || c == b) << c;
}

TEST_F(StewardTest, SecondDecisionFailsWithAMessage) {
  Upsert(Mikko("crm", "1"));
  Upsert(Mikko("web", "1"));
  ASSERT_TRUE(steward_->Decide(Decision("T0000000001", NOT_SAME), "token:a").ok());
  std::string before = Dump();
  auto again = steward_->Decide(Decision("T0000000001", SAME), "token:b");
  EXPECT_TRUE(absl::IsFailedPrecondition(again.status())) << again.status();
  EXPECT_THAT(again.status().message(), HasSubstr("already decided"));
  EXPECT_THAT(again.status().message(), HasSubstr("token:a"));
  EXPECT_EQ(Dump(), before);
}

TEST_F(StewardTest, TwoStewardsAtOnceOneWins) {
  Upsert(Mikko("crm", "1"));
  Upsert(Mikko("web", "1"));
  absl::Status results[2];
  std::thread first([&] {
    results[0] = steward_->Decide(Decision("T0000000001", SAME), "token:a").status();
  });
  std::thread second([&] {
    results[1] = steward_->Decide(Decision("T0000000001", NOT_SAME), "token:b").status();
  });
  first.join();
  second.join();
  EXPECT_NE(results[0].ok(), results[1].ok()) << results[0] << " / " << results[1];
  const absl::Status& lost = results[0].ok() ? results[1] : results[0];
  EXPECT_TRUE(absl::IsFailedPrecondition(lost)) << lost;
  ExpectConsistent();
}

TEST_F(StewardTest, TaskOfAMergedAwayEntityIsObsolete) {
  std::string c = Upsert(Other("2", "Anna", "Korhonen"));  // the oldest
  std::string a = Upsert(Mikko("crm", "1"));
  Upsert(Mikko("web", "1"));
  MergeEntitiesRequest merge;
  merge.set_entity_a(c);
  merge.set_entity_b(a);
  ASSERT_TRUE(steward_->MergeEntities(merge, "token:a").ok());
  EXPECT_EQ(Tasks(OBSOLETE).size(), 1u);  // a was merged into c
  auto decided = steward_->Decide(Decision("T0000000001", SAME), "token:a");
  EXPECT_TRUE(absl::IsFailedPrecondition(decided.status()));
  EXPECT_THAT(decided.status().message(), HasSubstr("obsolete"));
}

TEST_F(StewardTest, AliasesFollowChainsOfMergesAndSplitReturnsEveryRecord) {
  std::string e1 = Upsert(Other("1", "Anna", "Korhonen"));
  std::string e2 = Upsert(Other("2", "Pekka", "Nieminen"));
  std::string e3 = Upsert(Other("3", "Sari", "Laine"));
  MergeEntitiesRequest merge;
  merge.set_entity_a(e3);
  merge.set_entity_b(e2);
  auto first = steward_->MergeEntities(merge, "token:a");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->entity_id(), e2);
  ExpectConsistent();
  merge.set_entity_a(e3);  // an alias now: follows to e2
  merge.set_entity_b(e1);
  auto second = steward_->MergeEntities(merge, "token:a");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->entity_id(), e1);
  ExpectConsistent();
  Repository repo(store_.get());
  EXPECT_EQ(*repo.LiveEntityId(e2), e1);
  EXPECT_EQ(*repo.LiveEntityId(e3), e1);
  EXPECT_TRUE(absl::IsNotFound(repo.LiveEntityId("E0000000099").status()));

  SplitEntityRequest split;
  split.set_entity_id(e1);
  *split.add_records() = Key("crm", "1");  // the oldest goes: it keeps e1
  split.set_force(true);  // the merges' must-links cross the parts
  auto parts = steward_->SplitEntity(split, "token:a");
  ASSERT_TRUE(parts.ok()) << parts.status();
  EXPECT_EQ(parts->entity_id(), e1);
  EXPECT_EQ(EntityOf("crm", "1"), e1);
  EXPECT_EQ(EntityOf("crm", "2"), parts->other_entity_id());
  EXPECT_EQ(EntityOf("crm", "3"), parts->other_entity_id());
  ExpectConsistent();

  EntityHistoryRequest history;
  history.set_entity_id(e3);
  history.set_page_size(2);
  auto page = EntityHistory(*store_, history);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->events_size(), 2);
  EXPECT_EQ(page->events(0).action(), "split");
  EXPECT_EQ(page->events(0).actor(), "token:a");
  EXPECT_EQ(page->events(1).action(), "merge");
  history.set_page_token(page->next_page_token());
  auto rest = EntityHistory(*store_, history);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->events_size(), 1);
  EXPECT_EQ(rest->events(0).other_entity_ids(0), e3);

  auto stats = Reresolve();  // the split holds
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_NE(EntityOf("crm", "1"), EntityOf("crm", "2"));
  EXPECT_EQ(EntityOf("crm", "2"), EntityOf("crm", "3"));
  EXPECT_EQ(EntityOf("crm", "1"), e1);
}

TEST_F(StewardTest, LinkAndUnlink) {
  std::string e1 = Upsert(Other("1", "Anna", "Korhonen"));
  std::string e2 = Upsert(Other("2", "Pekka", "Nieminen"));
  LinkRecordsRequest link;
  *link.mutable_record_a() = Key("crm", "2");
  *link.mutable_record_b() = Key("crm", "1");
  auto linked = steward_->LinkRecords(link, "token:a");
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(EntityOf("crm", "2"), e1);
  ExpectConsistent();
  UnlinkRecordRequest unlink;
  *unlink.mutable_record() = Key("crm", "2");
  auto refused = steward_->UnlinkRecord(unlink, "token:a");
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status())) << refused.status();
  unlink.set_force(true);
  auto unlinked = steward_->UnlinkRecord(unlink, "token:a");
  ASSERT_TRUE(unlinked.ok()) << unlinked.status();
  EXPECT_NE(EntityOf("crm", "2"), e1);
  EXPECT_NE(EntityOf("crm", "2"), e2);
  ExpectConsistent();
}

TEST_F(StewardTest, BadInputLeavesTheStoreUnchanged) {
  std::string e1 = Upsert(Other("1", "Anna", "Korhonen"));
  Upsert(Other("2", "Pekka", "Nieminen"));
  // Linked, then split apart: a cannot-link between crm/1 and crm/2.
  LinkRecordsRequest link;
  *link.mutable_record_a() = Key("crm", "2");
  *link.mutable_record_b() = Key("crm", "1");
  ASSERT_TRUE(steward_->LinkRecords(link, "token:a").ok());
  SplitEntityRequest split;
  split.set_entity_id(e1);
  *split.add_records() = Key("crm", "2");
  split.set_force(true);
  auto parts = steward_->SplitEntity(split, "token:a");
  ASSERT_TRUE(parts.ok()) << parts.status();
  const std::string e3 = parts->other_entity_id();
  std::string before = Dump();

  auto unknown = steward_->Decide(Decision("T0000000042", SAME), "token:a");
  EXPECT_TRUE(absl::IsNotFound(unknown.status())) << unknown.status();
  MergeEntitiesRequest self;
  self.set_entity_a(e1);
  self.set_entity_b(e1);
  auto merged_self = steward_->MergeEntities(self, "token:a");
  EXPECT_TRUE(absl::IsInvalidArgument(merged_self.status()));
  EXPECT_THAT(merged_self.status().message(), HasSubstr("itself"));
  MergeEntitiesRequest across;
  across.set_entity_a(e1);
  across.set_entity_b(e3);
  auto refused = steward_->MergeEntities(across, "token:a");
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status()));
  EXPECT_THAT(refused.status().message(), HasSubstr("cannot-link"));
  SplitEntityRequest stranger;
  stranger.set_entity_id(e1);
  *stranger.add_records() = Key("crm", "2");
  auto not_member = steward_->SplitEntity(stranger, "token:a");
  EXPECT_TRUE(absl::IsInvalidArgument(not_member.status()));
  EXPECT_THAT(not_member.status().message(), HasSubstr("not in entity"));
  MergeEntitiesRequest missing;
  missing.set_entity_a(e1);
  missing.set_entity_b("E0000000099");
  EXPECT_TRUE(absl::IsNotFound(steward_->MergeEntities(missing, "x").status()));
  EXPECT_EQ(Dump(), before);

  across.set_force(true);  // the override
  auto forced = steward_->MergeEntities(across, "token:a");
  ASSERT_TRUE(forced.ok()) << forced.status();
  ExpectConsistent();
}

}  // namespace
}  // namespace c360

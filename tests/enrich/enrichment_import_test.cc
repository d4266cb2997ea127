// Importing provider deliveries into a real RocksDB store: company rows
// matched by business id and by company name + postcode, person rows by the
// resolver, deliveries superseding and re-activated, new records linked to
// earlier deliveries, erasure of purchased person data.
#include "enrich/enrichment_import.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "enrich/business_id.h"
#include "enrich/company_links.h"
#include "enrich/enrichment_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resolver/erasure.h"
#include "resolver/rule_decider.h"
#include "store/consistency.h"
#include "store/repository.h"
#include "store/rocksdb_store.h"
#include "tests/resolver/test_stores.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

// Y-tunnus 1234567-1 (check digit by the official weights).
constexpr char kBusinessId[] = "1234567-1";

RecordKey CrmKey(const std::string& id) {
  RecordKey key;
  key.set_source("crm");
  key.set_source_id(id);
  return key;
}

SourceRecord Employee(const std::string& id, const std::string& given,
                      const std::string& family) {
  SourceRecord r = Person("crm", id, given, family);
  r.set_organization("Virtanen Consulting Oy");
  r.set_business_id(kBusinessId);
  r.add_emails(absl::StrCat(given, ".", family, "@virtanen.fi"));
  PostalAddress* address = r.add_addresses();
  address->set_postcode("00100");
  address->set_country("FI");
  return r;
}

ProviderRow CompanyRow(const std::string& business_id, const std::string& name,
                       const std::string& postcode, const std::string& industry) {
  ProviderRow row;
  row.set_line(2);
  SourceRecord* id = row.mutable_identity();
  id->set_source("register");
  if (!business_id.empty()) {
    absl::StatusOr<std::string> canonical = CanonicalBusinessId(business_id, "FI");
    EXPECT_TRUE(canonical.ok()) << canonical.status();
    id->set_business_id(*canonical);
    id->set_source_id(*canonical);
  } else {
    id->set_source_id(absl::StrCat("name:", name, "|", postcode));
  }
  id->set_organization(name);
  PostalAddress* address = id->add_addresses();
  address->set_postcode(postcode);
  address->set_country("FI");
  (*row.mutable_attributes())["industry_code"] = industry;
  return row;
}

class EnrichmentImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rocks = OpenRocksDbStore({.path = NewTestDir("enrichment") + "/db"});
    ASSERT_TRUE(rocks.ok()) << rocks.status();
    store_ = *std::move(rocks);
    ResolverOptions options;
    options.record_write_hook = LinkRecordToCompanies;
    resolver_ = std::make_unique<Resolver>(store_.get(), NewRuleDecider(), options);
    importer_ = std::make_unique<EnrichmentImporter>(store_.get(), resolver_.get());
  }

  std::string Upsert(const SourceRecord& record) {
    absl::StatusOr<UpsertResult> result = resolver_->Upsert(record);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->entity_id : "";
  }

  ImportOutcome Import(ProviderKind kind, std::vector<ProviderRow> rows,
                       const std::string& provider = "register") {
    ImportRequest request;
    request.provider = provider;
    request.kind = kind;
    request.file = "delivery.csv";
    request.actor = "test";
    absl::StatusOr<ImportOutcome> outcome = importer_->Import(request, std::move(rows));
    EXPECT_TRUE(outcome.ok()) << outcome.status();
    return outcome.ok() ? *std::move(outcome) : ImportOutcome{};
  }

  // The purchased attribute `name` of the rows applying to the entity.
  std::vector<std::string> Purchased(const std::string& entity_id,
                                     const std::string& name) {
    absl::StatusOr<std::vector<RecordKey>> members =
        Repository(store_.get()).Members(entity_id);
    EXPECT_TRUE(members.ok()) << members.status();
    absl::StatusOr<std::vector<ProviderRow>> rows =
        EffectiveProviderRows(*store_, *members);
    EXPECT_TRUE(rows.ok()) << rows.status();
    std::vector<std::string> values;
    for (const ProviderRow& row : *rows) values.push_back(row.attributes().at(name));
    return values;
  }

  // Entities announced as ENTITY_ENRICHED, in change-log order.
  std::vector<std::string> Enriched() {
    std::vector<std::string> ids;
    EXPECT_TRUE(Repository(store_.get())
                    .ScanChanges(1, [&](const ChangeEvent& event) {
                      if (event.type() == ENTITY_ENRICHED) ids.push_back(event.entity_id());
                      return true;
                    })
                    .ok());
    return ids;
  }

  int64_t Entities() {
    absl::StatusOr<StoreCensus> census = CheckStore(*store_->Snapshot());
    EXPECT_TRUE(census.ok()) << census.status();
    return census.ok() ? census->entities : -1;
  }

  std::unique_ptr<KvStore> store_;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<EnrichmentImporter> importer_;
};

TEST_F(EnrichmentImportTest, CompanyRowAppliesToEveryColleagueWithoutMergingThem) {
  const std::string mikko = Upsert(Employee("1", "Mikko", "Virtanen"));
  const std::string anna = Upsert(Employee("2", "Anna", "Korhonen"));
  ASSERT_NE(mikko, anna);
  const int64_t entities = Entities();

  ImportOutcome outcome = Import(
      COMPANY, {CompanyRow(kBusinessId, "Virtanen Consulting Oy", "00100", "62010"),
                CompanyRow("2345678-0", "Elsewhere Oy", "33100", "47110")});

  EXPECT_EQ(outcome.by_business_id, 1);
  ASSERT_THAT(outcome.unmatched, SizeIs(1));
  EXPECT_THAT(outcome.unmatched[0].reason, HasSubstr("no record with bid:"));
  EXPECT_EQ(outcome.delivery.matched(), 1);
  EXPECT_EQ(outcome.entities_touched, 2);
  EXPECT_THAT(Purchased(mikko, "industry_code"), ElementsAre("62010"));
  EXPECT_THAT(Purchased(anna, "industry_code"), ElementsAre("62010"));
  EXPECT_EQ(Entities(), entities);
  EXPECT_THAT(Enriched(), ElementsAre(mikko, anna));
}

TEST_F(EnrichmentImportTest, CompanyWithoutBusinessIdMatchesByNameAndPostcode) {
  SourceRecord record = Employee("1", "Mikko", "Virtanen");
  record.clear_business_id();
  record.set_organization("VIRTANEN CONSULTING");
  const std::string mikko = Upsert(record);

  ImportOutcome outcome =
      Import(COMPANY, {CompanyRow("", "Virtanen Consulting Oy", "00100", "62010")});

  EXPECT_EQ(outcome.by_name_postcode, 1);
  EXPECT_THAT(Purchased(mikko, "industry_code"), ElementsAre("62010"));
}

TEST_F(EnrichmentImportTest, NewerDeliverySupersedesAndOlderCanBeReactivated) {
  const std::string mikko = Upsert(Employee("1", "Mikko", "Virtanen"));
  ImportOutcome first =
      Import(COMPANY, {CompanyRow(kBusinessId, "Virtanen Consulting Oy", "00100", "62010")});
  ImportOutcome second =
      Import(COMPANY, {CompanyRow(kBusinessId, "Virtanen Consulting Oy", "00100", "70220")});
  ASSERT_LT(first.delivery.delivery_id(), second.delivery.delivery_id());
  EXPECT_THAT(Purchased(mikko, "industry_code"), ElementsAre("70220"));

  absl::StatusOr<Delivery> active =
      importer_->Activate("register", first.delivery.delivery_id(), "steward");
  ASSERT_TRUE(active.ok()) << active.status();
  EXPECT_THAT(Purchased(mikko, "industry_code"), ElementsAre("62010"));
  absl::StatusOr<std::vector<Delivery>> deliveries = Deliveries(*store_, "register");
  ASSERT_TRUE(deliveries.ok());
  ASSERT_THAT(*deliveries, SizeIs(2));
  EXPECT_FALSE((*deliveries)[0].withdrawn());
  EXPECT_TRUE((*deliveries)[1].withdrawn());
  // Each import and the re-activation announced the entity.
  EXPECT_THAT(Enriched(), ElementsAre(mikko, mikko, mikko));

  EXPECT_TRUE(absl::IsNotFound(
      importer_->Activate("register", "D-unknown", "steward").status()));
}

TEST_F(EnrichmentImportTest, VisibleDeliveriesAreTheUnwithdrawnOnes) {
  const std::string mikko = Upsert(Employee("1", "Mikko", "Virtanen"));
  ImportOutcome first = Import(
      COMPANY,
      {CompanyRow(kBusinessId, "Virtanen Consulting Oy", "00100", "62010")});
  ImportOutcome other =
      Import(COMPANY,
             {CompanyRow(kBusinessId, "Virtanen Consulting Oy", "00100", "A")},
             "other");
  Import(COMPANY,
         {CompanyRow(kBusinessId, "Virtanen Consulting Oy", "00100", "70220")});
  absl::StatusOr<VisibleDeliveries> before = AllVisibleDeliveries(*store_);
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_TRUE(
      importer_->Activate("register", first.delivery.delivery_id(), "steward")
          .ok());

  absl::StatusOr<DeliveryIds> register_ids =
      VisibleDeliveryIds(*store_, "register");
  ASSERT_TRUE(register_ids.ok()) << register_ids.status();
  EXPECT_THAT(*register_ids, ElementsAre(first.delivery.delivery_id()));
  absl::StatusOr<DeliveryIds> unknown = VisibleDeliveryIds(*store_, "unknown");
  ASSERT_TRUE(unknown.ok());
  EXPECT_THAT(*unknown, IsEmpty());
  absl::StatusOr<VisibleDeliveries> all = AllVisibleDeliveries(*store_);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_THAT(*all, SizeIs(2));
  EXPECT_EQ(all->at("register"), *register_ids);
  EXPECT_THAT(all->at("other"), ElementsAre(other.delivery.delivery_id()));

  // Given deliveries are used as they are, not read again.
  absl::StatusOr<std::vector<RecordKey>> members =
      Repository(store_.get()).Members(mikko);
  ASSERT_TRUE(members.ok());
  auto industries = [&](const VisibleDeliveries& visible) {
    absl::StatusOr<std::vector<ProviderRow>> rows =
        EffectiveProviderRows(*store_, *members, visible);
    EXPECT_TRUE(rows.ok()) << rows.status();
    std::vector<std::string> values;
    for (const ProviderRow& row : *rows) {
      values.push_back(row.attributes().at("industry_code"));
    }
    return values;
  };
  EXPECT_THAT(industries(*all), ElementsAre("A", "62010"));
  EXPECT_THAT(industries(*before), ElementsAre("A", "70220"));
  EXPECT_THAT(industries({}), IsEmpty());
  EXPECT_THAT(Purchased(mikko, "industry_code"), ElementsAre("A", "62010"));
}

TEST_F(EnrichmentImportTest, RecordArrivingAfterTheDeliveryIsLinkedOnArrival) {
  Import(COMPANY, {CompanyRow(kBusinessId, "Virtanen Consulting Oy", "00100", "62010")});
  const std::string mikko = Upsert(Employee("1", "Mikko", "Virtanen"));
  EXPECT_THAT(Purchased(mikko, "industry_code"), ElementsAre("62010"));

  // A new employer takes the link away in the same write.
  SourceRecord moved = Employee("1", "Mikko", "Virtanen");
  moved.set_business_id("2345678-0");
  moved.set_organization("Elsewhere Oy");
  Upsert(moved);
  EXPECT_THAT(Purchased(mikko, "industry_code"), IsEmpty());
}

ProviderRow PersonRow(const std::string& key, const SourceRecord& like) {
  ProviderRow row;
  row.set_line(7);
  *row.mutable_identity() = like;
  row.mutable_identity()->set_source("consumer");
  row.mutable_identity()->set_source_id(key);
  (*row.mutable_attributes())["age_band"] = "35-44";
  return row;
}

TEST_F(EnrichmentImportTest, PersonRowJoinsTheOneEntityTheModelLinks) {
  SourceRecord mikko_record = Employee("1", "Mikko", "Virtanen");
  mikko_record.set_birth_date("1984-03-07");
  const std::string mikko = Upsert(mikko_record);
  const int64_t entities = Entities();

  SourceRecord stranger = Person("x", "y", "Liisa", "Nieminen");
  stranger.set_birth_date("1990-01-01");
  ImportOutcome outcome = Import(
      PERSON, {PersonRow("P1", mikko_record), PersonRow("P2", stranger)}, "consumer");

  EXPECT_EQ(outcome.by_person_model, 1);
  ASSERT_THAT(outcome.unmatched, SizeIs(1));
  EXPECT_EQ(outcome.unmatched[0].key, "P2");
  EXPECT_EQ(outcome.unmatched[0].line, 7);
  EXPECT_THAT(Purchased(mikko, "age_band"), ElementsAre("35-44"));
  EXPECT_EQ(Entities(), entities);  // the unmatched row made no entity
}

TEST_F(EnrichmentImportTest, PersonRowMatchingTwoEntitiesStaysUnmatched) {
  // Two entities the rules keep apart (different birth dates) that the
  // provider's row, without a birth date, would both fit.
  SourceRecord a = Employee("1", "Mikko", "Virtanen");
  a.set_birth_date("1984-03-07");
  SourceRecord b = Employee("2", "Mikko", "Virtanen");
  b.set_birth_date("1950-11-30");
  b.clear_emails();
  b.add_emails("mikko.virtanen@example.fi");
  const std::string first = Upsert(a);
  const std::string second = Upsert(b);
  ASSERT_NE(first, second);
  SourceRecord both = Employee("3", "Mikko", "Virtanen");
  both.add_emails("mikko.virtanen@example.fi");

  ImportOutcome outcome = Import(PERSON, {PersonRow("P1", both)}, "consumer");

  ASSERT_THAT(outcome.unmatched, SizeIs(1));
  EXPECT_THAT(outcome.unmatched[0].reason, HasSubstr("ambiguous"));
  EXPECT_THAT(Purchased(first, "age_band"), IsEmpty());
  EXPECT_THAT(Purchased(second, "age_band"), IsEmpty());
}

TEST_F(EnrichmentImportTest, ErasureDeletesLinksAndPurchasedPersonRows) {
  SourceRecord record = Employee("1", "Mikko", "Virtanen");
  record.set_birth_date("1984-03-07");
  Upsert(record);
  Import(COMPANY, {CompanyRow(kBusinessId, "Virtanen Consulting Oy", "00100", "62010")});
  ImportOutcome persons = Import(PERSON, {PersonRow("P1", record)}, "consumer");
  ASSERT_EQ(persons.by_person_model, 1);

  Eraser eraser(store_.get(), resolver_.get());
  ASSERT_TRUE(eraser.EraseRecord(CrmKey("1"), "request", "dpo").ok());

  int links = 0;
  ASSERT_TRUE(store_->Scan(Table::kEnrichmentLinks, "", "",
                           [&](absl::string_view, absl::string_view) {
                             ++links;
                             return true;
                           }).ok());
  EXPECT_EQ(links, 0);
  EXPECT_TRUE(absl::IsNotFound(GetProviderRow(*store_, "consumer", "P1",
                                              persons.delivery.delivery_id())
                                   .status()));
  // The company row describes a company, not the person: it stays.
  int company_rows = 0;
  ASSERT_TRUE(store_->Scan(Table::kProviderRows, "", "",
                           [&](absl::string_view, absl::string_view) {
                             ++company_rows;
                             return true;
                           }).ok());
  EXPECT_EQ(company_rows, 1);
}

TEST_F(EnrichmentImportTest, RowsOfAnUnfinishedImportTakeNoPart) {
  const std::string mikko = Upsert(Employee("1", "Mikko", "Virtanen"));
  // What a crash before the import's last write leaves: a row and its link,
  // no Delivery entry.
  ProviderRow row = CompanyRow(kBusinessId, "Virtanen Consulting Oy", "00100", "62010");
  row.set_provider("register");
  row.set_delivery_id("D20260101T000000.000000Z");
  WriteSet writes;
  writes.Put(Table::kProviderRows,
             ProviderRowKey("register", row.identity().source_id(), row.delivery_id()),
             row.SerializeAsString());
  writes.Put(Table::kEnrichmentLinks,
             EnrichmentLinkKey(CrmKey("1"), "register", row.identity().source_id(),
                               row.delivery_id()),
             "");
  ASSERT_TRUE(store_->Commit(writes).ok());
  EXPECT_THAT(Purchased(mikko, "industry_code"), IsEmpty());
}

TEST_F(EnrichmentImportTest, BadProviderNameOrKindChangesNothing) {
  ImportRequest request;
  request.provider = "Bad Name";
  request.kind = COMPANY;
  EXPECT_TRUE(absl::IsInvalidArgument(importer_->Import(request, {}).status()));
  request.provider = "register";
  request.kind = PROVIDER_KIND_UNSPECIFIED;
  EXPECT_TRUE(absl::IsInvalidArgument(importer_->Import(request, {}).status()));
  absl::StatusOr<std::vector<Delivery>> deliveries = AllDeliveries(*store_);
  ASSERT_TRUE(deliveries.ok());
  EXPECT_THAT(*deliveries, IsEmpty());
}

}  // namespace
}  // namespace c360

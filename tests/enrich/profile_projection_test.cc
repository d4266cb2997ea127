// The profiles table follows the change log: rows appear, change, gain
// purchased data and disappear with their entities; the index follows the
// rows; catching up again or rebuilding gives the same table.
#include "enrich/profile_projection.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "c360/segment.pb.h"
#include "enrich/business_id.h"
#include "enrich/company_links.h"
#include "enrich/enrichment_import.h"
#include "enrich/segment_index.h"
#include "enrich/survivorship.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resolver/erasure.h"
#include "resolver/rule_decider.h"
#include "store/keys.h"
#include "store/rocksdb_store.h"
#include "tests/resolver/test_stores.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

SourceRecord Finn(const std::string& id, const std::string& given,
                  const std::string& email) {
  SourceRecord r = Person("crm", id, given, "Virtanen");
  r.add_emails(email);
  r.set_business_id("1234567-1");
  PostalAddress* address = r.add_addresses();
  address->set_postcode("00100");
  address->set_country("FI");
  return r;
}

class ProfileProjectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rocks = OpenRocksDbStore({.path = NewTestDir("projection") + "/db"});
    ASSERT_TRUE(rocks.ok()) << rocks.status();
    store_ = *std::move(rocks);
    ResolverOptions options;
    options.record_write_hook = LinkRecordToCompanies;
    resolver_ = std::make_unique<Resolver>(store_.get(), NewRuleDecider(), options);
    const Resolver* resolver = resolver_.get();
    reader_ = std::make_unique<ProfileReader>(
        store_.get(), [resolver](const std::string& source) -> const std::string& {
          return resolver->RegionFor(source);
        });
    projection_ = std::make_unique<ProfileProjection>(store_.get(), reader_.get());
  }

  std::string Upsert(const SourceRecord& record) {
    absl::StatusOr<UpsertResult> result = resolver_->Upsert(record);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? result->entity_id : "";
  }

  void CatchUp() {
    absl::StatusOr<int64_t> applied = projection_->CatchUp();
    ASSERT_TRUE(applied.ok()) << applied.status();
  }

  // The values of `field` in the entity's row; NotFound-free: empty when
  // the row or the field is missing.
  std::vector<std::string> Field(const std::string& entity_id, const std::string& field) {
    absl::StatusOr<std::string> bytes = store_->Get(Table::kProfiles, ProfileKey(entity_id));
    if (!bytes.ok()) return {};
    SegmentRow row;
    EXPECT_TRUE(row.ParseFromString(*bytes));
    for (const SegmentField& f : row.fields()) {
      if (f.name() == field) return {f.values().begin(), f.values().end()};
    }
    return {};
  }

  // Imports a "register" delivery of one company row, Y-tunnus 1234567-1,
  // with the industry code.
  absl::Status ImportIndustry(const std::string& industry_code) {
    ProviderRow row;
    row.set_line(2);
    absl::StatusOr<std::string> id = CanonicalBusinessId("1234567-1", "FI");
    if (!id.ok()) return id.status();
    row.mutable_identity()->set_source_id(*id);
    row.mutable_identity()->set_business_id(*id);
    row.mutable_identity()->set_organization("Virtanen Oy");
    (*row.mutable_attributes())["industry_code"] = industry_code;
    EnrichmentImporter importer(store_.get(), resolver_.get());
    ImportRequest request;
    request.provider = "register";
    request.kind = COMPANY;
    return importer.Import(request, {row}).status();
  }

  bool HasRow(const std::string& entity_id) {
    return store_->Get(Table::kProfiles, ProfileKey(entity_id)).ok();
  }

  std::vector<std::string> IndexKeys() {
    std::vector<std::string> keys;
    EXPECT_TRUE(store_->Scan(Table::kProfileIndex, "", "",
                             [&](absl::string_view key, absl::string_view) {
                               keys.emplace_back(key);
                               return true;
                             }).ok());
    return keys;
  }

  // Both tables, to compare.
  std::string Dump() {
    std::string all;
    for (Table table : {Table::kProfiles, Table::kProfileIndex}) {
      EXPECT_TRUE(store_->Scan(table, "", "", [&](absl::string_view k, absl::string_view v) {
        absl::StrAppend(&all, k, "=", v, "\n");
        return true;
      }).ok());
    }
    return all;
  }

  std::unique_ptr<KvStore> store_;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<ProfileReader> reader_;
  std::unique_ptr<ProfileProjection> projection_;
};

TEST_F(ProfileProjectionTest, RowsFollowEntitiesAndPurchasedData) {
  const std::string mikko = Upsert(Finn("1", "Mikko", "mikko@virtanen.fi"));
  const std::string anna = Upsert(Finn("2", "Anna", "anna@virtanen.fi"));
  ASSERT_NE(mikko, anna);
  CatchUp();
  EXPECT_THAT(Field(mikko, "given_name"), ElementsAre("Mikko"));
  EXPECT_THAT(Field(anna, "records"), ElementsAre("1"));
  EXPECT_THAT(IndexKeys(), Contains(ProfileIndexKey("country", "FI", mikko)));

  // A second record of Anna's: only her row changes.
  SourceRecord erp = Finn("3", "Anna", "anna@virtanen.fi");
  erp.set_source("erp");
  ASSERT_EQ(Upsert(erp), anna);
  CatchUp();
  EXPECT_THAT(Field(anna, "records"), ElementsAre("2"));
  EXPECT_THAT(Field(anna, "source"), ElementsAre("crm", "erp"));

  // A company delivery reaches both through ENTITY_ENRICHED.
  ASSERT_TRUE(ImportIndustry("62010").ok());
  CatchUp();
  EXPECT_THAT(Field(mikko, "enrichment.industry_code"), ElementsAre("62010"));
  EXPECT_THAT(Field(anna, "enrichment.industry_code"), ElementsAre("62010"));
  EXPECT_THAT(IndexKeys(),
              Contains(ProfileIndexKey("enrichment.industry_code", "62010", anna)));

  // Erasing Mikko's entity drops its row and its index entries.
  Eraser eraser(store_.get(), resolver_.get());
  ASSERT_TRUE(eraser.EraseEntity(mikko, "request", "dpo").ok());
  CatchUp();
  EXPECT_FALSE(HasRow(mikko));
  for (const std::string& key : IndexKeys()) {
    absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
    ASSERT_TRUE(parts.ok());
    EXPECT_NE(parts->back(), mikko) << (*parts)[0];
  }
  EXPECT_TRUE(HasRow(anna));
}

TEST_F(ProfileProjectionTest, ReplayingAndRebuildingGiveTheSameTable) {
  Upsert(Finn("1", "Mikko", "mikko@virtanen.fi"));
  Upsert(Finn("2", "Anna", "anna@virtanen.fi"));
  CatchUp();
  const std::string once = Dump();
  absl::StatusOr<uint64_t> applied = projection_->AppliedSequence();
  ASSERT_TRUE(applied.ok());
  EXPECT_GT(*applied, 0u);

  // As after a crash before the progress was recorded: everything again.
  WriteSet reset;
  reset.Delete(Table::kMeta, "profiles_applied_change");
  ASSERT_TRUE(store_->Commit(reset).ok());
  CatchUp();
  EXPECT_EQ(Dump(), once);

  absl::StatusOr<int64_t> rebuilt = projection_->Rebuild();
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(*rebuilt, 2);
  EXPECT_EQ(Dump(), once);
}

TEST_F(ProfileProjectionTest, ABatchContextIsUsedAsLoaded) {
  const std::string mikko = Upsert(Finn("1", "Mikko", "mikko@virtanen.fi"));
  ASSERT_TRUE(ImportIndustry("62010").ok());
  absl::StatusOr<ProfileContext> context = reader_->LoadContext();
  ASSERT_TRUE(context.ok()) << context.status();
  EXPECT_EQ(context->rules.SerializeAsString(),
            DefaultSurvivorshipRules().SerializeAsString());
  ASSERT_EQ(context->deliveries.size(), 1u);
  EXPECT_EQ(context->deliveries.at("register").size(), 1u);
  absl::StatusOr<ProfileLookup> batch = reader_->ByEntityId(mikko, *context);
  absl::StatusOr<ProfileLookup> single = reader_->ByEntityId(mikko, false);
  ASSERT_TRUE(batch.ok()) << batch.status();
  ASSERT_TRUE(single.ok()) << single.status();
  EXPECT_EQ(batch->profile.SerializeAsString(),
            single->profile.SerializeAsString());

  // A newer delivery: single lookups see it, the loaded context does not.
  ASSERT_TRUE(ImportIndustry("70220").ok());
  auto industry = [&](absl::StatusOr<ProfileLookup> lookup) {
    EXPECT_TRUE(lookup.ok()) << lookup.status();
    std::vector<std::string> values;
    if (!lookup.ok()) return values;
    for (const NamedGoldenValue& value : lookup->profile.enrichment()) {
      if (value.name() == "industry_code")
        values.push_back(value.value().value());
    }
    return values;
  };
  EXPECT_THAT(industry(reader_->ByEntityId(mikko, *context)),
              ElementsAre("62010"));
  EXPECT_THAT(industry(reader_->ByEntityId(mikko, false)),
              ElementsAre("70220"));
}

TEST_F(ProfileProjectionTest, RebuildingAnEmptyStoreRecordsItsProgress) {
  std::vector<std::pair<int64_t, int64_t>> heard;
  absl::StatusOr<int64_t> rebuilt = projection_->Rebuild(
      [&](int64_t done, int64_t total) { heard.emplace_back(done, total); });
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(*rebuilt, 0);
  EXPECT_THAT(heard, ElementsAre(std::make_pair(int64_t{0}, int64_t{0})));
  EXPECT_TRUE(store_->Get(Table::kMeta, "profiles_applied_change").ok());
  EXPECT_THAT(IndexKeys(), IsEmpty());
}

TEST_F(ProfileProjectionTest, NothingToDoIsCheap) {
  CatchUp();
  EXPECT_THAT(IndexKeys(), IsEmpty());
  absl::StatusOr<int64_t> again = projection_->CatchUp();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
}

}  // namespace
}  // namespace c360

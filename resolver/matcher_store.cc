#include "resolver/matcher_store.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "store/keys.h"
#include "store/repository.h"

namespace c360 {
namespace {

constexpr char kFamily[] = "matcher";
constexpr char kActiveKey[] = "active_matcher";

std::string VersionKey(uint64_t version) {
  return EncodeKey({kFamily, EncodeSequence(version)});
}

// The highest stored version, 0 when there is none.
absl::StatusOr<uint64_t> LatestVersion(const ReadView& view) {
  uint64_t latest = 0;
  absl::Status scanned = view.Scan(
      Table::kModels, EncodeKey({kFamily}), "",
      [&](absl::string_view key, absl::string_view) {
        absl::StatusOr<std::vector<std::string>> parts = DecodeKey(key);
        if (parts.ok() && parts->size() == 2) {
          absl::StatusOr<uint64_t> version = DecodeSequence((*parts)[1]);
          if (version.ok()) latest = *version;
        }
        return true;
      });
  if (!scanned.ok()) return scanned;
  return latest;
}

std::vector<ComparableRecord> ComparableRecords(const ReadView& view,
                                                const RegionForSource& region_for,
                                                absl::Status* status) {
  std::vector<ComparableRecord> records;
  *status = Repository(&view).ScanRecords([&](const StoredRecord& stored) {
    const SourceRecord& r = stored.record();
    records.push_back(MakeComparable(r, region_for(r.source())));
    return true;
  });
  return records;
}

}  // namespace

absl::StatusOr<TrainedMatcher> TrainMatcher(const ReadView& view,
                                            const RegionForSource& region_for,
                                            NicknameTable nicknames,
                                            const MatcherTraining& options) {
  absl::Status read;
  std::vector<ComparableRecord> records = ComparableRecords(view, region_for, &read);
  if (!read.ok()) return read;
  return TrainMatcherOnRecords(records, std::move(nicknames), options);
}

std::vector<ComparableRecord> SampleComparables(
    absl::Span<const SourceRecord> records, const RegionForSource& region_for,
    size_t sample, uint64_t seed, int threads) {
  std::vector<size_t> chosen(records.size());
  std::iota(chosen.begin(), chosen.end(), 0);
  if (sample < records.size()) {
    std::mt19937_64 random(seed);
    std::shuffle(chosen.begin(), chosen.end(), random);
    chosen.resize(sample);
    std::sort(chosen.begin(), chosen.end());
  }
  std::vector<ComparableRecord> out(chosen.size());
  std::vector<std::thread> workers;
  for (int t = 0; t < std::max(1, threads); ++t) {
    workers.emplace_back([&, t] {
      for (size_t i = t; i < chosen.size(); i += std::max(1, threads)) {
        const SourceRecord& record = records[chosen[i]];
        out[i] = MakeComparable(record, region_for(record.source()));
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  return out;
}

absl::StatusOr<TrainedMatcher> TrainMatcherOnRecords(
    const std::vector<ComparableRecord>& records, NicknameTable nicknames,
    const MatcherTraining& options) {
  std::vector<RecordPair> pairs = CandidatePairs(records, options.blocking);
  if (pairs.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no candidate pairs among ", records.size(),
        " records: nothing to learn from; the active model stays"));
  }
  std::vector<ComparisonVector> vectors = ComparePairs(
      Comparator(nicknames), records, pairs, std::max(1, options.em.threads));
  TrainedMatcher trained;
  trained.records = static_cast<int64_t>(records.size());
  absl::StatusOr<std::unique_ptr<MatchModel>> model = TrainMatchModel(
      records, pairs, vectors, std::move(nicknames), options.blocking,
      options.em,
      &trained.report);
  if (!model.ok()) return model.status();
  trained.model = *std::move(model);
  return trained;
}

absl::StatusOr<uint64_t> SaveActiveMatcher(KvStore& store, const MatchModel& model) {
  absl::StatusOr<uint64_t> latest = LatestVersion(store);
  if (!latest.ok()) return latest.status();
  const uint64_t version = *latest + 1;
  WriteSet writes;
  writes.Put(Table::kModels, VersionKey(version), model.ToProto().SerializeAsString());
  writes.Put(Table::kMeta, EncodeKey({kActiveKey}), EncodeSequence(version));
  absl::Status committed = store.Commit(writes);
  if (!committed.ok()) return committed;
  return version;
}

absl::StatusOr<std::pair<uint64_t, std::unique_ptr<MatchModel>>> LoadActiveMatcher(
    const ReadView& view) {
  absl::StatusOr<std::string> active = view.Get(Table::kMeta, EncodeKey({kActiveKey}));
  if (!active.ok()) return active.status();
  absl::StatusOr<uint64_t> version = DecodeSequence(*active);
  if (!version.ok()) return absl::DataLossError("unreadable active matcher version");
  absl::StatusOr<std::string> bytes = view.Get(Table::kModels, VersionKey(*version));
  if (!bytes.ok()) {
    return absl::DataLossError(absl::StrCat("active matcher version ", *version,
                                            " is missing: ", bytes.status().message()));
  }
  MatchModelProto proto;
  if (!proto.ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("unreadable matcher version ", *version));
  }
  absl::StatusOr<std::unique_ptr<MatchModel>> model = MatchModel::FromProto(proto);
  if (!model.ok()) return model.status();
  return std::make_pair(*version, *std::move(model));
}

}  // namespace c360

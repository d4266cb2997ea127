#include "server/febrl.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "resolver/comparison.h"
#include "resolver/matcher_store.h"

namespace c360 {
namespace {

constexpr char kHeader[] =
    "rec_id, given_name, surname, street_number, address_1, address_2, "
    "suburb, postcode, state, date_of_birth, soc_sec_id";

enum Column {
  kRecId,
  kGiven,
  kSurname,
  kStreetNumber,
  kAddress1,
  kAddress2,
  kSuburb,
  kPostcode,
  kState,
  kDateOfBirth,
  kSocSecId,
  kColumns
};

absl::Status LineError(int line, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("FEBRL line ", line, ": ", what));
}

// "rec-1070-dup-0" -> "1070"; empty when the id has another form.
std::string PersonOf(absl::string_view rec_id) {
  std::vector<absl::string_view> parts = absl::StrSplit(rec_id, '-');
  if (parts.size() < 3 || parts[0] != "rec" || parts[1].empty()) return "";
  for (char c : parts[1]) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return "";
  }
  return std::string(parts[1]);
}

std::string IsoDate(absl::string_view yyyymmdd) {
  if (yyyymmdd.size() != 8) return std::string(yyyymmdd);
  return absl::StrCat(yyyymmdd.substr(0, 4), "-", yyyymmdd.substr(4, 2), "-",
                      yyyymmdd.substr(6, 2));
}

void SetAttribute(const char* key, const std::string& value, SourceRecord* r) {
  if (!value.empty()) (*r->mutable_attributes())[key] = value;
}

SourceRecord ToRecord(const std::vector<std::string>& cells,
                      absl::string_view source) {
  SourceRecord record;
  record.set_source(std::string(source));
  record.set_source_id(cells[kRecId]);
  PersonName* name = record.add_names();
  name->set_given(cells[kGiven]);
  name->set_family(cells[kSurname]);
  PostalAddress* address = record.add_addresses();
  address->set_house_number(cells[kStreetNumber]);
  address->set_street(cells[kAddress1]);
  address->set_city(cells[kSuburb]);
  address->set_postcode(cells[kPostcode]);
  record.set_birth_date(IsoDate(cells[kDateOfBirth]));
  SetAttribute(kAddressLine2Attribute, cells[kAddress2], &record);
  SetAttribute(kRegionAttribute, cells[kState], &record);
  SetAttribute(kSocSecIdAttribute, cells[kSocSecId], &record);
  return record;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

std::vector<int> ExclusiveGroups(const std::vector<ComparableRecord>& records,
                                 const std::vector<std::string>& sources) {
  std::vector<int> groups;
  for (const ComparableRecord& record : records) {
    auto it = std::find(sources.begin(), sources.end(),
                        record.normalized.key.source());
    groups.push_back(
        it == sources.end() ? -1 : static_cast<int>(it - sources.begin()));
  }
  return groups;
}

ScoredPair ScorePair(const MatchModel& model,
                     const std::vector<ComparableRecord>& records, int a, int b,
                     const ComparisonVector& levels) {
  return {a, b, model.Score(levels, records[a], records[b]),
          model.Conflicts(levels)};
}

Clustering Resolve(const MatchModel& model, double link_weight,
                   const std::vector<ComparableRecord>& records,
                   const std::vector<RecordPair>& pairs,
                   const std::vector<ComparisonVector>& vectors,
                   const FebrlEvalOptions& options) {
  std::vector<ScoredPair> scored;
  scored.reserve(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    scored.push_back(
        ScorePair(model, records, pairs[i].first, pairs[i].second, vectors[i]));
  }
  ClusteringOptions clustering;
  clustering.link_weight = link_weight;
  clustering.review_weight = std::min(link_weight, model.review_threshold());
  clustering.exclusive_group =
      ExclusiveGroups(records, options.blocking.one_record_per_person_sources);
  const PairScorer scorer = [&](int a, int b) {
    return ScorePair(model, records, a, b,
                     model.comparator().Compare(records[a], records[b]));
  };
  return ClusterRecords(static_cast<int>(records.size()), std::move(scored),
                        scorer, clustering);
}

ClusterMetrics Measure(const Clustering& clustering,
                       const std::vector<std::string>& person_ids) {
  std::vector<Assignment> assignments;
  for (size_t i = 0; i < person_ids.size(); ++i) {
    assignments.push_back(
        {absl::StrCat(clustering.cluster_of[i]), person_ids[i]});
  }
  return Evaluate(assignments);
}

}  // namespace

absl::StatusOr<FebrlEvaluation> EvaluateFebrl(const FebrlData& data,
                                              NicknameTable nicknames,
                                              const FebrlEvalOptions& options) {
  FebrlEvaluation result;
  auto start = std::chrono::steady_clock::now();
  static const std::string kNoRegion;
  const std::vector<ComparableRecord> records = SampleComparables(
      data.records, [](const std::string&) -> const std::string& {
        return kNoRegion;
      },
      data.records.size(), 0, std::max(1, options.em.threads));
  result.prepare_seconds = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  const std::vector<RecordPair> pairs =
      CandidatePairs(records, options.blocking);
  const std::vector<ComparisonVector> vectors =
      ComparePairs(Comparator(nicknames), records, pairs, options.em.threads);
  absl::StatusOr<std::unique_ptr<MatchModel>> model = TrainMatchModel(
      records, pairs, vectors, std::move(nicknames), options.blocking,
      options.em,
      &result.em);
  if (!model.ok()) return model.status();
  model = (*model)->WithThresholds(options.link_probability,
                                   options.review_probability);
  if (!model.ok()) return model.status();
  result.model = *std::move(model);
  result.train_seconds = SecondsSince(start);
  start = std::chrono::steady_clock::now();
  const Clustering clustering = Resolve(
      *result.model, result.model->link_threshold(), records, pairs, vectors,
      options);
  result.resolve_seconds = SecondsSince(start);
  result.review_pairs = static_cast<int64_t>(clustering.review.size());
  result.metrics = Measure(clustering, data.person_ids);
  for (double probability : options.sweep) {
    result.sweep.push_back(
        {probability,
         Measure(Resolve(*result.model, ProbabilityToWeight(probability),
                         records, pairs, vectors, options),
                 data.person_ids)});
  }
  return result;
}

absl::Status ReadFebrl(std::istream& in, absl::string_view source,
                       FebrlData* out) {
  std::string line;
  if (!std::getline(in, line) || absl::StripAsciiWhitespace(line) != kHeader) {
    return LineError(1, "expected the header '" + std::string(kHeader) + "'");
  }
  for (int number = 2; std::getline(in, line); ++number) {
    if (absl::StripAsciiWhitespace(line).empty()) continue;
    std::vector<std::string> cells = absl::StrSplit(line, ',');
    if (cells.size() != kColumns) {
      return LineError(number, absl::StrCat(cells.size(), " columns, not 11"));
    }
    for (std::string& cell : cells) {
      cell = std::string(absl::StripAsciiWhitespace(cell));
    }
    std::string person = PersonOf(cells[kRecId]);
    if (person.empty()) {
      return LineError(number,
                       "rec_id '" + cells[kRecId] + "' is not rec-<n>-...");
    }
    out->records.push_back(ToRecord(cells, source));
    out->person_ids.push_back(std::move(person));
  }
  return absl::OkStatus();
}

absl::StatusOr<FebrlData> ReadFebrlFile(const std::string& path,
                                        absl::string_view source) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot open FEBRL file " + path);
  FebrlData data;
  absl::Status status = ReadFebrl(in, source, &data);
  if (!status.ok()) return status;
  return data;
}

}  // namespace c360

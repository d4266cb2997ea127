// Reader of FEBRL benchmark files (Christen's synthetic person records, see
// ../shared/data/README.md) into SourceRecords with their known answers.
//
// Columns: rec_id, given_name, surname, street_number, address_1,
// address_2, suburb, postcode, state, date_of_birth, soc_sec_id; a space
// follows each comma. They map to name.given, name.family, the first
// address (house_number, street, city = suburb, postcode), birth_date
// (YYYYMMDD -> YYYY-MM-DD, kept even when the date is impossible) and the
// attributes "address_2", "state" and "soc_sec_id".
#ifndef C360_SERVER_FEBRL_H_
#define C360_SERVER_FEBRL_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/record.pb.h"
#include "resolver/clustering.h"
#include "resolver/em_trainer.h"
#include "resolver/evaluation.h"
#include "resolver/match_model.h"

namespace c360 {

struct FebrlData {
  std::vector<SourceRecord> records;
  // Per record, the person it really is: the number in "rec-<n>-org".
  std::vector<std::string> person_ids;
};

// Appends the rows of `in` as records of `source` (source_id = rec_id).
// InvalidArgument, naming the line, for a missing or wrong header, a row
// without 11 columns or a rec_id not of the form rec-<n>-...
absl::Status ReadFebrl(std::istream& in, absl::string_view source,
                       FebrlData* out);

// Reads the file at `path`; NotFound when it cannot be opened.
absl::StatusOr<FebrlData> ReadFebrlFile(const std::string& path,
                                        absl::string_view source);

struct FebrlEvalOptions {
  BlockingOptions blocking;
  EmOptions em;
  // The trained model's thresholds (MatchModelParams).
  double link_probability = 0.99;
  double review_probability = 0.5;
  // Link probabilities at which quality is also measured.
  std::vector<double> sweep = {0.5, 0.8, 0.9, 0.95, 0.99, 0.999};
};

// Quality had the model linked at `link_probability`.
struct ThresholdQuality {
  double link_probability = 0;
  ClusterMetrics metrics;
};

// What a bulk resolution of FEBRL records did and how well.
struct FebrlEvaluation {
  ClusterMetrics metrics;
  std::unique_ptr<MatchModel> model;
  EmReport em;
  int64_t review_pairs = 0;
  double prepare_seconds = 0;  // MakeComparable of every record
  double train_seconds = 0;    // blocking, comparisons, u sampling, EM
  double resolve_seconds = 0;  // scoring and clustering
  std::vector<ThresholdQuality> sweep;
};

// Resolves `data` in bulk as c360 would without known answers: prepares the
// records, blocks, trains the match model by EM, scores the candidate pairs
// and clusters them at the model's link threshold, then again at each
// threshold of the sweep. The answers are used only to measure the result. Sources in `options.blocking`'s
// one_record_per_person_sources also hold one record per cluster.
absl::StatusOr<FebrlEvaluation> EvaluateFebrl(const FebrlData& data,
                                              NicknameTable nicknames,
                                              const FebrlEvalOptions& options);

}  // namespace c360

#endif  // C360_SERVER_FEBRL_H_

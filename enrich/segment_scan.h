// Segment scans: the profiles (table profiles, one SegmentRow per live
// entity) a filter selects, read from one view of the store.
//
// A filter with an index plan (SegmentFilter::plan) walks profile_index for
// the plan's values, value by value in byte order and entities in id order
// within a value, and reads each row; any other filter walks every profile in
// entity-id order. An entity holding several of an IN plan's values is
// delivered once, under the first of them.
#ifndef C360_ENRICH_SEGMENT_SCAN_H_
#define C360_ENRICH_SEGMENT_SCAN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "c360/segment.pb.h"
#include "enrich/segment_filter.h"
#include "enrich/segment_row_view.h"
#include "google/protobuf/timestamp.pb.h"
#include "store/kv_store.h"

namespace c360 {

// Which profiles a scan or count selects.
struct SegmentQuery {
  SegmentFilter filter;
  // A profile is left out unless the golden (first) value of its
  // consent.<purpose> is "granted", for every purpose listed.
  std::vector<std::string> purposes;
  // When set, only profiles whose updated_at is at or after this RFC 3339
  // UTC time in whole seconds (UpdatedSinceBound).
  std::string updated_since;
};

// The updated_since bound of a timestamp: "YYYY-MM-DDTHH:MM:SSZ", rounded
// up to the whole second (profiles carry whole seconds, so "at or after"
// stays exact); "" for the unset (zero) timestamp.
std::string UpdatedSinceBound(const google::protobuf::Timestamp& since);

struct ScanOptions {
  // Fields each row keeps (entity_id always); empty = every field.
  std::vector<std::string> fields;
  // From ScanResponse.resume_token of an earlier scan with the same filter:
  // the scan delivers exactly the rows after that batch's last row.
  std::string resume_token;
  // Stop after this many rows; 0 = no limit.
  int64_t limit = 0;
  // Rows per batch at most; the first batches are smaller (64, 128, ...)
  // so that the first rows arrive quickly.
  int batch_size = 512;
};

// Receives each batch (rows and the token that resumes after its last row);
// an error stops the scan and is returned by it. The batch is reused after
// the call returns.
using ScanBatchSink = std::function<absl::Status(const ScanResponse& batch)>;

// Scans one view of the store. Thread-safe; scans do not allocate per row
// beyond what the batch keeps.
class SegmentScanner {
 public:
  // `view` is not owned and must outlive the scanner; pass a snapshot so
  // that a scan sees one point in time.
  explicit SegmentScanner(const ReadView& view) : view_(view) {}

  // Delivers the selected profiles in batches to `sink`, in plan order
  // (see the top of this file). InvalidArgument for a resume token that is
  // malformed or belongs to another filter; DataLoss for a stored row that
  // does not parse.
  absl::Status Scan(const SegmentQuery& query, const ScanOptions& options,
                    const ScanBatchSink& sink) const;

  // How many profiles the query selects.
  absl::StatusOr<int64_t> Count(const SegmentQuery& query) const;

 private:
  // A place in plan order: the index of the plan value (0 for a full scan)
  // and the entity id there; the empty id is the start of the value.
  struct Position {
    size_t value_index = 0;
    std::string entity_id;
  };
  // Receive a row and the index of its plan value; return false to stop.
  using StoredRowVisitor =
      std::function<bool(absl::string_view row, size_t value_index)>;
  using RowVisitor =
      std::function<bool(const SegmentRowView& row, size_t value_index)>;

  // Visits the rows the query selects after `after`, in plan order.
  absl::Status WalkSelected(const SegmentQuery& query, const Position& after,
                            const RowVisitor& visit) const;
  // Visits the stored rows the plan may select after `after`.
  absl::Status Walk(const SegmentQuery& query, const Position& after,
                    const StoredRowVisitor& visit) const;
  absl::Status WalkIndex(const IndexPlan& plan, const Position& after,
                         const StoredRowVisitor& visit) const;

  static absl::StatusOr<Position> DecodeToken(const SegmentQuery& query,
                                              absl::string_view token);
  static std::string EncodeToken(const SegmentQuery& query, size_t value_index,
                                 absl::string_view entity_id);

  const ReadView& view_;
};

}  // namespace c360

#endif  // C360_ENRICH_SEGMENT_SCAN_H_

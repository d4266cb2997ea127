#include "enrich/segment_scan.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "enrich/segment_index.h"
#include "store/keys.h"

namespace c360 {
namespace {

constexpr absl::string_view kFullScanToken = "p";
constexpr absl::string_view kIndexScanToken = "i";
// The first batch of a scan is this small, and each next one twice the
// last up to ScanOptions::batch_size: the first rows arrive after a few
// reads, and a long scan still sends full batches.
constexpr int kFirstBatchRows = 64;

absl::Status ForeignToken() {
  return absl::InvalidArgumentError(
      "the resume token is malformed or belongs to another filter");
}

// The query's checks besides the filter, prepared once per scan so that
// checking a row allocates nothing.
class Selector {
 public:
  explicit Selector(const SegmentQuery& query) : query_(query) {
    for (const std::string& purpose : query.purposes) {
      consent_fields_.push_back(absl::StrCat("consent.", purpose));
    }
  }

  // Whether the query selects `row`, found under plan value `value_index`.
  bool Selects(const SegmentRowView& row, size_t value_index) const {
    for (const std::string& name : consent_fields_) {
      if (row.Golden(name) != "granted") return false;
    }
    if (!query_.updated_since.empty() &&
        row.Golden("updated_at") < query_.updated_since) {
      return false;
    }
    return query_.filter.Matches(row) && !HeldEarlier(row, value_index);
  }

 private:
  // Whether the row holds a plan value before `value_index`: then the
  // index walk met it, and delivered it, under that value already.
  bool HeldEarlier(const SegmentRowView& row, size_t value_index) const {
    if (value_index == 0) return false;
    const IndexPlan& plan = *query_.filter.plan();
    auto earlier_end = plan.values.begin() + value_index;
    for (absl::string_view value : row.Values(plan.field)) {
      if (std::binary_search(plan.values.begin(), earlier_end, value,
                             [](absl::string_view a, absl::string_view b) {
                               return a < b;
                             })) {
        return true;
      }
    }
    return false;
  }

  const SegmentQuery& query_;
  std::vector<std::string> consent_fields_;
};

// The smallest key after `key`.
std::string After(std::string key) {
  key.push_back('\0');
  return key;
}

}  // namespace

std::string UpdatedSinceBound(const google::protobuf::Timestamp& since) {
  if (since.seconds() == 0 && since.nanos() == 0) return "";
  const int64_t seconds = since.seconds() + (since.nanos() > 0 ? 1 : 0);
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(seconds),
                          absl::UTCTimeZone());
}

absl::Status SegmentScanner::Scan(const SegmentQuery& query,
                                  const ScanOptions& options,
                                  const ScanBatchSink& sink) const {
  absl::StatusOr<Position> after = DecodeToken(query, options.resume_token);
  if (!after.ok()) return after.status();
  std::vector<std::string> fields = options.fields;
  std::sort(fields.begin(), fields.end());
  // The batch's rows, cleared by each flush, keep their buffers for the
  // rows copied into them next.
  ScanResponse batch;
  int batch_rows = std::min(kFirstBatchRows, options.batch_size);
  size_t last_value = 0;
  int64_t delivered = 0;
  absl::Status status;
  auto flush = [&] {
    batch.set_resume_token(EncodeToken(
        query, last_value, batch.rows(batch.rows_size() - 1).entity_id()));
    status = sink(batch);
    batch.clear_rows();
    batch_rows = std::min(2 * batch_rows, options.batch_size);
    return status.ok();
  };
  absl::Status walked = WalkSelected(
      query, *after, [&](const SegmentRowView& row, size_t value_index) {
        row.CopyTo(fields, batch.add_rows());
        last_value = value_index;
        const bool done = options.limit > 0 && ++delivered >= options.limit;
        if (batch.rows_size() >= batch_rows || done) return flush() && !done;
        return true;
      });
  if (!walked.ok()) return walked;
  if (status.ok() && batch.rows_size() > 0) flush();
  return status;
}

absl::StatusOr<int64_t> SegmentScanner::Count(const SegmentQuery& query) const {
  int64_t count = 0;
  absl::Status walked =
      WalkSelected(query, Position(), [&](const SegmentRowView&, size_t) {
        ++count;
        return true;
      });
  if (!walked.ok()) return walked;
  return count;
}

absl::Status SegmentScanner::WalkSelected(const SegmentQuery& query,
                                          const Position& after,
                                          const RowVisitor& visit) const {
  const Selector selector(query);
  SegmentRowView row;  // reused: parsing into it keeps its buffers
  absl::Status status;
  absl::Status walked =
      Walk(query, after, [&](absl::string_view bytes, size_t value_index) {
        if (!row.Parse(bytes)) {
          status = absl::DataLossError("a stored profile row does not parse");
          return false;
        }
        return !selector.Selects(row, value_index) || visit(row, value_index);
      });
  return walked.ok() ? status : walked;
}

absl::Status SegmentScanner::Walk(const SegmentQuery& query,
                                  const Position& after,
                                  const StoredRowVisitor& visit) const {
  if (query.filter.plan().has_value()) {
    return WalkIndex(*query.filter.plan(), after, visit);
  }
  const std::string start =
      after.entity_id.empty() ? "" : After(ProfileKey(after.entity_id));
  return view_.Scan(Table::kProfiles, "", start,
                    [&](absl::string_view, absl::string_view row) {
                      return visit(row, 0);
                    });
}

absl::Status SegmentScanner::WalkIndex(const IndexPlan& plan,
                                       const Position& after,
                                       const StoredRowVisitor& visit) const {
  bool stopped = false;
  absl::Status status;
  for (size_t i = after.value_index; i < plan.values.size() && !stopped; ++i) {
    const std::string prefix = ProfileIndexValuePrefix(plan.field, plan.values[i]);
    const std::string start =
        i == after.value_index && !after.entity_id.empty()
            ? After(ProfileIndexKey(plan.field, plan.values[i], after.entity_id))
            : "";
    absl::Status scanned = view_.Scan(
        Table::kProfileIndex, prefix, start,
        [&](absl::string_view key, absl::string_view) {
          absl::StatusOr<std::vector<std::string>> entity =
              DecodeKey(key.substr(prefix.size()));
          if (!entity.ok() || entity->size() != 1) {
            status = absl::DataLossError("a malformed profile_index key");
            return false;
          }
          absl::StatusOr<std::string> row =
              view_.Get(Table::kProfiles, ProfileKey((*entity)[0]));
          // An index entry without its row selects nothing.
          if (absl::IsNotFound(row.status())) return true;
          if (!row.ok()) {
            status = row.status();
            return false;
          }
          stopped = !visit(*row, i);
          return !stopped;
        });
    if (!scanned.ok()) return scanned;
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

std::string SegmentScanner::EncodeToken(const SegmentQuery& query,
                                        size_t value_index,
                                        absl::string_view entity_id) {
  const std::optional<IndexPlan>& plan = query.filter.plan();
  const std::string position =
      plan.has_value() ? EncodeKey({kIndexScanToken, plan->field,
                                    plan->values[value_index], entity_id})
                       : EncodeKey({kFullScanToken, entity_id});
  return absl::WebSafeBase64Escape(position);
}

absl::StatusOr<SegmentScanner::Position> SegmentScanner::DecodeToken(
    const SegmentQuery& query, absl::string_view token) {
  if (token.empty()) return Position();
  std::string position;
  if (!absl::WebSafeBase64Unescape(token, &position)) return ForeignToken();
  absl::StatusOr<std::vector<std::string>> parts = DecodeKey(position);
  if (!parts.ok()) return ForeignToken();
  const std::optional<IndexPlan>& plan = query.filter.plan();
  if (!plan.has_value()) {
    if (parts->size() != 2 || (*parts)[0] != kFullScanToken) return ForeignToken();
    return Position{0, (*parts)[1]};
  }
  if (parts->size() != 4 || (*parts)[0] != kIndexScanToken ||
      (*parts)[1] != plan->field) {
    return ForeignToken();
  }
  auto value = std::lower_bound(plan->values.begin(), plan->values.end(),
                                (*parts)[2]);
  if (value == plan->values.end() || *value != (*parts)[2]) return ForeignToken();
  return Position{static_cast<size_t>(value - plan->values.begin()),
                  (*parts)[3]};
}

}  // namespace c360

// RAII owners of XGBoost C API handles and the conversion of its error
// codes to absl::Status. Internal to ml/.
#ifndef C360_ML_XGB_HANDLE_H_
#define C360_ML_XGB_HANDLE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "c360/opportunity.pb.h"

namespace c360 {
namespace ml_internal {

// OK for 0, else Internal with `what` and XGBGetLastError().
absl::Status XgbCheck(int rc, absl::string_view what);

struct DMatrixDeleter {
  void operator()(void* handle) const;
};
struct BoosterDeleter {
  void operator()(void* handle) const;
};
using DMatrix = std::unique_ptr<void, DMatrixDeleter>;
using Booster = std::unique_ptr<void, BoosterDeleter>;

// A DMatrix over `rows` x `schema.features_size()` row-major values (NaN =
// missing), with feature names and types ("c" for categorical) from
// `schema` and, when not empty, `labels`.
absl::StatusOr<DMatrix> MakeDMatrix(const std::vector<float>& values,
                                    int64_t rows, const FeatureSchema& schema,
                                    const std::vector<float>& labels);

// A booster loaded from XGBoosterSaveModelToBuffer bytes.
absl::StatusOr<Booster> LoadBooster(absl::string_view model_bytes);

// The booster's model as UBJSON bytes.
absl::StatusOr<std::string> SaveBooster(void* booster);

// Predictions of `booster` for `dmatrix`: type 0 hit rates, 1 margins, 2
// contributions (rows x (features + 1), the last column the bias).
absl::StatusOr<std::vector<float>> Predict(void* booster, void* dmatrix,
                                           int type);

// In-place hit rates (type 0) or margins (type 1) of `rows` row-major rows
// of `cols` values without building a DMatrix: the fast path for scoring.
absl::StatusOr<std::vector<float>> PredictDense(void* booster,
                                                const float* values,
                                                int64_t rows, int cols,
                                                int type);

}  // namespace ml_internal
}  // namespace c360

#endif  // C360_ML_XGB_HANDLE_H_

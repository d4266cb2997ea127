#include "ml/xgb_handle.h"

#include <xgboost/c_api.h>

#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"

namespace c360 {
namespace ml_internal {

absl::Status XgbCheck(int rc, absl::string_view what) {
  if (rc == 0) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat("xgboost ", what, ": ", XGBGetLastError()));
}

void DMatrixDeleter::operator()(void* handle) const { XGDMatrixFree(handle); }
void BoosterDeleter::operator()(void* handle) const { XGBoosterFree(handle); }

namespace {

absl::Status SetSchema(void* dmatrix, const FeatureSchema& schema) {
  std::vector<const char*> names, types;
  for (const FeatureSpec& spec : schema.features()) {
    names.push_back(spec.name().c_str());
    types.push_back(spec.categorical() ? "c" : "q");
  }
  absl::Status status =
      XgbCheck(XGDMatrixSetStrFeatureInfo(dmatrix, "feature_name", names.data(),
                                          names.size()),
               "feature names");
  if (!status.ok()) return status;
  return XgbCheck(XGDMatrixSetStrFeatureInfo(dmatrix, "feature_type",
                                             types.data(), types.size()),
                  "feature types");
}

}  // namespace

absl::StatusOr<DMatrix> MakeDMatrix(const std::vector<float>& values,
                                    int64_t rows, const FeatureSchema& schema,
                                    const std::vector<float>& labels) {
  DMatrixHandle handle = nullptr;
  absl::Status status =
      XgbCheck(XGDMatrixCreateFromMat(values.data(), rows,
                                      schema.features_size(), NAN, &handle),
               "create matrix");
  if (!status.ok()) return status;
  DMatrix dmatrix(handle);
  status = SetSchema(handle, schema);
  if (status.ok() && !labels.empty()) {
    status = XgbCheck(
        XGDMatrixSetFloatInfo(handle, "label", labels.data(), labels.size()),
        "set labels");
  }
  if (!status.ok()) return status;
  return dmatrix;
}

absl::StatusOr<Booster> LoadBooster(absl::string_view model_bytes) {
  BoosterHandle handle = nullptr;
  absl::Status status =
      XgbCheck(XGBoosterCreate(nullptr, 0, &handle), "create booster");
  if (!status.ok()) return status;
  Booster booster(handle);
  status = XgbCheck(XGBoosterLoadModelFromBuffer(handle, model_bytes.data(),
                                                 model_bytes.size()),
                    "load model");
  if (!status.ok()) return status;
  return booster;
}

absl::StatusOr<std::string> SaveBooster(void* booster) {
  bst_ulong length = 0;
  const char* bytes = nullptr;
  absl::Status status =
      XgbCheck(XGBoosterSaveModelToBuffer(booster, R"({"format": "ubj"})",
                                          &length, &bytes),
               "save model");
  if (!status.ok()) return status;
  return std::string(bytes, length);
}

namespace {

std::string PredictConfig(int type) {
  return absl::StrCat(
      R"({"type": )", type,
      R"(, "training": false, "iteration_begin": 0, "iteration_end": 0,)"
      R"( "strict_shape": false, "missing": NaN})");
}

absl::StatusOr<std::vector<float>> CopyResult(int rc, const bst_ulong* shape,
                                              bst_ulong dims,
                                              const float* result) {
  absl::Status status = XgbCheck(rc, "predict");
  if (!status.ok()) return status;
  bst_ulong size = 1;
  for (bst_ulong i = 0; i < dims; ++i) size *= shape[i];
  return std::vector<float>(result, result + size);
}

}  // namespace

absl::StatusOr<std::vector<float>> Predict(void* booster, void* dmatrix,
                                           int type) {
  std::string config = PredictConfig(type);
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  int rc = XGBoosterPredictFromDMatrix(booster, dmatrix, config.c_str(), &shape,
                                       &dims, &result);
  return CopyResult(rc, shape, dims, result);
}

absl::StatusOr<std::vector<float>> PredictDense(void* booster,
                                                const float* values,
                                                int64_t rows, int cols,
                                                int type) {
  // numpy's __array_interface__: the data pointer as an integer.
  std::string array =
      absl::StrCat(R"({"data": [)", reinterpret_cast<uintptr_t>(values),
                   R"(, true], "shape": [)", rows, ", ", cols,
                   R"(], "typestr": "<f4", "version": 3})");
  // XGBoost 1.7 requires a cache_id (always 0) for in-place prediction.
  std::string config =
      absl::StrCat(R"({"cache_id": 0, )", PredictConfig(type).substr(1));
  // Without a proxy XGBoost builds one per call, and its constructor reads
  // the cgroup CPU quota from /sys (several file opens, a third of a
  // single-row prediction). A proxy only holds the call's input, so one per
  // thread is safe and lives as long as the thread.
  thread_local DMatrix proxy = [] {
    DMatrixHandle handle = nullptr;
    XGProxyDMatrixCreate(&handle);
    return DMatrix(handle);
  }();
  const bst_ulong* shape = nullptr;
  bst_ulong dims = 0;
  const float* result = nullptr;
  int rc = XGBoosterPredictFromDense(booster, array.c_str(), config.c_str(),
                                     proxy.get(), &shape, &dims, &result);
  return CopyResult(rc, shape, dims, result);
}

}  // namespace ml_internal
}  // namespace c360

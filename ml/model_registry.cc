#include "ml/model_registry.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "ml/scorer.h"
#include "store/keys.h"

namespace c360 {
namespace {

std::string ModelKey(absl::string_view family, uint64_t version) {
  return EncodeKey({family, EncodeSequence(version)});
}

absl::Status CheckTrainingData(const StoredModel& model, int min_examples) {
  const TrainingDataSummary& d = model.data();
  int64_t won = d.train_won() + d.validation_won();
  int64_t lost = d.train_lost() + d.validation_lost();
  if (won >= min_examples && lost >= min_examples) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "model trained on ", won, " won and ", lost,
      " lost opportunities; need at least ", min_examples, " of each"));
}

}  // namespace

absl::StatusOr<uint64_t> ModelRegistry::Register(StoredModel model) {
  if (model.family().empty() || model.model().empty()) {
    return absl::InvalidArgumentError("a model needs a family and bytes");
  }
  absl::Status status = CheckTrainingData(model, options_.min_class_examples);
  if (!status.ok()) return status;
  absl::StatusOr<std::vector<StoredModel>> versions = List(model.family());
  if (!versions.ok()) return versions.status();
  uint64_t version = versions->empty() ? 1 : versions->back().version() + 1;
  model.set_version(version);
  model.set_published(false);
  if (!model.has_created_at()) {
    model.mutable_created_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  }
  WriteSet writes;
  writes.Put(Table::kModels, ModelKey(model.family(), version),
             model.SerializeAsString());
  status = store_->Commit(writes);
  if (!status.ok()) return status;
  return version;
}

absl::Status ModelRegistry::Publish(absl::string_view family,
                                    uint64_t version,
                                    const std::vector<double>& grade_bands) {
  if (!grade_bands.empty()) {
    absl::Status bands = CheckGradeBands(grade_bands);
    if (!bands.ok()) return bands;
  }
  absl::StatusOr<StoredModel> candidate = Get(family, version);
  if (!candidate.ok()) return candidate.status();
  absl::StatusOr<StoredModel> current = Published(family);
  if (!current.ok() && !absl::IsNotFound(current.status())) {
    return current.status();
  }
  WriteSet writes;
  if (current.ok() && current->version() != version) {
    double drop = current->report().validation_auc() -
                  candidate->report().validation_auc();
    if (drop > options_.max_auc_drop) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "%s version %d has validation AUC %.4f, worse than published "
          "version %d's %.4f by more than %.4f",
          std::string(family), version, candidate->report().validation_auc(),
          current->version(), current->report().validation_auc(),
          options_.max_auc_drop));
    }
    current->set_published(false);
    writes.Put(Table::kModels, ModelKey(family, current->version()),
               current->SerializeAsString());
  }
  candidate->set_published(true);
  if (!grade_bands.empty()) {
    candidate->mutable_grade_bands()->Assign(grade_bands.begin(),
                                             grade_bands.end());
  }
  writes.Put(Table::kModels, ModelKey(family, version),
             candidate->SerializeAsString());
  return store_->Commit(writes);
}

absl::StatusOr<StoredModel> ModelRegistry::Get(absl::string_view family,
                                               uint64_t version) const {
  absl::StatusOr<std::string> bytes =
      store_->Get(Table::kModels, ModelKey(family, version));
  if (absl::IsNotFound(bytes.status())) {
    return absl::NotFoundError(
        absl::StrCat("no model ", family, " version ", version));
  }
  if (!bytes.ok()) return bytes.status();
  StoredModel model;
  if (!model.ParseFromString(*bytes)) {
    return absl::DataLossError(
        absl::StrCat("unparsable model ", family, " version ", version));
  }
  return model;
}

absl::StatusOr<StoredModel> ModelRegistry::Published(
    absl::string_view family) const {
  absl::StatusOr<std::vector<StoredModel>> versions = List(family);
  if (!versions.ok()) return versions.status();
  for (StoredModel& model : *versions) {
    if (model.published()) return std::move(model);
  }
  return absl::NotFoundError(
      absl::StrCat("no published model of family ", family));
}

absl::StatusOr<std::vector<StoredModel>> ModelRegistry::List(
    absl::string_view family) const {
  std::vector<StoredModel> models;
  bool corrupt = false;
  absl::Status status =
      store_->Scan(Table::kModels, EncodeKey({family}), "",
                   [&](absl::string_view, absl::string_view value) {
                     models.emplace_back();
                     corrupt = !models.back().ParseFromArray(
                         value.data(), static_cast<int>(value.size()));
                     return !corrupt;
                   });
  if (!status.ok()) return status;
  if (corrupt) {
    return absl::DataLossError(
        absl::StrCat("unparsable model of family ", family));
  }
  return models;
}

}  // namespace c360

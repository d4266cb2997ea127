// Cross-checks c360's training loop over the XGBoost C API against Debian's
// python3-xgboost: same matrices, split, parameters and number of rounds
// must give the same validation AUC.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "ml/trainer.h"
#include "tests/ml/maven_data.h"
#include "tests/test_dirs.h"

namespace c360 {
namespace {

// Debian's interpreter, which sees Debian's python3-xgboost (a python3
// earlier on PATH, e.g. from pyenv, would not).
constexpr char kPython[] = "/usr/bin/python3";

void WriteMatrix(const std::string& path, const std::vector<float>& values,
                 const std::vector<float>& labels) {
  std::ofstream out(path);
  size_t cols = values.size() / labels.size();
  for (size_t r = 0; r < labels.size(); ++r) {
    out << labels[r];
    // %.9g round-trips every float exactly; NaN prints as "nan".
    for (size_t c = 0; c < cols; ++c) {
      out << absl::StrFormat(",%.9g", values[r * cols + c]);
    }
    out << "\n";
  }
}

std::string Quoted(const std::string& s) { return absl::StrCat("\"", s, "\""); }

void WriteConfig(const std::string& path, const TrainingData& data,
                 const TrainerOptions& options, int rounds) {
  std::vector<std::string> params, names, types;
  for (const auto& [name, value] : XgboostParameters(options.parameters)) {
    params.push_back(absl::StrCat(Quoted(name), ": ", Quoted(value)));
  }
  for (const FeatureSpec& spec : data.schema.features()) {
    names.push_back(Quoted(spec.name()));
    types.push_back(Quoted(spec.categorical() ? "c" : "q"));
  }
  std::ofstream(path) << "{\"params\": {" << absl::StrJoin(params, ", ")
                      << "}, \"rounds\": " << rounds << ", \"feature_names\": ["
                      << absl::StrJoin(names, ", ") << "], \"feature_types\": ["
                      << absl::StrJoin(types, ", ") << "]}\n";
}

// Runs `command`, returning its exit status and standard output.
int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    output->append(buffer, n);
  }
  int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Trains with `options` here and with python3-xgboost on the exported
// matrices for the same number of rounds; expects the same validation AUC.
void ExpectPythonMatches(const std::vector<Opportunity>& opportunities,
                         const TrainerOptions& options) {
  absl::StatusOr<TrainingData> data =
      PrepareTrainingData(opportunities, options);
  ASSERT_TRUE(data.ok()) << data.status();
  absl::StatusOr<StoredModel> model = TrainModel(*data, options);
  ASSERT_TRUE(model.ok()) << model.status();
  std::string dir = NewTestDir("xgboost_python");
  WriteMatrix(dir + "/train.csv", data->train_values, data->train_labels);
  WriteMatrix(dir + "/validation.csv", data->validation_values,
              data->validation_labels);
  WriteConfig(dir + "/config.json", *data, options,
              model->report().best_rounds());
  std::string output;
  int status = RunCommand(absl::StrCat(kPython, " ", C360_SOURCE_DIR,
                                       "/tests/ml/xgboost_reference.py ", dir),
                          &output);
  ASSERT_NE(status, 3) << "python3 cannot import xgboost: install the Debian "
                          "package python3-xgboost";
  ASSERT_EQ(status, 0) << output;
  std::string::size_type at = output.find("validation_auc ");
  ASSERT_NE(at, std::string::npos) << output;
  double python_auc = 0;
  ASSERT_TRUE(absl::SimpleAtod(
      absl::StripAsciiWhitespace(output.substr(at + 15)), &python_auc))
      << output;
  std::cout << "c360 validation_auc " << model->report().validation_auc()
            << " after " << model->report().best_rounds() << " rounds\n"
            << output;
  EXPECT_NEAR(model->report().validation_auc(), python_auc, 1e-6)
      << output << "rounds " << model->report().best_rounds();
}

TEST(XgboostPythonTest, ValidationAucMatchesTheReferenceBinding) {
  std::string ignored;
  if (RunCommand(absl::StrCat(kPython, " -c pass 2>/dev/null"), &ignored) !=
      0) {
    GTEST_SKIP() << kPython
                 << " is not installed: cannot cross-check "
                    "against python3-xgboost";
  }
  TrainerOptions options;
  ExpectPythonMatches(MavenOpportunities(), options);
  // Deeper and longer: many sampled rounds, categorical and numeric splits.
  options.feature_set = FeatureSet::kAtCreation;
  options.parameters.set_max_depth(6);
  options.parameters.set_eta(0.02);
  options.parameters.set_early_stopping_rounds(80);
  options.parameters.set_seed(7);
  options.parameters.set_nthread(1);
  ExpectPythonMatches(MavenOpportunities(), options);
}

// The Maven deals with an ordinal CRM field and made-up profiles of their
// accounts: records of two sources and a purchased rating, each known from
// a date spread over the deals' years.
TEST(XgboostPythonTest, ProfileAndOrdinalColumnsMatchTheReferenceBinding) {
  std::vector<Opportunity> opportunities = MavenOpportunities();
  const char* kLevels[] = {"poor", "fair", "good"};
  auto profiles = std::make_shared<InMemoryCustomerProfiles>();
  int i = 0;
  for (Opportunity& opp : opportunities) {
    if (++i % 4 != 0) (*opp.mutable_attributes())["satisfaction"] = kLevels[i % 3];
    if (opp.customer_id().empty() || profiles->Find(opp.customer_id())) continue;
    size_t h = std::hash<std::string>()(opp.customer_id());
    int64_t start = 1470000000 + static_cast<int64_t>(h % 400) * 86400;
    ProfileTimeline timeline;
    timeline.records = {{"crm", start},
                        {"erp", start + static_cast<int64_t>(h % 7) * 86400 * 30}};
    timeline.purchased = {{"rating", h % 2 ? "A" : "C", start + 86400 * 90}};
    profiles->Add(opp.customer_id(), timeline);
  }
  TrainerOptions options;
  options.profiles = profiles;
  for (const char* level : kLevels) {
    (*options.features.mutable_ordinal_scales())["attribute.satisfaction"]
        .add_levels(level);
  }
  ExpectPythonMatches(opportunities, options);
}

}  // namespace
}  // namespace c360

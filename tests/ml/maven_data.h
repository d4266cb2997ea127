// The Maven CRM data set shared by the ml tests (../shared/data from the
// project root), imported once per test binary.
#ifndef C360_TESTS_ML_MAVEN_DATA_H_
#define C360_TESTS_ML_MAVEN_DATA_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "c360/opportunity.pb.h"
#include "gtest/gtest.h"
#include "server/opportunity_import.h"

namespace c360 {

inline std::string MavenFolder() {
  return std::string(C360_SOURCE_DIR) + "/../shared/data/maven_crm";
}

// The imported opportunities; fails the test when the import fails.
inline const std::vector<Opportunity>& MavenOpportunities() {
  static const std::vector<Opportunity>* opportunities = [] {
    absl::StatusOr<OpportunityImport> imported = ImportMavenCrm(MavenFolder());
    EXPECT_TRUE(imported.ok()) << imported.status();
    return new std::vector<Opportunity>(
        imported.ok() ? imported->opportunities : std::vector<Opportunity>());
  }();
  return *opportunities;
}

}  // namespace c360

#endif  // C360_TESTS_ML_MAVEN_DATA_H_

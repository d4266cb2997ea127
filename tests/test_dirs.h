// Fresh, unique folders for tests under the test framework's temp dir.
#ifndef C360_TESTS_TEST_DIRS_H_
#define C360_TESTS_TEST_DIRS_H_

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace c360 {

// An empty folder unique to this process and call, named after `label`.
inline std::string NewTestDir(const std::string& label) {
  static std::atomic<int> counter{0};
  std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) /
      absl::StrCat("c360_", label, "_", getpid(), "_", counter++);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

}  // namespace c360

#endif  // C360_TESTS_TEST_DIRS_H_

// Running the real c360 binary as a user would, for end-to-end tests.
#ifndef C360_TESTS_E2E_COMMAND_RUN_H_
#define C360_TESTS_E2E_COMMAND_RUN_H_

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace c360 {

struct CommandRun {
  int exit_code;    // -1 when the process did not exit normally
  std::string out;  // stdout and stderr, merged
};

// Runs `C360_BINARY ARGS` through the shell and waits for it.
inline CommandRun C360(const std::string& args) {
  std::string command = absl::StrCat(C360_BINARY, " ", args, " 2>&1");
  CommandRun run{-1, ""};
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.out.append(buffer, n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// The non-empty lines of a text file (none when it cannot be read).
inline std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return absl::StrSplit(text.str(), '\n', absl::SkipEmpty());
}

}  // namespace c360

#endif  // C360_TESTS_E2E_COMMAND_RUN_H_

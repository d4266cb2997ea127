// A small parser for one subcommand's arguments: "--name VALUE",
// "--name=VALUE", boolean "--flag", positionals, and "--help".
#ifndef C360_SERVER_ARGS_H_
#define C360_SERVER_ARGS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace c360 {

class Args {
 public:
  // `usage` is the synopsis line, e.g. "c360 ingest --source NAME FILE".
  Args(std::string usage, std::string summary)
      : usage_(std::move(usage)), summary_(std::move(summary)) {}

  // Declares "--name VALUE" with a default ("" = none).
  void Option(const std::string& name, const std::string& help,
              const std::string& default_value = "");
  // Declares a boolean "--name".
  void Flag(const std::string& name, const std::string& help);
  // Declares the positional arguments, for the help text only.
  void Positionals(const std::string& help) { positional_help_ = help; }

  // Parses argv after the subcommand. InvalidArgument for an unknown option
  // or a missing value. After "--help", help_requested() is true.
  absl::Status Parse(int argc, char** argv);

  bool help_requested() const { return help_; }
  std::string Help() const;

  // The option's value (its default when not given).
  const std::string& Get(const std::string& name) const;
  // The option as an integer; InvalidArgument naming the option otherwise.
  absl::StatusOr<int64_t> GetInt(const std::string& name) const;
  // The option as a number; InvalidArgument naming it when it is not one.
  absl::StatusOr<double> GetDouble(const std::string& name) const;
  bool GetFlag(const std::string& name) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  struct Spec {
    std::string help;
    std::string value;
    bool is_flag = false;
  };

  std::string usage_;
  std::string summary_;
  std::string positional_help_;
  std::map<std::string, Spec> specs_;
  std::vector<std::string> positionals_;
  bool help_ = false;
};

}  // namespace c360

#endif  // C360_SERVER_ARGS_H_

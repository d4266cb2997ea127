#include "server/args.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace c360 {

void Args::Option(const std::string& name, const std::string& help,
                  const std::string& default_value) {
  specs_[name] = {help, default_value, false};
}

void Args::Flag(const std::string& name, const std::string& help) {
  specs_[name] = {help, "", true};
}

absl::Status Args::Parse(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      help_ = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      positionals_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    auto it = specs_.find(name);
    if (it == specs_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option --", name, " (see --help)"));
    }
    if (it->second.is_flag) {
      it->second.value = "true";
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= argc) {
        return absl::InvalidArgumentError(
            absl::StrCat("option --", name, " needs a value"));
      }
      value = argv[++i];
    }
    it->second.value = value;
  }
  return absl::OkStatus();
}

std::string Args::Help() const {
  std::string text = absl::StrCat("usage: ", usage_, "\n\n", summary_, "\n");
  if (!positional_help_.empty()) absl::StrAppend(&text, "\n", positional_help_, "\n");
  absl::StrAppend(&text, "\noptions:\n");
  for (const auto& [name, spec] : specs_) {
    std::string left = spec.is_flag ? absl::StrCat("--", name)
                                    : absl::StrCat("--", name, " VALUE");
    absl::StrAppend(&text, absl::StrFormat("  %-24s %s", left, spec.help));
    if (!spec.is_flag && !spec.value.empty()) {
      absl::StrAppend(&text, " (default: ", spec.value, ")");
    }
    absl::StrAppend(&text, "\n");
  }
  absl::StrAppend(&text, "  --help                   print this help\n");
  return text;
}

const std::string& Args::Get(const std::string& name) const {
  return specs_.at(name).value;
}

absl::StatusOr<int64_t> Args::GetInt(const std::string& name) const {
  int64_t value = 0;
  if (!absl::SimpleAtoi(Get(name), &value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "option --", name, " must be an integer, got '", Get(name), "'"));
  }
  return value;
}

absl::StatusOr<double> Args::GetDouble(const std::string& name) const {
  double value = 0;
  if (!absl::SimpleAtod(Get(name), &value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "option --", name, " must be a number, got '", Get(name), "'"));
  }
  return value;
}

bool Args::GetFlag(const std::string& name) const {
  return Get(name) == "true";
}

}  // namespace c360

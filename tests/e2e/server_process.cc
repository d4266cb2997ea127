#include "tests/e2e/server_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "absl/time/clock.h"

namespace c360 {
namespace {

constexpr char kReadyPrefix[] = "c360 serving on ";

}  // namespace

ServerProcess::ServerProcess(const std::string& binary, const std::string& db,
                             const std::vector<std::string>& extra_args) {
  std::vector<std::string> args = {binary, "serve", "--db", db, "--listen",
                                   "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int out[2];
  if (pipe(out) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  // The pipe closes when the child dies, so this read cannot hang forever.
  FILE* stream = fdopen(out[0], "r");
  char line[256];
  if (stream != nullptr && std::fgets(line, sizeof(line), stream) != nullptr &&
      std::strncmp(line, kReadyPrefix, std::strlen(kReadyPrefix)) == 0) {
    address_ = line + std::strlen(kReadyPrefix);
    while (!address_.empty() && address_.back() == '\n') address_.pop_back();
  }
  // Kept open until Terminate so that later output cannot raise SIGPIPE.
  output_ = stream;
}

std::string ServerProcess::NextLine() {
  char line[1024];
  if (output_ == nullptr || std::fgets(line, sizeof(line), output_) == nullptr) {
    return "";
  }
  std::string text = line;
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Terminate();
}

int ServerProcess::Stop(int signal) {
  if (output_ != nullptr) std::fclose(output_);
  output_ = nullptr;
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  int status = 0;
  while (absl::Now() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

}  // namespace c360

// Starts the real `c360 serve` binary on a free loopback port for end-to-end
// tests and stops it with SIGTERM.
#ifndef C360_TESTS_E2E_SERVER_PROCESS_H_
#define C360_TESTS_E2E_SERVER_PROCESS_H_

#include <cstdio>
#include <string>
#include <vector>

#include <signal.h>
#include <sys/types.h>

namespace c360 {

class ServerProcess {
 public:
  // Runs `binary serve --db db --listen 127.0.0.1:0` + `extra_args` and waits
  // (up to 30 s) for its "c360 serving on ADDRESS" line. On failure
  // address() is empty.
  ServerProcess(const std::string& binary, const std::string& db,
                const std::vector<std::string>& extra_args = {});
  // Stops the server if still running.
  ~ServerProcess();

  const std::string& address() const { return address_; }
  // The next line the server prints on stdout (after the "c360 serving on"
  // line), without its newline; "" when its output ended.
  std::string NextLine();
  // The server's process id; -1 once it has stopped.
  pid_t pid() const { return pid_; }

  // Sends SIGTERM and returns the exit status (as waitpid reports it), or
  // -1 if the process did not end within 10 s.
  int Terminate() { return Stop(SIGTERM); }

  // Sends `signal` and waits as Terminate does.
  int Stop(int signal);

 private:
  pid_t pid_ = -1;
  FILE* output_ = nullptr;
  std::string address_;
};

}  // namespace c360

#endif  // C360_TESTS_E2E_SERVER_PROCESS_H_

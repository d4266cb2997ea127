// The subcommands of the `c360` command line. Each parses its own arguments
// (argv[0] is the subcommand's first argument), prints --help, and returns
// the process exit code: 0 success, 1 failure, 2 bad usage, 3 success with
// rejected rows.
#ifndef C360_SERVER_COMMANDS_H_
#define C360_SERVER_COMMANDS_H_

namespace c360 {

int RunGen(int argc, char** argv);
int RunIngest(int argc, char** argv);
int RunBulkLoad(int argc, char** argv);
int RunServe(int argc, char** argv);
int RunProfile(int argc, char** argv);
int RunFind(int argc, char** argv);
int RunHotKeys(int argc, char** argv);
int RunEval(int argc, char** argv);
int RunCheck(int argc, char** argv);
int RunWatch(int argc, char** argv);
int RunTrainMatcher(int argc, char** argv);
int RunMatchReport(int argc, char** argv);
int RunExplain(int argc, char** argv);
int RunEvalBulk(int argc, char** argv);
int RunMl(int argc, char** argv);
int RunSegment(int argc, char** argv);
int RunEnrich(int argc, char** argv);
int RunToken(int argc, char** argv);
int RunBackup(int argc, char** argv);
int RunRestore(int argc, char** argv);
int RunReresolve(int argc, char** argv);
int RunErase(int argc, char** argv);

}  // namespace c360

#endif  // C360_SERVER_COMMANDS_H_

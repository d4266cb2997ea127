// Pieces shared by the `c360 ml` subcommands (cli_ml.cc: import, train,
// publish, report; cli_ml_score.cc: score, whatif, forecast, score-open).
#ifndef C360_SERVER_CLI_ML_H_
#define C360_SERVER_CLI_ML_H_

#include <string>

#include "absl/status/statusor.h"
#include "server/args.h"

namespace c360 {

// Args with the --db option every ml command has.
Args MlArgs(const std::string& usage, const std::string& summary);

// The option `name` as a number; InvalidArgument naming it otherwise.
absl::StatusOr<double> GetDouble(const Args& args, const std::string& name);

// The scoring subcommands; each returns the process exit code.
int RunMlScore(int argc, char** argv);
int RunMlWhatIf(int argc, char** argv);
int RunMlForecast(int argc, char** argv);
int RunMlScoreOpen(int argc, char** argv);

}  // namespace c360

#endif  // C360_SERVER_CLI_ML_H_

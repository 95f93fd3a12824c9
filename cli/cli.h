// The llmeval command line: a table of commands, each a function from arguments to an exit code. Exit codes:
// 0 ok, 1 a quality gate failed, 2 bad input or usage, 3 an internal or IO error, 130 interrupted, 141 stdout was
// closed before the output was written (`llmeval runs export 1 | head`).
#ifndef LLMEVAL_CLI_CLI_H_
#define LLMEVAL_CLI_CLI_H_

#include <string>
#include <vector>

namespace llmeval {

// Runs `llmeval <args...>` (args excludes the program name) and returns the exit code.
int RunCli(const std::vector<std::string>& args);

// Called once after RunCli with its exit code: flushes stdout and turns a failed write to it into the exit code. A
// closed pipe exits 141 quietly, as if SIGPIPE (ignored by main) had ended the process; any other failure (a full
// disk under `> file`) prints "llmeval: writing to stdout failed: ..." and exits 3. Otherwise returns `exit_code`.
int FinishStdout(int exit_code);

}  // namespace llmeval

#endif  // LLMEVAL_CLI_CLI_H_

// The llmeval command line: a table of commands, each a function from arguments to an exit code. Exit codes:
// 0 ok, 1 a quality gate failed, 2 bad input or usage, 3 an internal or IO error, 130 interrupted twice.
#ifndef LLMEVAL_CLI_CLI_H_
#define LLMEVAL_CLI_CLI_H_

#include <string>
#include <vector>

namespace llmeval {

// Runs `llmeval <args...>` (args excludes the program name) and returns the exit code.
int RunCli(const std::vector<std::string>& args);

}  // namespace llmeval

#endif  // LLMEVAL_CLI_CLI_H_

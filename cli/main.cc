// The llmeval binary: hands its arguments to the CLI. Exceptions never escape: one reaching here is a bug (exit 3).
#include <csignal>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "engine/os/malloc_tuning.h"
#include "engine/os/open_file_limit.h"

int main(int argc, char** argv) {
  llmeval::TuneMallocForThroughput();
  llmeval::RaiseOpenFileLimit();  // Thousands of calls in flight need thousands of sockets.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGXFSZ, SIG_IGN);  // A file-size limit (ulimit -f) fails the write, reported like a full disk.
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return llmeval::FinishStdout(llmeval::RunCli(args));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "llmeval: internal error: %s\n", e.what());
    return 3;
  }
}

// RunSubprocess: runs a program (an argv list, never a shell) with bytes on its stdin, collects stdout and stderr up
// to a cap, and kills it when a deadline passes. Used for command tools, git queries and one-shot helpers. Thread-safe:
// each call is independent. Built on SpawnWithPipes (child_process.h), which the persistent children (MCP servers,
// command scorer workers) use too.
#ifndef LLMEVAL_ENGINE_OS_SUBPROCESS_H_
#define LLMEVAL_ENGINE_OS_SUBPROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/os/child_process.h"

namespace llmeval {

struct SubprocessOptions {
  std::vector<std::string> argv;  // argv[0] is looked up on PATH when it has no '/'.
  std::string stdin_data;
  std::string working_dir;                 // Empty: the current directory.
  std::map<std::string, std::string> env;  // Added to (or replacing in) the inherited environment.
  bool inherit_env = true;
  int64_t timeout_ms = 10000;
  size_t max_output_bytes = 1 << 20;  // Output beyond this is dropped and `truncated` set.
};

struct SubprocessResult {
  int exit_code = -1;  // -1 when it did not exit normally.
  int signal = 0;      // The signal that ended it, if any.
  bool timed_out = false;
  bool truncated = false;
  std::string out;
  std::string err;
};

// Returns the result once the program has exited (or was killed at the deadline). A Status error only when the
// program could not be started at all (not found, not executable).
Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_OS_SUBPROCESS_H_

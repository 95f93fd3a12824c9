// The one place the engine starts a child process: SpawnWithPipes starts a program (an argv list, never a shell) in
// a process group of its own, with its stdin, stdout and stderr on pipes. RunSubprocess (one-shot programs: command
// tools, git), the MCP client's server process and the command scorers' persistent workers are all built on it; each
// drives the pipes its own way. Also the pipe writes that must not raise SIGPIPE when the child has gone.
// Thread-safe: every call is independent. The caller owns the returned descriptors and must reap the child.
#ifndef LLMEVAL_ENGINE_OS_CHILD_PROCESS_H_
#define LLMEVAL_ENGINE_OS_CHILD_PROCESS_H_

#include <poll.h>
#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "core/status.h"

namespace llmeval {

struct SpawnOptions {
  std::vector<std::string> argv;           // argv[0] is looked up on PATH when it has no '/'.
  std::string working_dir;                 // Empty: the current directory.
  std::map<std::string, std::string> env;  // Added to (or replacing in) the environment.
  bool inherit_env = true;                 // false: the child sees only `env`.
  bool clear_signal_mask = false;          // true: the child starts with no signal blocked, whatever the caller's.
};

// A started child: its pid (also its process group id) and our ends of its three pipes (close-on-exec).
struct ChildPipes {
  pid_t pid = -1;
  int in = -1;   // Writes go to the child's stdin.
  int out = -1;  // Reads come from its stdout.
  int err = -1;  // Reads come from its stderr.
};

// Starts the child. InvalidInput when it cannot be started (no such program, not executable, no such working
// directory): the message is the system's reason alone, for the caller to put in context. IOError when pipes fail.
Result<ChildPipes> SpawnWithPipes(const SpawnOptions& options);

// How a child ended, from a waitpid status: "exited with code N", "was killed by signal N" or "stopped".
std::string DescribeWaitStatus(int status);

// The poll entries for a child's output pipes still open (`open` is {stdout, stderr}, -1 once closed): one POLLIN
// entry per open pipe into `fds`, and which pipe (0 or 1) entry k watches into `index_of[k]`. Returns how many (0-2).
int PollOutputPipes(const int open[2], pollfd* fds, int* index_of);

// One write() to a pipe whose reader may be gone, without SIGPIPE killing the process: the signal is blocked on the
// calling thread for the call and a SIGPIPE it raised is consumed. Returns what write() returned, errno kept.
ssize_t WriteWithoutSigpipe(int fd, const char* data, size_t size);

// Writes all of `data` (retrying short writes and EINTR) with WriteWithoutSigpipe; false when the pipe failed.
bool WriteAllWithoutSigpipe(int fd, const std::string& data);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_OS_CHILD_PROCESS_H_

// Helpers shared by the test binaries: scratch directories, file IO and running the real llmeval binary.
#ifndef LLMEVAL_TESTS_TESTING_TEST_UTIL_H_
#define LLMEVAL_TESTS_TESTING_TEST_UTIL_H_

#include <string>
#include <vector>

namespace llmeval::testing {

// A fresh directory under $TMPDIR, removed with everything in it when the object dies.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  // path() + "/" + name.
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& contents);
std::string ReadFile(const std::string& path);

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs argv (argv[0] a path) with the given extra environment ("NAME=VALUE") in working directory `cwd` (empty: the
// current one), stdin from /dev/null, and returns its exit code and output. Never uses a shell.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& cwd = "",
                         const std::vector<std::string>& env = {});

// Runs the built llmeval binary with `args`.
CommandResult RunLlmeval(const std::vector<std::string>& args, const std::string& cwd = "",
                         const std::vector<std::string>& env = {});

// A child process started in the background with its stdout on a pipe; killed (SIGKILL) and reaped on destruction.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv, const std::string& cwd = "",
               const std::vector<std::string>& env = {});
  ~ChildProcess();
  // Reads one line of stdout (without the newline); "" at end of output or after `timeout_ms`.
  std::string ReadLine(int timeout_ms = 10000);
  void Signal(int signal);
  // Waits for the exit and returns the exit code (128+signal when killed).
  int Wait();
  int pid() const { return pid_; }

 private:
  int pid_ = -1;
  int out_fd_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
  std::string buffer_;
};

// The repository's root, for reading examples/.
std::string SourceDir();

}  // namespace llmeval::testing

#endif  // LLMEVAL_TESTS_TESTING_TEST_UTIL_H_

// child_process: the benches that measure the real `llmeval` binary run it, and `llmeval sim-server`, as child
// processes. RunMeasured spawns one command and reaps it with wait4, so its CPU (every thread, user + system) and
// peak RSS are the child's alone; SimServerChild runs the sim server with a latency and reads back the most requests
// it saw in flight. Single-threaded callers only (they fork); benchmarks only.
#ifndef LLMEVAL_BENCH_CHILD_PROCESS_H_
#define LLMEVAL_BENCH_CHILD_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace llmeval::bench {

// A command run to its end: how it exited, its wall time, CPU, peak RSS and everything it printed.
struct MeasuredProcess {
  int status = 0;  // As from waitpid.
  double wall_s = 0;
  double cpu_us = 0;  // User + system of the child, every thread.
  double peak_rss_mib = 0;
  std::string out;  // stdout and stderr together.

  bool ExitedWith(int code) const;
};

// Runs argv (argv[0] a path) in `cwd` with `env` ("NAME=VALUE") added, its output into `out_path` (read back into
// `out` afterwards), and waits for it.
MeasuredProcess RunMeasured(const std::vector<std::string>& argv, const std::string& cwd,
                            const std::vector<std::string>& env, const std::string& out_path);

// `BINARY sim-server --port 0 --latency-ms N` in a child process. Stop ends it (SIGTERM) and returns what the
// server said about requests in flight.
class SimServerChild {
 public:
  SimServerChild() = default;
  ~SimServerChild();
  SimServerChild(const SimServerChild&) = delete;
  SimServerChild& operator=(const SimServerChild&) = delete;

  // False (with a message on stderr) when the server does not print its port.
  bool Start(const std::string& binary, int64_t latency_ms);
  const std::string& port() const { return port_; }
  // Stops the server; returns the most requests it had in flight at once ("?" when it did not say).
  std::string Stop();

 private:
  pid_t pid_ = -1;
  int port_fd_ = -1;
  int err_fd_ = -1;
  std::string port_;
};

// Prints one row of a ratio benchmark (run, wall, ideal, ratio = ideal / wall, CPU per item, peak RSS, the most
// requests in flight at the server), with `failure` appended and the command's output on stderr unless `ok`.
void PrintRatioRow(int64_t run, const MeasuredProcess& m, double ideal, int64_t items, const std::string& in_flight,
                   bool ok, const char* failure);

// The whole of what can be read from `fd` until end of file.
std::string ReadFd(int fd);
// The line of `text` that contains `needle`, or "".
std::string LineWith(const std::string& text, const std::string& needle);

}  // namespace llmeval::bench

#endif  // LLMEVAL_BENCH_CHILD_PROCESS_H_

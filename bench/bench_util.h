// bench_util: the small toolkit the engine benchmarks share. Process CPU time and peak RSS from getrusage, a
// simulated model server in a forked child process (so the bench's own getrusage counts only the client), running
// one measurement in a fresh forked child (so ru_maxrss is per measurement), medians, --name=value flags, a run
// observer that counts items and errors, and writing fixture files.
//
// Contract: ServerProcess::Start and RunInChild fork; call them only while the calling process has a single thread
// (every bench's main process stays single-threaded and does its work in children). Benchmarks only; not a library
// the engine uses.
#ifndef LLMEVAL_BENCH_BENCH_UTIL_H_
#define LLMEVAL_BENCH_BENCH_UTIL_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/run/runner.h"

namespace llmeval {
namespace bench {

// User + system CPU time of this process (every thread), in microseconds.
int64_t ProcessCpuMicros();

// Peak resident set size of this process, in KiB (ru_maxrss on Linux).
int64_t PeakRssKiB();

// Seconds on the monotonic clock.
double NowSeconds();

// `llmeval sim-server`'s engine (engine/sim/sim_server.h) in a forked child process bound to 127.0.0.1:0.
class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();  // Stops the server.
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Forks the server with the given latency; false (with a message on stderr) when it cannot start.
  bool Start(int latency_ms);
  // Stops the child and reaps it; returns the child's CPU time in microseconds (0 when not running).
  int64_t Stop();
  int port() const { return port_; }
  std::string base_url() const;

 private:
  pid_t pid_ = -1;
  int control_fd_ = -1;  // The child exits when this pipe closes.
  int port_ = 0;
};

// Samples the CPU time of every thread of this process from /proc/self/task every 100 ms until Stop, so the CPU of
// threads that exit before the end still counts (to within one sampling interval and the kernel's 10 ms tick). Stop
// returns the totals grouped by thread name, biggest first, as "name=1.23s name2=0.45s ...". The sampler's own
// thread ("bench-sampler") is left out; own_cpu_micros() tells its CPU, for the caller to subtract.
class ThreadCpuSampler {
 public:
  ThreadCpuSampler();
  ~ThreadCpuSampler();
  ThreadCpuSampler(const ThreadCpuSampler&) = delete;
  ThreadCpuSampler& operator=(const ThreadCpuSampler&) = delete;
  std::string Stop();
  int64_t own_cpu_micros() const;

 private:
  struct Impl;
  Impl* impl_;
};

// Runs `body` in a forked child; what it returns comes back as this call's result. Returns "" (and prints why)
// when the child fails or crashes.
std::string RunInChild(const std::function<std::string()>& body);

double Median(std::vector<double> values);

// Flags of the form --name=value; Get returns `fallback` when absent.
class BenchFlags {
 public:
  BenchFlags(int argc, char** argv);
  std::string Get(const std::string& name, const std::string& fallback) const;
  int64_t GetInt(const std::string& name, int64_t fallback) const;
  std::vector<int64_t> GetInts(const std::string& name, const std::vector<int64_t>& fallback) const;
  bool Has(const std::string& name) const;

 private:
  std::vector<std::pair<std::string, std::string>> flags_;
};

// Removes a bench's project directory, or with --keep leaves it and says where it is.
void RemoveUnlessKept(const BenchFlags& flags, const std::string& dir);

// Counts a run's items, its item errors (printing the first) and its conversations that ran into max_turns.
class CountingObserver : public RunObserver {
 public:
  void OnStart(int64_t, int64_t, int64_t) override {}
  void OnItem(const ItemRecord& item) override;
  void OnWarning(const std::string& warning) override;
  void OnInterrupt(int) override {}
  int64_t items = 0, errors = 0, max_turns = 0;
};

// Writes `text` to `path`; false when the file cannot be written.
bool WriteText(const std::string& path, const std::string& text);

// Forks and execs argv (argv[0] a path) in `cwd` (empty: the current one) with `env` ("NAME=VALUE") added, stdout
// to `out_fd` and stderr to `err_fd` when they are >= 0; returns the child's pid (reap it with wait4 for its rusage).
pid_t SpawnProcess(const std::vector<std::string>& argv, const std::string& cwd, const std::vector<std::string>& env,
                   int out_fd, int err_fd);

// A fresh directory under /tmp; RemoveTree deletes it again.
std::string MakeTempDir(const char* prefix);
void RemoveTree(const std::string& dir);

}  // namespace bench
}  // namespace llmeval

#endif  // LLMEVAL_BENCH_BENCH_UTIL_H_

#include "bench/bench_util.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "engine/sim/sim_server.h"

namespace llmeval {
namespace bench {
namespace {

bool WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

std::string ReadAll(int fd) {
  std::string out;
  char buffer[4096];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  return out;
}

int64_t Micros(const timeval& tv) { return static_cast<int64_t>(tv.tv_sec) * 1000000 + tv.tv_usec; }

}  // namespace

int64_t ProcessCpuMicros() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return Micros(usage.ru_utime) + Micros(usage.ru_stime);
}

struct ThreadCpuSampler::Impl {
  struct Thread {
    std::string name;
    int64_t ticks = 0;
  };
  void Sample() {
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
      std::string dir = entry.path().string();
      std::FILE* f = std::fopen((dir + "/stat").c_str(), "r");
      if (f == nullptr) continue;
      char line[1024];
      size_t n = std::fread(line, 1, sizeof line - 1, f);
      std::fclose(f);
      line[n] = '\0';
      // Fields after the ")" closing the name: state(3) ... utime(14) stime(15).
      const char* rest = std::strrchr(line, ')');
      if (rest == nullptr) continue;
      unsigned long long utime = 0, stime = 0;
      if (std::sscanf(rest + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) continue;
      const char* open = std::strchr(line, '(');
      std::string name = open != nullptr && open < rest ? std::string(open + 1, rest) : std::string("?");
      Thread& t = threads[std::atoi(entry.path().filename().c_str())];
      t.name = name;
      t.ticks = static_cast<int64_t>(utime + stime);
    }
  }
  std::map<int, Thread> threads;
  int64_t own_cpu_micros = 0;
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread sampler;
};

ThreadCpuSampler::ThreadCpuSampler() : impl_(new Impl) {
  impl_->sampler = std::thread([this] {
    pthread_setname_np(pthread_self(), "bench-sampler");
    std::unique_lock<std::mutex> lock(impl_->mu);
    while (!impl_->stop) {
      impl_->Sample();
      impl_->cv.wait_for(lock, std::chrono::milliseconds(100));
    }
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    impl_->own_cpu_micros = static_cast<int64_t>(cpu.tv_sec) * 1000000 + cpu.tv_nsec / 1000;
  });
}

ThreadCpuSampler::~ThreadCpuSampler() {
  Stop();
  delete impl_;
}

std::string ThreadCpuSampler::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (impl_->stop) return std::string();
    impl_->stop = true;
  }
  impl_->cv.notify_all();
  impl_->sampler.join();
  impl_->Sample();
  std::map<std::string, int64_t> by_name;
  for (const auto& [tid, t] : impl_->threads) {
    if (t.name != "bench-sampler") by_name[t.name] += t.ticks;
  }
  std::vector<std::pair<int64_t, std::string>> sorted;
  for (const auto& [name, ticks] : by_name) sorted.push_back({ticks, name});
  std::sort(sorted.rbegin(), sorted.rend());
  std::string out;
  const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  for (const auto& [ticks, name] : sorted) {
    char part[96];
    std::snprintf(part, sizeof part, "%s%s=%.2fs", out.empty() ? "" : " ", name.c_str(), ticks * tick);
    out += part;
  }
  return out;
}

int64_t ThreadCpuSampler::own_cpu_micros() const { return impl_->own_cpu_micros; }

int64_t PeakRssKiB() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

ServerProcess::~ServerProcess() { Stop(); }

bool ServerProcess::Start(int latency_ms) {
  int port_pipe[2], control_pipe[2];
  if (pipe(port_pipe) != 0 || pipe(control_pipe) != 0) {
    std::perror("pipe");
    return false;
  }
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    return false;
  }
  if (pid == 0) {
    close(port_pipe[0]);
    close(control_pipe[1]);
    SimServerOptions options;
    options.latency_ms = latency_ms;
    SimServer server(options);
    Status s = server.Start();
    if (!s.ok()) {
      std::fprintf(stderr, "sim server: %s\n", s.message().c_str());
      _exit(1);
    }
    WriteAll(port_pipe[1], std::to_string(server.port()) + "\n");
    close(port_pipe[1]);
    char byte;
    while (read(control_pipe[0], &byte, 1) > 0) {
    }
    server.Stop();
    _exit(0);
  }
  close(port_pipe[1]);
  close(control_pipe[0]);
  std::string port = ReadAll(port_pipe[0]);
  close(port_pipe[0]);
  pid_ = pid;
  control_fd_ = control_pipe[1];
  port_ = std::atoi(port.c_str());
  if (port_ <= 0) {
    Stop();
    return false;
  }
  return true;
}

int64_t ServerProcess::Stop() {
  if (pid_ < 0) return 0;
  close(control_fd_);
  int status = 0;
  struct rusage usage;
  wait4(pid_, &status, 0, &usage);
  pid_ = -1;
  control_fd_ = -1;
  return Micros(usage.ru_utime) + Micros(usage.ru_stime);
}

std::string ServerProcess::base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

std::string RunInChild(const std::function<std::string()>& body) {
  int fds[2];
  if (pipe(fds) != 0) {
    std::perror("pipe");
    return "";
  }
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    return "";
  }
  if (pid == 0) {
    close(fds[0]);
    std::string result = body();
    WriteAll(fds[1], result);
    close(fds[1]);
    std::fflush(nullptr);
    _exit(0);  // Skips destructors of the parent's objects the child inherited.
  }
  close(fds[1]);
  std::string result = ReadAll(fds[0]);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "measurement child failed (status %d)\n", status);
    return "";
  }
  return result;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

BenchFlags::BenchFlags(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) continue;
    size_t eq = arg.find('=');
    if (eq == std::string::npos) {
      flags_.emplace_back(arg.substr(2), "");
    } else {
      flags_.emplace_back(arg.substr(2, eq - 2), arg.substr(eq + 1));
    }
  }
}

std::string BenchFlags::Get(const std::string& name, const std::string& fallback) const {
  for (const auto& [k, v] : flags_) {
    if (k == name) return v;
  }
  return fallback;
}

int64_t BenchFlags::GetInt(const std::string& name, int64_t fallback) const {
  std::string v = Get(name, "");
  return v.empty() ? fallback : std::atoll(v.c_str());
}

std::vector<int64_t> BenchFlags::GetInts(const std::string& name, const std::vector<int64_t>& fallback) const {
  std::string v = Get(name, "");
  if (v.empty()) return fallback;
  std::vector<int64_t> out;
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    if (comma == std::string::npos) comma = v.size();
    if (comma > start) out.push_back(std::atoll(v.substr(start, comma - start).c_str()));
    start = comma + 1;
  }
  return out;
}

bool BenchFlags::Has(const std::string& name) const {
  for (const auto& [k, v] : flags_) {
    if (k == name) return true;
  }
  return false;
}

void RemoveUnlessKept(const BenchFlags& flags, const std::string& dir) {
  if (flags.Has("keep")) {
    std::printf("       project kept in %s\n", dir.c_str());
  } else {
    RemoveTree(dir);
  }
}

pid_t SpawnProcess(const std::vector<std::string>& argv, const std::string& cwd, const std::vector<std::string>& env,
                   int out_fd, int err_fd) {
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid != 0) return pid;
  if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
  if (out_fd >= 0) dup2(out_fd, 1);
  if (err_fd >= 0) dup2(err_fd, 2);
  for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execv(args[0], args.data());
  _exit(127);
}

std::string MakeTempDir(const char* prefix) {
  std::string pattern = std::string("/tmp/") + prefix + ".XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) return "";
  return buffer.data();
}

void RemoveTree(const std::string& dir) {
  std::error_code ec;
  if (!dir.empty()) std::filesystem::remove_all(dir, ec);
}

void CountingObserver::OnItem(const ItemRecord& item) {
  ++items;
  if (item.finish_reason == "max_turns") ++max_turns;
  if (!item.error.empty() && errors++ == 0) std::fprintf(stderr, "first item error: %s\n", item.error.c_str());
}

void CountingObserver::OnWarning(const std::string& warning) { std::fprintf(stderr, "warning: %s\n", warning.c_str()); }

bool WriteText(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace bench
}  // namespace llmeval

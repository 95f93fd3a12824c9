#include "bench/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

#include "bench/bench_util.h"

namespace llmeval::bench {

bool MeasuredProcess::ExitedWith(int code) const { return WIFEXITED(status) && WEXITSTATUS(status) == code; }

MeasuredProcess RunMeasured(const std::vector<std::string>& argv, const std::string& cwd,
                            const std::vector<std::string>& env, const std::string& out_path) {
  MeasuredProcess m;
  int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  double start = NowSeconds();
  pid_t pid = SpawnProcess(argv, cwd, env, out, out);
  if (out >= 0) close(out);
  rusage usage{};
  wait4(pid, &m.status, 0, &usage);
  m.wall_s = NowSeconds() - start;
  m.cpu_us = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 +
             static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
  m.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
  int in = open(out_path.c_str(), O_RDONLY);
  if (in >= 0) {
    m.out = ReadFd(in);
    close(in);
  }
  return m;
}

SimServerChild::~SimServerChild() {
  if (pid_ > 0) Stop();
}

bool SimServerChild::Start(const std::string& binary, int64_t latency_ms) {
  int port_pipe[2], err_pipe[2];
  if (pipe(port_pipe) != 0) return false;
  if (pipe(err_pipe) != 0) {
    close(port_pipe[0]);
    close(port_pipe[1]);
    return false;
  }
  pid_ = SpawnProcess(
      {binary, "sim-server", "--port", "0", "--latency-ms", std::to_string(latency_ms), "--exit-after", "3600"}, "", {},
      port_pipe[1], err_pipe[1]);
  close(port_pipe[1]);
  close(err_pipe[1]);
  port_fd_ = port_pipe[0];
  err_fd_ = err_pipe[0];
  char c;
  while (read(port_fd_, &c, 1) == 1 && c != '\n') port_ += c;
  if (port_.empty()) std::fprintf(stderr, "%s sim-server did not start\n", binary.c_str());
  return !port_.empty();
}

std::string SimServerChild::Stop() {
  if (pid_ <= 0) return "?";
  kill(pid_, SIGTERM);
  std::string said = ReadFd(err_fd_);
  waitpid(pid_, nullptr, 0);
  close(port_fd_);
  close(err_fd_);
  pid_ = -1;
  std::string line = LineWith(said, "at most ");
  size_t at = line.find("at most ");
  if (at == std::string::npos) return "?";
  return line.substr(at + 8, line.find(' ', at + 8) - (at + 8));
}

void PrintRatioRow(int64_t run, const MeasuredProcess& m, double ideal, int64_t items, const std::string& in_flight,
                   bool ok, const char* failure) {
  std::printf("  %4lld %8.2f %8.2f %6.3f %12.1f %12.1f %14s%s\n", static_cast<long long>(run), m.wall_s, ideal,
              ideal / m.wall_s, m.cpu_us / static_cast<double>(items), m.peak_rss_mib, in_flight.c_str(),
              ok ? "" : failure);
  if (!ok) std::fprintf(stderr, "%s\n", m.out.c_str());
}

std::string ReadFd(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  return out;
}

std::string LineWith(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return "";
  size_t begin = text.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  size_t end = text.find('\n', at);
  return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

}  // namespace llmeval::bench

// target_bench: `llmeval run --target` through an HTTP target at high concurrency, as the benchmark asks:
// --items rows (default 10,000) at --concurrency 256 against a loopback application with 200 ms latency. The
// application is `llmeval sim-server --latency-ms 200` in a child process (an OpenAI-compatible endpoint; the target's
// body template and response pointers map its chat completions, the way a user maps their own service), and the run
// is the real `llmeval` binary in a child reaped with wait4, one word-count scorer, --no-cache. The run's OTLP
// receiver for the app's spans is on as in every target run (the sim app sends none, so no item waits).
//
// Prints wall time, the ideal (items x latency / concurrency), ratio = ideal / wall (target >= 0.95), the llmeval
// process's CPU per item (user + system from wait4: every thread, start-up to summary), its peak RSS and the most
// requests the app saw in flight at once.
//
//   target_bench [--llmeval=PATH] [--items=10000] [--concurrency=256] [--latency-ms=200] [--runs=1] [--keep]
//
// Single-threaded; benchmarks only. The project lives in a fresh directory under /tmp, removed unless --keep.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_util.h"

namespace llmeval::bench {
namespace {

// Starts argv with stdout (and stderr, when the fds are >= 0) redirected; returns the child's pid.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& cwd, const std::vector<std::string>& env,
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

std::string ReadFd(int fd) {
  std::string out;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  return out;
}

bool WriteText(const std::string& path, const std::string& text) {
  FILE* f = std::fopen(path.c_str(), "w");
  if (f == nullptr) return false;
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  return std::fclose(f) == 0 && ok;
}

bool WriteProject(const std::string& dir, int64_t items, int64_t concurrency) {
  std::string csv = "question\n";
  csv.reserve(static_cast<size_t>(items) * 40);
  for (int64_t i = 0; i < items; ++i) csv += "What is item " + std::to_string(i) + " about?\n";
  return WriteText(dir + "/questions.csv", csv) &&
         WriteText(dir + "/llmeval.yaml",
                   "dataset: questions.csv\n"
                   "targets:\n"
                   "  app:\n"
                   "    kind: http\n"
                   "    url: http://127.0.0.1:${APP_PORT}/v1/chat/completions\n"
                   "    body: {model: sim, messages: [{role: user, content: \"{question}\"}]}\n"
                   "    response: {answer: /choices/0/message/content, input_tokens: /usage/prompt_tokens, "
                   "output_tokens: /usage/completion_tokens}\n"
                   "    max_concurrency: " +
                       std::to_string(concurrency) +
                       "\n"
                       "scorers:\n"
                       "  - {name: enough_words, type: word_count, min: 10}\n");
}

// The line of `text` that contains `needle`, or "".
std::string LineWith(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  if (at == std::string::npos) return "";
  size_t begin = text.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  size_t end = text.find('\n', at);
  return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

int Main(int argc, char** argv) {
  BenchFlags flags(argc, argv);
  const std::string llmeval = flags.Get("llmeval", LLMEVAL_BINARY);
  const int64_t items = flags.GetInt("items", 10000);
  const int64_t concurrency = flags.GetInt("concurrency", 256);
  const int64_t latency_ms = flags.GetInt("latency-ms", 200);
  const int64_t runs = flags.GetInt("runs", 1);
  const double ideal =
      static_cast<double>(items) * static_cast<double>(latency_ms) / 1000.0 / static_cast<double>(concurrency);
  std::printf(
      "target_bench: %s run --target app (http) --no-cache --concurrency %lld, %lld items, app latency %lld ms\n",
      llmeval.c_str(), static_cast<long long>(concurrency), static_cast<long long>(items),
      static_cast<long long>(latency_ms));
  std::printf("  %4s %8s %8s %6s %12s %12s %14s\n", "run", "wall s", "ideal s", "ratio", "CPU us/item", "peak RSS MiB",
              "app in-flight");
  int failures = 0;
  for (int64_t run = 1; run <= runs; ++run) {
    std::string dir = MakeTempDir("llmeval-target-bench");
    if (!WriteProject(dir, items, concurrency)) {
      std::fprintf(stderr, "cannot write the project in %s\n", dir.c_str());
      return 1;
    }
    int port_pipe[2], err_pipe[2];
    if (pipe(port_pipe) != 0 || pipe(err_pipe) != 0) return 1;
    pid_t server = Spawn(
        {llmeval, "sim-server", "--port", "0", "--latency-ms", std::to_string(latency_ms), "--exit-after", "3600"}, "",
        {}, port_pipe[1], err_pipe[1]);
    close(port_pipe[1]);
    close(err_pipe[1]);
    std::string port;
    char c;
    while (read(port_pipe[0], &c, 1) == 1 && c != '\n') port += c;
    if (port.empty()) {
      std::fprintf(stderr, "llmeval sim-server did not start\n");
      return 1;
    }
    int out = open((dir + "/run.out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> env = {"APP_PORT=" + port};
    double start = NowSeconds();
    pid_t pid = Spawn({llmeval, "run", "--target", "app", "--no-cache", "--concurrency", std::to_string(concurrency)},
                      dir, env, out, out);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    double wall = NowSeconds() - start;
    close(out);
    kill(server, SIGTERM);
    std::string server_err = ReadFd(err_pipe[0]);
    waitpid(server, nullptr, 0);
    close(port_pipe[0]);
    close(err_pipe[0]);
    std::string served = LineWith(server_err, "at most ");
    std::string server_max = "?";
    if (size_t at = served.find("at most "); at != std::string::npos) {
      server_max = served.substr(at + 8, served.find(' ', at + 8) - (at + 8));
    }
    FILE* f = std::fopen((dir + "/run.out").c_str(), "r");
    std::string run_out;
    if (f != nullptr) {
      char buffer[4096];
      size_t n;
      while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) run_out.append(buffer, n);
      std::fclose(f);
    }
    double cpu_us = (static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e6 +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec));
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 && run_out.find("errors 0") != std::string::npos;
    std::printf("  %4lld %8.2f %8.2f %6.3f %12.1f %12.1f %14s%s\n", static_cast<long long>(run), wall, ideal,
                ideal / wall, cpu_us / static_cast<double>(items), static_cast<double>(usage.ru_maxrss) / 1024.0,
                server_max.c_str(), ok ? "" : "  (llmeval failed or items errored)");
    if (!ok) {
      ++failures;
      std::fprintf(stderr, "%s\n", run_out.c_str());
    }
    if (flags.Has("keep")) {
      std::printf("       project kept in %s\n", dir.c_str());
    } else {
      RemoveTree(dir);
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace llmeval::bench

int main(int argc, char** argv) { return llmeval::bench::Main(argc, argv); }

#include "engine/targets/command_target.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/json_writer.h"
#include "engine/os/subprocess.h"
#include "engine/targets/target_reply.h"

extern char** environ;

namespace llmeval {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

const TargetResponseMap& JsonLinesMap() {
  static const TargetResponseMap map = [] {
    TargetResponseMap m;
    m.answer = "/output";
    m.tool_calls = "/tool_calls";
    m.input_tokens = "/usage/input_tokens";
    m.output_tokens = "/usage/output_tokens";
    m.cost_usd = "/cost_usd";
    return m;
  }();
  return map;
}

// One worker process with pipes to its stdin and stdout (stderr goes to /dev/null).
class Worker {
 public:
  Worker(const std::vector<std::string>* argv, const std::string* dir) : argv_(argv), dir_(dir) {}
  ~Worker() { Kill(); }

  // Sends one line and waits up to `timeout_ms` for one line back. Starts the process first when it is not running.
  Result<std::string> Exchange(const std::string& line, int64_t timeout_ms,
                               const std::map<std::string, std::string>& env) {
    if (pid_ < 0) {
      Status s = Start(env);
      if (!s.ok()) return s;
    }
    int64_t deadline = NowMs() + timeout_ms;
    size_t written = 0;
    for (;;) {
      size_t newline = buf_.find('\n');
      if (newline != std::string::npos) {
        std::string reply = buf_.substr(0, newline);
        buf_.erase(0, newline + 1);
        return reply;
      }
      int64_t remaining = deadline - NowMs();
      if (remaining <= 0) {
        Kill();
        return Status::Timeout("no reply within " + std::to_string(timeout_ms) +
                               " ms; the worker was killed and will be restarted");
      }
      pollfd fds[2] = {{out_, POLLIN, 0}, {in_, POLLOUT, 0}};
      int n = written < line.size() ? 2 : 1;
      int ready = poll(fds, static_cast<nfds_t>(n), static_cast<int>(remaining));
      if (ready <= 0) continue;
      if (n == 2 && fds[1].revents != 0) {
        ssize_t w = WriteWithoutSigpipe(in_, line.data() + written, line.size() - written);
        if (w > 0) {
          written += static_cast<size_t>(w);
        } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
          return Exited("it stopped reading its input");
        }
      }
      if (fds[0].revents != 0) {
        char chunk[8192];
        ssize_t got = read(out_, chunk, sizeof(chunk));
        if (got > 0) {
          buf_.append(chunk, static_cast<size_t>(got));
        } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
          return Exited("it closed its output");
        }
      }
    }
  }

  // Closes stdin (a worker that answers one line, per_item, exits then) and reaps the process.
  void Kill() {
    if (pid_ < 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    Close();
  }

 private:
  Status Exited(const std::string& how) {
    int status = 0;
    std::string what = how;
    for (int i = 0; i < 50 && pid_ >= 0; ++i) {  // Give it up to 0.5 s to finish exiting.
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        what = WIFEXITED(status)     ? "it exited with code " + std::to_string(WEXITSTATUS(status))
               : WIFSIGNALED(status) ? "it was killed by signal " + std::to_string(WTERMSIG(status))
                                     : how;
        Close();
        break;
      }
      usleep(10000);
    }
    Kill();
    return Status::Unavailable("worker '" + (*argv_)[0] + "' failed while answering: " + what +
                               "; it will be restarted for the next item");
  }

  void Close() {
    for (int* fd : {&in_, &out_}) {
      if (*fd >= 0) close(*fd);
      *fd = -1;
    }
    pid_ = -1;
    buf_.clear();
  }

  Status Start(const std::map<std::string, std::string>& env) {
    int in_pipe[2], out_pipe[2];
    if (pipe2(in_pipe, O_CLOEXEC) != 0) return Status::IOError("pipe failed");
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
      close(in_pipe[0]);
      close(in_pipe[1]);
      return Status::IOError("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    if (!dir_->empty()) posix_spawn_file_actions_addchdir_np(&actions, dir_->c_str());
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string entry = *e;
      if (env.count(entry.substr(0, entry.find('='))) == 0) env_strings.push_back(std::move(entry));
    }
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (std::string& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = *argv_;
    std::vector<char*> argp;
    for (std::string& s : args) argp.push_back(s.data());
    argp.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, argp[0], &actions, nullptr, argp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(in_pipe[0]);
    close(out_pipe[1]);
    if (rc != 0) {
      close(in_pipe[1]);
      close(out_pipe[0]);
      return Status::Unavailable("cannot start '" + (*argv_)[0] + "': " + std::strerror(rc));
    }
    pid_ = pid;
    in_ = in_pipe[1];
    out_ = out_pipe[0];
    fcntl(in_, F_SETFL, O_NONBLOCK);
    fcntl(out_, F_SETFL, O_NONBLOCK);
    return Status::OK();
  }

  const std::vector<std::string>* argv_;
  const std::string* dir_;
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1;
  std::string buf_;
};

std::string RequestLine(int64_t id, const TargetRequest& request) {
  JsonWriter w;
  w.BeginObject();
  w.Field("id", id);
  w.Key("vars");
  w.BeginObject();
  for (const auto& [k, v] : request.variables) w.Field(k, v);
  w.EndObject();
  if (request.variables.count("prompt") != 0) w.Field("prompt", request.variables.at("prompt"));
  w.Field("traceparent", request.traceparent);
  w.EndObject();
  return w.Take() + "\n";
}

}  // namespace

CommandTarget::CommandTarget(TargetSettings settings, std::string dir, std::map<std::string, std::string> extra_env)
    : settings_(std::move(settings)), dir_(std::move(dir)), env_(std::move(extra_env)) {
  for (const auto& [k, v] : settings_.env) env_[k] = v;
  int threads = settings_.workers;
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

CommandTarget::~CommandTarget() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  for (Job& job : queue_) {
    TargetResult result;
    result.chat.status = Status::Cancelled("target " + settings_.name + " stopped");
    job.done(std::move(result));
  }
}

void CommandTarget::Invoke(TargetRequest request, TargetCallback done) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(Job{std::move(request), std::move(done)});
  }
  cv_.notify_one();
}

void CommandTarget::WorkerLoop() {
  Worker worker(&settings_.command, &dir_);
  for (;;) {
    Job job;
    int64_t id = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      id = next_id_++;
    }
    TargetResult result;
    result.request_body = RequestLine(id, job.request);
    int64_t start = NowMs();
    std::map<std::string, std::string> env = env_;
    if (settings_.per_item) env["TRACEPARENT"] = job.request.traceparent;
    Result<std::string> line = worker.Exchange(result.request_body, settings_.timeout_ms, env);
    if (settings_.per_item) worker.Kill();
    CallAttempt attempt;
    attempt.duration_nanos = (NowMs() - start) * 1'000'000;
    if (!line.ok()) {
      attempt.error = line.status().message();
      result.chat.status = Status(line.status().code(), "target " + settings_.name + ": " + line.status().message());
    } else {
      Result<DecodedReply> reply = DecodeTargetReply(*line, "json", JsonLinesMap());
      if (!reply.ok()) {
        result.chat.status =
            Status(reply.status().code(), "target " + settings_.name + ": " + reply.status().message());
      } else if (!reply->error.empty()) {
        result.chat.status = Status::RemoteError("target " + settings_.name + " reported an error: " + reply->error);
      } else {
        result.chat.response.message = std::move(reply->message);
        result.chat.response.usage = reply->usage;
        result.chat.response.finish_reason = result.chat.response.message.tool_calls.empty() ? "stop" : "tool_calls";
        result.chat.response.total_time_ns = attempt.duration_nanos;
        result.cost_usd = reply->cost_usd;
      }
    }
    result.chat.attempts.push_back(std::move(attempt));
    job.done(std::move(result));
  }
}

}  // namespace llmeval

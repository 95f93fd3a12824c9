#include "engine/user_scorers/command_scorer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <vector>

#include "core/json_writer.h"
#include "core/strings.h"
#include "engine/os/subprocess.h"
#include "scorers/json_util.h"
#include "scorers/scorer_params.h"

namespace llmeval {
namespace {

constexpr size_t kStderrTail = 2048;
constexpr size_t kMaxResponseBytes = 1 << 20;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// One worker process: started on demand, killed on a timeout or protocol error. Not thread-safe (the pool hands it
// to one caller at a time).
class WorkerProcess {
 public:
  WorkerProcess(const std::vector<std::string>* argv, const std::string* dir) : argv_(argv), dir_(dir) {}
  ~WorkerProcess() { Stop(); }

  // Sends `line` (without its newline) and reads one line back. On any failure the worker is gone afterwards and
  // the returned status says why (Unavailable for timeouts and exits, InvalidInput when it cannot start).
  // A worker started for this request gets `startup_ms` more (interpreters and imports take time).
  Result<std::string> Exchange(const std::string& line, int64_t timeout_ms, int64_t startup_ms) {
    int64_t allowed = timeout_ms;
    if (pid_ < 0) {
      Status s = Start();
      if (!s.ok()) return s;
      allowed += startup_ms;
    }
    int64_t deadline = NowMs() + allowed;
    std::string data = line + "\n";
    size_t written = 0;
    while (true) {
      size_t newline = out_buf_.find('\n');
      if (newline != std::string::npos) {
        std::string reply = out_buf_.substr(0, newline);
        out_buf_.erase(0, newline + 1);
        return reply;
      }
      if (out_buf_.size() > kMaxResponseBytes) {
        Kill();
        return Status::Unavailable("the response line is longer than " + std::to_string(kMaxResponseBytes) +
                                   " bytes; the worker was stopped");
      }
      int64_t remaining = deadline - NowMs();
      if (remaining <= 0) {
        Kill();
        return Status::Unavailable("no response within " + std::to_string(allowed) +
                                   " ms; the worker was killed and will be restarted for the next item");
      }
      pollfd fds[3];
      int n = 0;
      fds[n++] = {out_, POLLIN, 0};
      int err_slot = -1, in_slot = -1;
      if (err_ >= 0) {
        err_slot = n;
        fds[n++] = {err_, POLLIN, 0};
      }
      if (written < data.size()) {
        in_slot = n;
        fds[n++] = {in_, POLLOUT, 0};
      }
      int ready = poll(fds, static_cast<nfds_t>(n), static_cast<int>(remaining));
      if (ready < 0 && errno != EINTR) {
        Kill();
        return Status::IOError(std::string("poll failed: ") + std::strerror(errno));
      }
      if (ready <= 0) continue;
      if (in_slot >= 0 && fds[in_slot].revents != 0) {
        ssize_t w = WriteWithoutSigpipe(in_, data.data() + written, data.size() - written);
        if (w > 0) {
          written += static_cast<size_t>(w);
        } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
          return Exited("it stopped reading its input");
        }
      }
      if (err_slot >= 0 && fds[err_slot].revents != 0) ReadStderr();
      if (fds[0].revents != 0) {
        char buf[8192];
        ssize_t got = read(out_, buf, sizeof(buf));
        if (got > 0) {
          out_buf_.append(buf, static_cast<size_t>(got));
        } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
          return Exited("it closed its output");
        }
      }
    }
  }

  // Closes the worker's stdin, gives it a moment to exit by itself, then kills what is left.
  void Stop() {
    if (pid_ < 0) return;
    close(in_);
    in_ = -1;
    WaitForExit(500);
    Kill();
  }

 private:
  Status Start() {
    SpawnOptions spawn;
    spawn.argv = *argv_;
    spawn.working_dir = *dir_;
    Result<ChildPipes> child = SpawnWithPipes(spawn);
    if (!child.ok()) {
      if (child.status().code() != StatusCode::kInvalidInput) return child.status();
      return Status::InvalidInput("cannot start '" + (*argv_)[0] + "' in " + (dir_->empty() ? "." : *dir_) + ": " +
                                  child.status().message());
    }
    pid_ = child->pid;
    in_ = child->in;
    out_ = child->out;
    err_ = child->err;
    fcntl(in_, F_SETFL, O_NONBLOCK);
    fcntl(out_, F_SETFL, O_NONBLOCK);
    fcntl(err_, F_SETFL, O_NONBLOCK);
    out_buf_.clear();
    err_tail_.clear();
    return Status::OK();
  }

  void ReadStderr() {
    char buf[4096];
    while (err_ >= 0) {
      ssize_t got = read(err_, buf, sizeof(buf));
      if (got > 0) {
        err_tail_.append(buf, static_cast<size_t>(got));
        if (err_tail_.size() > kStderrTail) err_tail_.erase(0, err_tail_.size() - kStderrTail);
        continue;
      }
      if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
        close(err_);
        err_ = -1;
      }
      return;
    }
  }

  // Waits up to `timeout_ms` for the worker to exit, reading its stderr meanwhile; reaps it when it did.
  void WaitForExit(int64_t timeout_ms) {
    int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));  // Readable once the worker exits.
    int64_t deadline = NowMs() + timeout_ms;
    while (pid_ >= 0) {
      int64_t remaining = deadline - NowMs();
      if (remaining <= 0) break;
      pollfd fds[2];
      int n = 0;
      if (pidfd >= 0) fds[n++] = {pidfd, POLLIN, 0};
      if (err_ >= 0) fds[n++] = {err_, POLLIN, 0};
      if (n == 0) break;
      int ready = poll(fds, static_cast<nfds_t>(n), static_cast<int>(remaining));
      if (ready < 0 && errno != EINTR) break;
      if (err_ >= 0) ReadStderr();
      if (pidfd >= 0 && ready > 0 && fds[0].revents != 0) {
        Reap(0);
        break;
      }
    }
    if (err_ >= 0 && pid_ < 0) ReadStderr();
    if (pidfd >= 0) close(pidfd);
  }

  // Reaps the worker with waitpid `flags`; true (and pid_ reset) when it was reaped.
  bool Reap(int flags) {
    int status = 0;
    pid_t r;
    do {
      r = waitpid(pid_, &status, flags);
    } while (r < 0 && errno == EINTR);
    if (r != pid_) return false;
    exit_description_ = DescribeWaitStatus(status);
    pid_ = -1;
    return true;
  }

  // Kills the worker's process group (if it still runs) and closes everything.
  void Kill() {
    if (pid_ >= 0) {
      kill(-pid_, SIGKILL);
      Reap(0);
    }
    for (int* fd : {&in_, &out_, &err_}) {
      if (*fd >= 0) close(*fd);
      *fd = -1;
    }
    pid_ = -1;
    out_buf_.clear();
  }

  // The worker went away during a request: the error quotes how it ended and the tail of its stderr.
  Status Exited(const std::string& what) {
    exit_description_.clear();
    if (in_ >= 0) {
      close(in_);
      in_ = -1;
    }
    WaitForExit(1000);
    std::string how = exit_description_.empty() ? what : "it " + exit_description_;
    std::string tail = std::string(TrimWhitespace(err_tail_));
    Kill();
    std::string message = "the worker stopped (" + how + ")";
    if (!tail.empty()) message += "; stderr: " + Excerpt(tail, 600);
    return Status::Unavailable(message + "; it will be restarted for the next item");
  }

  const std::vector<std::string>* argv_;
  const std::string* dir_;
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int err_ = -1;
  std::string out_buf_;
  std::string err_tail_;
  std::string exit_description_;
};

class CommandScorer : public Scorer {
 public:
  CommandScorer(std::string name, std::vector<std::string> argv, std::string dir, int64_t timeout_ms,
                int64_t startup_timeout_ms, int workers, std::optional<double> threshold, std::string params_json,
                std::vector<std::string> expectation_columns)
      : name_(std::move(name)),
        argv_(std::move(argv)),
        dir_(std::move(dir)),
        timeout_ms_(timeout_ms),
        startup_timeout_ms_(startup_timeout_ms),
        threshold_(threshold),
        params_json_(std::move(params_json)),
        expectation_columns_(std::move(expectation_columns)) {
    for (int i = 0; i < workers; ++i) {
      workers_.push_back(std::make_unique<WorkerProcess>(&argv_, &dir_));
      free_.push_back(workers_.back().get());
    }
  }

  const std::string& name() const override { return name_; }

  Assessment Score(const ScoringContext& ctx) const override {
    if (ctx.errored) {
      return ErrorAssessment(
          name_, "the application call failed: " + (ctx.error.empty() ? std::string("unknown error") : ctx.error));
    }
    WorkerProcess* worker = Acquire();
    int64_t id;
    {
      std::lock_guard<std::mutex> lock(mu_);
      id = ++next_id_;
    }
    std::string request = UserScorerRequestJson(id, name_, ctx, params_json_, expectation_columns_);
    Result<std::string> reply = worker->Exchange(request, timeout_ms_, startup_timeout_ms_);
    Assessment result;
    if (!reply.ok()) {
      result = ErrorAssessment(name_, "scorer '" + name_ + "' (command " + argv_[0] + "): " + reply.status().message());
    } else {
      Result<Assessment> parsed =
          ParseUserScorerResponse(*reply, name_, "scorer '" + name_ + "' (command " + argv_[0] + ")", threshold_, id);
      if (parsed.ok()) {
        result = *parsed;
      } else {
        // The stream may be out of step now (a stray print before the answer): start afresh next time.
        worker->Stop();
        result = ErrorAssessment(name_, parsed.status().message());
      }
    }
    Release(worker);
    return result;
  }

 private:
  WorkerProcess* Acquire() const {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !free_.empty(); });
    WorkerProcess* w = free_.back();
    free_.pop_back();
    return w;
  }
  void Release(WorkerProcess* w) const {
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(w);
    }
    cv_.notify_one();
  }

  std::string name_;
  std::vector<std::string> argv_;
  std::string dir_;
  int64_t timeout_ms_;
  int64_t startup_timeout_ms_;
  std::optional<double> threshold_;
  std::string params_json_;
  std::vector<std::string> expectation_columns_;
  std::vector<std::unique_ptr<WorkerProcess>> workers_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  mutable std::vector<WorkerProcess*> free_;
  mutable int64_t next_id_ = 0;
};

void WriteStringMap(JsonWriter* w, const std::map<std::string, std::string>& values) {
  w->BeginObject();
  for (const auto& [k, v] : values) w->Field(k, v);
  w->EndObject();
}

}  // namespace

std::string UserScorerRequestJson(int64_t id, const std::string& scorer, const ScoringContext& ctx,
                                  const std::string& params_json, const std::vector<std::string>& expectation_columns) {
  JsonWriter w;
  w.BeginObject();
  w.Field("id", id);
  w.Field("scorer", scorer);
  w.Key("inputs");
  WriteStringMap(&w, ctx.variables);
  w.Field("input", ctx.rendered_input);
  w.Key("output");
  if (ctx.errored) {
    w.Null();
  } else {
    w.String(ctx.output);
  }
  std::map<std::string, std::string> expectations;
  for (const std::string& column : expectation_columns) {
    auto it = ctx.variables.find(column);
    if (it != ctx.variables.end()) expectations[column] = it->second;
  }
  w.Key("expectations");
  WriteStringMap(&w, expectations);
  w.Key("trace");
  w.BeginObject();
  w.Key("tool_calls");
  w.BeginArray();
  for (const ToolCallRecord& t : ctx.tool_calls) {
    w.BeginObject();
    w.Field("name", t.name);
    w.Field("arguments", t.arguments_json);
    w.Field("result", t.result);
    w.Field("failed", t.failed);
    w.EndObject();
  }
  w.EndArray();
  w.Field("finish_reason", ctx.finish_reason);
  w.Field("latency_ms", ctx.latency_ms);
  w.Field("input_tokens", ctx.input_tokens);
  w.Field("output_tokens", ctx.output_tokens);
  w.Key("cost_usd");
  if (ctx.cost_usd.has_value()) {
    w.Double(*ctx.cost_usd);
  } else {
    w.Null();
  }
  w.Field("error", ctx.error);
  w.Field("summary", ctx.trace_summary);
  w.EndObject();
  w.Key("params");
  w.Raw(params_json.empty() ? std::string_view("{}") : std::string_view(params_json));
  w.EndObject();
  return w.Take();
}

Result<Assessment> ParseUserScorerResponse(std::string_view response, const std::string& name, const std::string& who,
                                           std::optional<double> threshold, std::optional<int64_t> expected_id) {
  std::string_view trimmed = TrimWhitespace(response);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object object;
  if (trimmed.empty() || parser.parse(trimmed.data(), trimmed.size()).get(root) != simdjson::SUCCESS ||
      root.get(object) != simdjson::SUCCESS) {
    return Status::InvalidInput(who + ": expected a JSON object response line, got " +
                                (trimmed.empty() ? std::string("an empty line") : "'" + Excerpt(trimmed, 120) + "'"));
  }
  simdjson::dom::element id;
  if (expected_id.has_value() && object["id"].get(id) == simdjson::SUCCESS && !id.is_null()) {
    int64_t got = 0;
    std::string_view got_text;
    bool same = (id.get(got) == simdjson::SUCCESS && got == *expected_id) ||
                (id.get(got_text) == simdjson::SUCCESS && got_text == std::to_string(*expected_id));
    if (!same) {
      return Status::InvalidInput(who + ": the response has id " + simdjson::minify(id) + " but the request had id " +
                                  std::to_string(*expected_id) + ": '" + Excerpt(trimmed, 120) + "'");
    }
  }
  std::string_view text;
  std::string rationale;
  if (object["rationale"].get(text) == simdjson::SUCCESS || object["reason"].get(text) == simdjson::SUCCESS) {
    rationale = std::string(text);
  }
  simdjson::dom::element error;
  if (object["error"].get(error) == simdjson::SUCCESS && !error.is_null()) {
    std::string message = error.get(text) == simdjson::SUCCESS ? std::string(text) : simdjson::minify(error);
    return ErrorAssessment(name, who + " reported an error: " + message);
  }
  simdjson::dom::element value;
  if (object["value"].get(value) != simdjson::SUCCESS) {
    // The general assessment form: outcome / pass / score / label.
    Result<Assessment> general = ParseAssessmentJson(trimmed, name);
    if (!general.ok()) return Status::InvalidInput(who + ": " + general.status().message());
    return general;
  }
  bool flag = false;
  double number = 0;
  Assessment a;
  if (value.get(flag) == simdjson::SUCCESS) {
    a = flag ? PassAssessment(name, rationale) : FailAssessment(name, rationale);
    a.label = flag ? "pass" : "fail";
  } else if (value.get(number) == simdjson::SUCCESS) {
    bool pass = !threshold.has_value() || number >= *threshold;
    a = pass ? PassAssessment(name, rationale) : FailAssessment(name, rationale);
    a.score = number;
  } else {
    return Status::InvalidInput(who + ": \"value\" must be true, false or a number, got " + simdjson::minify(value));
  }
  std::string_view label;
  if (object["label"].get(label) == simdjson::SUCCESS) a.label = std::string(label);
  return a;
}

Result<std::unique_ptr<Scorer>> MakeCommandScorer(const ScorerSpec& spec, const std::string& project_dir) {
  ScorerParams p(spec);
  p.CheckKeys({"command", "timeout_ms", "startup_timeout_ms", "workers", "threshold", "params", "expectation_columns"});
  std::optional<std::vector<std::string>> argv = p.StringList("command");
  int64_t timeout_ms = p.Int("timeout_ms").value_or(5000);
  int64_t startup_timeout_ms = p.Int("startup_timeout_ms").value_or(10000);
  int64_t workers = p.Int("workers").value_or(1);
  std::optional<double> threshold = p.Number("threshold");
  std::vector<std::string> expectations = p.StringList("expectation_columns").value_or(std::vector<std::string>{});
  std::string params_json = p.MappingJson("params");
  if (!p.ok()) return p.status();
  if (!argv.has_value() || argv->empty() || (*argv)[0].empty()) {
    return p.Error("missing required parameter 'command' (an argv list, e.g. [python3, scorers/my_scorer.py])");
  }
  if (timeout_ms < 1) return p.Error("parameter 'timeout_ms' must be at least 1, got " + std::to_string(timeout_ms));
  if (startup_timeout_ms < 0) {
    return p.Error("parameter 'startup_timeout_ms' must not be negative, got " + std::to_string(startup_timeout_ms));
  }
  if (workers < 1 || workers > 64) {
    return p.Error("parameter 'workers' must be between 1 and 64, got " + std::to_string(workers));
  }
  for (std::string& column : expectations) column = AsciiLower(column);
  return std::unique_ptr<Scorer>(new CommandScorer(p.name(), std::move(*argv), project_dir, timeout_ms,
                                                   startup_timeout_ms, static_cast<int>(workers), threshold,
                                                   std::move(params_json), std::move(expectations)));
}

}  // namespace llmeval

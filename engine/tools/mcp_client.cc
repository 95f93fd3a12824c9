#include "engine/tools/mcp_client.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <optional>
#include <thread>

#include "core/json_writer.h"
#include "core/strings.h"
#include "engine/os/subprocess.h"

namespace llmeval {
namespace {

constexpr const char* kProtocolVersion = "2025-06-18";
constexpr size_t kStderrTailBytes = 8192;
constexpr size_t kMaxLineBytes = 64 << 20;

std::string Excerpt(std::string_view text, size_t max) {
  std::string t(TrimWhitespace(text));
  if (t.size() > max) t = "..." + t.substr(t.size() - max);
  return t;
}

}  // namespace

// One server process: its pipes, the reader thread and the requests waiting for answers.
class McpClient::Connection {
 public:
  Connection(std::shared_ptr<std::string> tail, std::shared_ptr<std::mutex> tail_mu)
      : tail_(std::move(tail)), tail_mu_(std::move(tail_mu)) {}

  ~Connection() { Shutdown(); }

  Status Start(const McpServerOptions& options) {
    if (pipe2(wake_, O_CLOEXEC) != 0) {
      wake_[0] = wake_[1] = -1;
      return Status::IOError("pipe failed");
    }
    SpawnOptions spawn;
    spawn.argv = options.argv;
    spawn.working_dir = options.working_dir;
    spawn.env = options.env;
    spawn.clear_signal_mask = true;
    Result<ChildPipes> child = SpawnWithPipes(spawn);
    if (!child.ok()) {
      if (child.status().code() != StatusCode::kInvalidInput) return child.status();
      return Status::InvalidInput("cannot run '" + options.argv[0] + "': " + child.status().message());
    }
    pid_ = child->pid;
    in_fd_ = child->in;
    out_fd_ = child->out;
    err_fd_ = child->err;
    reader_ = std::thread([this] { ReadLoop(); });
    return Status::OK();
  }

  bool alive() {
    std::lock_guard<std::mutex> lock(mu_);
    return !dead_;
  }

  // Sends a request and waits for its response line. Timeout or Unavailable (the server exited) otherwise.
  Result<std::string> Request(const std::string& method, const std::string& params_json, int64_t timeout_ms) {
    int64_t id = next_id_.fetch_add(1);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (dead_) return Status::Unavailable("the server has exited");
      pending_[id] = std::nullopt;
    }
    JsonWriter w;
    w.BeginObject();
    w.Field("jsonrpc", "2.0");
    w.Field("id", id);
    w.Field("method", method);
    w.Key("params");
    w.Raw(params_json);
    w.EndObject();
    if (!Send(w.Take())) {
      std::lock_guard<std::mutex> lock(mu_);
      pending_.erase(id);
      return Status::Unavailable("the server has exited");
    }
    std::unique_lock<std::mutex> lock(mu_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    bool answered = cv_.wait_until(lock, deadline, [&] { return dead_ || pending_[id].has_value(); });
    std::optional<std::string> line = std::move(pending_[id]);
    pending_.erase(id);
    if (line.has_value()) return std::move(*line);
    if (dead_) return Status::Unavailable("the server exited before answering");
    (void)answered;
    lock.unlock();
    Notify("notifications/cancelled", "{\"requestId\":" + std::to_string(id) + ",\"reason\":\"timed out after " +
                                          std::to_string(timeout_ms) + " ms\"}");
    return Status::Timeout("no answer to " + method + " within " + std::to_string(timeout_ms) + " ms");
  }

  bool Notify(const std::string& method, const std::string& params_json) {
    return Send("{\"jsonrpc\":\"2.0\",\"method\":" + JsonQuote(method) + ",\"params\":" + params_json + "}");
  }

 private:
  bool Send(std::string line) {
    line.push_back('\n');
    std::lock_guard<std::mutex> lock(write_mu_);
    if (in_fd_ < 0) return false;
    return WriteAllWithoutSigpipe(in_fd_, line);
  }

  void ReadLoop() {
    simdjson::dom::parser parser;
    std::string out_buffer;
    char buf[65536];
    int fds_open[2] = {out_fd_, err_fd_};
    while (fds_open[0] >= 0 || fds_open[1] >= 0) {
      pollfd fds[3];
      int index_of[3] = {-1, -1, -1};
      int n = PollOutputPipes(fds_open, fds, index_of);
      fds[n++] = {wake_[0], POLLIN, 0};
      if (poll(fds, static_cast<nfds_t>(n), -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      if (fds[n - 1].revents != 0) break;  // Shutdown.
      for (int k = 0; k < n - 1; ++k) {
        if (fds[k].revents == 0) continue;
        int i = index_of[k];
        ssize_t got = read(fds_open[i], buf, sizeof(buf));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
          fds_open[i] = -1;  // Closed by the destructor.
          if (i == 0) MarkDead();
          continue;
        }
        if (i == 1) {
          std::lock_guard<std::mutex> lock(*tail_mu_);
          tail_->append(buf, static_cast<size_t>(got));
          if (tail_->size() > kStderrTailBytes) tail_->erase(0, tail_->size() - kStderrTailBytes);
          continue;
        }
        out_buffer.append(buf, static_cast<size_t>(got));
        size_t start = 0;
        for (size_t nl; (nl = out_buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
          std::string_view line(out_buffer.data() + start, nl - start);
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          if (!TrimWhitespace(line).empty()) HandleLine(&parser, line);
        }
        out_buffer.erase(0, start);
        if (out_buffer.size() > kMaxLineBytes) out_buffer.clear();  // A runaway line: drop it.
      }
    }
    MarkDead();
  }

  void HandleLine(simdjson::dom::parser* parser, std::string_view line) {
    simdjson::dom::element message;
    if (parser->parse(line.data(), line.size()).get(message) != simdjson::SUCCESS || !message.is_object()) return;
    simdjson::dom::element id;
    bool has_id = message["id"].get(id) == simdjson::SUCCESS && !id.is_null();
    std::string_view method;
    bool has_method = message["method"].get_string().get(method) == simdjson::SUCCESS;
    if (has_method) {
      if (!has_id) return;  // A notification (progress, logging, list_changed): nothing to do.
      std::string reply = "{\"jsonrpc\":\"2.0\",\"id\":" + simdjson::to_string(id);
      reply += method == "ping" ? ",\"result\":{}}" : ",\"error\":{\"code\":-32601,\"message\":\"Method not found\"}}";
      Send(std::move(reply));
      return;
    }
    int64_t number = 0;
    if (!has_id || id.get_int64().get(number) != simdjson::SUCCESS) return;
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(number);
    if (it == pending_.end()) return;  // Timed out already.
    it->second = std::string(line);
    cv_.notify_all();
  }

  void MarkDead() {
    std::lock_guard<std::mutex> lock(mu_);
    dead_ = true;
    cv_.notify_all();
  }

  static bool WaitExit(pid_t pid, int64_t ms) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (true) {
      int status = 0;
      pid_t r = waitpid(pid, &status, WNOHANG);
      if (r == pid || (r < 0 && errno != EINTR)) return true;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  void Shutdown() {
    {
      std::lock_guard<std::mutex> lock(write_mu_);
      if (in_fd_ >= 0) close(in_fd_);  // MCP's stdio shutdown: close the server's stdin first.
      in_fd_ = -1;
    }
    if (pid_ > 0) {
      if (!WaitExit(pid_, 200)) {
        kill(-pid_, SIGTERM);
        if (!WaitExit(pid_, 1000)) {
          kill(-pid_, SIGKILL);
          WaitExit(pid_, 60000);
        }
      }
      kill(-pid_, SIGKILL);  // Whatever else is left in its process group.
      pid_ = -1;
    }
    if (reader_.joinable()) {
      if (wake_[1] >= 0) WriteAllWithoutSigpipe(wake_[1], "x");
      reader_.join();
    }
    for (int* fd : {&out_fd_, &err_fd_, &wake_[0], &wake_[1]}) {
      if (*fd >= 0) close(*fd);
      *fd = -1;
    }
  }

  std::shared_ptr<std::string> tail_;
  std::shared_ptr<std::mutex> tail_mu_;
  pid_t pid_ = -1;
  int in_fd_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::thread reader_;
  std::atomic<int64_t> next_id_{1};
  std::mutex write_mu_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<int64_t, std::optional<std::string>> pending_;
  bool dead_ = false;
};

McpClient::McpClient(McpServerOptions options)
    : options_(std::move(options)),
      stderr_tail_(std::make_shared<std::string>()),
      stderr_mu_(std::make_shared<std::mutex>()) {}

McpClient::~McpClient() {
  std::shared_ptr<Connection> conn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    conn = std::move(conn_);
  }
  conn.reset();
}

std::string McpClient::StderrTail() const {
  std::lock_guard<std::mutex> lock(*stderr_mu_);
  return *stderr_tail_;
}

int McpClient::starts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return starts_;
}

Result<std::shared_ptr<McpClient::Connection>> McpClient::Live() {
  std::lock_guard<std::mutex> start_lock(start_mu_);
  std::shared_ptr<Connection> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (conn_ != nullptr && conn_->alive()) return conn_;
    old = std::move(conn_);
  }
  old.reset();  // Reaps the dead process.
  std::string who = "mcp server '" + options_.name + "' (" + JoinStrings(options_.argv, " ") + ")";
  auto fail = [&](const std::string& why) {
    std::string err = Excerpt(StderrTail(), 500);
    return Status::Unavailable(who + " " + why + (err.empty() ? "" : "; its stderr: " + err));
  };
  if (options_.argv.empty()) return Status::InvalidInput(who + ": no command to run");
  auto conn = std::make_shared<Connection>(stderr_tail_, stderr_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++starts_;
  }
  Status started = conn->Start(options_);
  if (!started.ok()) return Status::Unavailable(who + " could not start: " + started.message());

  JsonWriter params;
  params.BeginObject();
  params.Field("protocolVersion", kProtocolVersion);
  params.Key("capabilities");
  params.BeginObject();
  params.EndObject();
  params.Key("clientInfo");
  params.BeginObject();
  params.Field("name", "llmeval");
  params.Field("version", "0.1");
  params.EndObject();
  params.EndObject();
  Result<std::string> reply = conn->Request("initialize", params.Take(), options_.startup_timeout_ms);
  if (!reply.ok()) return fail("did not initialize: " + reply.status().message());
  simdjson::dom::parser parser;
  simdjson::dom::element message;
  if (parser.parse(*reply).get(message) != simdjson::SUCCESS) return fail("sent an unreadable initialize reply");
  simdjson::dom::element error;
  if (message["error"].get(error) == simdjson::SUCCESS) {
    return fail("refused initialize: " + Excerpt(simdjson::to_string(error), 300));
  }
  if (!conn->Notify("notifications/initialized", "{}")) return fail("exited after initialize");
  std::lock_guard<std::mutex> lock(mu_);
  conn_ = conn;
  return conn;
}

Result<std::vector<ToolSpec>> McpClient::ListTools() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (tools_ != nullptr) return *tools_;
  }
  Result<std::shared_ptr<Connection>> conn = Live();
  if (!conn.ok()) return conn.status();
  std::string who = "mcp server '" + options_.name + "'";
  std::vector<ToolSpec> tools;
  std::string cursor;
  simdjson::dom::parser parser;
  for (int page = 0; page < 100; ++page) {
    std::string params = cursor.empty() ? "{}" : "{\"cursor\":" + JsonQuote(cursor) + "}";
    Result<std::string> reply = (*conn)->Request("tools/list", params, options_.startup_timeout_ms);
    if (!reply.ok()) {
      std::string err = Excerpt(StderrTail(), 500);
      return Status::Unavailable(who + ": tools/list failed: " + reply.status().message() +
                                 (err.empty() ? "" : "; its stderr: " + err));
    }
    simdjson::dom::element message;
    simdjson::dom::array list;
    if (parser.parse(*reply).get(message) != simdjson::SUCCESS ||
        message["result"]["tools"].get_array().get(list) != simdjson::SUCCESS) {
      return Status::Unavailable(who + ": unexpected tools/list reply: " + Excerpt(*reply, 300));
    }
    for (simdjson::dom::element t : list) {
      std::string_view name, description;
      if (t["name"].get_string().get(name) != simdjson::SUCCESS) continue;
      ToolSpec spec;
      spec.name = std::string(name);
      if (t["description"].get_string().get(description) == simdjson::SUCCESS)
        spec.description = std::string(description);
      simdjson::dom::element schema;
      if (t["inputSchema"].get(schema) == simdjson::SUCCESS && schema.is_object()) {
        spec.parameters_schema_json = simdjson::to_string(schema);
      }
      tools.push_back(std::move(spec));
    }
    std::string_view next;
    if (message["result"]["nextCursor"].get_string().get(next) != simdjson::SUCCESS || next.empty()) break;
    cursor = std::string(next);
  }
  std::lock_guard<std::mutex> lock(mu_);
  tools_ = std::make_unique<std::vector<ToolSpec>>(tools);
  return tools;
}

McpCallResult McpClient::CallTool(const std::string& name, const std::string& arguments_json) {
  std::string who = "mcp tool '" + name + "'";
  Result<std::shared_ptr<Connection>> conn = Live();
  if (!conn.ok()) return {true, "Error: " + conn.status().message(), "start_failed"};
  std::string params = "{\"name\":" + JsonQuote(name) +
                       ",\"arguments\":" + (arguments_json.empty() ? std::string("{}") : arguments_json) + "}";
  Result<std::string> reply = (*conn)->Request("tools/call", params, options_.call_timeout_ms);
  if (!reply.ok()) {
    if (reply.status().code() == StatusCode::kTimeout) {
      return {true, "Error: " + who + " timed out after " + std::to_string(options_.call_timeout_ms) + " ms.",
              "timeout"};
    }
    std::string err = Excerpt(StderrTail(), 500);
    return {true,
            "Error: " + who + " failed: mcp server '" + options_.name + "' " + reply.status().message() +
                (err.empty() ? "." : "; its stderr: " + err),
            "server_exited"};
  }
  simdjson::dom::parser parser;
  simdjson::dom::element message;
  if (parser.parse(*reply).get(message) != simdjson::SUCCESS) {
    return {true, "Error: " + who + ": unreadable reply from the server.", "bad_response"};
  }
  simdjson::dom::element error;
  if (message["error"].get(error) == simdjson::SUCCESS) {
    std::string_view text;
    std::string why =
        error["message"].get_string().get(text) == simdjson::SUCCESS ? std::string(text) : simdjson::to_string(error);
    return {true, "Error: " + who + ": " + why, "rpc_error"};
  }
  simdjson::dom::element result;
  if (message["result"].get(result) != simdjson::SUCCESS || !result.is_object()) {
    return {true, "Error: " + who + ": the reply has no result.", "bad_response"};
  }
  std::string text;
  simdjson::dom::array content;
  if (result["content"].get_array().get(content) == simdjson::SUCCESS) {
    for (simdjson::dom::element part : content) {
      std::string_view type, value;
      if (part["type"].get_string().get(type) != simdjson::SUCCESS) type = "";
      std::string piece;
      if (type == "text" && part["text"].get_string().get(value) == simdjson::SUCCESS) {
        piece = std::string(value);
      } else if (type == "resource" && part["resource"]["text"].get_string().get(value) == simdjson::SUCCESS) {
        piece = std::string(value);
      } else if ((type == "resource_link" || type == "resource") &&
                 (part["uri"].get_string().get(value) == simdjson::SUCCESS ||
                  part["resource"]["uri"].get_string().get(value) == simdjson::SUCCESS)) {
        piece = "[" + std::string(type) + ": " + std::string(value) + "]";
      } else {
        std::string_view mime;
        if (part["mimeType"].get_string().get(mime) != simdjson::SUCCESS) mime = "";
        piece = "[" + std::string(type.empty() ? "unknown" : type) + " content" +
                (mime.empty() ? "" : " (" + std::string(mime) + ")") + " omitted]";
      }
      if (!text.empty()) text.push_back('\n');
      text += piece;
    }
  }
  simdjson::dom::element structured;
  if (text.empty() && result["structuredContent"].get(structured) == simdjson::SUCCESS) {
    text = simdjson::to_string(structured);
  }
  if (text.size() > options_.max_output_bytes) {
    text.resize(options_.max_output_bytes);
    text += "\n[output truncated at " + std::to_string(options_.max_output_bytes) + " bytes]";
  }
  bool is_error = false;
  if (result["isError"].get_bool().get(is_error) != simdjson::SUCCESS) is_error = false;
  if (is_error) return {true, text.empty() ? "Error: " + who + " reported an error." : text, "tool_error"};
  return {false, text, ""};
}

}  // namespace llmeval

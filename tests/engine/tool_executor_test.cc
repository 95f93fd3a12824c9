// ToolExecutor: command tools (a real child process), http tools against a loopback evhttp server (GET query
// parameters, POST JSON bodies, headers with ${ENV} values, non-2xx, timeouts, output caps), and unknown tools.
#include "engine/tools/tool_executor.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "engine/tools/http_tool.h"

namespace llmeval {
namespace {

// A loopback HTTP server: /echo answers "METHOD URI|x-api-key|body", /status/NNN answers NNN with a body, /big answers
// 4000 bytes.
class EchoServer {
 public:
  EchoServer() {
    static std::once_flag once;
    std::call_once(once, [] { evthread_use_pthreads(); });
    base_ = event_base_new();
    http_ = evhttp_new(base_);
    evhttp_set_allowed_methods(http_, EVHTTP_REQ_GET | EVHTTP_REQ_POST);
    evhttp_set_gencb(http_, &EchoServer::Handle, nullptr);
    evhttp_bound_socket* bound = evhttp_bind_socket_with_handle(http_, "127.0.0.1", 0);
    sockaddr_in addr{};
    socklen_t len = sizeof(addr);
    getsockname(evhttp_bound_socket_get_fd(bound), reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    stop_ = event_new(
        base_, -1, 0, [](evutil_socket_t, short, void* b) { event_base_loopbreak(static_cast<event_base*>(b)); },
        base_);
    thread_ = std::thread([this] { event_base_loop(base_, EVLOOP_NO_EXIT_ON_EMPTY); });
  }
  ~EchoServer() {
    event_active(stop_, EV_TIMEOUT, 0);  // Seen by the loop even if it has not started yet.
    thread_.join();
    event_free(stop_);
    evhttp_free(http_);
    event_base_free(base_);
  }
  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  static void Handle(evhttp_request* req, void*) {
    std::string uri = evhttp_request_get_uri(req);
    evbuffer* reply = evbuffer_new();
    int code = 200;
    if (uri.rfind("/status/", 0) == 0) {
      code = std::atoi(uri.c_str() + 8);
      evbuffer_add_printf(reply, "backend says no (%d)", code);
    } else if (uri == "/big") {
      std::string big(4000, 'x');
      evbuffer_add(reply, big.data(), big.size());
    } else {
      evbuffer* in = evhttp_request_get_input_buffer(req);
      std::string body(evbuffer_get_length(in), '\0');
      evbuffer_copyout(in, body.data(), body.size());
      const char* key = evhttp_find_header(evhttp_request_get_input_headers(req), "X-Api-Key");
      std::string method = evhttp_request_get_command(req) == EVHTTP_REQ_GET ? "GET" : "POST";
      std::string text = method + " " + uri + "|" + (key ? key : "") + "|" + body;
      evbuffer_add(reply, text.data(), text.size());
    }
    evhttp_send_reply(req, code, "X", reply);
    evbuffer_free(reply);
  }

  event_base* base_ = nullptr;
  evhttp* http_ = nullptr;
  event* stop_ = nullptr;
  int port_ = 0;
  std::thread thread_;
};

ToolSettings HttpTool(const std::string& name, const std::string& url, const std::string& method) {
  ToolSettings t;
  t.name = name;
  t.kind = "http";
  t.url = url;
  t.method = method;
  t.timeout_ms = 5000;
  return t;
}

ToolCall Call(const std::string& name, const std::string& args) {
  ToolCall c;
  c.id = "call_1";
  c.name = name;
  c.arguments_json = args;
  return c;
}

TEST(ToolExecutorTest, CommandToolGetsArgumentsOnStdin) {
  ToolSettings t;
  t.name = "cat";
  t.kind = "command";
  t.command = {"cat"};
  ToolSettings fail = t;
  fail.name = "fail";
  fail.command = {"sh", "-c", "echo broken >&2; exit 3"};
  ToolExecutor tools({t, fail}, "/tmp");
  ToolOutcome ok = tools.Execute(Call("cat", "{\"q\":1}"));
  EXPECT_FALSE(ok.failed);
  EXPECT_EQ(ok.text, "{\"q\":1}");
  ToolOutcome bad = tools.Execute(Call("fail", "{}"));
  EXPECT_TRUE(bad.failed);
  EXPECT_EQ(bad.error_type, "exit_status");
  EXPECT_NE(bad.text.find("broken"), std::string::npos);
}

TEST(ToolExecutorTest, UnknownToolAndBadArgumentsFail) {
  ToolExecutor tools({HttpTool("h", "http://127.0.0.1:1/", "GET")}, "/tmp");
  EXPECT_EQ(tools.Execute(Call("nope", "{}")).error_type, "unknown_tool");
  EXPECT_EQ(tools.Execute(Call("h", "[1]")).error_type, "invalid_arguments");
  Result<std::vector<ToolSpec>> specs = tools.Specs({"nope"});
  ASSERT_FALSE(specs.ok());
  EXPECT_NE(specs.status().message().find("unknown tool 'nope'"), std::string::npos);
}

TEST(ToolExecutorTest, HttpGetSendsArgumentsAsQueryParameters) {
  EchoServer server;
  ToolExecutor tools({HttpTool("search", server.Url("/echo"), "GET")}, "/tmp");
  ToolOutcome r = tools.Execute(Call("search", "{\"query\":\"a b&c/é\",\"max_results\":3,\"skip\":null}"));
  ASSERT_FALSE(r.failed) << r.text;
  EXPECT_EQ(r.text, "GET /echo?query=a%20b%26c%2F%C3%A9&max_results=3||");
}

TEST(ToolExecutorTest, HttpPostSendsJsonBodyAndExpandedHeaders) {
  EchoServer server;
  setenv("LLMEVAL_TEST_TOOL_KEY", "s3cret", 1);
  ToolSettings t = HttpTool("search", server.Url("/echo?fixed=1"), "POST");
  t.headers = {{"X-Api-Key", "Bearer ${LLMEVAL_TEST_TOOL_KEY}"}};
  ToolExecutor tools({t}, "/tmp");
  ASSERT_TRUE(tools.Specs({"search"}).ok());
  ToolOutcome r = tools.Execute(Call("search", "{\"query\":\"x\"}"));
  ASSERT_FALSE(r.failed) << r.text;
  EXPECT_EQ(r.text, "POST /echo?fixed=1|Bearer s3cret|{\"query\":\"x\"}");
}

TEST(ToolExecutorTest, HttpMissingEnvironmentVariableFailsWithoutValues) {
  EchoServer server;
  unsetenv("LLMEVAL_TEST_UNSET_KEY");
  ToolSettings t = HttpTool("search", server.Url("/echo"), "POST");
  t.headers = {{"Authorization", "Bearer ${LLMEVAL_TEST_UNSET_KEY}"}};
  ToolOutcome r = ToolExecutor({t}, "/tmp").Execute(Call("search", "{}"));
  EXPECT_TRUE(r.failed);
  EXPECT_EQ(r.error_type, "config_error");
  EXPECT_NE(r.text.find("LLMEVAL_TEST_UNSET_KEY is not set"), std::string::npos);
}

TEST(ToolExecutorTest, HttpNon2xxIsAFailedOutcomeWithStatusAndExcerpt) {
  EchoServer server;
  ToolOutcome r = ToolExecutor({HttpTool("s", server.Url("/status/503"), "GET")}, "/tmp").Execute(Call("s", "{}"));
  EXPECT_TRUE(r.failed);
  EXPECT_EQ(r.error_type, "http_503");
  EXPECT_NE(r.text.find("HTTP 503"), std::string::npos);
  EXPECT_NE(r.text.find("backend says no"), std::string::npos);
}

TEST(ToolExecutorTest, HttpOutputIsCapped) {
  EchoServer server;
  ToolSettings t = HttpTool("big", server.Url("/big"), "GET");
  t.max_output_bytes = 100;
  ToolOutcome r = ToolExecutor({t}, "/tmp").Execute(Call("big", "{}"));
  ASSERT_FALSE(r.failed) << r.text;
  EXPECT_EQ(r.text.substr(0, 100), std::string(100, 'x'));
  EXPECT_NE(r.text.find("[output truncated at 100 bytes]"), std::string::npos);
}

TEST(ToolExecutorTest, HttpTimeoutAndConnectionRefusedFail) {
  // A listening socket that never accepts: the request is sent into the backlog and never answered.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ToolSettings t = HttpTool("slow", "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/", "GET");
  t.timeout_ms = 150;
  ToolOutcome r = ToolExecutor({t}, "/tmp").Execute(Call("slow", "{}"));
  close(fd);
  EXPECT_TRUE(r.failed);
  EXPECT_EQ(r.error_type, "timeout");

  ToolSettings refused = HttpTool("down", "http://127.0.0.1:1/", "GET");
  ToolOutcome d = ToolExecutor({refused}, "/tmp").Execute(Call("down", "{}"));
  EXPECT_TRUE(d.failed);
  EXPECT_EQ(d.error_type, "network_error");
}

TEST(ToolExecutorTest, HttpBadMethodIsRejectedBySpecs) {
  ToolExecutor tools({HttpTool("s", "http://127.0.0.1:1/", "DELETE")}, "/tmp");
  Result<std::vector<ToolSpec>> specs = tools.Specs({"s"});
  ASSERT_FALSE(specs.ok());
  EXPECT_NE(specs.status().message().find("expected GET or POST"), std::string::npos);
}

TEST(HttpToolTest, ExpandEnvReferencesAndUrlEncode) {
  setenv("LLMEVAL_TEST_A", "alpha", 1);
  EXPECT_EQ(*ExpandEnvReferences("x ${LLMEVAL_TEST_A} y"), "x alpha y");
  EXPECT_EQ(*ExpandEnvReferences("plain"), "plain");
  EXPECT_FALSE(ExpandEnvReferences("${LLMEVAL_TEST_A").ok());
  EXPECT_EQ(UrlEncode("a-b_c.d~e f+"), "a-b_c.d~e%20f%2B");
}

}  // namespace
}  // namespace llmeval

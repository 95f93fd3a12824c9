#include "engine/report/ui_server.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/queue.h>

#include <atomic>
#include <charconv>
#include <filesystem>
#include <mutex>
#include <optional>

#include "core/json_writer.h"
#include "engine/http/event_http_server.h"
#include "engine/report/report_data.h"
#include "engine/report/report_html.h"
#include "engine/store/store.h"

namespace llmeval {

namespace {

constexpr int kListenBacklog = 128;
constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr int kDefaultRunLimit = 200;
constexpr int kMaxRunLimit = 10000;
constexpr int64_t kMaxItemLimit = 1000;
constexpr int64_t kHugeNumber = int64_t{1} << 50;  // Bounds above this are not worth naming in a message.

UiReply JsonReply(int status, std::string body) {
  UiReply reply;
  reply.status = status;
  reply.content_type = kJsonType;
  reply.body = std::move(body);
  return reply;
}

UiReply ErrorReply(int status, std::string_view message) {
  JsonWriter w;
  w.BeginObject();
  w.Field("error", message);
  w.EndObject();
  return JsonReply(status, w.Take());
}

UiReply FromResult(const Result<std::string>& result) {
  if (result.ok()) return JsonReply(200, *result);
  switch (result.status().code()) {
    case StatusCode::kNotFound:
      return ErrorReply(404, result.status().message());
    case StatusCode::kInvalidInput:
      return ErrorReply(400, result.status().message());
    default:
      return ErrorReply(500, result.status().message());
  }
}

// A whole decimal number from `min` to `max`; anything else (signs, spaces, trailing text) is an error naming `what`.
Result<int64_t> ParseNumber(std::string_view text, std::string_view what, int64_t min, int64_t max) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  bool digits_only = !text.empty() && text[0] != '-' && text[0] != '+';
  if (ec != std::errc() || ptr != end || !digits_only || value < min || value > max) {
    std::string range = max < kHugeNumber ? " from " + std::to_string(min) + " to " + std::to_string(max)
                                          : " of at least " + std::to_string(min);
    return Status::InvalidInput(std::string(what) + " must be a whole number" + range + ", got \"" +
                                std::string(text.substr(0, 40)) + "\"");
  }
  return value;
}

// The decoded query parameters of one request; the first occurrence of a name wins.
class QueryParams {
 public:
  QueryParams() { TAILQ_INIT(&params_); }
  ~QueryParams() { evhttp_clear_headers(&params_); }
  // False when the query is malformed.
  bool Parse(const char* query) { return query == nullptr || evhttp_parse_query_str(query, &params_) == 0; }
  std::optional<std::string> Get(const char* name) const {
    const char* value = evhttp_find_header(&params_, name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  }

 private:
  mutable evkeyvalq params_;
};

// Splits "/api/runs/12/items" into its segments; empty segments (a doubled or trailing slash) are kept so that they
// match no route.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path[0] != '/') return out;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

// Reads an optional numeric parameter into *out; a 400 reply when it is malformed.
std::optional<UiReply> NumberParam(const QueryParams& params, const char* name, int64_t min, int64_t max,
                                   int64_t* out) {
  std::optional<std::string> text = params.Get(name);
  if (!text) return std::nullopt;
  Result<int64_t> value = ParseNumber(*text, std::string("query parameter ") + name, min, max);
  if (!value.ok()) return ErrorReply(400, value.status().message());
  *out = *value;
  return std::nullopt;
}

UiReply ItemsRoute(Store* store, int64_t run_id, const QueryParams& params) {
  ItemQuery query;
  if (auto bad = NumberParam(params, "offset", 0, INT64_MAX / 2, &query.offset)) return *bad;
  if (auto bad = NumberParam(params, "limit", 1, kMaxItemLimit, &query.limit)) return *bad;
  if (auto bad = NumberParam(params, "variant", 0, INT64_MAX, &query.variant_id)) return *bad;
  query.failed_scorer = params.Get("failed").value_or("");
  std::string errors = params.Get("errors").value_or("");
  if (errors == "1" || errors == "true") {
    query.errors_only = true;
  } else if (!errors.empty() && errors != "0" && errors != "false") {
    return ErrorReply(400, "query parameter errors must be 1 or 0, got \"" + errors.substr(0, 40) + "\"");
  }
  query.category = params.Get("category").value_or("");
  query.text = params.Get("q").value_or("");
  return FromResult(ItemsJson(store, run_id, query));
}

UiReply RunRoute(Store* store, int64_t run_id, RunPageCache* cache) {
  if (cache == nullptr) return FromResult(RunJson(store, run_id));
  Result<RunRecord> run = store->GetRun(run_id);
  Result<int64_t> last = store->LastAssessmentId();
  if (!run.ok() || !last.ok()) return FromResult(RunJson(store, run_id));  // RunJson names the failure.
  auto it = cache->entries.find(run_id);
  if (it != cache->entries.end() && it->second.status == run->status && it->second.last_assessment_id == *last) {
    return JsonReply(200, it->second.json);
  }
  Result<std::string> json = RunJson(store, run_id);
  if (json.ok() && run->status != "running") {
    if (cache->entries.size() >= RunPageCache::kMaxEntries) cache->entries.clear();
    cache->entries[run_id] = RunPageCache::Entry{run->status, *last, *json};
  }
  return FromResult(json);
}

UiReply ApiRoute(Store* store, const std::vector<std::string_view>& s, const QueryParams& params, RunPageCache* cache) {
  // s[0] == "api".
  if (s.size() == 2 && s[1] == "runs") {
    int64_t limit = kDefaultRunLimit;
    if (auto bad = NumberParam(params, "limit", 1, kMaxRunLimit, &limit)) return *bad;
    return FromResult(RunListJson(store, static_cast<int>(limit)));
  }
  if ((s.size() == 3 || s.size() == 4) && s[1] == "runs") {
    Result<int64_t> run_id = ParseNumber(s[2], "run id", 1, INT64_MAX);
    if (!run_id.ok()) return ErrorReply(400, run_id.status().message());
    if (s.size() == 3) return RunRoute(store, *run_id, cache);
    if (s[3] == "items") return ItemsRoute(store, *run_id, params);
  }
  if (s.size() == 3 && s[1] == "items") {
    Result<int64_t> item_id = ParseNumber(s[2], "item id", 1, INT64_MAX);
    if (!item_id.ok()) return ErrorReply(400, item_id.status().message());
    return FromResult(ItemDetailJson(store, *item_id));
  }
  if (s.size() == 2 && s[1] == "compare") {
    std::optional<std::string> a = params.Get("a");
    std::optional<std::string> b = params.Get("b");
    if (!a || !b) return ErrorReply(400, "compare needs both runs: /api/compare?a=RUN&b=RUN");
    Result<int64_t> run_a = ParseNumber(*a, "query parameter a", 1, INT64_MAX);
    if (!run_a.ok()) return ErrorReply(400, run_a.status().message());
    Result<int64_t> run_b = ParseNumber(*b, "query parameter b", 1, INT64_MAX);
    if (!run_b.ok()) return ErrorReply(400, run_b.status().message());
    return FromResult(CompareJson(store, *run_a, *run_b));
  }
  return ErrorReply(404, "no such API route");
}

}  // namespace

UiReply RouteUiRequest(Store* store, std::string_view method, std::string_view uri, RunPageCache* cache) {
  if (method != "GET" && method != "HEAD") {
    UiReply reply = ErrorReply(405, "only GET and HEAD are served");
    reply.headers.emplace_back("Allow", "GET, HEAD");
    return reply;
  }
  std::string target(uri);
  evhttp_uri* parsed = evhttp_uri_parse(target.c_str());
  if (parsed == nullptr) return ErrorReply(400, "malformed request target");
  std::string path = evhttp_uri_get_path(parsed) != nullptr ? evhttp_uri_get_path(parsed) : "";
  QueryParams params;
  bool query_ok = params.Parse(evhttp_uri_get_query(parsed));
  evhttp_uri_free(parsed);
  if (!query_ok) return ErrorReply(400, "malformed query string");

  if (path == "/" || path == "/index.html") {
    UiReply reply;
    reply.content_type = "text/html; charset=utf-8";
    reply.body = LiveAppHtml();
    // frame-ancestors only works as a header, so it is added here rather than in the page's meta policy.
    reply.headers.emplace_back("Content-Security-Policy", LiveAppContentSecurityPolicy() + "; frame-ancestors 'none'");
    reply.headers.emplace_back("X-Frame-Options", "DENY");
    reply.headers.emplace_back("Referrer-Policy", "no-referrer");
    return reply;
  }
  std::vector<std::string_view> segments = Segments(path);
  if (!segments.empty() && segments[0] == "api") return ApiRoute(store, segments, params, cache);
  return ErrorReply(404, "not found");
}

struct UiServer::Impl {
  explicit Impl(UiServerOptions o) : options(std::move(o)) {}

  static void OnRequest(evhttp_request* request, void* arg) { static_cast<Impl*>(arg)->Handle(request); }

  static const char* MethodName(evhttp_cmd_type command) {
    switch (command) {
      case EVHTTP_REQ_GET:
        return "GET";
      case EVHTTP_REQ_HEAD:
        return "HEAD";
      case EVHTTP_REQ_POST:
        return "POST";
      default:
        return "OTHER";
    }
  }

  // A page on another origin that rebinds its DNS name to 127.0.0.1 still sends its own name as Host.
  bool HostAllowed(const char* host) const {
    if (host == nullptr) return true;  // HTTP/1.0 without Host: not a browser.
    std::string port_suffix = ":" + std::to_string(server.port());
    std::string_view h(host);
    return h == "127.0.0.1" + port_suffix || h == "localhost" + port_suffix;
  }

  void Handle(evhttp_request* request) {
    requests.fetch_add(1, std::memory_order_relaxed);
    const char* host = evhttp_find_header(evhttp_request_get_input_headers(request), "Host");
    UiReply reply = HostAllowed(host) ? RouteUiRequest(store.get(), MethodName(evhttp_request_get_command(request)),
                                                       evhttp_request_get_uri(request), &run_pages)
                                      : ErrorReply(403, "unexpected Host header; open the address llmeval ui printed");
    evkeyvalq* out = evhttp_request_get_output_headers(request);
    evhttp_add_header(out, "Content-Type", reply.content_type.c_str());
    evhttp_add_header(out, "Cache-Control", "no-store");
    evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
    evhttp_add_header(out, "Server", "llmeval-ui");
    for (const auto& [name, value] : reply.headers) evhttp_add_header(out, name.c_str(), value.c_str());
    evbuffer* buffer = evbuffer_new();
    evbuffer_add(buffer, reply.body.data(), reply.body.size());
    evhttp_send_reply(request, reply.status, nullptr, buffer);
    evbuffer_free(buffer);
  }

  const UiServerOptions options;
  std::mutex mu;  // Serialises Start and Stop.
  EventHttpServer server;
  std::unique_ptr<Store> store;  // Used by the loop thread only once it runs.
  RunPageCache run_pages;        // Loop thread only.
  std::atomic<uint64_t> requests{0};
};

UiServer::UiServer(UiServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

UiServer::~UiServer() { Stop(); }

Status UiServer::Start() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.server.running()) return Status::OK();
  const UiServerOptions& o = s.options;
  if (o.host != "127.0.0.1") {
    return Status::InvalidInput("ui server: host must be 127.0.0.1 (got \"" + o.host +
                                "\"); the results store is never served beyond this machine");
  }
  if (o.port < 0 || o.port > 65535) return Status::InvalidInput("ui server: port must be from 0 to 65535");
  std::error_code ec;
  if (o.store_path.empty() || !std::filesystem::is_regular_file(o.store_path, ec)) {
    return Status::NotFound("ui server: no results store at " + (o.store_path.empty() ? "\"\"" : o.store_path) +
                            " (run `llmeval run` first, or pass --db)");
  }
  Result<std::unique_ptr<Store>> store = Store::Open(o.store_path);
  if (!store.ok()) return store.status();
  s.store = std::move(*store);

  EventHttpServerOptions http;
  http.name = "ui server";
  http.host = o.host;
  http.port = o.port;
  http.listen_backlog = kListenBacklog;
  Status started = s.server.Start(http, &Impl::OnRequest, &s);
  if (!started.ok()) s.store.reset();
  return started;
}

int UiServer::port() const { return impl_->server.port(); }

std::string UiServer::url() const { return "http://127.0.0.1:" + std::to_string(impl_->server.port()) + "/"; }

void UiServer::Stop() {
  Impl& s = *impl_;
  std::lock_guard<std::mutex> lock(s.mu);
  s.server.Stop();
  s.store.reset();
}

uint64_t UiServer::requests() const { return impl_->requests.load(std::memory_order_relaxed); }

}  // namespace llmeval

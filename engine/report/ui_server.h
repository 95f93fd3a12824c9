// UiServer: `llmeval ui`, the report's single-page app served live from the results store. Built on libevent's evhttp
// with one event-loop thread that owns its own Store connection (opened by Start); bound to 127.0.0.1 only.
//
// Routes (GET; HEAD answers the same without a body):
//   /                                     the live app HTML (engine/report/report_html.h LiveAppHtml())
//   /api/runs?limit=N                     RunListJson (N from 1 to 10000, default 200)
//   /api/runs/<id>                        RunJson
//   /api/runs/<id>/items?offset=&limit=&variant=&failed=<scorer|*>&errors=1&category=&q=    ItemsJson
//   /api/items/<id>                       ItemDetailJson
//   /api/compare?a=<id>&b=<id>            CompareJson
// The JSON shapes are documented in engine/report/report_data.h. Failures are JSON {"error": "..."}: 400 for a
// malformed number or query (offset=abc, limit outside 1..1000), 404 for an unknown route or id, 405 (with Allow) for
// any method but GET and HEAD, 403 when the Host header is not this server's loopback address (a DNS-rebinding page
// must not read the store), 500 when the store fails. Every response carries Cache-Control: no-store and
// X-Content-Type-Options: nosniff; JSON is `application/json; charset=utf-8`; the HTML carries the live app's
// Content-Security-Policy (engine/report/report_html.h) plus frame-ancestors 'none'. Requests never read any file but
// the store.
//
// Start and Stop may be called from any thread (Stop waits for the loop thread); the destructor stops. Requests are
// answered one at a time on the loop thread.
#ifndef LLMEVAL_ENGINE_REPORT_UI_SERVER_H_
#define LLMEVAL_ENGINE_REPORT_UI_SERVER_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace llmeval {

class Store;

struct UiServerOptions {
  std::string host = "127.0.0.1";  // Anything else is refused with InvalidInput: the store is never exposed.
  int port = 0;                    // 0: any free port; read it back with port().
  std::string store_path;          // An existing results store; NotFound when there is none.
};

// One answer of the UI's router, before it goes on the wire.
struct UiReply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Extra headers (e.g. Allow on 405).
};

// The run pages (/api/runs/<id>) of runs that are no longer running: their statistics take a pass over every item
// and assessment (about a second at 100,000 items), and a finished run changes only through new assessments (human
// feedback). An entry is used while the run's status and the store's last assessment id are what they were.
struct RunPageCache {
  struct Entry {
    std::string status;
    int64_t last_assessment_id = 0;
    std::string json;
  };
  std::map<int64_t, Entry> entries;  // By run id; cleared when it reaches kMaxEntries.
  static constexpr size_t kMaxEntries = 64;
};

// Routes one request against `store`: `method` ("GET", "POST"...), `uri` the request target ("/api/runs?limit=5").
// Pure apart from the store reads and `cache` (may be null); the server calls it for every request. Host checks are
// the server's job.
UiReply RouteUiRequest(Store* store, std::string_view method, std::string_view uri, RunPageCache* cache = nullptr);

class UiServer {
 public:
  explicit UiServer(UiServerOptions options);
  ~UiServer();
  UiServer(const UiServer&) = delete;
  UiServer& operator=(const UiServer&) = delete;

  // Opens the store, binds and starts the loop thread. InvalidInput for a host other than 127.0.0.1 or a bad port,
  // NotFound when the store does not exist, IOError when it cannot open or bind. A running server ignores Start.
  Status Start();

  // The bound port; valid after a successful Start.
  int port() const;
  // "http://127.0.0.1:<port>/".
  std::string url() const;

  // Stops the loop, closes every connection and the store. Safe to call twice.
  void Stop();

  // Requests answered so far; safe from any thread.
  uint64_t requests() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_REPORT_UI_SERVER_H_

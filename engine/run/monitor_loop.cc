// The monitor loop, its alert body and the webhook POST (engine/run/monitor.h).
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "core/clock.h"
#include "core/json_writer.h"
#include "engine/http/curl_transport.h"
#include "engine/run/monitor.h"

namespace llmeval {
namespace {

void WindowJson(const WindowCounts& w, JsonWriter* json) {
  json->BeginObject();
  json->Field("passed", w.passed);
  json->Field("failed", w.failed);
  json->Field("unmeasured", w.unmeasured);
  json->Field("pass_rate", w.pass_rate());
  json->EndObject();
}

std::string UrlForMessages(const std::string& url) { return url.substr(0, url.find_first_of("?#")); }

}  // namespace

std::string MonitorAlertJson(const MonitorOptions& options, const MonitorPass& pass, const ScorerDrift& drift) {
  JsonWriter json;
  json.BeginObject();
  json.Field("alert", "pass_rate_drop");
  json.Field("monitor", options.name);
  json.Field("query", options.query_text);
  json.Field("scorer", drift.scorer);
  json.Key("baseline");
  WindowJson(drift.windows.baseline, &json);
  json.Key("current");
  WindowJson(drift.windows.current, &json);
  json.Field("z", drift.test.z);
  json.Field("p_value", drift.test.p_value);
  json.Field("alpha", options.alpha);
  json.Field("window", FormatWindowSpec(options.window));
  json.Field("baseline_window", FormatWindowSpec(options.baseline));
  json.Field("run_id", pass.run_id);
  json.Field("time_unix_ns", pass.now_unix_ns);
  json.EndObject();
  return json.Take();
}

Status PostWebhook(const std::string& url, const std::string& json) {
  CurlTransport transport;
  HttpRequest request;
  request.url = url;
  request.headers = {{"Content-Type", "application/json"}};
  request.body = json;
  request.connect_timeout_ms = 5000;
  request.total_timeout_ms = 10000;
  std::promise<HttpResponse> answered;
  std::future<HttpResponse> answer = answered.get_future();
  transport.Send(std::move(request), [&answered](HttpResponse r) { answered.set_value(std::move(r)); });
  HttpResponse r = answer.get();
  if (!r.network_error.empty()) {
    return Status::IOError("webhook " + UrlForMessages(url) + ": " + r.network_error);
  }
  if (r.status < 200 || r.status > 299) {
    return Status::IOError("webhook " + UrlForMessages(url) + ": HTTP " + std::to_string(r.status));
  }
  return Status::OK();
}

Status RunMonitorLoop(const ProjectConfig& config, const MonitorOptions& options, const MonitorLoopOptions& loop,
                      MonitorListener* listener, const std::atomic<int>* stop) {
  std::set<std::string> in_drop;
  bool first = true;
  while (stop->load() == 0) {
    const int64_t started = Clock::Real()->NowMonotonicNanos();
    Result<MonitorPass> pass = MonitorOnce(config, options, stop, Clock::Real()->NowUnixNanos());
    if (!pass.ok()) {
      if (first) return pass.status();
      listener->OnPassError(pass.status());
    } else {
      listener->OnPass(*pass);
      for (const ScorerDrift& d : pass->scorers) {
        if (d.drop() && !in_drop.count(d.scorer)) {
          in_drop.insert(d.scorer);
          Status webhook = Status::OK();
          if (!loop.webhook_url.empty()) webhook = PostWebhook(loop.webhook_url, MonitorAlertJson(options, *pass, d));
          listener->OnAlert(*pass, d, webhook);
        } else if (!d.drop() && in_drop.count(d.scorer)) {
          in_drop.erase(d.scorer);
          listener->OnRecovered(*pass, d);
        }
      }
    }
    first = false;
    while (stop->load() == 0 && Clock::Real()->NowMonotonicNanos() - started < loop.every_ns) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return Status::OK();
}

}  // namespace llmeval

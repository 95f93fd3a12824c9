#include "engine/otlp/otlp_exporter.h"

#include <simdjson.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <random>
#include <utility>

#include "core/version.h"
#include "engine/http/curl_transport.h"
#include "engine/providers/openai_provider.h"
#include "engine/providers/retry_policy.h"

namespace llmeval {
namespace {

constexpr char kTracesPath[] = "/v1/traces";
constexpr size_t kMaxQuotedBody = 200;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Adds or replaces (by case-insensitive name) one header.
void SetHeader(HttpHeaders* headers, std::string name, std::string value) {
  for (auto& header : *headers) {
    if (SameName(header.first, name)) {
      header.second = std::move(value);
      return;
    }
  }
  headers->emplace_back(std::move(name), std::move(value));
}

bool IsRetryableOtlpStatus(int status) { return status == 429 || status == 502 || status == 503 || status == 504; }

// The partialSuccess.rejectedSpans of an ExportTraceServiceResponse body (0 when absent or not JSON).
size_t RejectedSpans(const std::string& body) {
  if (body.empty()) return 0;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return 0;
  simdjson::dom::element rejected;
  if (root.at_pointer("/partialSuccess/rejectedSpans").get(rejected) != simdjson::SUCCESS) return 0;
  int64_t n = 0;
  std::string_view text;
  if (rejected.get(n) == simdjson::SUCCESS) return n > 0 ? static_cast<size_t>(n) : 0;
  if (rejected.get(text) == simdjson::SUCCESS) {
    n = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return 0;
      n = n * 10 + (c - '0');
    }
    return static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace

std::string OtlpTracesUrl(std::string_view base) {
  std::string url(base);
  if (url.size() >= sizeof(kTracesPath) - 1 &&
      url.compare(url.size() - (sizeof(kTracesPath) - 1), std::string::npos, kTracesPath) == 0) {
    return url;
  }
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + kTracesPath;
}

Result<HttpHeaders> ParseOtlpHeaders(std::string_view text, std::string_view source) {
  HttpHeaders headers;
  size_t entry = 0;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    ++entry;
    if (Trim(item).empty()) continue;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return Status::InvalidInput(std::string(source) + ": entry " + std::to_string(entry) +
                                  " is not key=value (expected k=v,k2=v2)");
    }
    std::string_view key = Trim(item.substr(0, eq));
    std::string_view raw = Trim(item.substr(eq + 1));
    if (key.empty() || !std::all_of(key.begin(), key.end(), IsTokenChar)) {
      return Status::InvalidInput(std::string(source) + ": entry " + std::to_string(entry) +
                                  " has an empty or invalid header name");
    }
    std::string value;
    for (size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '%') {
        int hi = i + 2 < raw.size() ? HexDigit(raw[i + 1]) : -1;
        int lo = i + 2 < raw.size() ? HexDigit(raw[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
          return Status::InvalidInput(std::string(source) + ": the value of header '" + std::string(key) +
                                      "' has a bad percent escape (expected %XX)");
        }
        value.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
      } else {
        value.push_back(raw[i]);
      }
    }
    if (value.find_first_of("\r\n", 0) != std::string::npos || value.find('\0') != std::string::npos) {
      return Status::InvalidInput(std::string(source) + ": the value of header '" + std::string(key) +
                                  "' contains a line break or NUL");
    }
    SetHeader(&headers, std::string(key), std::move(value));
  }
  return headers;
}

std::string RedactUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t host = scheme + 3;
  size_t end = url.find_first_of("/?#", host);
  std::string_view authority = url.substr(host, end == std::string_view::npos ? std::string_view::npos : end - host);
  size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, host)) + "***@" + std::string(url.substr(host + at + 1));
}

Result<OtlpEndpoint> ResolveOtlpEndpoint(std::string_view flag_url, const EnvLookup& env) {
  auto get = [&](const char* name) -> std::string {
    const char* v = env ? env(name) : nullptr;
    return v != nullptr ? std::string(Trim(v)) : std::string();
  };
  OtlpEndpoint endpoint;
  std::string source;
  if (!flag_url.empty()) {
    endpoint.url = OtlpTracesUrl(flag_url);
    source = "--otlp-endpoint";
  } else if (std::string full = get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"); !full.empty()) {
    endpoint.url = full;
    source = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
  } else if (std::string base = get("OTEL_EXPORTER_OTLP_ENDPOINT"); !base.empty()) {
    endpoint.url = OtlpTracesUrl(base);
    source = "OTEL_EXPORTER_OTLP_ENDPOINT";
  }
  if (!endpoint.url.empty() && endpoint.url.rfind("http://", 0) != 0 && endpoint.url.rfind("https://", 0) != 0) {
    return Status::InvalidInput(source + ": expected an http:// or https:// URL, got '" + RedactUrl(endpoint.url) +
                                "'");
  }
  for (const char* name : {"OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_TRACES_HEADERS"}) {
    Result<HttpHeaders> parsed = ParseOtlpHeaders(get(name), name);
    if (!parsed.ok()) return parsed.status();
    for (auto& [key, value] : *parsed) SetHeader(&endpoint.headers, key, std::move(value));
  }
  for (const char* name : {"OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"}) {
    std::string text = get(name);
    if (text.empty()) continue;
    int64_t ms = 0;
    for (char c : text) {
      if (c < '0' || c > '9' || ms > 86'400'000) {
        return Status::InvalidInput(std::string(name) + ": expected milliseconds (a whole number), got '" + text + "'");
      }
      ms = ms * 10 + (c - '0');
    }
    if (ms > 0) endpoint.timeout_ms = ms;
  }
  return endpoint;
}

std::vector<OtlpBatch> BuildOtlpBatches(const std::vector<Span>& spans, const Resource& resource,
                                        const OtlpBatchLimits& limits) {
  std::vector<OtlpBatch> batches;
  if (spans.empty()) return batches;
  const size_t envelope = EncodeOtlpJson({}, resource, limits.max_attribute_bytes).size();
  const size_t max_spans = std::max<size_t>(1, limits.max_spans_per_request);
  std::vector<Span> current;
  size_t current_bytes = envelope;
  auto flush = [&] {
    if (current.empty()) return;
    batches.push_back({EncodeOtlpJson(current, resource, limits.max_attribute_bytes), current.size()});
    current.clear();
    current_bytes = envelope;
  };
  for (const Span& span : spans) {
    // The span's own encoded size, plus a separating comma.
    size_t bytes = EncodeOtlpJson({span}, resource, limits.max_attribute_bytes).size() - envelope + 1;
    if (!current.empty() && (current.size() >= max_spans || current_bytes + bytes > limits.max_bytes_per_request)) {
      flush();
    }
    current.push_back(span);
    current_bytes += bytes;
  }
  flush();
  return batches;
}

struct OtlpExporter::State {
  std::mutex mu;
  std::vector<OtlpBatch> batches;
  std::vector<int> attempts;  // Per batch.
  size_t next = 0;            // The next batch not yet sent.
  size_t finished = 0;
  bool done_called = false;
  OtlpExportSummary summary;
  std::function<void(OtlpExportSummary)> done;
  std::mt19937_64 random{std::random_device{}()};
};

OtlpExporter::OtlpExporter(HttpTransport* transport, Clock* clock, OtlpExportOptions options,
                           std::function<double()> random_unit)
    : transport_(transport),
      clock_(clock),
      options_(std::move(options)),
      random_unit_(std::move(random_unit)),
      state_(std::make_shared<State>()) {
  if (options_.max_attempts < 1) options_.max_attempts = 1;
  if (options_.max_in_flight < 1) options_.max_in_flight = 1;
}

void OtlpExporter::Start(std::vector<OtlpBatch> batches, std::function<void(OtlpExportSummary)> done) {
  std::vector<size_t> first;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->batches = std::move(batches);
    state_->attempts.assign(state_->batches.size(), 0);
    state_->summary.requests = state_->batches.size();
    state_->done = std::move(done);
    while (state_->next < state_->batches.size() && first.size() < options_.max_in_flight) {
      first.push_back(state_->next++);
    }
    if (state_->batches.empty()) state_->done_called = true;
  }
  if (first.empty()) {
    state_->done(state_->summary);
    return;
  }
  for (size_t index : first) SendBatch(index);
}

void OtlpExporter::SendBatch(size_t index) {
  HttpRequest request;
  request.method = "POST";
  request.url = options_.endpoint.url;
  request.headers.emplace_back("Content-Type", "application/json");
  request.headers.emplace_back("User-Agent", std::string("llmeval-otlp/") + kLlmevalVersion);
  for (const auto& header : options_.endpoint.headers) request.headers.push_back(header);
  request.connect_timeout_ms = std::min<int64_t>(10000, options_.endpoint.timeout_ms);
  request.total_timeout_ms = options_.endpoint.timeout_ms;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    request.body = state_->batches[index].body;
    ++state_->attempts[index];
    ++state_->summary.attempts;
  }
  transport_->Send(std::move(request),
                   [this, index](HttpResponse response) { OnResponse(index, std::move(response)); });
}

void OtlpExporter::OnResponse(size_t index, HttpResponse response) {
  if (response.network_error.empty() && response.status >= 200 && response.status < 300) {
    Finish(index, true, RejectedSpans(response.body), "");
    return;
  }
  // The receiver's words, with any header value it echoes removed (values shorter than 4 bytes are no secrets and
  // would garble the text).
  std::string detail =
      response.network_error.empty() ? response.body.substr(0, kMaxQuotedBody) : response.network_error;
  for (char& c : detail) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  for (const auto& header : options_.endpoint.headers) {
    if (header.second.size() >= 4) detail = ScrubSecret(std::move(detail), header.second);
  }
  std::string error = !response.network_error.empty()
                          ? "network error: " + detail
                          : "HTTP " + std::to_string(response.status) + (detail.empty() ? "" : ": " + detail);
  bool retryable = !response.cancelled && (!response.network_error.empty() || IsRetryableOtlpStatus(response.status));
  int attempts;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    attempts = state_->attempts[index];
  }
  if (!retryable || attempts >= options_.max_attempts) {
    if (retryable) error += " (gave up after " + std::to_string(attempts) + " attempts)";
    Finish(index, false, 0, error);
    return;
  }
  int64_t delay = 0;
  std::optional<int64_t> server =
      response.network_error.empty() ? ServerRetryDelayNs(response.headers, clock_->NowUnixNanos()) : std::nullopt;
  if (server) {
    delay = std::min(*server, options_.max_server_delay_ns);
  } else {
    RetryOptions retry;
    retry.base_delay_ns = options_.base_delay_ns;
    retry.max_delay_ns = options_.max_delay_ns;
    retry.jitter = options_.jitter;
    double u;
    if (random_unit_) {
      u = random_unit_();
    } else {
      std::lock_guard<std::mutex> lock(state_->mu);
      u = std::uniform_real_distribution<double>(0.0, 1.0)(state_->random);
    }
    delay = BackoffDelayNs(attempts, u, retry);
  }
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    ++state_->summary.retries;
  }
  transport_->Schedule(delay, [this, index] { SendBatch(index); });
}

void OtlpExporter::Finish(size_t index, bool delivered, size_t rejected, const std::string& error) {
  std::optional<size_t> next;
  std::function<void(OtlpExportSummary)> done;
  OtlpExportSummary summary;
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    OtlpExportSummary& s = state_->summary;
    const size_t spans = state_->batches[index].spans;
    if (delivered) {
      ++s.delivered;
      s.spans_sent += spans;
      s.spans_rejected += rejected;
      if (rejected > 0 && s.first_error.empty()) {
        s.first_error = "the receiver rejected " + std::to_string(rejected) + " spans (partialSuccess)";
      }
    } else {
      ++s.failures;
      s.spans_failed += spans;
      if (s.first_error.empty()) s.first_error = error;
    }
    state_->batches[index].body.clear();
    state_->batches[index].body.shrink_to_fit();
    ++state_->finished;
    if (state_->next < state_->batches.size()) next = state_->next++;
    if (state_->finished == state_->batches.size() && !state_->done_called) {
      state_->done_called = true;
      done = std::move(state_->done);
      summary = s;
    }
  }
  if (next) SendBatch(*next);
  if (done) done(std::move(summary));
}

OtlpExportSummary PushOtlpSpans(const std::vector<Span>& spans, const Resource& resource, const OtlpEndpoint& endpoint,
                                const OtlpBatchLimits& limits) {
  OtlpExportOptions options;
  options.endpoint = endpoint;
  CurlTransport transport;
  return ExportOtlpBlocking(&transport, Clock::Real(), options, BuildOtlpBatches(spans, resource, limits));
}

OtlpExportSummary ExportOtlpBlocking(HttpTransport* transport, Clock* clock, const OtlpExportOptions& options,
                                     std::vector<OtlpBatch> batches) {
  std::mutex mu;
  std::condition_variable cv;
  bool finished = false;
  OtlpExportSummary result;
  OtlpExporter exporter(transport, clock, options);
  exporter.Start(std::move(batches), [&](OtlpExportSummary summary) {
    std::lock_guard<std::mutex> lock(mu);
    result = std::move(summary);
    finished = true;
    cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return finished; });
  return result;
}

}  // namespace llmeval

// collector_bench: the real `llmeval collect` under load from 8 concurrent OTLP/HTTP protobuf exporters (threads of
// this program, one keep-alive connection each, bodies encoded here by hand from the OTLP wire format: 200 GenAI-like
// spans with 8 attributes per request, every span id unique). Prints spans/s stored and its ratio to the 20,000
// spans/s target, the collector's CPU per span and its peak RSS (from wait4), and checks the store holds every span.
//
// Usage: collector_bench [--llmeval PATH] [--spans-per-request 200] [--requests 150] [--exporters 8]
#include <curl/curl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

void Varint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}
void Tag(int field, int wire, std::string* out) { Varint(static_cast<uint64_t>(field) << 3 | wire, out); }
void Bytes(int field, const std::string& bytes, std::string* out) {
  Tag(field, 2, out);
  Varint(bytes.size(), out);
  out->append(bytes);
}
void Fixed64(int field, uint64_t v, std::string* out) {
  Tag(field, 1, out);
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}
std::string StringAttr(const std::string& key, const std::string& value) {
  std::string any, kv;
  Bytes(1, value, &any);
  Bytes(1, key, &kv);
  Bytes(2, any, &kv);
  return kv;
}
std::string IntAttr(const std::string& key, int64_t value) {
  std::string any, kv;
  Tag(3, 0, &any);
  Varint(static_cast<uint64_t>(value), &any);
  Bytes(1, key, &kv);
  Bytes(2, any, &kv);
  return kv;
}

std::string Request(std::mt19937_64* rng, int spans) {
  auto random_bytes = [&](int n) {
    std::string s;
    while (static_cast<int>(s.size()) < n) {
      uint64_t r = (*rng)();
      s.append(reinterpret_cast<const char*>(&r), 8);
    }
    s.resize(static_cast<size_t>(n));
    return s;
  };
  std::string scope_spans, scope;
  Bytes(1, "bench-app", &scope);
  Bytes(2, "1.0", &scope);
  Bytes(1, scope, &scope_spans);
  uint64_t now = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  std::string trace_id, root_id;
  for (int i = 0; i < spans; ++i) {
    if (i % 4 == 0) {
      trace_id = random_bytes(16);
      root_id = random_bytes(8);
    }
    std::string span, span_id = i % 4 == 0 ? root_id : random_bytes(8);
    Bytes(1, trace_id, &span);
    Bytes(2, span_id, &span);
    if (i % 4 != 0) Bytes(4, root_id, &span);
    Bytes(5, i % 4 == 0 ? "invoke_agent shop" : "chat gpt-4.1-mini", &span);
    Tag(6, 0, &span);
    Varint(i % 4 == 0 ? 2 : 3, &span);
    Fixed64(7, now, &span);
    Fixed64(8, now + 1000000, &span);
    Bytes(9, StringAttr("gen_ai.operation.name", "chat"), &span);
    Bytes(9, StringAttr("gen_ai.request.model", "gpt-4.1-mini"), &span);
    Bytes(9, StringAttr("gen_ai.system", "openai"), &span);
    Bytes(9, IntAttr("gen_ai.usage.input_tokens", 420), &span);
    Bytes(9, IntAttr("gen_ai.usage.output_tokens", 96), &span);
    Bytes(9,
          StringAttr("gen_ai.input.messages",
                     "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"What is a unit test?\"}]}]"),
          &span);
    Bytes(9,
          StringAttr("gen_ai.output.messages",
                     "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"A unit test checks "
                     "one small unit of code in isolation.\"}]}]"),
          &span);
    Bytes(9, StringAttr("session.id", "session-42"), &span);
    Bytes(2, span, &scope_spans);
  }
  std::string resource, resource_spans, request;
  Bytes(1, StringAttr("service.name", "bench-shop"), &resource);
  Bytes(1, resource, &resource_spans);
  Bytes(2, scope_spans, &resource_spans);
  Bytes(1, resource_spans, &request);
  return request;
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

int main(int argc, char** argv) {
  std::string llmeval = LLMEVAL_BINARY;
  int per_request = 200, requests = 150, exporters = 8;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--llmeval") llmeval = argv[i + 1];
    if (flag == "--spans-per-request") per_request = std::atoi(argv[i + 1]);
    if (flag == "--requests") requests = std::atoi(argv[i + 1]);
    if (flag == "--exporters") exporters = std::atoi(argv[i + 1]);
  }
  char dir_template[] = "/tmp/collector-bench-XXXXXX";
  std::string dir = mkdtemp(dir_template);
  std::string db = dir + "/bench.db";
  int out_pipe[2];
  if (pipe(out_pipe) != 0) return 3;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(out_pipe[1], 1);
    close(out_pipe[0]);
    execl(llmeval.c_str(), llmeval.c_str(), "collect", "--port", "0", "--db", db.c_str(), "--exit-after", "600",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out_pipe[1]);
  char port_text[32] = {};
  ssize_t got = read(out_pipe[0], port_text, sizeof(port_text) - 1);
  if (got <= 0) {
    std::fprintf(stderr, "collector_bench: llmeval collect did not start (%s)\n", llmeval.c_str());
    return 3;
  }
  std::string url = "http://127.0.0.1:" + std::string(port_text, std::strcspn(port_text, "\n")) + "/v1/traces";
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::atomic<int64_t> failures{0};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < exporters; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<uint64_t>(t) * 7919 + 1);
      std::vector<std::string> bodies;
      for (int r = 0; r < requests; ++r) bodies.push_back(Request(&rng, per_request));  // Encoded before the clock.
      CURL* curl = curl_easy_init();
      curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/x-protobuf");
      headers = curl_slist_append(headers, "Expect:");
      curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
      curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Discard);
      ++ready;
      while (!go) std::this_thread::yield();
      for (const std::string& body : bodies) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        long code = 0;
        if (curl_easy_perform(curl) != CURLE_OK ||
            (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code), code != 200)) {
          ++failures;
        }
      }
      curl_slist_free_all(headers);
      curl_easy_cleanup(curl);
    });
  }
  while (ready < exporters) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto start = std::chrono::steady_clock::now();
  go = true;
  for (std::thread& t : threads) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  kill(pid, SIGTERM);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  const int64_t sent = static_cast<int64_t>(exporters) * requests * per_request;
  sqlite3* handle = nullptr;
  int64_t stored = -1;
  if (sqlite3_open(db.c_str(), &handle) == SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(handle, "SELECT COUNT(*) FROM spans", -1, &q, nullptr) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
      stored = sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    sqlite3_close(handle);
  }
  double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
               static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  double rate = static_cast<double>(stored) / seconds;
  std::printf("collector_bench: %d exporters x %d requests x %d spans (protobuf) into llmeval collect\n", exporters,
              requests, per_request);
  std::printf("  spans sent %lld, stored %lld, failed requests %lld\n", static_cast<long long>(sent),
              static_cast<long long>(stored), static_cast<long long>(failures.load()));
  std::printf("  wall %.2f s   stored spans/s %.0f   ratio to the 20,000 spans/s target %.2fx\n", seconds, rate,
              rate / 20000.0);
  std::printf("  collector CPU %.2f s (%.1f us per span, %.0f%% of one core)   collector peak RSS %.1f MiB\n", cpu,
              cpu / static_cast<double>(sent) * 1e6, cpu / seconds * 100, static_cast<double>(usage.ru_maxrss) / 1024);
  std::string rm = "rm -rf " + dir;
  if (std::system(rm.c_str()) != 0) return 3;
  return stored == sent && failures == 0 ? 0 : 1;
}

// `llmeval collect`: an OTLP/HTTP trace receiver that stores the spans of instrumented applications.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "cli/commands.h"
#include "engine/collector/otlp_receiver.h"
#include "engine/collector/store_span_sink.h"

namespace llmeval {
namespace {

volatile std::sig_atomic_t g_collect_stop = 0;
void OnCollectStop(int) { g_collect_stop = 1; }

}  // namespace

int CmdCollect(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags();
  specs.push_back({"port", true, "port to listen on (default 4318, the OTLP/HTTP port; 0 picks a free one)", ""});
  specs.push_back({"host", true, "address to bind (default 127.0.0.1)", ""});
  specs.push_back(
      {"token-env", true, "require 'Authorization: Bearer <token>', the token read from this variable", ""});
  specs.push_back({"max-body-mb", true, "largest request body, also once inflated (default 16)", ""});
  specs.push_back({"exit-after", true, "stop by itself after N seconds (0: run until Ctrl-C)", ""});
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("collect", flags.status());
  if (flags->Has("help") || !flags->positional().empty()) {
    PrintCommandHelp("llmeval collect [--port 4318] [--host 127.0.0.1] [--db FILE] [--token-env NAME]",
                     "Receives OpenTelemetry traces over OTLP/HTTP (POST /v1/traces, protobuf or JSON, gzip or not) "
                     "and stores every span with its service and scope. Prints the port on stdout; on Ctrl-C prints "
                     "what it received and refused. Search them with 'llmeval traces list --service NAME'.",
                     specs);
    return flags->Has("help") ? 0 : 2;
  }
  Result<int64_t> port = flags->GetInt("port", 4318, 0);
  Result<int64_t> max_mb = flags->GetInt("max-body-mb", 16, 1);
  Result<int64_t> exit_after = flags->GetInt("exit-after", 0, 0);
  for (const Status& s : {port.status(), max_mb.status(), exit_after.status()}) {
    if (!s.ok()) return Fail("collect", s);
  }
  if (*port > 65535) return Fail("collect", Status::InvalidInput("--port must be at most 65535"));
  OtlpReceiverOptions options;
  options.port = static_cast<int>(*port);
  options.host = flags->Get("host", "127.0.0.1");
  options.max_body_bytes = static_cast<size_t>(*max_mb) << 20;
  if (flags->Has("token-env")) {
    std::string name = flags->Get("token-env");
    const char* token = name.empty() ? nullptr : std::getenv(name.c_str());
    if (token == nullptr || *token == '\0') {
      return Fail("collect", Status::InvalidInput("--token-env " + name + ": the variable is not set or empty"));
    }
    options.bearer_token = token;
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail("collect", config.status());
  Result<std::unique_ptr<Store>> store = OpenProjectStore(*flags, *config);
  if (!store.ok()) return Fail("collect", store.status());
  std::string store_path = (*store)->path();
  StoreSpanSink sink(std::move(store.value()));
  OtlpReceiver receiver;
  std::signal(SIGINT, OnCollectStop);
  std::signal(SIGTERM, OnCollectStop);
  Status s = receiver.Start(options, &sink);
  if (!s.ok()) return Fail("collect", s);
  std::printf("%d\n", receiver.port());
  std::fflush(stdout);
  std::fprintf(stderr,
               "llmeval collect: receiving OTLP/HTTP traces on http://%s:%d/v1/traces into %s%s (Ctrl-C to stop)\n",
               options.host.c_str(), receiver.port(), store_path.c_str(),
               options.bearer_token.empty() ? "" : ", bearer token required");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*exit_after);
  while (g_collect_stop == 0) {
    if (*exit_after > 0 && std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  receiver.Stop();
  OtlpReceiver::Counters c = receiver.counters();
  StoreSpanSink::Stats stats = sink.stats();
  std::fprintf(stderr, "llmeval collect: %s stored=%lld transactions=%lld failed_transactions=%lld%s%s\n",
               c.Line().c_str(), static_cast<long long>(stats.spans_written),
               static_cast<long long>(stats.transactions), static_cast<long long>(stats.failed_transactions),
               stats.last_error.empty() ? "" : " last_error=", stats.last_error.c_str());
  return 0;
}

}  // namespace llmeval

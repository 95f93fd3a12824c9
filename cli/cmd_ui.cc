// `llmeval ui`: serves the report's views live from the results store (engine/report/ui_server.h) on 127.0.0.1. Prints
// "llmeval ui: serving <db> at http://127.0.0.1:<port>/" as one flushed line on stdout, then serves until SIGINT or
// SIGTERM (exit 0), or until --exit-after seconds pass. It never opens a browser.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "cli/commands.h"
#include "engine/report/ui_server.h"
#include "engine/run/runner.h"

namespace llmeval {
namespace {

std::atomic<bool> g_stop{false};
void OnStopSignal(int) { g_stop = true; }

}  // namespace

int CmdUi(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags();
  specs.insert(specs.end() - 1,
               {{"port", true, "port to bind on 127.0.0.1; 0 picks a free one (default 0)", ""},
                {"no-open", false, "do not open a browser (the default: llmeval never opens one)", ""},
                {"exit-after", true, "stop by itself after this many seconds (for scripts and tests)", ""}});
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("ui", flags.status());
  if (flags->Has("help")) {
    PrintCommandHelp("llmeval ui [flags]",
                     "Serves the results store as a live web app on 127.0.0.1 only: experiments and runs, per-scorer "
                     "pass rates, filtered items, and each item's assessments and trace timeline (loaded when "
                     "opened). The same views as `llmeval report`, without writing a file. Ctrl-C stops it.",
                     specs);
    return 0;
  }
  if (!flags->positional().empty()) {
    return Fail("ui", Status::InvalidInput("unexpected argument '" + flags->positional()[0] + "'"));
  }
  Result<int64_t> port = flags->GetInt("port", 0, 0);
  if (!port.ok()) return Fail("ui", port.status());
  if (*port > 65535) return Fail("ui", Status::InvalidInput("--port must be at most 65535"));
  Result<int64_t> exit_after = flags->GetInt("exit-after", 0, 1);
  if (!exit_after.ok()) return Fail("ui", exit_after.status());
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail("ui", config.status());

  UiServerOptions options;
  options.port = static_cast<int>(*port);
  options.store_path = StorePath(*config, flags->Get("db"));
  UiServer server(options);
  Status s = server.Start();
  if (!s.ok()) return Fail("ui", s);
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::printf("llmeval ui: serving %s at %s\n", options.store_path.c_str(), server.url().c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "llmeval ui: open the address above in a browser; Ctrl-C stops the server\n");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*exit_after);
  while (!g_stop) {
    if (*exit_after > 0 && std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  server.Stop();
  std::fprintf(stderr, "llmeval ui: stopped after %llu requests\n", static_cast<unsigned long long>(server.requests()));
  return 0;
}

}  // namespace llmeval

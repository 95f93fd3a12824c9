#include "cli/cli.h"

#include <cstdio>

#include "cli/commands.h"
#include "core/strings.h"
#include "core/version.h"

namespace llmeval {

int CmdGate(const Args& args);      // cli/cmd_gate.cc
int CmdBaseline(const Args& args);  // cli/cmd_baseline.cc
int CmdFeedback(const Args& args);  // cli/cmd_feedback.cc
int CmdCache(const Args& args);     // cli/cmd_cache.cc

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*handler)(const Args& args);
};

const std::vector<Command>& CommandTable() {
  static const std::vector<Command> kCommands = {
      {"run", "evaluate prompts x models over a dataset: answers, scores, traces", &CmdRun},
      {"generate", "like run, but only store answers (no scorers)", &CmdGenerate},
      {"evaluate", "score a stored run's answers again, without calling the model", &CmdEvaluate},
      {"runs", "list, show, compare, export and delete stored runs", &CmdRuns},
      {"prompts", "list, show, history, diff, alias and register prompt versions", &CmdPrompts},
      {"traces", "list traces, export them as OTLP/JSON", &CmdTraces},
      {"trace", "show one trace as a timeline (waterfall)", &CmdTrace},
      {"sim-server", "serve the simulated model over an OpenAI-compatible HTTP API", &CmdSimServer},
      {"report", "write a self-contained HTML report of a run, or of two runs compared", &CmdReport},
      {"ui", "serve runs, items and traces as a live web app on 127.0.0.1", &CmdUi},
      {"gate", "CI quality gate: check a run against rules and a baseline; exit 1 when a rule fails", &CmdGate},
      {"baseline", "export a run as a portable baseline file for gate --baseline", &CmdBaseline},
      {"feedback", "record human feedback on items; list it (agreement shows in runs show)", &CmdFeedback},
      {"collect", "receive OpenTelemetry traces over OTLP/HTTP into the store (POST /v1/traces)", &CmdCollect},
      {"monitor", "score new collected traces as they arrive; alert when a pass rate drops below its baseline",
       &CmdMonitor},
      {"cache", "show or clear the response cache (all of it, or what is older than a duration)", &CmdCache},
  };
  return kCommands;
}

void PrintUsage(std::FILE* out) {
  std::fprintf(out,
               "llmeval: evaluate and trace LLM applications.\n\n"
               "Usage: llmeval <command> [flags]\n\nCommands:\n");
  for (const Command& c : CommandTable()) std::fprintf(out, "  %-12s %s\n", c.name, c.summary);
  std::fprintf(
      out,
      "  %-12s %s\n  %-12s %s\n\n"
      "Run 'llmeval <command> --help' for a command's flags.\n"
      "Exit codes: 0 ok, 1 quality gate failed, 2 bad input or usage, 3 internal or IO error, 130 interrupted\n"
      "(finish it with --resume RUN).\n",
      "help", "show this help", "version", "print the version");
}

}  // namespace

int RunCli(const std::vector<std::string>& args) {
  if (args.empty()) {
    PrintUsage(stderr);
    return 2;
  }
  const std::string& name = args[0];
  if (name == "help" || name == "--help" || name == "-h") {
    if (args.size() > 1) return RunCli({args[1], "--help"});
    PrintUsage(stdout);
    return 0;
  }
  if (name == "version" || name == "--version") {
    std::printf("llmeval %s\n", kLlmevalVersion);
    return 0;
  }
  std::vector<std::string> names = {"help", "version"};
  for (const Command& c : CommandTable()) {
    if (name == c.name) return c.handler(Args(args.begin() + 1, args.end()));
    names.push_back(c.name);
  }
  std::string hint = SuggestClosest(name, names);
  std::fprintf(stderr, "llmeval: unknown command '%s'%s\nRun 'llmeval help' for the list of commands.\n", name.c_str(),
               hint.empty() ? "" : ("; did you mean '" + hint + "'?").c_str());
  return 2;
}

}  // namespace llmeval

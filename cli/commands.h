// The command handlers of the CLI and what they share. Each handler gets the arguments after its name and returns an
// exit code; errors are printed to stderr as "llmeval <command>: <message>".
#ifndef LLMEVAL_CLI_COMMANDS_H_
#define LLMEVAL_CLI_COMMANDS_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flags.h"
#include "core/status.h"
#include "engine/config/config.h"
#include "engine/store/store.h"

namespace llmeval {

using Args = std::vector<std::string>;

int CmdRun(const Args& args);
int CmdGenerate(const Args& args);
int CmdEvaluate(const Args& args);
int CmdSimServer(const Args& args);
int CmdPrompts(const Args& args);
int CmdRuns(const Args& args);
int CmdTrace(const Args& args);
int CmdTraces(const Args& args);
int CmdUi(const Args& args);       // cli/cmd_ui.cc
int CmdReport(const Args& args);   // cli/cmd_report.cc
int CmdCollect(const Args& args);  // cli/cmd_collect.cc
int CmdMonitor(const Args& args);  // cli/cmd_monitor.cc

// Flags every project command accepts, followed by the command's `own`.
std::vector<FlagSpec> ProjectFlags(std::vector<FlagSpec> own = {});

// Loads the project config named by --config, else ./llmeval.yaml when present, else the defaults.
Result<ProjectConfig> LoadProject(const Flags& flags);

// Opens the store selected by --db, LLMEVAL_DB or the config.
Result<std::unique_ptr<Store>> OpenProjectStore(const Flags& flags, const ProjectConfig& config);

// Writes `data` to stdout; false once a write has failed (the pipe was closed, the disk is full), so a long export
// can stop. FinishStdout (cli/cli.h) reports the failure.
bool WriteStdout(std::string_view data);

// "YYYY-MM-DD HH:MM:SS" in UTC; "-" for 0 (not set).
std::string FormatTime(int64_t unix_ns);

// Prints "llmeval <command>: <message>" and returns the status's exit code. An OK status here is a bug: it is
// reported as an internal error (exit 3), never as success.
int Fail(const std::string& command, const Status& status);

// True when stdout is a terminal (colour and progress redraws are allowed).
bool StdoutIsTty();

// Handles --help for a command: prints usage and flags.
void PrintCommandHelp(const std::string& usage, const std::string& description, const std::vector<FlagSpec>& specs);

}  // namespace llmeval

#endif  // LLMEVAL_CLI_COMMANDS_H_

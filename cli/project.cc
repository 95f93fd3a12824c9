// Shared plumbing of the project commands: config, store, errors, help.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "cli/cli.h"
#include "cli/commands.h"
#include "engine/os/file_io.h"
#include "engine/run/runner.h"

namespace llmeval {

std::vector<FlagSpec> ProjectFlags(std::vector<FlagSpec> own) {
  std::vector<FlagSpec> flags = {
      {"config", true, "project config file (default: ./llmeval.yaml when present)", ""},
      {"db", true, "results store (default: .llmeval/llmeval.db beside the config; env LLMEVAL_DB)", ""},
      {"help", false, "show this help", ""}};
  flags.insert(flags.end(), own.begin(), own.end());
  return flags;
}

Result<ProjectConfig> LoadProject(const Flags& flags) {
  std::string path = flags.Get("config");
  if (path.empty()) {
    if (!FileExists("llmeval.yaml")) {
      std::error_code ec;
      return DefaultProjectConfig(std::filesystem::current_path(ec).string());
    }
    path = "llmeval.yaml";
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidInput("config " + path + " is a directory; expected a YAML file");
  }
  Result<ProjectConfig> config = LoadProjectConfig(path);
  if (!config.ok() && config.status().code() == StatusCode::kNotFound) {
    return Status::InvalidInput("config file " + path + " does not exist");
  }
  return config;
}

Result<std::unique_ptr<Store>> OpenProjectStore(const Flags& flags, const ProjectConfig& config) {
  return Store::Open(StorePath(config, flags.Get("db")));
}

namespace {

int stdout_errno = 0;  // The errno of the first failed write to stdout; 0 while none has failed.

}  // namespace

bool WriteStdout(std::string_view data) {
  if (stdout_errno != 0) return false;
  if (std::fwrite(data.data(), 1, data.size(), stdout) == data.size()) return true;
  stdout_errno = errno != 0 ? errno : EIO;
  return false;
}

int FinishStdout(int exit_code) {
  errno = 0;
  bool flushed = std::fflush(stdout) == 0 && !std::ferror(stdout);
  if (flushed && stdout_errno == 0) return exit_code;
  int error = stdout_errno != 0 ? stdout_errno : (errno != 0 ? errno : EIO);
  if (error == EPIPE) return 141;
  std::fprintf(stderr, "llmeval: writing to stdout failed: %s\n", std::strerror(error));
  return exit_code != 0 ? exit_code : 3;
}

std::string FormatTime(int64_t unix_ns) {
  if (unix_ns == 0) return "-";
  std::time_t t = static_cast<std::time_t>(unix_ns / 1000000000);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", std::gmtime(&t));
  return buf;
}

int Fail(const std::string& command, const Status& status) {
  if (status.ok()) {  // A bug: a failure must carry its cause. Never let it exit 0 with an empty message.
    std::fprintf(stderr, "llmeval %s: internal error: the command failed without saying why\n", command.c_str());
    return 3;
  }
  std::fprintf(stderr, "llmeval %s: %s\n", command.c_str(), status.message().c_str());
  return status.ExitCode();
}

bool StdoutIsTty() { return isatty(STDOUT_FILENO) != 0; }

void PrintCommandHelp(const std::string& usage, const std::string& description, const std::vector<FlagSpec>& specs) {
  std::printf("Usage: %s\n\n%s\n\nFlags:\n%s", usage.c_str(), description.c_str(), FlagsHelp(specs).c_str());
}

}  // namespace llmeval

// TargetSet: the targets a run names (`--target a,b`), built once from the config's `targets:` section and shared by
// every variant. HTTP targets share one CurlTransport (one IO thread). Get checks that every {placeholder} of a
// target's body template binds to a dataset column, a variable or (with --prompt) `prompt`, and otherwise fails with
// the template's file:line:column. Command targets get the environment set by SetCommandEnv (OTLP endpoint). Not
// thread-safe while building; the targets it hands out are.
#ifndef LLMEVAL_ENGINE_TARGETS_TARGET_SET_H_
#define LLMEVAL_ENGINE_TARGETS_TARGET_SET_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/config/config.h"
#include "engine/http/http_transport.h"
#include "engine/targets/target.h"

namespace llmeval {

class TargetSet {
 public:
  explicit TargetSet(const ProjectConfig* config);
  ~TargetSet();

  // Extra environment for the command targets created after this call (the run's OTEL_EXPORTER_OTLP_* variables).
  void SetCommandEnv(std::map<std::string, std::string> env) { command_env_ = std::move(env); }
  // The settings of a target Get has created (null otherwise).
  const TargetSettings* SettingsOf(const std::string& name) const;

  // The target `name`, created on first use. `available`: the names placeholders may bind to.
  Result<Target*> Get(const std::string& name, const std::vector<std::string>& available);

 private:
  const ProjectConfig* config_;
  std::unique_ptr<HttpTransport> transport_;
  std::map<std::string, std::unique_ptr<Target>> targets_;
  std::map<std::string, std::string> command_env_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_TARGETS_TARGET_SET_H_

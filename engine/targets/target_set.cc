#include "engine/targets/target_set.h"

#include <algorithm>

#include "core/strings.h"
#include "engine/http/curl_transport.h"
#include "engine/targets/command_target.h"
#include "engine/targets/http_target.h"

namespace llmeval {

TargetSet::TargetSet(const ProjectConfig* config) : config_(config) {}

TargetSet::~TargetSet() {
  targets_.clear();  // Targets first: they may hold calls on the transport.
  transport_.reset();
}

const TargetSettings* TargetSet::SettingsOf(const std::string& name) const {
  if (targets_.count(name) == 0) return nullptr;
  auto it = config_->targets.find(name);
  return it != config_->targets.end() ? &it->second : nullptr;
}

Result<Target*> TargetSet::Get(const std::string& name, const std::vector<std::string>& available) {
  if (auto it = targets_.find(name); it != targets_.end()) return it->second.get();
  auto declared = config_->targets.find(name);
  if (declared == config_->targets.end()) {
    std::vector<std::string> known;
    for (const auto& [n, t] : config_->targets) known.push_back(n);
    std::string hint = SuggestClosest(name, known);
    return Status::InvalidInput(
        "--target " + name + ": no such target in " +
        (config_->path.empty() ? std::string("the project config") : config_->path) +
        (hint.empty() ? "" : " (did you mean '" + hint + "'?)") + "; declared targets: " +
        (known.empty() ? std::string("none (add a 'targets:' section)") : JoinStrings(known, ", ")));
  }
  const TargetSettings& settings = declared->second;
  for (const std::string& placeholder : BodyTemplatePlaceholders(settings.body_template)) {
    std::string lower = AsciiLower(placeholder);
    if (std::find(available.begin(), available.end(), lower) == available.end()) {
      return Status::InvalidInput(settings.body_position.Prefix() + "targets." + name + ".body: {" + placeholder +
                                  "} binds to nothing; expected a dataset column or variable (" +
                                  JoinStrings(available, ", ") + ")");
    }
  }
  std::unique_ptr<Target> target;
  if (settings.kind == "http") {
    if (transport_ == nullptr) {
      CurlTransportOptions options;
      options.max_host_connections = 0;
      options.max_cached_connections = 4096;
      transport_ = std::make_unique<CurlTransport>(options);
    }
    target = std::make_unique<HttpTarget>(settings, transport_.get());
  } else {
    target = std::make_unique<CommandTarget>(settings, config_->dir, command_env_);
  }
  Target* out = target.get();
  targets_[name] = std::move(target);
  return out;
}

}  // namespace llmeval

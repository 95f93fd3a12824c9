#include "engine/run/run_targets.h"

#include <cstdlib>

#include "core/strings.h"

namespace llmeval {

Status StartAppSpanReceiver(TargetSet* targets, std::unique_ptr<AppSpanSink>* sink,
                            std::unique_ptr<OtlpReceiver>* receiver) {
  OtlpReceiverOptions options;
  options.port = 0;
  const char* port = std::getenv("LLMEVAL_OTLP_PORT");
  if (port != nullptr && *port != '\0') {
    std::optional<int64_t> n = ParseInt(port);
    if (!n.has_value() || *n < 1 || *n > 65535) {
      return Status::InvalidInput(std::string("LLMEVAL_OTLP_PORT: expected a port number (1-65535), got '") + port +
                                  "'");
    }
    options.port = static_cast<int>(*n);
  }
  *sink = std::make_unique<AppSpanSink>();
  *receiver = std::make_unique<OtlpReceiver>();
  Status s = (*receiver)->Start(options, sink->get());
  if (!s.ok()) return s.WithContext("the run's OTLP receiver for the targets' spans");
  std::string endpoint = "http://127.0.0.1:" + std::to_string((*receiver)->port());
  targets->SetCommandEnv({{"OTEL_EXPORTER_OTLP_ENDPOINT", endpoint},
                          {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"},
                          {"OTEL_BSP_SCHEDULE_DELAY", "100"}});
  return Status::OK();
}

Status ResolveRunTargets(const std::vector<std::string>& names, const RunContext& ctx, bool has_prompt,
                         TargetSet* targets, std::vector<ResolvedModel>* out) {
  std::vector<std::string> available = ctx.columns;
  for (const auto& [k, v] : ctx.fixed_variables) available.push_back(k);
  for (const auto& [k, v] : ctx.placeholder_columns) available.push_back(k);
  if (has_prompt) available.push_back("prompt");
  for (const std::string& name : names) {
    for (const ResolvedModel& earlier : *out) {
      if (earlier.label == name) return Status::InvalidInput("--target names " + name + " twice");
    }
    Result<Target*> target = targets->Get(name, available);
    if (!target.ok()) return target.status();
    ResolvedModel m;
    m.target = *target;
    m.label = name;
    m.api_model = name;
    m.provider_name = "target";
    m.provider_key = "target " + name;
    if (const TargetSettings* settings = targets->SettingsOf(name)) {
      m.span_grace_ms = settings->span_grace_ms;
      m.wait_for_spans = settings->wait_for_spans;
    }
    out->push_back(std::move(m));
  }
  return Status::OK();
}

void AddTargetInputPrompt(std::vector<ResolvedPrompt>* prompts, std::vector<Template>* templates) {
  ResolvedPrompt p;
  p.name = "target-input";
  p.version = 0;
  p.ref = "target-input";
  prompts->push_back(p);
  templates->push_back(*Template::Parse("", "target-input"));
}

}  // namespace llmeval

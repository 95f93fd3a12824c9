#include "engine/user_scorers/plugin_scorer.h"

#include <dlfcn.h>
#include <simdjson.h>

#include <atomic>
#include <filesystem>
#include <optional>
#include <vector>

#include "core/strings.h"
#include "engine/user_scorers/command_scorer.h"
#include "include/llmeval/scorer_plugin.h"
#include "scorers/json_util.h"
#include "scorers/scorer_params.h"

namespace llmeval {
namespace {

constexpr size_t kFirstBuffer = 64 * 1024;
constexpr size_t kMaxBuffer = 16 * 1024 * 1024;

class PluginScorer : public Scorer {
 public:
  PluginScorer(std::string name, std::string path, llmeval_scorer_v1_fn fn, std::string plugin_name,
               std::optional<double> threshold, std::string params_json, std::vector<std::string> expectation_columns)
      : name_(std::move(name)),
        path_(std::move(path)),
        fn_(fn),
        who_("scorer '" + name_ + "' (plugin " + path_ + (plugin_name.empty() ? "" : ", " + plugin_name) + ")"),
        threshold_(threshold),
        params_json_(std::move(params_json)),
        expectation_columns_(std::move(expectation_columns)) {}

  const std::string& name() const override { return name_; }

  Assessment Score(const ScoringContext& ctx) const override {
    if (ctx.errored) {
      return ErrorAssessment(
          name_, "the application call failed: " + (ctx.error.empty() ? std::string("unknown error") : ctx.error));
    }
    int64_t id = next_id_.fetch_add(1) + 1;
    std::string request = UserScorerRequestJson(id, name_, ctx, params_json_, expectation_columns_);
    std::vector<char> out(kFirstBuffer);
    int rc = 0;
    while (true) {
      out[0] = '\0';
      rc = fn_(request.c_str(), out.data(), static_cast<unsigned long>(out.size()));
      if (rc != LLMEVAL_SCORER_OUTPUT_TOO_SMALL || out.size() >= kMaxBuffer) break;
      out.assign(out.size() * 4, '\0');
    }
    out.back() = '\0';  // A plugin that forgot the terminator cannot make us read past the buffer.
    std::string_view result(out.data());
    if (rc != LLMEVAL_SCORER_OK) {
      std::string message = who_ + " failed with code " + std::to_string(rc);
      if (rc == LLMEVAL_SCORER_OUTPUT_TOO_SMALL) message += " (the result does not fit in 16 MiB)";
      Result<Assessment> detail = ParseUserScorerResponse(result, name_, who_, std::nullopt, std::nullopt);
      if (detail.ok() && !detail->error.empty()) {
        message = detail->error + " (code " + std::to_string(rc) + ")";
      } else if (!result.empty()) {
        message += ": " + Excerpt(result, 120);
      }
      return ErrorAssessment(name_, message);
    }
    Result<Assessment> parsed = ParseUserScorerResponse(result, name_, who_, threshold_, std::nullopt);
    if (!parsed.ok()) return ErrorAssessment(name_, parsed.status().message());
    return *parsed;
  }

 private:
  std::string name_;
  std::string path_;
  llmeval_scorer_v1_fn fn_;
  std::string who_;
  std::optional<double> threshold_;
  std::string params_json_;
  std::vector<std::string> expectation_columns_;
  mutable std::atomic<int64_t> next_id_{0};
};

}  // namespace

Result<std::unique_ptr<Scorer>> MakePluginScorer(const ScorerSpec& spec, const std::string& project_dir) {
  ScorerParams p(spec);
  p.CheckKeys({"path", "threshold", "params", "expectation_columns"});
  std::string path = p.RequireString("path");
  std::optional<double> threshold = p.Number("threshold");
  std::vector<std::string> expectations = p.StringList("expectation_columns").value_or(std::vector<std::string>{});
  std::string params_json = p.MappingJson("params");
  if (!p.ok()) return p.status();
  std::filesystem::path resolved(path);
  if (resolved.is_relative() && !project_dir.empty()) resolved = std::filesystem::path(project_dir) / resolved;
  std::string shown = resolved.lexically_normal().string();
  // dlopen searches the library path for names without a '/'; a configured path always means that file.
  if (shown.find('/') == std::string::npos) shown = "./" + shown;
  dlerror();
  void* handle = dlopen(shown.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return p.Error("cannot load plugin " + shown + ": " + (why != nullptr ? why : "unknown dlopen error"));
  }
  dlerror();
  auto fn = reinterpret_cast<llmeval_scorer_v1_fn>(dlsym(handle, "llmeval_scorer_v1"));
  if (fn == nullptr) {
    const char* why = dlerror();
    return p.Error("plugin " + shown + " does not export llmeval_scorer_v1 (see include/llmeval/scorer_plugin.h): " +
                   (why != nullptr ? why : "symbol is null"));
  }
  std::string plugin_name;
  auto name_fn = reinterpret_cast<llmeval_scorer_name_v1_fn>(dlsym(handle, "llmeval_scorer_name_v1"));
  if (name_fn != nullptr && name_fn() != nullptr) plugin_name = name_fn();
  dlerror();
  for (std::string& column : expectations) column = AsciiLower(column);
  return std::unique_ptr<Scorer>(
      new PluginScorer(p.name(), shown, fn, plugin_name, threshold, std::move(params_json), std::move(expectations)));
}

}  // namespace llmeval

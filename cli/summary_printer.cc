#include "cli/summary_printer.h"

#include <cstdarg>
#include <cstdio>

namespace llmeval {
namespace {

std::string Printf(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string Printf(const char* format, ...) {
  char buf[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof(buf), format, args);
  va_end(args);
  return buf;
}

std::string Percent(double v) { return Printf("%.0f%%", v * 100); }

}  // namespace

std::string FormatCost(const std::optional<double>& usd) {
  if (!usd.has_value()) return "unknown";
  if (*usd == 0) return "$0";
  if (*usd < 0.01) return Printf("$%.5f", *usd);
  return Printf("$%.4f", *usd);
}

std::string FormatRunSummary(const RunSummary& summary, bool color) {
  const char* bold = color ? "\033[1m" : "";
  const char* red = color ? "\033[31m" : "";
  const char* reset = color ? "\033[0m" : "";
  std::string out;
  const RunRecord& run = summary.run;
  out += Printf("%sRun %lld%s  %s  experiment %s  dataset %s (%lld rows)\n", bold, static_cast<long long>(run.id),
                reset, run.status.c_str(), run.experiment.c_str(), run.dataset_path.c_str(),
                static_cast<long long>(run.dataset_rows));
  for (const VariantSummary& v : summary.variants) {
    out += Printf("\n%s%s%s", bold, v.variant.Label().c_str(), reset);
    if (!v.variant.system_name.empty()) {
      out += Printf("   (system %s/%d", v.variant.system_name.c_str(), v.variant.system_version);
      if (!v.variant.addendum_name.empty()) {
        out += Printf(" + %s/%d", v.variant.addendum_name.c_str(), v.variant.addendum_version);
      }
      out += ")";
    }
    out += "\n";
    out += Printf("  items %lld   errors %s%lld%s   cache hits %lld   tool calls %lld\n",
                  static_cast<long long>(v.items), v.errors > 0 ? red : "", static_cast<long long>(v.errors), reset,
                  static_cast<long long>(v.cache_hits), static_cast<long long>(v.tool_calls));
    out += Printf("  tokens in %lld / out %lld   cost %s   judge tokens %lld / %lld   judge cost %s\n",
                  static_cast<long long>(v.input_tokens), static_cast<long long>(v.output_tokens),
                  FormatCost(v.cost_usd).c_str(), static_cast<long long>(v.judge_input_tokens),
                  static_cast<long long>(v.judge_output_tokens), FormatCost(v.judge_cost_usd).c_str());
    if (v.latency_measured > 0) {
      out +=
          Printf("  latency p50 %.1f ms   p95 %.1f ms   (cache hits excluded)\n", v.latency_p50_ms, v.latency_p95_ms);
    } else {
      out += "  latency not measured   (no item was answered by a model call: cache hits and errors are excluded)\n";
    }
    if (v.scorers.empty()) continue;
    out += Printf("  %-30s %6s %6s %6s %6s  %-6s %-17s\n", "scorer", "pass", "fail", "error", "skip", "rate",
                  "95% interval");
    for (const ScorerSummary& s : v.scorers) {
      std::string rate = s.decided() > 0 ? Percent(s.pass_rate) : "-";
      std::string interval =
          s.decided() > 0 ? "[" + Percent(s.pass_rate_ci.low) + ", " + Percent(s.pass_rate_ci.high) + "]" : "-";
      out += Printf("  %-30s %6lld %6lld %s%6lld%s %6lld  %-6s %-17s\n", s.scorer.c_str(),
                    static_cast<long long>(s.passed), static_cast<long long>(s.failed), s.errored > 0 ? red : "",
                    static_cast<long long>(s.errored), reset, static_cast<long long>(s.skipped), rate.c_str(),
                    interval.c_str());
    }
    if (!v.human_agreement.empty()) {
      out +=
          Printf("\n  %-30s %-26s %6s %6s %7s\n", "agreement with people", "human labels", "items", "agree", "kappa");
      for (const HumanAgreement& h : v.human_agreement) {
        out += Printf("  %-30s %-26s %6lld %6s %7.2f\n", h.scorer.c_str(), h.human.substr(0, 26).c_str(),
                      static_cast<long long>(h.n), Percent(h.percent_agreement).c_str(), h.kappa);
      }
    }
    if (!v.by_group.empty()) {
      out += Printf("\n  by %s:\n  %-30s %-22s %6s %6s %6s  %-6s\n", summary.group_column.c_str(), "scorer", "group",
                    "pass", "fail", "error", "rate");
      for (const ScorerSummary& s : v.by_group) {
        std::string rate = s.decided() > 0 ? Percent(s.pass_rate) : "-";
        out += Printf("  %-30s %-22s %6lld %6lld %6lld  %-6s\n", s.scorer.c_str(), s.group.substr(0, 22).c_str(),
                      static_cast<long long>(s.passed), static_cast<long long>(s.failed),
                      static_cast<long long>(s.errored), rate.c_str());
      }
    }
  }
  return out;
}

}  // namespace llmeval

// The gate report as a terminal table, Markdown, JUnit XML and JSON (declared in engine/gate/gate.h).
#include <algorithm>
#include <cstdio>

#include "core/json_writer.h"
#include "core/strings.h"
#include "engine/gate/gate.h"

namespace llmeval {
namespace {

std::string Num(double v, int digits = 2) { return FormatFixed(v, digits); }

std::string Limit(const GateCheck& c) {
  if (c.rule == "max_cost_usd") return "$" + Num(c.limit, 4);
  if (c.rule == "max_p95_latency_ms") return Num(c.limit, 0) + " ms";
  if (c.rule.rfind("max_drop", 0) == 0) return "-" + Num(c.limit);
  return Num(c.limit);
}

std::string Pad(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string Xml(const std::string& s) { return EscapeMarkup(s); }

std::string Md(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|')
      out += "\\|";
    else if (ch == '\n')
      out += ' ';
    else
      out += ch;
  }
  return out;
}

std::string Verdict(const GateReport& r) {
  return r.passed()
             ? "PASSED"
             : "FAILED (" + std::to_string(r.failed_count()) + " of " + std::to_string(r.checks.size()) + " checks)";
}

}  // namespace

std::string FormatGateTable(const GateReport& report) {
  size_t wt = 6, wr = 4, ws = 6, wm = 8;
  for (const GateCheck& c : report.checks) {
    wt = std::max(wt, c.target.size());
    wr = std::max(wr, c.rule.size());
    ws = std::max(ws, c.scorer.size());
    wm = std::max(wm, c.measured_text.size());
  }
  std::string out = "Gate checks\n  " + Pad("", 5) + "  " + Pad("target", wt) + "  " + Pad("rule", wr) + "  " +
                    Pad("scorer", ws) + "  " + Pad("measured", wm) + "  limit\n";
  for (const GateCheck& c : report.checks) {
    out += "  " + Pad(c.passed ? "pass" : "FAIL", 5) + "  " + Pad(c.target, wt) + "  " + Pad(c.rule, wr) + "  " +
           Pad(c.scorer.empty() ? "-" : c.scorer, ws) + "  " + Pad(c.measured_text, wm) + "  " + Limit(c) + "\n";
  }
  for (const GateCheck& c : report.checks) {
    if (c.passed && c.reason.empty()) continue;
    out += std::string("\n") + (c.passed ? "  " : "  FAIL ") + c.target + " " + c.rule +
           (c.scorer.empty() ? "" : " " + c.scorer) + ": " + c.reason + "\n";
    if (c.passed || !c.comparison.has_value()) continue;
    for (const GateFlippedItem& f : c.comparison->flipped) {
      out +=
          "    " + std::string(f.regressions > 0 ? "pass->fail " : "fail->pass ") + f.item_key + "  " + f.label + "\n";
    }
  }
  for (const std::string& note : report.notes) out += "\n  note: " + note + "\n";
  out += "\nGate " + Verdict(report) + "\n";
  return out;
}

std::string FormatGateMarkdown(const GateReport& report, const std::vector<GateTarget>& targets) {
  std::string out = std::string("## llmeval gate: ") + (report.passed() ? "✅ " : "❌ ") + Verdict(report) + "\n\n";
  for (const GateTarget& t : targets) {
    out += "- **" + Md(t.label) + "**: " + std::to_string(t.summary.items) + " items" +
           (t.baseline.has_value() ? ", baseline " + Md(t.baseline->prompt) + " x " + Md(t.baseline->model) + " (" +
                                         Md(t.baseline->source) + ")"
                                   : ", no baseline") +
           "\n";
  }
  out += "\n| | target | rule | scorer | measured | limit |\n|---|---|---|---|---|---|\n";
  for (const GateCheck& c : report.checks) {
    out += std::string("| ") + (c.passed ? "✅" : "❌") + " | " + Md(c.target) + " | " + Md(c.rule) + " | " +
           Md(c.scorer.empty() ? "-" : c.scorer) + " | " + Md(c.measured_text) + " | " + Md(Limit(c)) + " |\n";
  }
  for (const GateCheck& c : report.checks) {
    if (c.passed && c.reason.empty()) continue;
    out += "\n**" + Md(c.target) + " " + Md(c.rule) + (c.scorer.empty() ? "" : " " + Md(c.scorer)) +
           "**: " + Md(c.reason) + "\n";
    if (!c.comparison.has_value() || c.comparison->flipped.empty()) continue;
    out += "\n<details><summary>" + std::to_string(c.comparison->flipped.size()) +
           " flipped items</summary>\n\n| item | question | change |\n|---|---|---|\n";
    for (const GateFlippedItem& f : c.comparison->flipped) {
      out += "| `" + Md(f.item_key) + "` | " + Md(f.label) + " | " +
             (f.regressions > 0 ? "pass → fail" : "fail → pass") +
             (f.regressions + f.improvements > 1
                  ? " (" + std::to_string(f.regressions) + " down, " + std::to_string(f.improvements) + " up)"
                  : "") +
             " |\n";
    }
    out += "\n</details>\n";
  }
  for (const std::string& note : report.notes) out += "\n> " + Md(note) + "\n";
  return out;
}

std::string FormatGateJunit(const GateReport& report, const std::vector<GateTarget>& targets) {
  std::string body;
  int tests = 0, failures = 0, errors = 0, skipped = 0;
  // The gate checks first: these decide the exit code.
  std::string suite;
  for (const GateCheck& c : report.checks) {
    ++tests;
    std::string name = c.rule + (c.scorer.empty() ? "" : " " + c.scorer);
    suite += "    <testcase classname=\"gate." + Xml(c.target) + "\" name=\"" + Xml(name) + "\">";
    if (!c.passed) {
      ++failures;
      suite += "<failure message=\"" + Xml(c.reason) + "\">" + Xml(c.measured_text + " (limit " + Limit(c) + ")") +
               "</failure>";
    }
    suite += "</testcase>\n";
  }
  body += "  <testsuite name=\"gate\" tests=\"" + std::to_string(report.checks.size()) + "\" failures=\"" +
          std::to_string(report.failed_count()) + "\">\n" + suite + "  </testsuite>\n";
  for (const GateTarget& t : targets) {
    int st = 0, sf = 0, se = 0, ss = 0;
    std::string cases;
    for (const ItemRecord& item : t.items) {
      std::string label = ItemLabel(item);
      for (const AssessmentRow& a : item.assessments) {
        ++st;
        std::string name =
            a.ResultName() + " " + item.item_key + (item.repeat > 0 ? "#" + std::to_string(item.repeat) : "");
        cases += "    <testcase classname=\"" + Xml(t.label) + "\" name=\"" + Xml(name) + "\">";
        if (a.outcome == "fail") {
          ++sf;
          cases += "<failure message=\"" + Xml(a.rationale.empty() ? "failed" : a.rationale) + "\">" + Xml(label) +
                   "</failure>";
        } else if (a.outcome == "error") {
          ++se;
          cases += "<error message=\"" + Xml(a.error.empty() ? item.error : a.error) + "\">" + Xml(label) + "</error>";
        } else if (a.outcome == "skipped") {
          ++ss;
          cases += "<skipped message=\"" + Xml(a.rationale) + "\"/>";
        }
        cases += "</testcase>\n";
      }
    }
    tests += st;
    failures += sf;
    errors += se;
    skipped += ss;
    body += "  <testsuite name=\"" + Xml(t.label) + "\" tests=\"" + std::to_string(st) + "\" failures=\"" +
            std::to_string(sf) + "\" errors=\"" + std::to_string(se) + "\" skipped=\"" + std::to_string(ss) + "\">\n" +
            cases + "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"llmeval gate\" tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" + std::to_string(errors) +
         "\" skipped=\"" + std::to_string(skipped) + "\">\n" + body + "</testsuites>\n";
}

std::string FormatGateJson(const GateReport& report, const std::vector<GateTarget>& targets) {
  JsonWriter w;
  w.BeginObject();
  w.Field("passed", report.passed());
  w.Field("failed_checks", report.failed_count());
  w.Key("targets");
  w.BeginArray();
  for (const GateTarget& t : targets) {
    w.BeginObject();
    w.Field("label", t.label);
    w.Field("run_id", t.summary.variant.run_id);
    w.Field("items", t.summary.items);
    if (t.baseline.has_value()) {
      w.Key("baseline");
      w.BeginObject();
      w.Field("source", t.baseline->source);
      w.Field("prompt", t.baseline->prompt);
      w.Field("model", t.baseline->model);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("checks");
  w.BeginArray();
  for (const GateCheck& c : report.checks) {
    w.BeginObject();
    w.Field("target", c.target);
    w.Field("rule", c.rule);
    w.Field("scorer", c.scorer);
    w.Field("rule_line", c.rule_line);
    w.Field("limit", c.limit);
    w.Key("measured");
    if (c.measured.has_value())
      w.Double(*c.measured);
    else
      w.Null();
    w.Field("measured_text", c.measured_text);
    w.Field("passed", c.passed);
    w.Field("reason", c.reason);
    if (c.comparison.has_value()) {
      const PairedComparison& p = *c.comparison;
      w.Key("comparison");
      w.BeginObject();
      w.Field("items", p.items);
      w.Field("pairs", p.pairs);
      w.Field("unpaired", p.unpaired);
      w.Field("baseline_pass_rate", p.difference.baseline_rate);
      w.Field("candidate_pass_rate", p.difference.candidate_rate);
      w.Field("difference", p.difference.estimate);
      w.Field("ci95_low", p.difference.ci95.low);
      w.Field("ci95_high", p.difference.ci95.high);
      w.Field("design_effect", p.difference.design_effect);
      w.Field("minimum_detectable_drop", p.minimum_detectable_drop);
      w.Key("flipped");
      w.BeginArray();
      for (const GateFlippedItem& f : p.flipped) {
        w.BeginObject();
        w.Field("id", f.item_key);
        w.Field("label", f.label);
        w.Field("regressions", f.regressions);
        w.Field("improvements", f.improvements);
        w.Field("rationale", f.rationale);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("notes");
  w.BeginArray();
  for (const std::string& n : report.notes) w.String(n);
  w.EndArray();
  w.EndObject();
  return w.Take() + "\n";
}

}  // namespace llmeval

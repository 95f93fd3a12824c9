// `llmeval report RUN [RUN2] [-o FILE]`: one self-contained HTML report of a run, or of two runs side by side with
// their paired comparison (engine/report/report_data.h for the data, engine/report/report_html.h for the page). The
// file is written atomically; an unknown run exits 2 and writes nothing.
#include <cstdio>
#include <optional>

#include "cli/commands.h"
#include "core/strings.h"
#include "engine/os/file_io.h"
#include "engine/report/report_data.h"
#include "engine/report/report_html.h"

namespace llmeval {
namespace {

const char kUsage[] = "llmeval report RUN [RUN2] [-o FILE]";

Result<int64_t> ParseRunId(const std::string& text) {
  std::optional<int64_t> id = ParseInt(text);
  if (!id.has_value() || *id < 1) return Status::InvalidInput("RUN must be a run id (a number), got '" + text + "'");
  return *id;
}

std::string HumanSize(size_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof(buf), "%zu B", bytes);
  } else if (bytes < 1024 * 1024) {
    std::snprintf(buf, sizeof(buf), "%.1f KB", bytes / 1024.0);
  } else {
    std::snprintf(buf, sizeof(buf), "%.1f MB", bytes / (1024.0 * 1024.0));
  }
  return buf;
}

std::string RunTitle(const RunRecord& run) {
  std::string title = "run " + std::to_string(run.id);
  if (!run.name.empty()) title += " (" + run.name + ")";
  return title;
}

}  // namespace

int CmdReport(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags();
  specs.push_back(
      {"output", true, "write the report here (default: .llmeval/reports/run-<id>.html in the project)", "o"});
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("report", flags.status());
  const std::vector<std::string>& pos = flags->positional();
  if (flags->Has("help")) {
    PrintCommandHelp(kUsage,
                     "Writes one self-contained HTML file (no network needed): run metadata, pass rates with 95% "
                     "intervals,\nthe category breakdown, every item with its assessments and trace. With two runs: "
                     "side by side,\nwith the paired deltas and the flipped items. Open it in any browser or keep it "
                     "as a CI artifact.",
                     specs);
    return 0;
  }
  if (pos.empty() || pos.size() > 2) {
    return Fail("report", Status::InvalidInput(std::string("expected one or two RUN ids\nusage: ") + kUsage));
  }
  std::vector<int64_t> run_ids;
  for (const std::string& text : pos) {
    Result<int64_t> id = ParseRunId(text);
    if (!id.ok()) return Fail("report", id.status());
    run_ids.push_back(*id);
  }
  if (run_ids.size() == 2 && run_ids[0] == run_ids[1]) {
    return Fail("report", Status::InvalidInput("RUN and RUN2 are the same run; give two different runs"));
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail("report", config.status());
  Result<std::unique_ptr<Store>> opened = OpenProjectStore(*flags, *config);
  if (!opened.ok()) return Fail("report", opened.status());
  Store* store = opened->get();

  std::vector<RunRecord> runs;
  for (int64_t id : run_ids) {
    Result<RunRecord> run = store->GetRun(id);
    if (!run.ok()) return Fail("report", run.status());
    runs.push_back(*run);
  }
  Result<ReportDocuments> docs = ReportJson(store, run_ids);
  if (!docs.ok()) return Fail("report", docs.status());

  std::string title = "llmeval report: " + RunTitle(runs[0]);
  std::string name = "run-" + std::to_string(run_ids[0]);
  if (runs.size() == 2) {
    title += " vs " + RunTitle(runs[1]);
    name += "-vs-" + std::to_string(run_ids[1]);
  }
  std::string path = flags->Get("output");
  if (path.empty()) path = config->Resolve(".llmeval/reports/" + name + ".html");
  std::string html = ReportHtml(*docs, title);
  Status written = WriteFileAtomically(path, html);
  if (!written.ok()) return Fail("report", written);
  std::printf("report: %s (%s)\n", path.c_str(), HumanSize(html.size()).c_str());
  return 0;
}

}  // namespace llmeval

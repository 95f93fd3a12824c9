// `llmeval runs ...`: list, show, export and delete stored runs.
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/summary_printer.h"
#include "core/json_writer.h"
#include "core/strings.h"
#include "engine/os/file_io.h"
#include "engine/run/run_compare.h"
#include "engine/run/run_summary.h"

namespace llmeval {
namespace {

const char kUsage[] =
    "llmeval runs list [--limit N]\n"
    "       llmeval runs show RUN [--group-by COLUMN]\n"
    "       llmeval runs compare RUN_A RUN_B\n"
    "       llmeval runs export RUN --format csv|json|jsonl [-o FILE]\n"
    "       llmeval runs delete RUN";

Result<int64_t> ParseRunId(const std::string& text) {
  std::optional<int64_t> id = ParseInt(text);
  if (!id.has_value() || *id < 1) return Status::InvalidInput("RUN must be a run id (a number), got '" + text + "'");
  return *id;
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// Full precision, as in the JSON export: a cost of 6.08e-06 must not become 0.000006 (or 0 when smaller).
std::string ShortestDouble(double value) {
  std::string out;
  AppendShortestDouble(value, &out);
  return out;
}

void ItemJson(const ItemRecord& item, const std::map<int64_t, VariantRecord>& variants, JsonWriter* w) {
  const VariantRecord& v = variants.at(item.variant_id);
  w->BeginObject();
  w->Field("item_id", item.item_key);
  w->Field("row", item.row_index);
  w->Field("repeat", item.repeat);
  w->Field("prompt", v.prompt_name + "/" + std::to_string(v.prompt_version));
  w->Field("model", v.model);
  w->Key("inputs");
  w->Raw(item.inputs_json);
  w->Key("output");
  if (item.output.has_value())
    w->String(*item.output);
  else
    w->Null();
  w->Key("error");
  if (item.error.empty())
    w->Null();
  else
    w->String(item.error);
  w->Field("finish_reason", item.finish_reason);
  w->Field("input_tokens", item.input_tokens);
  w->Field("output_tokens", item.output_tokens);
  w->Key("cost_usd");
  if (item.cost_usd.has_value())
    w->Double(*item.cost_usd);
  else
    w->Null();
  w->Field("latency_ms", item.latency_ms);
  w->Field("from_cache", item.from_cache);
  w->Field("tool_calls", static_cast<int64_t>(item.tool_calls));
  w->Field("trace_id", item.trace_id);
  w->Key("assessments");
  w->BeginArray();
  for (const AssessmentRow& a : item.assessments) {
    w->BeginObject();
    w->Field("name", a.name);
    w->Field("outcome", a.outcome);
    w->Key("score");
    if (a.score.has_value())
      w->Double(*a.score);
    else
      w->Null();
    w->Field("rationale", a.rationale);
    w->Field("source", a.source);
    if (!a.error.empty()) w->Field("error", a.error);
    w->EndObject();
  }
  w->EndArray();
  w->EndObject();
}

// Streams the run's items to stdout or to a file written atomically, holding one item at a time: an export of a
// million items takes as little memory as one of ten.
int Export(Store* store, int64_t run_id, const std::string& format, const std::string& out_path) {
  if (format != "csv" && format != "json" && format != "jsonl") {
    return Fail("runs export", Status::InvalidInput("--format must be csv, json or jsonl, got '" + format + "'"));
  }
  Result<std::vector<VariantRecord>> variant_list = store->Variants(run_id);
  if (!variant_list.ok()) return Fail("runs export", variant_list.status());
  std::map<int64_t, VariantRecord> variants;
  for (const VariantRecord& v : *variant_list) variants[v.id] = v;
  std::unique_ptr<AtomicFileWriter> file;
  if (!out_path.empty() && out_path != "-") {
    Result<std::unique_ptr<AtomicFileWriter>> created = AtomicFileWriter::Create(out_path);
    if (!created.ok()) return Fail("runs export", created.status());
    file = std::move(created.value());
  }
  std::string out;  // Written out every 64 KiB.
  Status written;
  auto emit = [&](bool last) {
    if (!last && out.size() < (64u << 10)) return;
    if (file != nullptr) {
      if (written.ok()) written = file->Append(out);
    } else {
      WriteStdout(out);  // Once it fails the rest is dropped; main reports it (a closed pipe, a full disk).
    }
    out.clear();
  };
  int64_t count = 0;
  // One snapshot for both passes (the CSV header needs every scorer's name before the first row).
  Status s = store->InReadTransaction([&]() -> Status {
    std::vector<std::string> scorers;
    if (format == "csv") {
      Status names = store->ForEachItem(run_id, false, [&](const ItemRecord& item) {
        for (const AssessmentRow& a : item.assessments) {
          std::string name = a.ResultName();  // Human verdicts get their own column.
          if (std::find(scorers.begin(), scorers.end(), name) == scorers.end()) scorers.push_back(name);
        }
      });
      if (!names.ok()) return names;
      out = "item_id,row,repeat,prompt,model,output,error,input_tokens,output_tokens,cost_usd,latency_ms,trace_id";
      for (const std::string& name : scorers) out += "," + CsvField(name);
      out += "\r\n";
    } else if (format == "json") {
      out = "[";
    }
    Status items = store->ForEachItem(run_id, true, [&](const ItemRecord& item) {
      if (format == "csv") {
        const VariantRecord& v = variants.at(item.variant_id);
        out += CsvField(item.item_key) + "," + std::to_string(item.row_index) + "," + std::to_string(item.repeat) +
               "," + CsvField(v.prompt_name + "/" + std::to_string(v.prompt_version)) + "," + CsvField(v.model) + "," +
               CsvField(item.output.value_or("")) + "," + CsvField(item.error) + "," +
               std::to_string(item.input_tokens) + "," + std::to_string(item.output_tokens) + "," +
               (item.cost_usd.has_value() ? ShortestDouble(*item.cost_usd) : "") + "," +
               std::to_string(item.latency_ms) + "," + item.trace_id;
        for (const std::string& name : scorers) {
          std::string outcome;
          for (const AssessmentRow& a : item.assessments) {
            if (a.ResultName() == name) outcome = a.outcome;
          }
          out += "," + outcome;
        }
        out += "\r\n";
      } else {
        if (format == "json" && count > 0) out += ",";
        JsonWriter w;
        ItemJson(item, variants, &w);
        out += w.str();
        if (format == "jsonl") out += "\n";
      }
      ++count;
      emit(false);
    });
    if (!items.ok()) return items;
    if (format == "json") out += "]\n";
    emit(true);
    return written;
  });
  if (!s.ok()) return Fail("runs export", s);
  if (file == nullptr) return 0;
  s = file->Commit();
  if (!s.ok()) return Fail("runs export", s);
  std::fprintf(stderr, "wrote %lld items to %s\n", static_cast<long long>(count), out_path.c_str());
  return 0;
}

constexpr int64_t kFlipsShown = 50;  // Flipped items listed per scorer; the counts cover all.

std::string FormatComparison(const RunComparison& cmp) {
  std::string out;
  char line[512];
  for (const VariantComparison& v : cmp.variants) {
    std::snprintf(line, sizeof(line), "run %lld %s  vs  run %lld %s   (%lld paired items of %lld / %lld)\n",
                  static_cast<long long>(cmp.run_a), v.label_a.c_str(), static_cast<long long>(cmp.run_b),
                  v.label_b.c_str(), static_cast<long long>(v.paired_items), static_cast<long long>(v.items_a),
                  static_cast<long long>(v.items_b));
    out += line;
    std::snprintf(line, sizeof(line), "  %-30s %6s %7s %7s %8s  %-18s %s\n", "scorer", "paired", "run A", "run B",
                  "delta", "95% interval", "flipped (-/+)");
    out += line;
    for (const ScorerComparison& s : v.scorers) {
      int64_t worse = s.flipped_worse, better = s.flipped_better;
      if (s.paired == 0) {  // Never decided on both sides (e.g. a generate run): nothing to compare.
        std::snprintf(line, sizeof(line), "  %-30s %6s %7s %7s %8s  %-18s %s\n", s.scorer.c_str(), "0", "n/a", "n/a",
                      "n/a", "n/a (no pairs)", "-");
        out += line;
        continue;
      }
      std::snprintf(line, sizeof(line), "  %-30s %6lld %6.0f%% %6.0f%% %+7.1f%%  [%+.1f%%, %+.1f%%]   %lld / %lld\n",
                    s.scorer.c_str(), static_cast<long long>(s.paired), s.rate_a * 100, s.rate_b * 100,
                    s.delta.estimate * 100, s.delta.ci95.low * 100, s.delta.ci95.high * 100,
                    static_cast<long long>(worse), static_cast<long long>(better));
      out += line;
    }
    bool header = false;
    for (const ScorerComparison& s : v.scorers) {
      int64_t shown = 0;
      for (const FlippedItem& f : s.flipped) {
        if (!header) {
          out += "  flipped items:\n";
          header = true;
        }
        if (shown++ == kFlipsShown) {
          std::snprintf(line, sizeof(line), "    ... %lld more on %s (llmeval report %lld %lld lists up to %zu)\n",
                        static_cast<long long>(s.flipped_worse + s.flipped_better - kFlipsShown), s.scorer.c_str(),
                        static_cast<long long>(cmp.run_a), static_cast<long long>(cmp.run_b), kMaxListedFlips);
          out += line;
          break;
        }
        std::string question = f.question;
        for (char& c : question) {
          if (c == '\n' || c == '\r') c = ' ';
        }
        std::snprintf(line, sizeof(line), "    %s %-28s %s#%d  %.90s\n", f.now_passes ? "+" : "-", s.scorer.c_str(),
                      f.item_key.substr(0, 12).c_str(), f.repeat, question.c_str());
        out += line;
      }
    }
    out += "\n";
  }
  for (const std::string& note : cmp.notes) out += "note: " + note + "\n";
  return out;
}

}  // namespace

int CmdRuns(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags();
  specs.push_back({"limit", true, "runs to list (default 20)", ""});
  specs.push_back({"group-by", true, "break the summary down by this dataset column", ""});
  specs.push_back({"format", true, "export format: csv, json or jsonl", ""});
  specs.push_back({"output", true, "export to this file instead of stdout", "o"});
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("runs", flags.status());
  const std::vector<std::string>& pos = flags->positional();
  if (flags->Has("help") || pos.empty()) {
    PrintCommandHelp(kUsage, "Runs are numbered in the store; see them with 'llmeval runs list'.", specs);
    return pos.empty() && !flags->Has("help") ? 2 : 0;
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail("runs", config.status());
  Result<std::unique_ptr<Store>> opened = OpenProjectStore(*flags, *config);
  if (!opened.ok()) return Fail("runs", opened.status());
  Store* store = opened->get();
  Status recovered = store->RecoverAbandonedRuns();
  if (!recovered.ok()) return Fail("runs", recovered);
  const std::string& sub = pos[0];
  if (sub == "list") {
    Result<int64_t> limit = flags->GetInt("limit", 20, 1);
    if (!limit.ok()) return Fail("runs list", limit.status());
    Result<std::vector<RunRecord>> runs = store->ListRuns(static_cast<int>(*limit));
    if (!runs.ok()) return Fail("runs list", runs.status());
    std::printf("%-6s %-12s %-20s %-16s %-20s %s\n", "run", "status", "started (UTC)", "experiment", "name",
                "variants");
    for (const RunRecord& r : *runs) {
      Result<std::vector<VariantRecord>> variants = store->Variants(r.id);
      std::vector<std::string> labels;
      if (variants.ok()) {
        for (const VariantRecord& v : *variants) labels.push_back(v.Label());
      }
      std::printf("%-6lld %-12s %-20s %-16s %-20s %s\n", static_cast<long long>(r.id), r.status.c_str(),
                  FormatTime(r.started_unix_ns).c_str(), r.experiment.c_str(), r.name.c_str(),
                  JoinStrings(labels, "; ").c_str());
    }
    return 0;
  }
  if (sub == "compare") {
    if (pos.size() != 3) {
      return Fail("runs compare", Status::InvalidInput(std::string("expected two RUN ids\nusage: ") + kUsage));
    }
    Result<int64_t> a = ParseRunId(pos[1]);
    Result<int64_t> b = ParseRunId(pos[2]);
    if (!a.ok()) return Fail("runs compare", a.status());
    if (!b.ok()) return Fail("runs compare", b.status());
    if (*a == *b) {  // As `report A A`: a run compared with itself says nothing.
      return Fail("runs compare", Status::InvalidInput("RUN_A and RUN_B are the same run (" + std::to_string(*a) +
                                                       "); compare two different runs"));
    }
    for (int64_t id : {*a, *b}) {
      Result<RunRecord> run = store->GetRun(id);
      if (!run.ok()) return Fail("runs compare", run.status());
    }
    Result<RunComparison> cmp = CompareRuns(store, *a, *b);
    if (!cmp.ok()) return Fail("runs compare", cmp.status());
    std::printf("%s", FormatComparison(*cmp).c_str());
    return 0;
  }
  if (sub != "show" && sub != "export" && sub != "delete") {
    std::string hint = SuggestClosest(sub, {"list", "show", "export", "delete", "compare"});
    return Fail("runs", Status::InvalidInput("unknown subcommand '" + sub + "'" +
                                             (hint.empty() ? "" : "; did you mean '" + hint + "'?")));
  }
  if (pos.size() != 2) {
    return Fail("runs " + sub, Status::InvalidInput(std::string("expected one RUN id\nusage: ") + kUsage));
  }
  Result<int64_t> run_id = ParseRunId(pos[1]);
  if (!run_id.ok()) return Fail("runs " + sub, run_id.status());
  if (sub == "show") {
    Result<RunSummary> summary = SummarizeRun(store, *run_id, AsciiLower(flags->Get("group-by")));
    if (!summary.ok()) return Fail("runs show", summary.status());
    std::printf("%s", FormatRunSummary(*summary, StdoutIsTty()).c_str());
    return 0;
  }
  if (sub == "export") {
    if (!flags->Has("format")) return Fail("runs export", Status::InvalidInput("--format csv|json|jsonl is required"));
    Result<RunRecord> run = store->GetRun(*run_id);
    if (!run.ok()) return Fail("runs export", run.status());
    return Export(store, *run_id, flags->Get("format"), flags->Get("output"));
  }
  if (sub == "delete") {
    Status s = store->DeleteRun(*run_id);
    if (!s.ok()) return Fail("runs delete", s);
    std::printf("deleted run %lld\n", static_cast<long long>(*run_id));
    return 0;
  }
  return Fail("runs", Status::Internal("unhandled subcommand '" + sub + "'"));
}

}  // namespace llmeval

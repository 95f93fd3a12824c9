// `llmeval feedback ...`: human feedback on evaluated items. `add` records a person's verdict on one item (named by
// its trace id or item id) as an assessment with source "human"; `list` shows a run's feedback. `runs show` keeps
// human verdicts apart ("<scorer> (human)") and reports how often each scorer agrees with people (Cohen's kappa).
#include <cstdio>

#include "cli/commands.h"
#include "core/strings.h"
#include "engine/run/engine_scorers.h"

namespace llmeval {
namespace {

const char kUsage[] =
    "llmeval feedback add TRACE_OR_ITEM --name NAME --value VALUE [--rationale TEXT]\n"
    "       llmeval feedback list --run RUN";

const char kDescription[] =
    "TRACE_OR_ITEM is an item's trace id (llmeval traces list) or its item id (llmeval feedback list).\n"
    "NAME is usually a scorer of the run (its judge-vs-human agreement then shows in 'llmeval runs show').\n"
    "VALUE is yes/no, pass/fail, true/false, 1/0, or a number (recorded as the score; it passes when >= 0.5).\n"
    "Adding feedback of the same NAME to the same item again replaces it.";

// Reads VALUE into the outcome, label and score of a human assessment.
Status ParseFeedbackValue(const std::string& value, AssessmentRow* row) {
  std::string outcome = HumanLabelOutcome(value);
  if (!outcome.empty()) {
    row->outcome = outcome;
    row->label = outcome == "pass" ? "yes" : "no";
    return Status::OK();
  }
  std::optional<double> number = ParseDouble(value);
  if (!number.has_value()) {
    return Status::InvalidInput("--value must be yes, no, pass, fail, true, false, 1, 0 or a number, got '" + value +
                                "'");
  }
  row->score = *number;
  row->outcome = *number >= 0.5 ? "pass" : "fail";
  row->label = std::string(TrimWhitespace(value));
  return Status::OK();
}

int Add(Store* store, const Flags& flags) {
  const std::vector<std::string>& pos = flags.positional();
  if (pos.size() != 2) {
    return Fail("feedback add", Status::InvalidInput(std::string("expected one TRACE_OR_ITEM\nusage: ") + kUsage));
  }
  std::string name = std::string(TrimWhitespace(flags.Get("name")));
  if (name.empty()) return Fail("feedback add", Status::InvalidInput("--name NAME is required (e.g. a scorer name)"));
  if (!flags.Has("value")) return Fail("feedback add", Status::InvalidInput("--value VALUE is required"));
  AssessmentRow row;
  row.name = name;
  row.source = "human";
  row.rationale = flags.Get("rationale");
  Status s = ParseFeedbackValue(flags.Get("value"), &row);
  if (!s.ok()) return Fail("feedback add", s);
  Result<ItemRecord> item = store->FindFeedbackItem(pos[1]);
  if (!item.ok()) return Fail("feedback add", item.status());
  s = store->AddHumanAssessment(item->id, row);
  if (!s.ok()) return Fail("feedback add", s);
  std::printf("recorded human feedback %s = %s on item %lld (run %lld, row %lld, repeat %d, trace %s)\n", name.c_str(),
              row.outcome.c_str(), static_cast<long long>(item->id), static_cast<long long>(item->run_id),
              static_cast<long long>(item->row_index), item->repeat, item->trace_id.c_str());
  return 0;
}

int List(Store* store, const Flags& flags) {
  if (!flags.Has("run")) return Fail("feedback list", Status::InvalidInput("--run RUN is required"));
  Result<int64_t> run_id = flags.GetInt("run", 0, 1);
  if (!run_id.ok()) return Fail("feedback list", run_id.status());
  Result<RunRecord> run = store->GetRun(*run_id);
  if (!run.ok()) return Fail("feedback list", run.status());
  Result<std::vector<Store::FeedbackRow>> rows = store->HumanFeedback(*run_id);
  if (!rows.ok()) return Fail("feedback list", rows.status());
  std::printf("%-8s %-32s %5s %6s  %-24s %-8s %s\n", "item", "trace", "row", "repeat", "name", "value", "rationale");
  for (const Store::FeedbackRow& r : *rows) {
    std::string value = r.assessment.outcome;
    if (r.assessment.score.has_value()) value = r.assessment.label;
    std::printf("%-8lld %-32s %5lld %6d  %-24s %-8s %s\n", static_cast<long long>(r.item_id), r.trace_id.c_str(),
                static_cast<long long>(r.row_index), r.repeat, r.assessment.name.c_str(), value.c_str(),
                r.assessment.rationale.c_str());
  }
  if (rows->empty()) std::fprintf(stderr, "run %lld has no human feedback yet\n", static_cast<long long>(*run_id));
  return 0;
}

}  // namespace

int CmdFeedback(const Args& args) {
  std::vector<FlagSpec> specs = ProjectFlags();
  specs.push_back({"name", true, "add: the assessment's name (usually a scorer of the run)", ""});
  specs.push_back({"value", true, "add: yes/no, pass/fail, true/false, 1/0 or a number", ""});
  specs.push_back({"rationale", true, "add: why (free text)", ""});
  specs.push_back({"run", true, "list: the run", ""});
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail("feedback", flags.status());
  const std::vector<std::string>& pos = flags->positional();
  if (flags->Has("help") || pos.empty()) {
    PrintCommandHelp(kUsage, kDescription, specs);
    return pos.empty() && !flags->Has("help") ? 2 : 0;
  }
  const std::string& sub = pos[0];
  if (sub != "add" && sub != "list") {
    std::string hint = SuggestClosest(sub, {"add", "list"});
    return Fail("feedback", Status::InvalidInput("unknown subcommand '" + sub + "'" +
                                                 (hint.empty() ? "" : "; did you mean '" + hint + "'?")));
  }
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail("feedback", config.status());
  Result<std::unique_ptr<Store>> opened = OpenProjectStore(*flags, *config);
  if (!opened.ok()) return Fail("feedback", opened.status());
  return sub == "add" ? Add(opened->get(), *flags) : List(opened->get(), *flags);
}

}  // namespace llmeval

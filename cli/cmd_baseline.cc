// `llmeval baseline export --run R [--variant LABEL] -o baseline.json`: writes a portable baseline file (per-item
// scorer outcomes keyed by item id) that a repository can commit and `llmeval gate --baseline FILE` can use.
#include <cstdio>

#include "cli/commands.h"
#include "engine/gate/baseline.h"
#include "engine/os/file_io.h"

namespace llmeval {

int CmdBaseline(const Args& args) {
  const std::string command = "baseline";
  std::vector<FlagSpec> specs = ProjectFlags();
  specs.push_back({"run", true, "the run to export", ""});
  specs.push_back({"prompt", true, "the variant's prompt name, when the run has several", ""});
  specs.push_back({"output", true, "the file to write (default: stdout)", "o"});
  Result<Flags> flags = Flags::Parse(args, specs);
  if (!flags.ok()) return Fail(command, flags.status());
  if (flags->Has("help")) {
    PrintCommandHelp("llmeval baseline export --run R [-o baseline.json]",
                     "Writes a run's per-item scorer outcomes as a portable baseline file for llmeval gate --baseline.",
                     specs);
    return 0;
  }
  if (flags->positional().size() != 1 || flags->positional()[0] != "export") {
    return Fail(command, Status::InvalidInput("expected 'llmeval baseline export --run R -o FILE'"));
  }
  Result<int64_t> run_id = flags->GetInt("run", 0, 1);
  if (!run_id.ok()) return Fail(command, run_id.status());
  if (*run_id == 0) return Fail(command, Status::InvalidInput("--run is required"));
  Result<ProjectConfig> config = LoadProject(*flags);
  if (!config.ok()) return Fail(command, config.status());
  Result<std::unique_ptr<Store>> store = OpenProjectStore(*flags, *config);
  if (!store.ok()) return Fail(command, store.status());
  Result<RunRecord> run = (*store)->GetRun(*run_id);
  if (!run.ok()) return Fail(command, Status::InvalidInput("--run: " + run.status().message()));
  Result<std::vector<VariantRecord>> variants = (*store)->Variants(*run_id);
  if (!variants.ok()) return Fail(command, variants.status());
  std::vector<VariantRecord> chosen;
  for (const VariantRecord& v : *variants) {
    if (!flags->Has("prompt") || v.prompt_name == flags->Get("prompt")) chosen.push_back(v);
  }
  if (chosen.size() != 1) {
    std::string labels;
    for (const VariantRecord& v : *variants) labels += (labels.empty() ? "" : ", ") + v.Label();
    return Fail(command,
                Status::InvalidInput("run " + std::to_string(*run_id) + " has " + std::to_string(chosen.size()) +
                                     " matching variants (" + labels + "); choose one with --prompt"));
  }
  Result<std::vector<ItemRecord>> items = (*store)->Items(*run_id);
  if (!items.ok()) return Fail(command, items.status());
  std::string json = BaselineToJson(BaselineFromItems("run " + std::to_string(*run_id), *run, chosen[0], *items));
  if (!flags->Has("output")) {
    WriteStdout(json);
    return 0;
  }
  Status s = WriteFileAtomically(flags->Get("output"), json);
  if (!s.ok()) return Fail(command, s);
  std::fprintf(stderr, "Wrote %s (%zu items of %s).\n", flags->Get("output").c_str(),
               BaselineFromItems("", *run, chosen[0], *items).items.size(), chosen[0].Label().c_str());
  return 0;
}

}  // namespace llmeval

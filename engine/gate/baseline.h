// Baseline: the per-item scorer outcomes a gate compares a candidate against, independent of any store. It is built
// from a stored run's variant, or read from a portable JSON file (`llmeval baseline export`) that a repository can
// commit. Items are keyed by the stable item id (ItemRecord::item_key) and repeat.
//
// File format (version 1):
//   {"llmeval_baseline": 1, "source": "run 3", "prompt": "basic/2", "model": "sim", "dataset_sha256": "...",
//    "items": [{"id": "...", "repeat": 0, "label": "What is...", "error": "",
//               "outcomes": {"relevance": "pass", ...}}]}
#ifndef LLMEVAL_ENGINE_GATE_BASELINE_H_
#define LLMEVAL_ENGINE_GATE_BASELINE_H_

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/store/store.h"

namespace llmeval {

struct BaselineItem {
  std::string item_key;
  int repeat = 0;
  std::string label;                            // A short human description (the question), for reports.
  std::string error;                            // The item's error, when it had no answer.
  std::map<std::string, std::string> outcomes;  // scorer -> pass, fail, error, skipped
};

struct Baseline {
  std::string source;  // "run 3", "baseline.json", "prompts:/basic@production"
  std::string prompt;  // "basic/2"
  std::string model;
  std::string dataset_sha256;
  std::vector<BaselineItem> items;
};

// A short description of an item for reports: its `question` input, else its first input, else the rendered prompt;
// one line, at most 80 characters.
std::string ItemLabel(const ItemRecord& item);

// The baseline of one variant of a stored run.
Baseline BaselineFromItems(const std::string& source, const RunRecord& run, const VariantRecord& variant,
                           const std::vector<ItemRecord>& items);

std::string BaselineToJson(const Baseline& baseline);

// Parses a baseline file's text; InvalidInput naming `path` and what was expected.
Result<Baseline> ParseBaselineJson(const std::string& json, const std::string& path);

// Reads and parses a baseline file.
Result<Baseline> LoadBaselineFile(const std::string& path);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_GATE_BASELINE_H_

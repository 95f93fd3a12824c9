// Prints a RunSummary as the tables `llmeval run` ends with and `llmeval runs show` displays.
#ifndef LLMEVAL_CLI_SUMMARY_PRINTER_H_
#define LLMEVAL_CLI_SUMMARY_PRINTER_H_

#include <string>

#include "engine/run/run_summary.h"

namespace llmeval {

std::string FormatRunSummary(const RunSummary& summary, bool color);

std::string FormatCost(const std::optional<double>& usd);

}  // namespace llmeval

#endif  // LLMEVAL_CLI_SUMMARY_PRINTER_H_

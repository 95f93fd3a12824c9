// RenderWaterfall draws a trace as text for the terminal (`llmeval trace show`): a summary header, a time axis, and
// one row per span in tree order with a bar on a shared time axis.
//
//   trace 5b8efff798038103d269b633813fc60c  2.60s  7 spans  tokens 380→56  $0.0031
//                                                                 0s      0.65s    1.30s    1.95s    2.60s
//   * eval_item weather-qa               2.60s     380→56  $0.0031  ████████████████████████████████████
//   * ├─ invoke_agent weather_agent      1.90s                      ██████████████████████████▎
//     │  ├─ chat gpt-4o-mini          ⟳  890ms      52→17  $0.0011  ████████████▎
//
// Rows: children are sorted by start time and drawn with ├─ └─ │; then the status column (✗ error, ⟳ retried),
// duration, tokens (input→output) and cost when any span has them, and the bar (eighth-block characters, so a bar's
// start and length are proportional to the span's start and duration). A '*' in the first column marks the critical
// path: from each root, the chain of children that end last. With `details`, indented lines under a span show tool
// arguments and result, a scorer's verdict and explanation, events, and the error of a failed span, each cut to one
// line. A parent with more than max_children_before_collapse children (0: never collapse) shows only the first and
// last few, with a line "… N more spans (X errors) …" and a shaded bar covering the hidden ones.
//
// Spans whose parent is not in the list are drawn as roots. Text from spans is made terminal-safe (control characters
// and invalid UTF-8 are replaced). ANSI colour is used only when options.color is set (the caller decides whether
// stdout is a terminal). Pure function, thread-safe; 10,000 spans render in a few milliseconds.
#ifndef LLMEVAL_TRACING_WATERFALL_H_
#define LLMEVAL_TRACING_WATERFALL_H_

#include <cstddef>
#include <string>
#include <vector>

#include "tracing/span.h"

namespace llmeval {

struct WaterfallOptions {
  int width = 100;  // Total columns of a row; narrower than about 60 stays readable but cramped.
  bool color = false;
  size_t max_children_before_collapse = 20;
  bool details = true;
};

std::string RenderWaterfall(const std::vector<Span>& spans, const WaterfallOptions& options);

}  // namespace llmeval

#endif  // LLMEVAL_TRACING_WATERFALL_H_

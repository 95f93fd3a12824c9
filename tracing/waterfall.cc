#include "tracing/waterfall.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>

#include "tracing/semconv.h"
#include "tracing/waterfall_spans.h"
#include "tracing/waterfall_text.h"

namespace llmeval {
namespace {

namespace wt = waterfall_text;
namespace ws = waterfall_spans;
using ws::Type;

constexpr uint32_t kNone = UINT32_MAX;

// The eighth blocks, from one eighth to seven eighths of a cell, left-aligned.
constexpr const char* kPartialBlocks[8] = {"", "\u258F", "\u258E", "\u258D", "\u258C", "\u258B", "\u258A", "\u2589"};
constexpr char kFullBlock[] = "\u2588";
constexpr char kShade[] = "\u2591";

constexpr char kReset[] = "\x1b[0m";
constexpr char kBold[] = "\x1b[1m";
constexpr char kDim[] = "\x1b[2m";
constexpr char kRed[] = "\x1b[31m";

const char* TypeColor(Type type) {
  switch (type) {
    case Type::kChat:
      return "\x1b[34m";
    case Type::kTool:
      return "\x1b[32m";
    case Type::kAgent:
      return "\x1b[33m";
    case Type::kScorer:
      return "\x1b[35m";
    case Type::kItem:
      return "\x1b[36m";
    case Type::kOther:
      return "";
  }
  return "";
}

uint64_t IdKey(const SpanId& id) {
  uint64_t key;
  std::memcpy(&key, id.bytes, sizeof(key));
  return key;
}

// The part of a tree prefix that can show in `columns` columns, cut on a character boundary.
std::string ShownPrefix(const std::string& prefix, size_t columns) {
  size_t bytes = std::min(prefix.size(), 3 * (columns + 1));
  while (bytes < prefix.size() && (static_cast<unsigned char>(prefix[bytes]) & 0xC0) == 0x80) --bytes;
  return prefix.substr(0, bytes);
}

class Renderer {
 public:
  Renderer(const std::vector<Span>& spans, const WaterfallOptions& options) : spans_(spans), options_(options) {}

  std::string Render() {
    if (spans_.empty()) return "(no spans)\n";
    BuildTree();
    ComputeTotals();
    MarkCriticalPath();
    ComputeLayout();
    AppendHeader();
    AppendAxis();
    AppendTree();
    return std::move(out_);
  }

 private:
  // One entry of the traversal stack: a span row, or the summary row of hidden children of `node`.
  struct Item {
    uint32_t node;
    bool last;
    bool root;
    bool collapsed;
    uint32_t hidden_begin;  // Collapsed rows: the range of children_[node] that is hidden.
    uint32_t hidden_end;
    size_t prefix_len;
  };

  void BuildTree();
  void ComputeTotals();
  void MarkCriticalPath();
  void ComputeLayout();
  void AppendHeader();
  void AppendAxis();
  void AppendTree();
  void AppendSpanRow(uint32_t node, const std::string& label_prefix, size_t name_offset);
  void AppendCollapsedRow(const Item& item, const std::string& label);
  void AppendDetails(uint32_t node, const std::string& detail_prefix);
  void AppendDetailLine(const std::string& prefix, std::string_view text, const char* color);
  void AppendBar(int64_t start, int64_t end, bool shaded, const char* color);
  void TrimRow();
  bool SortsBefore(uint32_t a, uint32_t b) const {
    if (spans_[a].start_unix_nanos != spans_[b].start_unix_nanos) {
      return spans_[a].start_unix_nanos < spans_[b].start_unix_nanos;
    }
    return a < b;
  }

  const std::vector<Span>& spans_;
  const WaterfallOptions& options_;

  std::vector<std::vector<uint32_t>> children_;
  std::vector<uint32_t> roots_;
  std::vector<uint32_t> subtree_size_;
  std::vector<uint32_t> subtree_errors_;
  std::vector<bool> critical_;

  int64_t t0_ = 0;
  int64_t t1_ = 0;
  size_t errors_ = 0;
  int64_t input_tokens_ = 0;
  int64_t output_tokens_ = 0;
  double cost_ = 0;
  bool any_tokens_ = false;
  bool any_cost_ = false;

  size_t width_ = 0;
  size_t label_columns_ = 0;
  size_t before_bar_ = 0;  // Columns of a row before its bar.
  size_t bar_columns_ = 0;

  std::string out_;
};

void Renderer::BuildTree() {
  const uint32_t n = static_cast<uint32_t>(spans_.size());
  std::unordered_map<uint64_t, uint32_t> by_id;
  by_id.reserve(n);
  for (uint32_t i = 0; i < n; ++i) by_id.emplace(IdKey(spans_[i].span_id), i);

  std::vector<uint32_t> parent(n, kNone);
  for (uint32_t i = 0; i < n; ++i) {
    const SpanId& p = spans_[i].parent_span_id;
    if (p.IsZero()) continue;
    auto it = by_id.find(IdKey(p));
    if (it != by_id.end() && it->second != i && spans_[it->second].span_id == p) parent[i] = it->second;
  }
  // Break parent cycles (only possible in corrupt data): the first span met twice on a walk up becomes a root.
  std::vector<uint8_t> state(n, 0);  // 0 unseen, 1 on the current walk, 2 done.
  std::vector<uint32_t> walk;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t current = i;
    walk.clear();
    while (current != kNone && state[current] == 0) {
      state[current] = 1;
      walk.push_back(current);
      current = parent[current];
    }
    if (current != kNone && state[current] == 1) parent[current] = kNone;
    for (uint32_t w : walk) state[w] = 2;
  }

  children_.assign(n, {});
  for (uint32_t i = 0; i < n; ++i) {
    if (parent[i] == kNone) {
      roots_.push_back(i);
    } else {
      children_[parent[i]].push_back(i);
    }
  }
  auto before = [this](uint32_t a, uint32_t b) { return SortsBefore(a, b); };
  std::sort(roots_.begin(), roots_.end(), before);
  for (auto& list : children_) std::sort(list.begin(), list.end(), before);

  // Subtree sizes and error counts, children before parents (reverse pre-order).
  std::vector<uint32_t> order;
  order.reserve(n);
  std::vector<uint32_t> stack(roots_.rbegin(), roots_.rend());
  while (!stack.empty()) {
    uint32_t node = stack.back();
    stack.pop_back();
    order.push_back(node);
    for (uint32_t child : children_[node]) stack.push_back(child);
  }
  subtree_size_.assign(n, 1);
  subtree_errors_.assign(n, 0);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const uint32_t node = *it;
    if (spans_[node].status == SpanStatus::kError) ++subtree_errors_[node];
    if (parent[node] != kNone) {
      subtree_size_[parent[node]] += subtree_size_[node];
      subtree_errors_[parent[node]] += subtree_errors_[node];
    }
  }
}

void Renderer::ComputeTotals() {
  t0_ = spans_[0].start_unix_nanos;
  t1_ = spans_[0].end_unix_nanos;
  for (const Span& span : spans_) {
    t0_ = std::min(t0_, span.start_unix_nanos);
    t1_ = std::max({t1_, span.end_unix_nanos, span.start_unix_nanos});
    if (span.status == SpanStatus::kError) ++errors_;
    const auto in = ws::InputTokens(span);
    const auto out = ws::OutputTokens(span);
    const auto cost = FindNumber(span.attributes, semconv::kLlmevalCostUsd);
    any_tokens_ = any_tokens_ || in || out;
    any_cost_ = any_cost_ || cost;
    if (ws::IsModelCall(span)) {
      input_tokens_ += in.value_or(0);
      output_tokens_ += out.value_or(0);
      cost_ += cost.value_or(0);
    }
  }
}

void Renderer::MarkCriticalPath() {
  critical_.assign(spans_.size(), false);
  for (uint32_t node : roots_) {
    critical_[node] = true;
    while (!children_[node].empty()) {
      uint32_t next = children_[node].front();
      for (uint32_t child : children_[node]) {
        if (spans_[child].end_unix_nanos >= spans_[next].end_unix_nanos) next = child;
      }
      critical_[next] = true;
      node = next;
    }
  }
}

// Row layout: "* " label " " status " " duration(7) " " [tokens(11) " "] [cost(8) " "] bar.
void Renderer::ComputeLayout() {
  width_ = static_cast<size_t>(std::max(options_.width, 40));
  const size_t fixed = 2 + 1 + 2 + 8 + (any_tokens_ ? 12 : 0) + (any_cost_ ? 9 : 0);
  constexpr size_t kMinBar = 10;
  constexpr size_t kMinLabel = 12;
  label_columns_ = std::clamp<size_t>(width_ * 32 / 100, 16, 60);
  if (fixed + label_columns_ + kMinBar > width_) {
    label_columns_ = width_ > fixed + kMinBar + kMinLabel ? width_ - fixed - kMinBar : kMinLabel;
  }
  before_bar_ = fixed + label_columns_;
  bar_columns_ = width_ > before_bar_ + kMinBar ? width_ - before_bar_ : kMinBar;
}

void Renderer::AppendHeader() {
  std::string line = "trace " + spans_[0].trace_id.Hex();
  size_t other_traces = 0;
  for (const Span& span : spans_) {
    if (!(span.trace_id == spans_[0].trace_id)) ++other_traces;
  }
  if (other_traces > 0) line += " (+" + std::to_string(other_traces) + " spans of other traces)";
  line += "  " + wt::FormatDuration(t1_ - t0_);
  line += "  " + std::to_string(spans_.size()) + (spans_.size() == 1 ? " span" : " spans");
  if (errors_ > 0) line += "  " + std::to_string(errors_) + (errors_ == 1 ? " error" : " errors");
  if (input_tokens_ > 0 || output_tokens_ > 0) {
    line += "  tokens " + wt::FormatCount(input_tokens_) + "\u2192" + wt::FormatCount(output_tokens_);
  }
  if (any_cost_) line += "  " + wt::FormatCost(cost_);
  if (options_.color) out_ += kBold;
  out_ += line;
  if (options_.color) out_ += kReset;
  out_ += '\n';
}

void Renderer::AppendAxis() {
  // Labels at 0, 1/4, 1/2, 3/4 and the end of the time axis; the last is right-aligned and always shown, the
  // others only where they fit with a space around them.
  std::string axis(bar_columns_, ' ');
  const std::string end_label = wt::FormatDuration(t1_ - t0_);
  const size_t end_pos = bar_columns_ > end_label.size() ? bar_columns_ - end_label.size() : 0;
  size_t free_from = 0;
  for (int tick = 0; tick < 4; ++tick) {
    const std::string label = tick == 0 ? "0s" : wt::FormatDuration((t1_ - t0_) / 4 * tick);
    const size_t pos = bar_columns_ * tick / 4;
    if (pos < free_from || pos + label.size() >= end_pos) continue;
    axis.replace(pos, label.size(), label);
    free_from = pos + label.size() + 1;
  }
  axis.replace(end_pos, std::min(end_label.size(), bar_columns_), end_label.substr(0, bar_columns_));
  while (!axis.empty() && axis.back() == ' ') axis.pop_back();
  out_.append(before_bar_, ' ');
  if (options_.color) out_ += kDim;
  out_ += axis;
  if (options_.color) out_ += kReset;
  out_ += '\n';
}

void Renderer::AppendTree() {
  const size_t limit = options_.max_children_before_collapse;
  const size_t keep = std::max<size_t>(1, limit / 4);
  std::string prefix;  // The child prefix of the most recent row's parent chain.
  std::vector<Item> stack;
  for (auto it = roots_.rbegin(); it != roots_.rend(); ++it) {
    stack.push_back(Item{*it, true, true, false, 0, 0, 0});
  }
  while (!stack.empty()) {
    const Item item = stack.back();
    stack.pop_back();
    prefix.resize(item.prefix_len);
    const char* connector = item.root ? "" : (item.last ? "\u2514\u2500 " : "\u251C\u2500 ");
    if (item.collapsed) {
      AppendCollapsedRow(item, prefix + connector);
      continue;
    }
    const uint32_t node = item.node;
    // Deep trees: only the head of the prefix can be visible, so copy no more than that (3 bytes per column at most).
    const std::string label_prefix = ShownPrefix(prefix, label_columns_) + connector;
    AppendSpanRow(node, label_prefix, label_prefix.size());
    if (!item.root) prefix += item.last ? "   " : "\u2502  ";
    const std::vector<uint32_t>& kids = children_[node];
    if (options_.details) {
      AppendDetails(node, "  " + ShownPrefix(prefix, width_) + (kids.empty() ? "   " : "\u2502  "));
    }
    // Push children in reverse so they pop in start order.
    const size_t count = kids.size();
    const bool collapse = limit > 0 && count > limit && count > 2 * keep;
    const size_t child_prefix_len = prefix.size();
    for (size_t i = count; i-- > 0;) {
      if (collapse && i >= keep && i < count - keep) {
        if (i == keep) {
          stack.push_back(Item{node, false, false, true, static_cast<uint32_t>(keep),
                               static_cast<uint32_t>(count - keep), child_prefix_len});
        }
        continue;
      }
      stack.push_back(Item{kids[i], i == count - 1, false, false, 0, 0, child_prefix_len});
    }
  }
}

void Renderer::AppendSpanRow(uint32_t node, const std::string& label_prefix, size_t name_offset) {
  const Span& span = spans_[node];
  const bool color = options_.color;
  const bool error = span.status == SpanStatus::kError;
  const Type type = ws::Classify(span);

  if (critical_[node]) {
    out_ += color ? std::string(kBold) + "*" + kReset + " " : "* ";
  } else {
    out_ += "  ";
  }
  std::string label;
  // The evaluated application's own spans (received over OTLP during the run) are marked by their service.name.
  const std::string* service = FindString(span.attributes, "service.name");
  const std::string marked = service != nullptr ? "[" + wt::Clean(*service) + "] " + span.name : span.name;
  wt::AppendFitted(label_prefix + wt::Clean(marked), label_columns_, true, &label);
  if (color) {
    // Colour only the name part; the tree lines stay plain.
    const size_t split = std::min(name_offset, label.size());
    std::string name = label.substr(split);
    const size_t trailing = name.size() - name.find_last_not_of(' ') - 1;
    out_ += label.substr(0, split);
    out_ += critical_[node] ? kBold : "";
    out_ += TypeColor(type);
    out_ += name.substr(0, name.size() - trailing);
    out_ += kReset;
    out_.append(trailing, ' ');
  } else {
    out_ += label;
  }
  out_ += ' ';
  if (error) {
    out_ += color ? std::string(kRed) + "\u2717" + kReset : "\u2717";
  } else if (ws::HasRetries(span)) {
    out_ += "\u27F3";
  } else {
    out_ += ' ';
  }
  out_ += ' ';
  wt::AppendRight(wt::FormatDuration(span.DurationNanos()), 7, &out_);
  out_ += ' ';
  if (any_tokens_) {
    const auto in = ws::InputTokens(span);
    const auto out = ws::OutputTokens(span);
    std::string tokens;
    if (in || out) tokens = wt::FormatCount(in.value_or(0)) + "\u2192" + wt::FormatCount(out.value_or(0));
    wt::AppendRight(tokens, 11, &out_);
    out_ += ' ';
  }
  if (any_cost_) {
    const auto cost = FindNumber(span.attributes, semconv::kLlmevalCostUsd);
    wt::AppendRight(cost ? wt::FormatCost(*cost) : "", 8, &out_);
    out_ += ' ';
  }
  AppendBar(span.start_unix_nanos, span.end_unix_nanos, false, error ? kRed : TypeColor(type));
  TrimRow();
}

void Renderer::AppendCollapsedRow(const Item& item, const std::string& label) {
  const std::vector<uint32_t>& kids = children_[item.node];
  size_t hidden_spans = 0;
  size_t hidden_errors = 0;
  int64_t start = spans_[kids[item.hidden_begin]].start_unix_nanos;
  int64_t end = start;
  for (uint32_t i = item.hidden_begin; i < item.hidden_end; ++i) {
    const Span& span = spans_[kids[i]];
    hidden_spans += subtree_size_[kids[i]];
    hidden_errors += subtree_errors_[kids[i]];
    start = std::min(start, span.start_unix_nanos);
    end = std::max(end, span.end_unix_nanos);
  }
  std::string text = "\u2026 " + std::to_string(hidden_spans) + " more spans";
  if (hidden_errors > 0) text += " (" + std::to_string(hidden_errors) + (hidden_errors == 1 ? " error)" : " errors)");
  text += " \u2026";
  out_ += "  ";
  out_ += label;
  if (options_.color) out_ += kDim;
  const size_t used = 2 + wt::Columns(label) + 1;
  std::string fitted;
  wt::AppendFitted(text, before_bar_ > used ? before_bar_ - used : 1, true, &fitted);
  out_ += fitted;
  out_ += ' ';
  if (options_.color) out_ += kReset;
  AppendBar(start, end, true, hidden_errors > 0 ? kRed : "");
  TrimRow();
}

void Renderer::AppendBar(int64_t start, int64_t end, bool shaded, const char* color) {
  const double span = static_cast<double>(std::max<int64_t>(t1_ - t0_, 1));
  const double eighths = static_cast<double>(bar_columns_ * 8);
  const int64_t max_cell = static_cast<int64_t>(bar_columns_) - 1;
  const int64_t start8 = std::llround(static_cast<double>(start - t0_) / span * eighths);
  const int64_t end8 = std::llround(static_cast<double>(end - t0_) / span * eighths);
  const int64_t start_cell = std::clamp<int64_t>((start8 + 4) / 8, 0, max_cell);
  int64_t length8 = std::max<int64_t>(end8 - start_cell * 8, 1);
  length8 = std::min<int64_t>(length8, (max_cell + 1 - start_cell) * 8);

  out_.append(static_cast<size_t>(start_cell), ' ');
  const bool use_color = options_.color && color[0] != '\0';
  if (use_color) out_ += color;
  if (shaded) {
    for (int64_t i = 0; i < (length8 + 7) / 8; ++i) out_ += kShade;
  } else {
    for (int64_t i = 0; i < length8 / 8; ++i) out_ += kFullBlock;
    out_ += kPartialBlocks[length8 % 8];
  }
  if (use_color) out_ += kReset;
}

void Renderer::AppendDetails(uint32_t node, const std::string& detail_prefix) {
  for (const ws::DetailLine& line : ws::DetailLines(spans_[node])) {
    AppendDetailLine(detail_prefix, line.text, line.error ? kRed : kDim);
  }
}

void Renderer::AppendDetailLine(const std::string& prefix, std::string_view text, const char* color) {
  const size_t prefix_columns = wt::Columns(prefix);
  if (prefix_columns >= width_) {
    wt::AppendFitted(prefix, width_, false, &out_);
    TrimRow();
    return;
  }
  out_ += prefix;
  if (options_.color) out_ += color;
  if (width_ > prefix_columns) wt::AppendFitted(wt::Clean(text), width_ - prefix_columns, false, &out_);
  if (options_.color) out_ += kReset;
  TrimRow();
}

// Ends the row: drops trailing spaces and adds the newline.
void Renderer::TrimRow() {
  while (!out_.empty() && out_.back() == ' ') out_.pop_back();
  out_ += '\n';
}

}  // namespace

std::string RenderWaterfall(const std::vector<Span>& spans, const WaterfallOptions& options) {
  return Renderer(spans, options).Render();
}

}  // namespace llmeval

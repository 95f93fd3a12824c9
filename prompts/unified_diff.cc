#include "prompts/unified_diff.h"

#include <algorithm>
#include <cstddef>
#include <unordered_map>
#include <vector>

namespace llmeval {
namespace {

// Above this many stored Myers trace cells (8 bytes each, 32 MiB in all; about 2,000 differing lines) the search
// gives up and falls back to remove-all/add-all for the differing middle.
constexpr size_t kMaxTraceCells = size_t{1} << 22;

constexpr char kBold[] = "\x1b[1m";
constexpr char kRed[] = "\x1b[31m";
constexpr char kGreen[] = "\x1b[32m";
constexpr char kCyan[] = "\x1b[36m";
constexpr char kReset[] = "\x1b[0m";

enum class OpKind { kEqual, kDelete, kInsert };

struct Op {
  OpKind kind;
  size_t old_index;  // Lines of the old text before this op (the line itself for kEqual/kDelete).
  size_t new_index;  // Lines of the new text before this op (the line itself for kEqual/kInsert).
};

// Splits into lines, each keeping its '\n' if it has one (so "a\n" and a final "a" differ).
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

// The middle edit script between a[0..n) and b[0..m) (as line ids), appended to *ops in order, with line indexes offset
// by old_base/new_base. Returns false when the search would exceed kMaxTraceCells.
bool MyersDiff(const std::vector<int>& a, const std::vector<int>& b, size_t old_base, size_t new_base,
               std::vector<Op>* ops) {
  const long n = static_cast<long>(a.size());
  const long m = static_cast<long>(b.size());
  const long max = n + m;
  std::vector<long> v(2 * max + 3, 0);
  const long off = max + 1;
  std::vector<std::vector<long>> trace;  // trace[d][k + d]: furthest x on diagonal k after d edits.
  size_t cells = 0;
  long found_d = -1;
  for (long d = 0; d <= max && found_d < 0; ++d) {
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
      long y = x - k;
      while (x < n && y < m && a[x] == b[y]) {
        ++x;
        ++y;
      }
      v[off + k] = x;
      if (x >= n && y >= m) found_d = d;
    }
    cells += static_cast<size_t>(2 * d + 1);
    if (cells > kMaxTraceCells) return false;
    trace.emplace_back(v.begin() + (off - d), v.begin() + (off + d + 1));
  }

  std::vector<Op> reversed;
  long x = n;
  long y = m;
  for (long d = found_d; d > 0; --d) {
    const std::vector<long>& prev = trace[d - 1];  // Indexed by k + (d - 1).
    const long k = x - y;
    auto at = [&prev, d](long kk) { return prev[kk + d - 1]; };
    const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
    const long prev_k = down ? k + 1 : k - 1;
    const long prev_x = at(prev_k);
    const long prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      --x;
      --y;
      reversed.push_back({OpKind::kEqual, static_cast<size_t>(x), static_cast<size_t>(y)});
    }
    if (down) {
      reversed.push_back({OpKind::kInsert, static_cast<size_t>(prev_x), static_cast<size_t>(prev_y)});
    } else {
      reversed.push_back({OpKind::kDelete, static_cast<size_t>(prev_x), static_cast<size_t>(prev_y)});
    }
    x = prev_x;
    y = prev_y;
  }
  while (x > 0 && y > 0) {
    --x;
    --y;
    reversed.push_back({OpKind::kEqual, static_cast<size_t>(x), static_cast<size_t>(y)});
  }
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) {
    ops->push_back({it->kind, it->old_index + old_base, it->new_index + new_base});
  }
  return true;
}

// Rewrites every maximal run of changes as its deletions followed by its insertions.
void DeletionsFirst(std::vector<Op>* ops) {
  size_t i = 0;
  while (i < ops->size()) {
    if ((*ops)[i].kind == OpKind::kEqual) {
      ++i;
      continue;
    }
    size_t end = i;
    size_t deletions = 0;
    while (end < ops->size() && (*ops)[end].kind != OpKind::kEqual) {
      if ((*ops)[end].kind == OpKind::kDelete) ++deletions;
      ++end;
    }
    const size_t old_start = (*ops)[i].old_index;
    const size_t new_start = (*ops)[i].new_index;
    size_t inserted = 0;
    for (size_t j = i; j < end; ++j) {
      if (j - i < deletions) {
        (*ops)[j] = {OpKind::kDelete, old_start + (j - i), new_start};
      } else {
        (*ops)[j] = {OpKind::kInsert, old_start + deletions, new_start + inserted++};
      }
    }
    i = end;
  }
}

std::vector<Op> EditScript(const std::vector<std::string_view>& old_lines,
                           const std::vector<std::string_view>& new_lines) {
  const size_t n = old_lines.size();
  const size_t m = new_lines.size();
  size_t prefix = 0;
  while (prefix < n && prefix < m && old_lines[prefix] == new_lines[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < n - prefix && suffix < m - prefix && old_lines[n - 1 - suffix] == new_lines[m - 1 - suffix]) {
    ++suffix;
  }

  std::vector<Op> ops;
  for (size_t i = 0; i < prefix; ++i) ops.push_back({OpKind::kEqual, i, i});

  std::unordered_map<std::string_view, int> ids;
  auto to_ids = [&ids](const std::vector<std::string_view>& lines, size_t begin, size_t end) {
    std::vector<int> out;
    out.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) {
      out.push_back(ids.emplace(lines[i], static_cast<int>(ids.size())).first->second);
    }
    return out;
  };
  std::vector<int> a = to_ids(old_lines, prefix, n - suffix);
  std::vector<int> b = to_ids(new_lines, prefix, m - suffix);
  const size_t before_middle = ops.size();
  if (!MyersDiff(a, b, prefix, prefix, &ops)) {
    ops.resize(before_middle);
    for (size_t i = 0; i < a.size(); ++i) ops.push_back({OpKind::kDelete, prefix + i, prefix});
    for (size_t i = 0; i < b.size(); ++i) ops.push_back({OpKind::kInsert, prefix + a.size(), prefix + i});
  }

  for (size_t i = 0; i < suffix; ++i) ops.push_back({OpKind::kEqual, n - suffix + i, m - suffix + i});
  DeletionsFirst(&ops);
  return ops;
}

// "-3,2", "-3" (one line) or "-2,0" (empty: the line before).
std::string Range(char sign, size_t first_index, size_t count) {
  std::string out(1, sign);
  out += std::to_string(count == 0 ? first_index : first_index + 1);
  if (count != 1) out += "," + std::to_string(count);
  return out;
}

void AppendLine(char prefix, std::string_view line, const char* color, std::string* out) {
  if (color != nullptr) out->append(color);
  out->push_back(prefix);
  const bool has_newline = !line.empty() && line.back() == '\n';
  out->append(line.substr(0, has_newline ? line.size() - 1 : line.size()));
  if (color != nullptr) out->append(kReset);
  out->push_back('\n');
  if (!has_newline) out->append("\\ No newline at end of file\n");
}

}  // namespace

std::string UnifiedDiff(std::string_view old_text, std::string_view new_text, std::string_view old_label,
                        std::string_view new_label, int context_lines, bool color) {
  if (old_text == new_text) return "";
  const size_t context = context_lines < 0 ? 0 : static_cast<size_t>(context_lines);
  const std::vector<std::string_view> old_lines = SplitLines(old_text);
  const std::vector<std::string_view> new_lines = SplitLines(new_text);
  const std::vector<Op> ops = EditScript(old_lines, new_lines);

  std::string out;
  if (color) out.append(kBold);
  out.append("--- ").append(old_label);
  if (color) out.append(kReset);
  out.append("\n");
  if (color) out.append(kBold);
  out.append("+++ ").append(new_label);
  if (color) out.append(kReset);
  out.append("\n");

  size_t i = 0;
  while (i < ops.size()) {
    if (ops[i].kind == OpKind::kEqual) {
      ++i;
      continue;
    }
    // ops[i] starts a hunk; the ops before it are unchanged lines not yet shown.
    const size_t start = i - std::min(i, context);
    size_t end = i;
    while (true) {
      while (end < ops.size() && ops[end].kind != OpKind::kEqual) ++end;
      size_t run = 0;
      while (end + run < ops.size() && ops[end + run].kind == OpKind::kEqual) ++run;
      if (end + run == ops.size() || run > 2 * context) {
        end += std::min(run, context);
        break;
      }
      end += run;
    }
    size_t old_count = 0;
    size_t new_count = 0;
    for (size_t j = start; j < end; ++j) {
      if (ops[j].kind != OpKind::kInsert) ++old_count;
      if (ops[j].kind != OpKind::kDelete) ++new_count;
    }
    if (color) out.append(kCyan);
    out.append("@@ ")
        .append(Range('-', ops[start].old_index, old_count))
        .append(" ")
        .append(Range('+', ops[start].new_index, new_count))
        .append(" @@");
    if (color) out.append(kReset);
    out.append("\n");
    for (size_t j = start; j < end; ++j) {
      switch (ops[j].kind) {
        case OpKind::kEqual:
          AppendLine(' ', old_lines[ops[j].old_index], nullptr, &out);
          break;
        case OpKind::kDelete:
          AppendLine('-', old_lines[ops[j].old_index], color ? kRed : nullptr, &out);
          break;
        case OpKind::kInsert:
          AppendLine('+', new_lines[ops[j].new_index], color ? kGreen : nullptr, &out);
          break;
      }
    }
    i = end;
  }
  return out;
}

}  // namespace llmeval

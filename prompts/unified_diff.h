// A line-based unified diff, for showing how two prompt versions differ (`llmeval prompts diff`).
//
// The output is the familiar format of `diff -u` / `git diff`: a `--- old` / `+++ new` header, then hunks
// `@@ -a,b +c,d @@` (",1" counts are omitted) of ' ' context, '-' removed and '+' added lines, with
// "\ No newline at end of file" after a last line that lacks one. Within a change, removed lines come before added
// ones. The edit script comes from Myers' O(ND) algorithm after trimming the common prefix and suffix, so it is
// minimal; for pathologically different large inputs (when the search would need too much memory) the differing middle
// is shown as fully removed then fully added, which is still a correct diff.
//
// Pure function; thread-safe. Bytes pass through untouched (UTF-8 included); only '\n' separates lines.
#ifndef LLMEVAL_PROMPTS_UNIFIED_DIFF_H_
#define LLMEVAL_PROMPTS_UNIFIED_DIFF_H_

#include <string>
#include <string_view>

namespace llmeval {

// The unified diff from `old_text` to `new_text`, or "" when they are equal. `context_lines` (negative means 0) is how
// many unchanged lines surround each change; changes closer than twice that share one hunk. With `color`, headers are
// bold, hunk headers cyan, removed lines red and added lines green (ANSI escapes).
std::string UnifiedDiff(std::string_view old_text, std::string_view new_text, std::string_view old_label,
                        std::string_view new_label, int context_lines = 3, bool color = false);

}  // namespace llmeval

#endif  // LLMEVAL_PROMPTS_UNIFIED_DIFF_H_

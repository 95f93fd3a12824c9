// RaiseOpenFileLimit lifts this process's soft limit on open files (RLIMIT_NOFILE) towards its hard limit, as Go's
// runtime does at startup. Call it once, first thing in main().
//
// Why: every HTTP call in flight holds a socket (HTTP/1.1 servers such as vLLM, llama.cpp and Ollama get one
// connection per concurrent request), and most shells start programs with a soft limit of 1024 while the hard limit
// is far higher. Without this, `llmeval run --concurrency 2000` failed most items with "Couldn't connect" once the
// descriptors ran out. The new soft limit is the hard limit capped at kOpenFileCap: enough for tens of thousands of
// calls in flight, small enough that programs which walk every possible descriptor stay quick. Child processes
// (tools, command scorers, MCP servers) inherit it.
#ifndef LLMEVAL_ENGINE_OS_OPEN_FILE_LIMIT_H_
#define LLMEVAL_ENGINE_OS_OPEN_FILE_LIMIT_H_

#include <cstdint>

namespace llmeval {

inline constexpr int64_t kOpenFileCap = 65536;

// Best effort: a limit that cannot be raised is left as it is.
void RaiseOpenFileLimit();

// The current soft limit (-1 when unknown, or unlimited).
int64_t OpenFileLimit();

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_OS_OPEN_FILE_LIMIT_H_

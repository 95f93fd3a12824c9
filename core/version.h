// The llmeval version, as `llmeval version` prints it and as traces, reports and HTTP requests carry it. Keep it equal
// to the VERSION in the top-level CMakeLists.txt.
#ifndef LLMEVAL_CORE_VERSION_H_
#define LLMEVAL_CORE_VERSION_H_

namespace llmeval {

inline constexpr char kLlmevalVersion[] = "0.1.0";

}  // namespace llmeval

#endif  // LLMEVAL_CORE_VERSION_H_

// IdGenerator makes never-zero trace and span ids (xoshiro256** seeded through splitmix64).
//
// Trace ids are time-ordered, as AWS X-Ray's and UUIDv7 are: the first 6 bytes are the caller's Unix time in
// milliseconds (big-endian), the other 10 random. W3C Trace Context Level 2 asks only the rightmost 7 bytes to be
// random. Stores index spans and items by trace id; ids that grow with time land at the end of those indexes instead
// of on a random page each, which made the store's writes about twice as cheap. Span ids are fully random.
//
// The generator does no IO: the caller supplies the 64-bit seed (the engine draws it from the OS once per process;
// tests pass a constant to get the same ids every run). Ids are not secrets, only unique with overwhelming probability.
//
// Thread-safety: internally locked, so one generator may be shared by all threads and trace builders.
#ifndef LLMEVAL_TRACING_ID_GENERATOR_H_
#define LLMEVAL_TRACING_ID_GENERATOR_H_

#include <cstdint>
#include <mutex>

#include "tracing/span.h"

namespace llmeval {

class IdGenerator {
 public:
  explicit IdGenerator(uint64_t seed);
  IdGenerator(const IdGenerator&) = delete;
  IdGenerator& operator=(const IdGenerator&) = delete;

  // `unix_ms` is the wall-clock time the trace starts (only its low 48 bits are used; negative counts as 0).
  TraceId NewTraceId(int64_t unix_ms);
  SpanId NewSpanId();
  // The next raw 64-bit value (for example to seed another generator).
  uint64_t NextU64();

 private:
  uint64_t NextLocked();

  std::mutex mu_;
  uint64_t state_[4];
};

}  // namespace llmeval

#endif  // LLMEVAL_TRACING_ID_GENERATOR_H_

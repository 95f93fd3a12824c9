// IdGenerator makes random, never-zero trace and span ids (xoshiro256** seeded through splitmix64).
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

  TraceId NewTraceId();
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

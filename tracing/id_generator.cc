#include "tracing/id_generator.h"

namespace llmeval {
namespace {

uint64_t SplitMix64(uint64_t* x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

void StoreBigEndian(uint64_t value, uint8_t* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<uint8_t>(value & 0xff);
    value >>= 8;
  }
}

}  // namespace

IdGenerator::IdGenerator(uint64_t seed) {
  // splitmix64 spreads any seed, even 0, into a state that is never all zero.
  for (uint64_t& word : state_) word = SplitMix64(&seed);
}

uint64_t IdGenerator::NextLocked() {
  const uint64_t result = RotateLeft(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = RotateLeft(state_[3], 45);
  return result;
}

uint64_t IdGenerator::NextU64() {
  std::lock_guard<std::mutex> lock(mu_);
  return NextLocked();
}

TraceId IdGenerator::NewTraceId(int64_t unix_ms) {
  const uint64_t time_prefix = static_cast<uint64_t>(unix_ms < 0 ? 0 : unix_ms) & 0xffffffffffffULL;
  std::lock_guard<std::mutex> lock(mu_);
  TraceId id;
  do {
    // Bytes 0-5: the time; bytes 6-15: random (the top 16 bits of the first draw fill bytes 6-7).
    StoreBigEndian((time_prefix << 16) | (NextLocked() >> 48), id.bytes);
    StoreBigEndian(NextLocked(), id.bytes + 8);
  } while (id.IsZero());
  return id;
}

SpanId IdGenerator::NewSpanId() {
  std::lock_guard<std::mutex> lock(mu_);
  SpanId id;
  do {
    StoreBigEndian(NextLocked(), id.bytes);
  } while (id.IsZero());
  return id;
}

}  // namespace llmeval

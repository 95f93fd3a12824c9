// Content hashes. SHA-256 names prompt versions, datasets and cache keys; Fnv1a64 is a fast non-cryptographic hash
// for deterministic choices (the simulated model, sampling). Pure functions, thread-safe.
#ifndef LLMEVAL_CORE_HASH_H_
#define LLMEVAL_CORE_HASH_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace llmeval {

// Incremental SHA-256 (FIPS 180-4).
class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  // Returns the digest as 64 lowercase hex characters. Call once.
  std::string HexDigest();

 private:
  void Block(const unsigned char* block);

  uint32_t state_[8];
  unsigned char buffer_[64];
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
};

std::string Sha256Hex(std::string_view data);

uint64_t Fnv1a64(std::string_view data, uint64_t seed = 0xcbf29ce484222325ULL);

}  // namespace llmeval

#endif  // LLMEVAL_CORE_HASH_H_

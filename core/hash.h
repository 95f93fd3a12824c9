// Content hashes. SHA-256 names prompt versions, datasets and cache keys; Fnv1a64 is a fast non-cryptographic hash
// for deterministic choices (the simulated model, sampling). Pure functions, thread-safe.
#ifndef LLMEVAL_CORE_HASH_H_
#define LLMEVAL_CORE_HASH_H_

#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX.

namespace llmeval {

// Incremental SHA-256 (FIPS 180-4), computed by OpenSSL's libcrypto, which uses the CPU's SHA extensions where
// there are some (ten times faster than portable code on the cache keys of every model call). Copying a Sha256
// copies the state, so a digest of the data so far can be taken while hashing goes on.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256& other);
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  // Returns the digest as 64 lowercase hex characters. Call once.
  std::string HexDigest();

 private:
  evp_md_ctx_st* ctx_;
};

std::string Sha256Hex(std::string_view data);

uint64_t Fnv1a64(std::string_view data, uint64_t seed = 0xcbf29ce484222325ULL);

}  // namespace llmeval

#endif  // LLMEVAL_CORE_HASH_H_

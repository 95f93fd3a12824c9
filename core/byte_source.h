// ByteSource: a stream of bytes read in chunks. Readers in the pure modules (datasets) consume a ByteSource so that
// they do no IO themselves; the engine supplies one backed by a file, tests one backed by a string.
#ifndef LLMEVAL_CORE_BYTE_SOURCE_H_
#define LLMEVAL_CORE_BYTE_SOURCE_H_

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "core/status.h"

namespace llmeval {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `capacity` bytes into `buffer`. Returns the number read; 0 means the end of the stream.
  virtual Result<size_t> Read(char* buffer, size_t capacity) = 0;
};

// A ByteSource over a string it owns; hands it out in chunks of at most `chunk` bytes (small chunks test boundaries).
class StringByteSource : public ByteSource {
 public:
  explicit StringByteSource(std::string data, size_t chunk = 1 << 16) : data_(std::move(data)), chunk_(chunk) {}
  Result<size_t> Read(char* buffer, size_t capacity) override {
    size_t n = std::min({capacity, chunk_, data_.size() - offset_});
    std::memcpy(buffer, data_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t chunk_;
  size_t offset_ = 0;
};

}  // namespace llmeval

#endif  // LLMEVAL_CORE_BYTE_SOURCE_H_

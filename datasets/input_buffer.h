// InputBuffer: the readers' window onto a ByteSource. Reads 64 KiB chunks, hashes every byte read (SHA-256) and
// tracks the absolute offset of its cursor. A read error ends the stream and is kept in status(). Internal to the
// datasets module; not thread-safe.
#ifndef LLMEVAL_DATASETS_INPUT_BUFFER_H_
#define LLMEVAL_DATASETS_INPUT_BUFFER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/byte_source.h"
#include "core/hash.h"
#include "core/status.h"

namespace llmeval {

class InputBuffer {
 public:
  static constexpr size_t kChunkSize = 64 * 1024;

  explicit InputBuffer(ByteSource* source) : source_(source), buffer_(kChunkSize) {}

  // The unread bytes in the window: cursor()[0 .. available()).
  const char* cursor() const { return buffer_.data() + pos_; }
  size_t available() const { return end_ - pos_; }
  // REQUIRES: n <= available().
  void Advance(size_t n) { pos_ += n; }
  // Absolute offset of the cursor in the stream.
  uint64_t offset() const { return base_ + pos_; }

  // Makes at least one unread byte available; false at the end of the stream (or after a read error).
  bool Fill() { return pos_ < end_ || FillAtLeast(1); }
  // Makes at least `n` (<= kChunkSize) unread bytes available; false when the stream ends first.
  bool FillAtLeast(size_t n);
  // The next byte (0..255) without consuming it, or -1 at the end.
  int Peek() { return Fill() ? static_cast<unsigned char>(buffer_[pos_]) : -1; }

  // OK, or the error the source returned.
  const Status& status() const { return status_; }
  // SHA-256 hex of every byte read from the source so far.
  std::string HashSoFar() const;

 private:
  ByteSource* source_;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t base_ = 0;  // Absolute offset of buffer_[0].
  bool eof_ = false;
  Status status_;
  Sha256 hash_;
};

// InvalidInput when the stream does not start as UTF-8 text: a UTF-16 or UTF-32 byte order mark, or a NUL byte in
// the first line as far as it is buffered (UTF-16 saved without a mark, or a binary file), which would otherwise
// surface as a confusing
// field count or header error. Consumes nothing; a read error is left for the caller's first read to report.
Status CheckStartsAsUtf8(InputBuffer* input, const std::string& file_name);

}  // namespace llmeval

#endif  // LLMEVAL_DATASETS_INPUT_BUFFER_H_

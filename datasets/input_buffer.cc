#include "datasets/input_buffer.h"

#include <cstring>
#include <string_view>

namespace llmeval {

bool InputBuffer::FillAtLeast(size_t n) {
  if (available() >= n) return true;
  if (eof_) return false;
  // Move the unread tail to the front, then append new chunks after it.
  size_t unread = available();
  if (pos_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + pos_, unread);
    base_ += pos_;
    pos_ = 0;
    end_ = unread;
  }
  while (end_ < n) {
    Result<size_t> got = source_->Read(buffer_.data() + end_, buffer_.size() - end_);
    if (!got.ok()) {
      status_ = got.status();
      eof_ = true;
      return false;
    }
    size_t count = std::min(*got, buffer_.size() - end_);  // A source may not overrun; clamp to be safe.
    if (count == 0) {
      eof_ = true;
      return false;
    }
    hash_.Update(std::string_view(buffer_.data() + end_, count));
    end_ += count;
  }
  return true;
}

std::string InputBuffer::HashSoFar() const {
  Sha256 copy = hash_;
  return copy.HexDigest();
}

}  // namespace llmeval

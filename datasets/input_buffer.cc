#include "datasets/input_buffer.h"

#include <algorithm>
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

Status CheckStartsAsUtf8(InputBuffer* input, const std::string& file_name) {
  constexpr size_t kSniffBytes = 4096;
  // Reads no further than a byte order mark needs (a later read error stays the header's or a row's to report),
  // then looks at whatever the buffer holds: UTF-16 has a NUL in its first few bytes.
  input->FillAtLeast(4);
  std::string_view head(input->cursor(), std::min(input->available(), kSniffBytes));
  auto starts = [&](std::string_view mark) { return head.substr(0, mark.size()) == mark; };
  const char* encoding = nullptr;
  if (starts(std::string_view("\xFF\xFE\0\0", 4)) || starts(std::string_view("\0\0\xFE\xFF", 4))) {
    encoding = "UTF-32";
  } else if (starts("\xFF\xFE") || starts("\xFE\xFF")) {
    encoding = "UTF-16";
  }
  if (encoding != nullptr) {
    return Status::InvalidInput(file_name + " is " + encoding + " (byte order mark at the start); save it as UTF-8");
  }
  // Only the first line: UTF-16 has a NUL in every ASCII character, while a stray NUL in a later field is kept.
  std::string_view first_line = head.substr(0, head.find('\n'));
  if (first_line.find('\0') == std::string_view::npos) return Status::OK();
  return Status::InvalidInput(file_name +
                              ":1: NUL bytes, so this is not UTF-8 text (UTF-16 without a byte order mark, or a binary "
                              "file?); save it as UTF-8");
}

}  // namespace llmeval

// Status and Result<T>: the one error convention of llmeval.
//
// Every function that can fail in an expected way (bad input, a missing file, a provider that answered 500) returns a
// Status, or a Result<T> that holds either a value or a non-OK Status. Exceptions are reserved for programming errors
// and are caught only at the CLI boundary. A Status carries a code, which decides the process exit code and whether a
// retry can help, and a message written for the user: it names the file, line and what was expected.
//
// Status and Result are values: copy them freely; const methods are safe to call from several threads.
#ifndef LLMEVAL_CORE_STATUS_H_
#define LLMEVAL_CORE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace llmeval {

enum class StatusCode {
  kOk = 0,
  kInvalidInput,  // The user's input (flags, files, config) is wrong: exit code 2.
  kNotFound,      // A named thing (run, prompt version, file) does not exist: exit code 2.
  kIOError,       // The filesystem or the store failed.
  kUnavailable,   // A remote service failed in a way a retry may fix (429, 5xx, network).
  kRemoteError,   // A remote service refused the request for good (400, 401, 404).
  kTimeout,       // A deadline passed.
  kCancelled,     // The user interrupted the work.
  kInternal,      // A bug in llmeval.
};

// The short lowercase name of a code, as stored in the results store ("invalid_input").
const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;  // OK.
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status OK() { return Status(); }
  static Status InvalidInput(std::string msg) { return Status(StatusCode::kInvalidInput, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(StatusCode::kUnavailable, std::move(msg)); }
  static Status RemoteError(std::string msg) { return Status(StatusCode::kRemoteError, std::move(msg)); }
  static Status Timeout(std::string msg) { return Status(StatusCode::kTimeout, std::move(msg)); }
  static Status Cancelled(std::string msg) { return Status(StatusCode::kCancelled, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "invalid_input: questions.csv:4:12: unterminated quoted field".
  std::string ToString() const;

  // Returns a copy whose message is "<context>: <message>"; OK stays OK.
  Status WithContext(const std::string& context) const;

  // The process exit code this status maps to: 0 ok, 2 invalid input or not found, 3 anything else.
  int ExitCode() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Holds a T or a non-OK Status. Construct from either; check ok() before value().
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design.
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design.
    assert(!status_.ok() && "a Result made from a Status must hold an error");
    // Release builds: a Result that holds neither a value nor an error would report failure with an OK status (an
    // empty message and exit code 0), so the bug becomes an internal error instead.
    if (status_.ok()) status_ = Status::Internal("a result was made from an OK status (a bug in llmeval)");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  // REQUIRES: ok().
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace llmeval

#endif  // LLMEVAL_CORE_STATUS_H_

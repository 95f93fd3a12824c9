// Files, for the rest of the engine: whole-file reads with clear errors, atomic writes (write a temporary file beside
// the target, then rename, so a reader never sees half a file), and a ByteSource over a file for streaming readers.
#ifndef LLMEVAL_ENGINE_OS_FILE_IO_H_
#define LLMEVAL_ENGINE_OS_FILE_IO_H_

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/byte_source.h"
#include "core/status.h"

namespace llmeval {

// Reads the whole file. NotFound when it does not exist, InvalidInput when it is a directory, IOError on other
// failures; messages name the path. FileByteSource::Open fails the same way.
Result<std::string> ReadWholeFile(const std::string& path);

// Writes `contents` to `path` atomically. Creates missing parent directories.
Status WriteFileAtomically(const std::string& path, const std::string& contents);

// Writes a file in pieces, atomically: the pieces go to a temporary file beside `path`, which Commit renames over
// it; a writer destroyed without a successful Commit removes the temporary file, so `path` is either untouched or
// complete. Creates missing parent directories.
class AtomicFileWriter {
 public:
  static Result<std::unique_ptr<AtomicFileWriter>> Create(const std::string& path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  Status Append(std::string_view data);
  Status Commit();

 private:
  AtomicFileWriter(std::FILE* file, std::string path, std::string temp)
      : file_(file), path_(std::move(path)), temp_(std::move(temp)) {}
  std::FILE* file_;  // Null once closed.
  std::string path_;
  std::string temp_;
  bool committed_ = false;
};

bool FileExists(const std::string& path);

// A ByteSource reading a file front to back.
class FileByteSource : public ByteSource {
 public:
  static Result<std::unique_ptr<FileByteSource>> Open(const std::string& path);
  ~FileByteSource() override;
  Result<size_t> Read(char* buffer, size_t capacity) override;

 private:
  FileByteSource(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
  std::FILE* file_;
  std::string path_;
};

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_OS_FILE_IO_H_

// Files, for the rest of the engine: whole-file reads with clear errors, atomic writes (write a temporary file beside
// the target, then rename, so a reader never sees half a file), and a ByteSource over a file for streaming readers.
#ifndef LLMEVAL_ENGINE_FILE_IO_H_
#define LLMEVAL_ENGINE_FILE_IO_H_

#include <cstdio>
#include <memory>
#include <string>

#include "core/byte_source.h"
#include "core/status.h"

namespace llmeval {

// Reads the whole file. NotFound when it does not exist, IOError on other failures; messages name the path.
Result<std::string> ReadWholeFile(const std::string& path);

// Writes `contents` to `path` atomically. Creates missing parent directories.
Status WriteFileAtomically(const std::string& path, const std::string& contents);

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

#endif  // LLMEVAL_ENGINE_FILE_IO_H_

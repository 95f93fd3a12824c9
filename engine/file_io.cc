#include "engine/file_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace llmeval {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IOError(path + ": " + std::strerror(errno));
  }
  std::string contents;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) contents.append(buf, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return Status::IOError(path + ": read failed");
  return contents;
}

Status WriteFileAtomically(const std::string& path, const std::string& contents) {
  std::error_code ec;
  std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  std::string temp = path + ".tmp." + std::to_string(getpid());
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (f == nullptr) return Status::IOError(path + ": cannot write: " + std::strerror(errno));
  bool ok = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return Status::IOError(path + ": write failed");
  }
  return Status::OK();
}

bool FileExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

Result<std::unique_ptr<FileByteSource>> FileByteSource::Open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IOError(path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<FileByteSource>(new FileByteSource(f, path));
}

FileByteSource::~FileByteSource() { std::fclose(file_); }

Result<size_t> FileByteSource::Read(char* buffer, size_t capacity) {
  size_t n = std::fread(buffer, 1, capacity, file_);
  if (n == 0 && std::ferror(file_)) return Status::IOError(path_ + ": read failed");
  return n;
}

}  // namespace llmeval

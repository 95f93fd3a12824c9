#include "engine/os/file_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace llmeval {

namespace {

// Opens `path` for reading. A directory opens fine on Linux and fails only at the first read ("read failed"), so it
// is refused here, by name.
Result<std::FILE*> OpenForReading(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status::InvalidInput(path + " is a directory; expected a file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IOError(path + ": " + std::strerror(errno));
  }
  return f;
}

}  // namespace

Result<std::string> ReadWholeFile(const std::string& path) {
  Result<std::FILE*> opened = OpenForReading(path);
  if (!opened.ok()) return opened.status();
  std::FILE* f = *opened;
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
  Result<std::unique_ptr<AtomicFileWriter>> writer = AtomicFileWriter::Create(path);
  if (!writer.ok()) return writer.status();
  Status s = (*writer)->Append(contents);
  if (!s.ok()) return s;
  return (*writer)->Commit();
}

Result<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::Create(const std::string& path) {
  std::error_code ec;
  std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  std::string temp = path + ".tmp." + std::to_string(getpid());
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (f == nullptr) return Status::IOError(path + ": cannot write: " + std::strerror(errno));
  return std::unique_ptr<AtomicFileWriter>(new AtomicFileWriter(f, path, temp));
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) std::remove(temp_.c_str());
}

Status AtomicFileWriter::Append(std::string_view data) {
  if (file_ == nullptr) return Status::Internal(path_ + ": written after commit");
  if (std::fwrite(data.data(), 1, data.size(), file_) != data.size()) {
    return Status::IOError(path_ + ": write failed: " + std::strerror(errno));
  }
  return Status::OK();
}

Status AtomicFileWriter::Commit() {
  if (file_ == nullptr) return Status::Internal(path_ + ": committed twice");
  bool ok = std::fflush(file_) == 0;
  ok = (std::fclose(file_) == 0) && ok;
  file_ = nullptr;
  if (!ok || std::rename(temp_.c_str(), path_.c_str()) != 0) return Status::IOError(path_ + ": write failed");
  committed_ = true;
  return Status::OK();
}

bool FileExists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

Result<std::unique_ptr<FileByteSource>> FileByteSource::Open(const std::string& path) {
  Result<std::FILE*> f = OpenForReading(path);
  if (!f.ok()) return f.status();
  return std::unique_ptr<FileByteSource>(new FileByteSource(*f, path));
}

FileByteSource::~FileByteSource() { std::fclose(file_); }

Result<size_t> FileByteSource::Read(char* buffer, size_t capacity) {
  size_t n = std::fread(buffer, 1, capacity, file_);
  if (n == 0 && std::ferror(file_)) return Status::IOError(path_ + ": read failed");
  return n;
}

}  // namespace llmeval

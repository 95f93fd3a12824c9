// csv_bench: how fast the CSV reader streams scenario-like data sets, and that its memory stays flat as files grow.
// Writes CSVs of 10k, 100k and 1M rows (category, a question with commas and quotes, weight) to a temporary directory,
// reads each through a small file-backed ByteSource and prints rows/s, MB/s and the process's peak RSS after each.
// Usage: csv_bench [max_rows]   (default 1000000). Benches may do file IO; the datasets module itself does none.
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "core/byte_source.h"
#include "datasets/row_reader.h"

namespace {

class FileByteSource : public llmeval::ByteSource {
 public:
  explicit FileByteSource(const std::string& path) : file_(std::fopen(path.c_str(), "rb")) {}
  ~FileByteSource() override {
    if (file_ != nullptr) std::fclose(file_);
  }
  bool ok() const { return file_ != nullptr; }
  llmeval::Result<size_t> Read(char* buffer, size_t capacity) override {
    size_t n = std::fread(buffer, 1, capacity, file_);
    if (n == 0 && std::ferror(file_)) return llmeval::Status::IOError("read failed");
    return n;
  }

 private:
  std::FILE* file_;
};

long PeakRssKiB() {
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux.
}

bool WriteCsv(const std::string& path, int rows) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  static const char* const kCategories[] = {"math", "geography", "coding", "safety", "reasoning"};
  std::fputs("Category,Question,Weight (Difficulty)\r\n", f);
  for (int i = 0; i < rows; ++i) {
    std::fprintf(f, "%s,\"What is %d + %d, in words? Answer \"\"briefly\"\".\",%d\r\n", kCategories[i % 5], i, i % 97,
                 1 + i % 3);
  }
  return std::fclose(f) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  int max_rows = argc > 1 ? std::atoi(argv[1]) : 1000000;
  char dir_template[] = "/tmp/csv_bench.XXXXXX";
  if (mkdtemp(dir_template) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  std::string dir = dir_template;
  int status = 0;
  std::printf("%10s %12s %10s %10s %14s\n", "rows", "rows/s", "MB/s", "MB", "peak RSS KiB");
  for (int rows : {10000, 100000, 1000000}) {
    if (rows > max_rows) break;
    std::string path = dir + "/bench_" + std::to_string(rows) + ".csv";
    if (!WriteCsv(path, rows)) {
      std::fprintf(stderr, "cannot write %s\n", path.c_str());
      status = 1;
      break;
    }
    FileByteSource source(path);
    std::unique_ptr<llmeval::RowReader> reader = llmeval::NewCsvReader(&source, path);
    auto start = std::chrono::steady_clock::now();
    llmeval::Status header = reader->ReadHeader();
    llmeval::DataRow row;
    int64_t count = 0;
    uint64_t bytes_in_values = 0;  // Touch the values so the work cannot be skipped.
    while (header.ok()) {
      llmeval::Result<bool> next = reader->Next(&row);
      if (!next.ok()) {
        header = next.status();
        break;
      }
      if (!*next) break;
      bytes_in_values += row.values[1].size();
      ++count;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!header.ok() || count != rows) {
      std::fprintf(stderr, "read failed: %s (%lld rows)\n", header.message().c_str(), static_cast<long long>(count));
      status = 1;
    }
    std::FILE* f = std::fopen(path.c_str(), "rb");
    std::fseek(f, 0, SEEK_END);
    double megabytes = static_cast<double>(std::ftell(f)) / 1e6;
    std::fclose(f);
    std::printf("%10d %12.0f %10.1f %10.1f %14ld   (%llu value bytes)\n", rows, count / seconds, megabytes / seconds,
                megabytes, PeakRssKiB(), static_cast<unsigned long long>(bytes_in_values));
    std::remove(path.c_str());
  }
  rmdir(dir.c_str());
  return status;
}

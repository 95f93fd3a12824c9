// AtomicFileWriter: a file written in pieces appears whole at Commit, and not at all (not even its temporary file)
// when the writer is dropped or fails first; an existing file is replaced only by a committed one.
#include "engine/os/file_io.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "testing/test_util.h"

namespace llmeval {
namespace {

using testing::ScratchDir;

int FilesIn(const std::string& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicFileWriterTest, PiecesAppearWholeAtCommitInNewDirectories) {
  ScratchDir dir;
  std::string path = dir.Path("a/b/out.txt");
  Result<std::unique_ptr<AtomicFileWriter>> writer = AtomicFileWriter::Create(path);
  ASSERT_TRUE(writer.ok()) << writer.status().message();
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    std::string piece = "line " + std::to_string(i) + "\n";
    ASSERT_TRUE((*writer)->Append(piece).ok());
    expected += piece;
  }
  EXPECT_FALSE(FileExists(path)) << "nothing at the target before Commit";
  ASSERT_TRUE((*writer)->Commit().ok());
  Result<std::string> read = ReadWholeFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, expected);
  writer->reset();
  EXPECT_EQ(FilesIn(dir.Path("a/b")), 1) << "no temporary file left beside it";
}

TEST(AtomicFileWriterTest, ADroppedWriterLeavesTheOldFileAndNoTemporaryFile) {
  ScratchDir dir;
  std::string path = dir.Path("out.txt");
  ASSERT_TRUE(WriteFileAtomically(path, "old contents\n").ok());
  {
    Result<std::unique_ptr<AtomicFileWriter>> writer = AtomicFileWriter::Create(path);
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Append("half of a new fi").ok());
  }
  Result<std::string> read = ReadWholeFile(path);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read, "old contents\n");
  EXPECT_EQ(FilesIn(dir.path()), 1);
}

TEST(AtomicFileWriterTest, AnUnwritableDirectoryIsAnErrorNamingThePath) {
  ScratchDir dir;
  ASSERT_TRUE(WriteFileAtomically(dir.Path("plain"), "x").ok());
  Result<std::unique_ptr<AtomicFileWriter>> writer = AtomicFileWriter::Create(dir.Path("plain/out.txt"));
  ASSERT_FALSE(writer.ok());
  EXPECT_NE(writer.status().message().find("plain/out.txt"), std::string::npos) << writer.status().message();
}

}  // namespace
}  // namespace llmeval

// The one child-process spawner (engine/os/child_process.h) with real processes: pipes both ways, environment,
// working directory, its own process group, a program that cannot start, a child that exits early.
#include "engine/os/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string>

namespace llmeval {
namespace {

std::string ReadAll(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t got = read(fd, buf, sizeof(buf));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    out.append(buf, static_cast<size_t>(got));
  }
  close(fd);
  return out;
}

int Reap(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

TEST(ChildProcess, PipesStdinToStdoutAndStderrApart) {
  SpawnOptions options;
  options.argv = {"sh", "-c", "cat; echo oops >&2"};
  Result<ChildPipes> child = SpawnWithPipes(options);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  ASSERT_TRUE(WriteAllWithoutSigpipe(child->in, "hello\n"));
  close(child->in);
  EXPECT_EQ(ReadAll(child->out), "hello\n");
  EXPECT_EQ(ReadAll(child->err), "oops\n");
  EXPECT_EQ(DescribeWaitStatus(Reap(child->pid)), "exited with code 0");
}

TEST(ChildProcess, EnvironmentIsAddedToOrReplaced) {
  setenv("LLMEVAL_CHILD_TEST_INHERITED", "kept", 1);
  SpawnOptions options;
  options.argv = {"sh", "-c", "echo \"$LLMEVAL_CHILD_TEST_INHERITED/$LLMEVAL_CHILD_TEST_ADDED\""};
  options.env["LLMEVAL_CHILD_TEST_ADDED"] = "added";
  Result<ChildPipes> child = SpawnWithPipes(options);
  ASSERT_TRUE(child.ok());
  close(child->in);
  EXPECT_EQ(ReadAll(child->out), "kept/added\n");
  close(child->err);
  Reap(child->pid);

  options.inherit_env = false;
  options.env["PATH"] = "/usr/bin:/bin";
  child = SpawnWithPipes(options);
  ASSERT_TRUE(child.ok());
  close(child->in);
  EXPECT_EQ(ReadAll(child->out), "/added\n");
  close(child->err);
  Reap(child->pid);
}

TEST(ChildProcess, RunsInTheWorkingDirectoryAndItsOwnProcessGroup) {
  SpawnOptions options;
  options.argv = {"sh", "-c", "pwd; ps -o pgid= -p $$"};
  options.working_dir = "/tmp";
  Result<ChildPipes> child = SpawnWithPipes(options);
  ASSERT_TRUE(child.ok());
  close(child->in);
  std::string out = ReadAll(child->out);
  close(child->err);
  Reap(child->pid);
  EXPECT_EQ(out.substr(0, out.find('\n')), "/tmp");
  EXPECT_EQ(std::stol(out.substr(out.find('\n') + 1)), child->pid);
}

TEST(ChildProcess, AProgramThatCannotStartIsInvalidInputWithTheReason) {
  SpawnOptions options;
  options.argv = {"/nonexistent/llmeval-no-such-program"};
  Result<ChildPipes> child = SpawnWithPipes(options);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(child.status().message().find("No such file"), std::string::npos) << child.status().message();
  options.argv = {};
  EXPECT_EQ(SpawnWithPipes(options).status().code(), StatusCode::kInvalidInput);
}

TEST(ChildProcess, WritingToAChildThatExitedFailsWithoutSigpipe) {
  SpawnOptions options;
  options.argv = {"true"};
  Result<ChildPipes> child = SpawnWithPipes(options);
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(DescribeWaitStatus(Reap(child->pid)), "exited with code 0");
  std::string big(1 << 20, 'x');  // More than a pipe holds, so the write meets the closed reader.
  EXPECT_FALSE(WriteAllWithoutSigpipe(child->in, big));
  close(child->in);
  close(child->out);
  close(child->err);
}

TEST(ChildProcess, KillingTheGroupIsReportedAsASignal) {
  SpawnOptions options;
  options.argv = {"sleep", "30"};
  Result<ChildPipes> child = SpawnWithPipes(options);
  ASSERT_TRUE(child.ok());
  kill(-child->pid, SIGKILL);
  EXPECT_EQ(DescribeWaitStatus(Reap(child->pid)), "was killed by signal 9");
  close(child->in);
  close(child->out);
  close(child->err);
}

}  // namespace
}  // namespace llmeval

#include "engine/os/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace llmeval {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options) {
  if (options.argv.empty()) return Status::InvalidInput("no program to run");
  SpawnOptions spawn;
  spawn.argv = options.argv;
  spawn.working_dir = options.working_dir;
  spawn.env = options.env;
  spawn.inherit_env = options.inherit_env;
  Result<ChildPipes> child = SpawnWithPipes(spawn);
  if (!child.ok()) {
    if (child.status().code() != StatusCode::kInvalidInput) return child.status();
    return Status::InvalidInput("cannot run '" + options.argv[0] + "': " + child.status().message());
  }
  pid_t pid = child->pid;

  SubprocessResult result;
  fcntl(child->in, F_SETFL, O_NONBLOCK);
  size_t written = 0;
  int stdin_fd = child->in;
  if (options.stdin_data.empty()) {
    close(stdin_fd);
    stdin_fd = -1;
  }
  int fds_open[2] = {child->out, child->err};
  int64_t deadline = NowMs() + options.timeout_ms;
  char buf[65536];
  while (fds_open[0] >= 0 || fds_open[1] >= 0) {
    pollfd fds[3];
    int index_of[3] = {-1, -1, -1};
    int n = PollOutputPipes(fds_open, fds, index_of);
    int stdin_slot = -1;
    if (stdin_fd >= 0) {
      stdin_slot = n;
      fds[n++] = {stdin_fd, POLLOUT, 0};
    }
    int64_t remaining = deadline - NowMs();
    if (remaining <= 0) {
      result.timed_out = true;
      break;
    }
    int ready = poll(fds, static_cast<nfds_t>(n), static_cast<int>(remaining));
    if (ready < 0 && errno != EINTR) break;
    for (int k = 0; k < n; ++k) {
      if (fds[k].revents == 0) continue;
      if (k == stdin_slot) {
        ssize_t w =
            WriteWithoutSigpipe(stdin_fd, options.stdin_data.data() + written, options.stdin_data.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 && errno != EAGAIN) written = options.stdin_data.size();
        if (written >= options.stdin_data.size() || (fds[k].revents & (POLLERR | POLLHUP))) {
          close(stdin_fd);
          stdin_fd = -1;
        }
        continue;
      }
      int i = index_of[k];
      ssize_t got = read(fds_open[i], buf, sizeof(buf));
      if (got <= 0) {
        close(fds_open[i]);
        fds_open[i] = -1;
        continue;
      }
      std::string& target = i == 0 ? result.out : result.err;
      size_t room = options.max_output_bytes > target.size() ? options.max_output_bytes - target.size() : 0;
      size_t take = std::min(room, static_cast<size_t>(got));
      target.append(buf, take);
      if (take < static_cast<size_t>(got)) result.truncated = true;
    }
  }
  if (stdin_fd >= 0) close(stdin_fd);
  for (int fd : fds_open) {
    if (fd >= 0) close(fd);
  }
  if (result.timed_out) kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  return result;
}

}  // namespace llmeval

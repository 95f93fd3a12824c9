#include "engine/os/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

extern char** environ;

namespace llmeval {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::vector<std::string> BuildEnvironment(const SubprocessOptions& options) {
  std::map<std::string, std::string> merged;
  if (options.inherit_env) {
    for (char** e = environ; *e != nullptr; ++e) {
      const char* eq = std::strchr(*e, '=');
      if (eq != nullptr) merged[std::string(*e, static_cast<size_t>(eq - *e))] = eq + 1;
    }
  }
  for (const auto& [k, v] : options.env) merged[k] = v;
  std::vector<std::string> env;
  for (const auto& [k, v] : merged) env.push_back(k + "=" + v);
  return env;
}

}  // namespace

ssize_t WriteWithoutSigpipe(int fd, const char* data, size_t size) {
  sigset_t pipe_only, old;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  ssize_t w = write(fd, data, size);
  int saved = errno;
  if (w < 0 && saved == EPIPE) {
    timespec zero{0, 0};
    sigtimedwait(&pipe_only, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = saved;
  return w;
}

bool WriteAllWithoutSigpipe(int fd, const std::string& data) {
  size_t written = 0;
  while (written < data.size()) {
    ssize_t w = WriteWithoutSigpipe(fd, data.data() + written, data.size() - written);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    written += static_cast<size_t>(w);
  }
  return true;
}

Result<SubprocessResult> RunSubprocess(const SubprocessOptions& options) {
  if (options.argv.empty()) return Status::InvalidInput("no program to run");
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return Status::IOError("pipe failed");
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    return Status::IOError("pipe failed");
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(in_pipe[0]);
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(out_pipe[1]);
    return Status::IOError("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  if (!options.working_dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, options.working_dir.c_str());
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);

  std::vector<std::string> env = BuildEnvironment(options);
  std::vector<char*> envp;
  for (std::string& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = options.argv;
  std::vector<char*> argp;
  for (std::string& s : args) argp.push_back(s.data());
  argp.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argp[0], &actions, &attr, argp.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(in_pipe[1]);
    close(out_pipe[0]);
    close(err_pipe[0]);
    return Status::InvalidInput("cannot run '" + options.argv[0] + "': " + std::strerror(rc));
  }

  SubprocessResult result;
  fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  size_t written = 0;
  int stdin_fd = in_pipe[1];
  if (options.stdin_data.empty()) {
    close(stdin_fd);
    stdin_fd = -1;
  }
  int fds_open[2] = {out_pipe[0], err_pipe[0]};
  int64_t deadline = NowMs() + options.timeout_ms;
  char buf[65536];
  while (fds_open[0] >= 0 || fds_open[1] >= 0) {
    pollfd fds[3];
    int n = 0;
    int index_of[3] = {-1, -1, -1};
    for (int i = 0; i < 2; ++i) {
      if (fds_open[i] >= 0) {
        index_of[n] = i;
        fds[n++] = {fds_open[i], POLLIN, 0};
      }
    }
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

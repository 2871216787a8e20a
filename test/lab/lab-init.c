/*
 * lab-init: the first process of a Lifeboat lab host (one per host, in the host's own namespaces).
 * It marks itself a child subreaper (PR_SET_CHILD_SUBREAPER), so every daemon started on the host
 * (sshd, etcd, the control-plane stand-ins, anything started over SSH) is re-parented to it and reaped at
 * once (PID 1 on this machine reaps orphans only every ~1.5 s). It runs its arguments as its first child
 * (the host's boot script) and then reaps children until it is killed (the lab's teardown kills it last).
 *
 * lab-init --wrap CMD…: how Lab.sh() runs a command in a host (through nsenter). Also a subreaper: it runs
 * CMD, writes CMD's exit status to fd 3 and lets go of stdin/stdout/stderr, so the controller has its answer;
 * then it stays to reap whatever CMD left running (a daemon started with `service x start`) and exits when the
 * last of those has. Without fd 3 it just execs CMD.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_chld(int sig) { (void)sig; }

static int status_code(int st) { return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st); }

static int wrap(char **cmd) {
  if (fcntl(3, F_GETFD) < 0) {
    execvp(cmd[0], cmd);
    fprintf(stderr, "lab-init: exec %s: %s\n", cmd[0], strerror(errno));
    return 127;
  }
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) perror("lab-init: prctl(PR_SET_CHILD_SUBREAPER)");
  pid_t child = fork();
  if (child < 0) {
    perror("lab-init: fork");
    return 1;
  }
  if (child == 0) {
    close(3);
    execvp(cmd[0], cmd);
    fprintf(stderr, "lab-init: exec %s: %s\n", cmd[0], strerror(errno));
    _exit(127);
  }
  int st = 0;
  while (waitpid(child, &st, 0) < 0 && errno == EINTR) {
  }
  int code = status_code(st);
  dprintf(3, "%d\n", code);
  close(3);
  int null = open("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    if (null > 2) close(null);
  }
  while (wait(NULL) > 0 || errno == EINTR) {
  }
  return code;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: lab-init COMMAND [ARG...] | lab-init --wrap COMMAND [ARG...]\n");
    return 2;
  }
  if (strcmp(argv[1], "--wrap") == 0) return argc < 3 ? 2 : wrap(argv + 2);
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    perror("lab-init: prctl(PR_SET_CHILD_SUBREAPER)");
    return 1;
  }
  sigset_t chld, none;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigemptyset(&none);
  sigprocmask(SIG_BLOCK, &chld, NULL); /* SIGCHLD only wakes sigsuspend below: no lost wake-ups */
  pid_t first = fork();
  if (first < 0) {
    perror("lab-init: fork");
    return 1;
  }
  if (first == 0) {
    sigprocmask(SIG_SETMASK, &none, NULL);
    execvp(argv[1], argv + 1);
    fprintf(stderr, "lab-init: exec %s: %s\n", argv[1], strerror(errno));
    _exit(127);
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_chld; /* a handler: an ignored SIGCHLD would not end sigsuspend */
  sigaction(SIGCHLD, &sa, NULL);
  for (;;) {
    int status;
    pid_t p;
    while ((p = waitpid(-1, &status, WNOHANG)) > 0) {
      if (p == first) {
        fprintf(stderr, "lab-init: boot exited with status %d\n", status_code(status));
        fflush(stderr);
      }
    }
    sigsuspend(&none);
  }
}

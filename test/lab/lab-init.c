/*
 * lab-init: the first process of a Lifeboat lab host (one per host, in the host's own namespaces).
 * It marks itself a child subreaper (PR_SET_CHILD_SUBREAPER), so every daemon started on the host
 * (sshd, etcd, the control-plane stand-ins, anything started over SSH) is re-parented to it and reaped at
 * once (PID 1 on this machine reaps orphans only every ~1.5 s). It runs its arguments as its first child
 * (the host's boot script) and then reaps children until it is killed (the lab's teardown kills it last).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_chld(int sig) { (void)sig; }

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: lab-init COMMAND [ARG...]\n");
    return 2;
  }
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
        fprintf(stderr, "lab-init: boot exited with status %d\n",
                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        fflush(stderr);
      }
    }
    sigsuspend(&none);
  }
}

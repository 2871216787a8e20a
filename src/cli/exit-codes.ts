/** Documented exit codes (docs/execution.md). */
export const EXIT = {
  OK: 0,
  /** Input problem reported before anything ran: usage, inventory, playbook, validation. */
  USAGE: 4,
  /** One or more tasks failed. */
  TASK_FAILED: 2,
  /** One or more hosts were unreachable. */
  UNREACHABLE: 3,
  /** The plan given to `apply` no longer matches the present (inputs or probed facts changed). */
  PLAN_STALE: 5,
  /** Interrupted (Ctrl-C). */
  INTERRUPTED: 130,
  /** A bug in Lifeboat. */
  INTERNAL: 70,
} as const;

/**
 * `npm run bench` runs every bench below in turn; `npm run bench -- NAME [options]` runs one (its options are
 * in its file). Each needs `npm run build` first where it runs the CLI, and root + the lab (test/lab) where it
 * contacts hosts; a bench that cannot run here says why and goes on. Benches report; nothing is asserted.
 *   startup  bench/startup.ts     `lifeboat --version` and a one-task local run, median of 10 processes
 *   engine   bench/engine-run.ts  20 × /bin/true on 10 hosts: Lifeboat vs raw ssh2, ControlMaster, Ansible
 *   scale    bench/scale.ts       100 hosts × 20 tasks vs 10 hosts: wall, controller CPU and peak RSS
 *   copy     bench/copy.ts        a 1 GiB snapshot to 3 hosts, sha256 while streaming, vs `ssh … cat >`
 *   drill    bench/drill.ts       backup + restore of a 3-member TLS etcd lab: Lifeboat vs Ansible vs by hand
 */
const BENCHES: Record<string, () => Promise<{ run: (args: string[]) => Promise<void> }>> = {
  startup: () => import('./startup.js'),
  engine: () => import('./engine-run.js'),
  scale: () => import('./scale.js'),
  copy: () => import('./copy.js'),
  drill: () => import('./drill.js'),
};

const argv = process.argv.slice(2);
const [name, ...rest] = argv;
if (name?.startsWith('-')) {
  // options without a name: the engine bench's (its command line before there were several benches)
  await (await BENCHES.engine?.())?.run(argv);
} else if (name) {
  const load = BENCHES[name];
  if (!load) {
    console.error(`unknown bench "${name}"; one of: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  await (await load()).run(rest);
} else {
  for (const [n, load] of Object.entries(BENCHES)) {
    console.log(`\n== bench ${n}`);
    await (await load()).run([]);
  }
}

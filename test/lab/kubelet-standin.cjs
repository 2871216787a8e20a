#!/usr/bin/env node
// kubelet — Lifeboat lab stand-in: runs the static pods in /etc/kubernetes/manifests as processes of this
// host, as the kubelet does with containers: a pod starts when its manifest appears or changes, stops (SIGTERM,
// SIGKILL after its grace period) when the manifest goes, and restarts (1 s back-off) when it dies. Each
// container's `command` runs with PATH = its "image" (/opt/lifeboat-lab-images/<image name>/bin) first.
// Logs: /var/log/pods/<pod>.log. State: /run/lifeboat-kubelet/<pod>.pid (the pod's process).
'use strict';
const { spawn } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('yaml');

const DIR = process.env.KUBELET_MANIFESTS || '/etc/kubernetes/manifests';
const IMAGES = '/opt/lifeboat-lab-images';
const RUN = '/run/lifeboat-kubelet';
fs.mkdirSync(RUN, { recursive: true });
fs.mkdirSync('/var/log/pods', { recursive: true });
const log = (m) => console.log(`${new Date().toISOString()} ${m}`);
/** name → { hash, child, restartAt, stopping } */
const pods = new Map();

function podOf(file) {
  const text = fs.readFileSync(file, 'utf8');
  const doc = parse(text);
  const c = doc?.spec?.containers?.[0];
  if (!doc?.metadata?.name || !Array.isArray(c?.command)) throw new Error(`${file}: no metadata.name or containers[0].command`);
  const image = String(c.image ?? '').replace(/^.*\//, '').replace(/:.*$/, '');
  return { name: doc.metadata.name, hash: createHash('sha256').update(text).digest('hex'), argv: [...c.command, ...(c.args ?? [])].map(String), image,
    grace: Number(doc.spec.terminationGracePeriodSeconds ?? 30) };
}

function start(p) {
  const out = fs.openSync(`/var/log/pods/${p.name}.log`, 'a');
  const env = { PATH: `${IMAGES}/${p.image}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, HOME: '/root' };
  const child = spawn(p.argv[0], p.argv.slice(1), { env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const st = { ...p, child, stopping: false };
  child.on('error', (e) => log(`pod ${p.name}: ${e.message}`));
  child.on('exit', (code, sig) => {
    fs.rmSync(`${RUN}/${p.name}.pid`, { force: true });
    if (st.stopping) return;
    log(`pod ${p.name}: exited (${sig ?? code}); restarting in 1 s`);
    st.child = undefined;
    st.restartAt = Date.now() + 1000;
  });
  if (child.pid) fs.writeFileSync(`${RUN}/${p.name}.pid`, `${child.pid}\n`);
  log(`pod ${p.name}: started ${p.argv[0]} (pid ${child.pid})`);
  pods.set(p.name, st);
}

function stop(st) {
  st.stopping = true;
  const c = st.child;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  c.kill('SIGTERM');
  const t = setTimeout(() => c.kill('SIGKILL'), st.grace * 1000);
  c.on('exit', () => clearTimeout(t));
  log(`pod ${st.name}: stopping (pid ${c.pid})`);
}

function sync() {
  const seen = new Set();
  let files = [];
  try {
    files = fs.readdirSync(DIR).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith('.'));
  } catch {}
  for (const f of files) {
    let p;
    try {
      p = podOf(path.join(DIR, f));
    } catch {
      continue; // half-written or invalid: as the kubelet, try again next time
    }
    seen.add(p.name);
    const st = pods.get(p.name);
    if (!st) start(p);
    else if (st.hash !== p.hash) {
      stop(st);
      pods.delete(p.name);
      const c = st.child;
      if (c && c.exitCode === null && c.signalCode === null) c.once('exit', () => start(p));
      else start(p);
    } else if (!st.child && st.restartAt && Date.now() >= st.restartAt) start(p);
  }
  for (const [name, st] of pods) {
    if (!seen.has(name)) {
      stop(st);
      pods.delete(name);
    }
  }
}

log(`kubelet (Lifeboat lab stand-in) watching ${DIR}`);
process.on('SIGTERM', () => process.exit(0)); // pods keep running, as containers do when the kubelet restarts
setInterval(sync, 300);
sync();

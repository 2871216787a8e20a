import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Connection } from '../../connection/types.js';
import { localSnapshotDigest } from './local-snapshot.js';
import { localStatus } from './local-status.js';
import { withTunnelClient } from './observe-tunnel.js';
import type { SnapshotCheck } from './snapfile.js';
import type { ToolsDir } from './tools-dir.js';
import type { PlannedMember } from './types.js';

/**
 * `snapshot save` without etcdctl on the node: the member's snapshot stream (etcd appends its sha256 as the last
 * 32 bytes, as for etcdctl) written to `<local>.partial` on the controller through an SSH tunnel, then checked
 * here — size, sha256, trailer, and `snapshot status` with the controller's etcdutl/etcdctl (or etcd_tools_dir's)
 * — and renamed to `local` only when sound. A failed download's partial file is removed (it is only ours).
 */
export async function snapshotOverTunnel(m: PlannedMember, conn: Connection, become: boolean, local: string, tools?: ToolsDir): Promise<SnapshotCheck> {
  const tmp = `${local}.partial`;
  try {
    const out = createWriteStream(tmp, { mode: 0o600 });
    await withTunnelClient(m, conn, become, async (client) => {
      const stream = await client.maintenance.snapshot();
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (r) => out.write(r.blob));
        stream.on('end', () => resolve());
        stream.on('error', reject);
      });
    });
    out.end();
    await finished(out);
    const d = await localSnapshotDigest(tmp);
    const check: SnapshotCheck = { size: d.size, sha256: d.sha256, trailer_ok: d.trailerOk };
    const st = await localStatus(tmp, tools);
    if (st === null) check.status_error = 'no etcdutl or etcdctl on the controller to run snapshot status: install one, or give etcd_tools_dir';
    else if (!st.ok) check.status_error = st.text;
    else {
      try {
        check.status = JSON.parse(st.text) as SnapshotCheck['status'];
      } catch {
        check.status_error = st.text.slice(0, 300);
      }
    }
    if (check.status && check.trailer_ok) await rename(tmp, local);
    else await rm(tmp, { force: true });
    return check;
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

import { registerModule } from '../registry.js';
import { etcdFactsModule } from './facts.js';
import { etcdLockModule } from './lock.js';
import { etcdDrillModule } from './drill.js';
import { etcdServiceModule } from './member-service.js';
import { etcdPreflightModule } from './preflight.js';
import { etcdRestoreModule } from './restore.js';
import { etcdRollbackModule } from './rollback.js';
import { etcdSnapshotCopyModule } from './snapshot-copy.js';
import { etcdSnapshotModule } from './snapshot.js';
import { etcdStatusModule } from './status.js';
import { etcdToolsModule } from './tools.js';
import { etcdVerifyModule } from './verify.js';

/** The etcd disaster-recovery modules (docs/etcd.md). */
for (const m of [
  etcdFactsModule,
  etcdStatusModule,
  etcdSnapshotModule,
  etcdSnapshotCopyModule,
  etcdPreflightModule,
  etcdRestoreModule,
  etcdVerifyModule,
  etcdRollbackModule,
  etcdLockModule,
  etcdDrillModule,
  etcdServiceModule,
  etcdToolsModule,
]) {
  registerModule(m as never);
}

// Starts a lab and then hangs, for the test that kills its owner (SIGKILL) and expects the next cleanup to
// remove everything. Prints {"id":…,"dir":…} once the lab is up.
import { startLab } from '../index.js';

const lab = await startLab({ hosts: 1, masters: 1 });
process.stdout.write(`${JSON.stringify({ id: lab.id, dir: lab.dir, init: lab.initPid('node1') })}\n`);
setInterval(() => {}, 1 << 30);

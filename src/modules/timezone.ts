import { shellQuote } from '../connection/quote.js';
import { argError, failedOp, parseKeyValues, probe } from './common.js';
import { registerModule } from './registry.js';
import type { ModuleDef, Operation, Step } from './types.js';

/**
 * timezone (community.general.timezone) — the host's zone in /etc/localtime (and /etc/timezone where the host
 * has one, as Debian does) and the hardware clock's mode in /etc/adjtime. Like hostname, it writes the files
 * rather than calling timedatectl (which needs D-Bus and systemd-timedated); timedated reads the same files, so a
 * systemd host ends in the same state. One probe reads everything; only what differs becomes a step.
 *
 * /etc/localtime is replaced atomically (a new symlink renamed over it). Where the host keeps a copy rather than
 * a symlink, the copy is replaced by a copy, as Ansible does.
 *
 * Returns: diff-style before/after (name, hwclock), as Ansible's module does.
 */
export interface TimezoneArgs {
  name?: string;
  hwclock?: string;
}

const ZONEINFO = '/usr/share/zoneinfo';

export const timezoneSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    hwclock: { type: 'string', enum: ['local', 'UTC', 'utc', 'LOCAL'] },
    rtc: { type: 'string', enum: ['local', 'UTC', 'utc', 'LOCAL'] },
  },
};

function probeCmd(name: string | undefined): string {
  const lines = [
    'if [ -L /etc/localtime ]; then echo "link=$(readlink /etc/localtime)"; elif [ -e /etc/localtime ]; then echo copy=yes; fi',
    'if [ -f /etc/timezone ]; then echo "file=$(head -n1 /etc/timezone)"; fi',
    'if [ -f /etc/adjtime ]; then echo "adj=$(sed -n 3p /etc/adjtime)"; fi',
  ];
  if (name) {
    const zone = shellQuote(`${ZONEINFO}/${name}`);
    lines.push(`if [ -f ${zone} ]; then echo zone=yes; fi`);
    lines.push(`if [ -e /etc/localtime ] && ! [ -L /etc/localtime ] && cmp -s /etc/localtime ${zone}; then echo same=yes; fi`);
  }
  return lines.join('; ');
}

export const timezoneModule: ModuleDef<TimezoneArgs & { rtc?: string }> = {
  name: 'timezone',
  summary: "Set the host's time zone (/etc/localtime, /etc/timezone) and the hardware clock's mode",
  schema: timezoneSchema,
  async plan(ctx): Promise<Operation> {
    const { name } = ctx.args;
    const hwArg = ctx.args.hwclock ?? ctx.args.rtc;
    if (!name && !hwArg) throw argError('timezone', ctx, 'one of the following is required: name, hwclock');
    if (name && (name.includes('..') || name.startsWith('/')))
      throw argError('timezone', ctx, `name: ${name} is not a zone name`, 'give a name from the tz database, such as Europe/Berlin or UTC');
    const kv = parseKeyValues((await probe(ctx, probeCmd(name))).stdout);
    const link = kv.get('link');
    const linkZone = link?.includes('zoneinfo/') ? link.slice(link.lastIndexOf('zoneinfo/') + 'zoneinfo/'.length) : undefined;
    const current = linkZone ?? kv.get('file') ?? 'n/a';
    const steps: Step[] = [];
    if (name) {
      if (kv.get('zone') !== 'yes') return failedOp(`given timezone "${name}" is not available`);
      const zone = `${ZONEINFO}/${name}`;
      const tmp = '/etc/.localtime.lifeboat';
      if (link !== undefined || kv.get('copy') !== 'yes') {
        if (linkZone !== name)
          steps.push({
            kind: 'exec',
            cmd: `ln -sfn ${shellQuote(zone)} ${tmp} && mv -Tf ${tmp} /etc/localtime`,
            description: `point /etc/localtime at ${zone} (was ${link ?? 'absent'})`,
          });
      } else if (kv.get('same') !== 'yes') {
        steps.push({
          kind: 'exec',
          cmd: `cp ${shellQuote(zone)} ${tmp} && chmod 644 ${tmp} && mv -Tf ${tmp} /etc/localtime`,
          description: `copy ${zone} to /etc/localtime`,
        });
      }
      const file = kv.get('file');
      if (file !== undefined && file !== name)
        steps.push({ kind: 'put', dest: '/etc/timezone', content: `${name}\n`, mode: 0o644, description: `write /etc/timezone (${name})` });
    }
    const adj = kv.get('adj');
    const hwBefore = adj === undefined ? 'UTC' : adj.toUpperCase() === 'LOCAL' ? 'local' : 'UTC';
    const hwAfter = hwArg === undefined ? hwBefore : hwArg.toUpperCase() === 'LOCAL' ? 'local' : 'UTC';
    if (hwAfter !== hwBefore) {
      const word = hwAfter === 'local' ? 'LOCAL' : 'UTC';
      steps.push(
        adj === undefined
          ? { kind: 'put', dest: '/etc/adjtime', content: `0.0 0 0.0\n0\n${word}\n`, mode: 0o644, description: `write /etc/adjtime (${word})` }
          : { kind: 'exec', cmd: `sed -i '3s/.*/${word}/' /etc/adjtime`, description: `set the hardware clock to ${word} in /etc/adjtime` },
      );
    }
    const before = { name: current, hwclock: hwBefore };
    const after = { name: name ?? current, hwclock: hwAfter };
    const text = (o: { name: string; hwclock: string }) => `name = ${o.name}\nhwclock = ${o.hwclock}\n`;
    return {
      changed: steps.length > 0,
      steps,
      ...(steps.length ? { diff: [{ path: 'timezone', before: text(before), after: text(after) }] } : {}),
      result: { diff: { before, after } },
    };
  },
};

registerModule(timezoneModule);

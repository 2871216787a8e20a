import type { Lab } from '../lab/index.js';

/** The keys tests wrote (the apiserver stand-ins keep renewing /registry/masterleases/ on their own). */
export async function dataKeys(lab: Lab, prefix?: string): Promise<Map<string, string>> {
  const all = await lab.readKeys(prefix);
  return new Map([...all].filter(([k]) => !k.startsWith('/registry/masterleases/')));
}

export async function isRunning(lab: Lab, host: string, svc: string): Promise<boolean> {
  return (await lab.sh(host, `service ${svc} status`)).rc === 0;
}

export const CONTROL_PLANE = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

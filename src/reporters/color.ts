/** Minimal ANSI styling that respects NO_COLOR and FORCE_COLOR (https://no-color.org). */
export type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'gray' | 'bold' | 'magenta';

const CODES: Record<Style, [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  magenta: [35, 39],
  gray: [90, 39],
  bold: [1, 22],
};

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export type Paint = (style: Style, text: string) => string;

export function painter(enabled: boolean): Paint {
  if (!enabled) return (_s, t) => t;
  return (s, t) => {
    const [a, b] = CODES[s];
    return `\u001b[${a}m${t}\u001b[${b}m`;
  };
}

/**
 * Python's single-character string escapes (`\n`, `\t`, `\\`, `\'`, a backslash-newline continuation, …), shared
 * by the INI value reader (Python literals, as Ansible reads INI inventories) and the template lexer (Jinja string
 * literals follow Python's escapes). `\x`, `\u`, `\U` and octal escapes are handled by each reader.
 */
export const PY_SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\n': '',
};

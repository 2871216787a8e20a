/** Connection variables that hold passwords: their values are masked wherever they would appear. */
export const PASSWORD_VARS = [
  'ansible_become_password',
  'ansible_become_pass',
  'ansible_sudo_pass',
  'ansible_password',
  'ansible_ssh_pass',
  'ansible_ssh_password',
] as const;

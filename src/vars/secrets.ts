/** Variables that hold passwords or credentials (connections; an s3:// backup store): masked wherever they would appear. */
export const PASSWORD_VARS = [
  'ansible_become_password',
  'ansible_become_pass',
  'ansible_sudo_pass',
  'ansible_password',
  'ansible_ssh_pass',
  'ansible_ssh_password',
  'etcd_backup_s3_access_key_id',
  'etcd_backup_s3_secret_access_key',
] as const;

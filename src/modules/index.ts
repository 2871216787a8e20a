/**
 * Importing this file registers every module (each module file calls registerModule on import).
 * Generic modules live beside this file; etcd ones are registered by ./etcd/index.ts.
 */
import './etcd/index.js';
import './copy.js';
import './stat.js';
import './command.js';
import './shell.js';
import './script.js';
import './file.js';
import './lineinfile.js';
import './template.js';
import './fetch.js';
import './service.js';
import './systemd.js';
import './wait_for.js';
import './setup.js';
import './debug.js';
import './assert.js';
import './fail.js';
import './pause.js';
import './meta.js';
import './set_fact.js';
import './include_vars.js';
import './group_by.js';
import './blockinfile.js';
import './replace.js';
import './hostname.js';
import './sysctl.js';
import './modprobe.js';
import './apt.js';
import './package.js';
import './dpkg_selections.js';
import './group.js';
import './user.js';
import './raw.js';
import './slurp.js';
import './tempfile.js';
import './find.js';
import './service_facts.js';
import './selinux.js';
import './pam_limits.js';
import './package_facts.js';
import './get_url.js';
import './unarchive.js';
import './uri.js';
import './mount.js';

#!/usr/bin/env node
// Builds the web app when its build is missing or older than its sources (run before `npm start`,
// by the browser tests and by bench:web): first the API types from the server's OpenAPI document
// (scripts/openapi.ts), then the Vite build into web/dist. `--force` builds anyway; `--types-only`
// stops after the types (typecheck).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const force = process.argv.includes('--force');
const typesOnly = process.argv.includes('--types-only');

/** The newest modification time of the files under these paths (0 when none exist). */
function newest(...paths) {
  let latest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    else latest = Math.max(latest, stat.mtimeMs);
  };
  for (const p of paths) visit(path.join(root, p));
  return latest;
}
const mtime = (p) => (fs.existsSync(path.join(root, p)) ? fs.statSync(path.join(root, p)).mtimeMs : 0);
function run(args, label) {
  console.log(`web: ${label}…`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const typesFile = 'web/src/shared/api-types.ts';
const rightsFile = 'web/src/shared/api-rights.ts';
if (force || mtime(typesFile) === 0 || mtime(rightsFile) === 0 || newest('src', 'scripts/openapi.ts', 'package-lock.json') > mtime(typesFile)) {
  run(['--import', 'tsx', 'scripts/openapi.ts'], 'generating the API types from the OpenAPI document');
}
if (typesOnly) process.exit(0);

const stamp = 'web/dist/.vite/manifest.json';
if (force || mtime(stamp) === 0 || newest('web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'package-lock.json') > mtime(stamp)) {
  run([path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], 'building the web app (web/dist)');
} else {
  console.log('web: the build in web/dist is up to date');
}

#!/usr/bin/env node
// Runs the whole test suite once per engine: SQLite always, PostgreSQL when TEST_DATABASE_URL
// (or DATABASE_URL) points at a server. Prints a closing line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const pgUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
const engines = [{ name: 'sqlite', env: { GUICHET_TEST_ENGINE: 'sqlite' } }];
if (pgUrl) engines.push({ name: 'postgres', env: { GUICHET_TEST_ENGINE: 'postgres', TEST_DATABASE_URL: pgUrl } });

// Every *.test.ts under test/ (tests mirror src/: test/core/<area>, test/dialects/<name>, test/web).
const findTests = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? findTests(path.join(dir, e.name)) : e.name.endsWith('.test.ts') ? [path.join(dir, e.name)] : [])).sort();
const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : findTests('test');
// Browser journeys (test/web/) drive Debian's Chromium against a real server: once, in the SQLite pass.
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const isBrowserTest = (file) => path.relative('test/web', path.resolve(file)).split(path.sep)[0] !== '..' && !path.isAbsolute(path.relative('test/web', path.resolve(file)));
const browserFiles = files.filter(isBrowserTest);
if (browserFiles.length > 0) {
  if (fs.existsSync(chromium)) console.log(`=== browser tests ran: ${browserFiles.length} file(s) with ${chromium} (SQLite pass) ===`);
  else console.log(`=== browser tests skipped: Chromium not found at ${chromium}. Install it (apt-get install chromium) and run npm test again, or: node scripts/test.mjs ${browserFiles.join(' ')} ===`);
}
let passed = 0;
let failed = 0;
let exitCode = 0;
for (const engine of engines) {
  console.log(`\n=== test pass on ${engine.name} ===`);
  const engineFiles = engine.name === 'sqlite' ? files : files.filter((f) => !isBrowserTest(f));
  if (engineFiles.length === 0) {
    console.log(`=== ${engine.name}: no test file for this engine ===`);
    continue;
  }
  const tap = path.join(os.tmpdir(), `guichet-test-${process.pid}-${engine.name}.tap`);
  const env = { ...process.env, ...engine.env };
  delete env.DATABASE_URL; // tests open their own databases; never the configured one
  if (engine.name === 'sqlite') delete env.TEST_REDIS_URL; // the embedded pass needs no server at all
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...engineFiles],
    { stdio: 'inherit', env },
  );
  const report = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  fs.rmSync(tap, { force: true });
  const count = (label) => Number((report.match(new RegExp(`^# ${label} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  console.log(`=== ${engine.name}: ${count('pass')} passed, ${count('fail') + count('cancelled')} failed ===`);
  if (result.status !== 0) exitCode = result.status ?? 1;
}
if (!pgUrl) console.log('(PostgreSQL pass skipped: set TEST_DATABASE_URL=postgres://… to run it)');
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(exitCode);

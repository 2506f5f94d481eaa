import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { ENGINE, freshDatabase, PG_URL, processDatabaseUrl, runCli } from './helpers.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrator.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { loadConfig } from '../src/config.ts';

/** The URL a separate Guichet process would be given for the same database (PG: with the test schema on its path). */

describe(`storage on ${ENGINE}`, () => {
  test('transactions started together each commit or fail alone (SQLite shares one commit among them)', async () => {
    const fresh = await freshDatabase();
    const { database } = fresh;
    try {
      await sql`create table unit_log (id integer primary key, label text not null)`.execute(database.db);
      const insert = (id: number) => (trx: typeof database.db) => sql`insert into unit_log (id, label) values (${id}, ${`unit ${id}`})`.execute(trx).then(() => id);
      const outcomes = await Promise.allSettled([
        database.transaction(insert(1)),
        // Writes, then fails: its write must not survive, and must not take the others down.
        database.transaction(async (trx) => {
          await insert(2)(trx);
          throw new Error('refused after writing');
        }),
        database.transaction(insert(3)),
        // A failing statement (duplicate key) fails this unit only.
        database.transaction(insert(1)),
        database.transaction(insert(4)),
      ]);
      assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      assert.deepEqual(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : null)), [1, null, 3, null, 4]);
      const rows = await database.db.selectFrom('unit_log' as never).select(sql<number>`id`.as('id')).orderBy(sql`id`).execute();
      assert.deepEqual(rows.map((r) => Number(r.id)), [1, 3, 4]);
      // A unit's answer comes only once its writes are committed: another connection already sees them.
      const other = await openDatabase(fresh.schema ? `${PG_URL}` : fresh.url, fresh.schema ? { schema: fresh.schema } : {});
      try {
        await database.transaction(insert(5));
        const seen = await sql<{ n: number }>`select count(*) as n from unit_log where id = 5`.execute(other.db);
        assert.equal(Number(seen.rows[0].n), 1);
      } finally {
        await other.close();
      }
    } finally {
      await fresh.drop();
    }
  });

  test('migrations are versioned, recorded once, and a second run applies nothing', async () => {
    const fresh = await freshDatabase();
    try {
      const rows = await fresh.database.db.selectFrom('schema_migrations').selectAll().orderBy('version').execute();
      assert.deepEqual(rows.map((r) => r.version), migrations.map((m) => m.version));
      assert.deepEqual(await migrate(fresh.database), { applied: [] });
      const countries = await fresh.database.db.selectFrom('countries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.ok(Number(countries.n) >= 249, 'ISO 3166-1 loaded');
    } finally {
      await fresh.drop();
    }
  });

  test('two Guichet processes migrating one empty database at once apply each migration exactly once', async () => {
    const fresh = await freshDatabase();
    // Start from an empty database: drop what freshDatabase migrated.
    await fresh.drop();
    const empty = ENGINE === 'postgres' ? await freshSchemaOnly(fresh.schema!) : { url: fresh.url };
    const env = { DATABASE_URL: processDatabaseUrl({ url: empty.url, schema: fresh.schema }) };
    const [one, two] = await Promise.all([runCli(['migrate'], env), runCli(['migrate'], env)]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    const applied = [one.stdout, two.stdout].filter((out) => out.includes('migrations applied'));
    assert.equal(applied.length, 1, 'exactly one process applied the migrations');
    const database = await openDatabase(empty.url, fresh.schema ? { schema: fresh.schema } : {});
    try {
      const rows = await database.db.selectFrom('schema_migrations').select('version').execute();
      assert.equal(rows.length, migrations.length);
    } finally {
      await database.close();
      if (ENGINE === 'postgres') await dropSchema(fresh.schema!);
    }
  });

  test('two processes doing read-modify-write transactions on one database lose no update', async () => {
    const fresh = await freshDatabase();
    try {
      const t = new Date().toISOString();
      const { id } = await fresh.database.db
        .insertInto('organizations')
        .values({ slug: 'counter', name: '0', currency: 'EUR', time_zone: 'UTC', locale: 'en', created_at: t, updated_at: t })
        .returning('id')
        .executeTakeFirstOrThrow();
      const worker = () =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/increment.ts', fresh.url, fresh.schema ?? '', String(id), '40'], { stdio: 'inherit' });
          child.on('close', (code) => resolve(code ?? 1));
        });
      assert.deepEqual(await Promise.all([worker(), worker()]), [0, 0]);
      const final = await fresh.database.db.selectFrom('organizations').select('name').where('id', '=', id).executeTakeFirstOrThrow();
      assert.equal(final.name, '80');
    } finally {
      await fresh.drop();
    }
  });

  test('a failed transaction writes nothing', async () => {
    const fresh = await freshDatabase();
    try {
      const t = new Date().toISOString();
      await assert.rejects(
        fresh.database.transaction(async (trx) => {
          await trx.insertInto('organizations').values({ slug: 'ghost', name: 'Ghost', currency: 'EUR', time_zone: 'UTC', locale: 'en', created_at: t, updated_at: t }).execute();
          throw new Error('boom');
        }),
        /boom/,
      );
      const found = await fresh.database.db.selectFrom('organizations').select('id').where('slug', '=', 'ghost').execute();
      assert.deepEqual(found, []);
    } finally {
      await fresh.drop();
    }
  });

  test('a transaction that need not be durable commits its writes; on PostgreSQL it alone skips the WAL flush wait', async () => {
    const fresh = await freshDatabase();
    const { database } = fresh;
    try {
      await sql`create table hold_log (id integer primary key)`.execute(database.db);
      const setting = (trx: typeof database.db) =>
        ENGINE === 'postgres' ? sql<{ value: string }>`select current_setting('synchronous_commit') as value`.execute(trx).then((r) => r.rows[0].value) : Promise.resolve('n/a');
      const inHold = await database.transaction(async (trx) => {
        await sql`insert into hold_log (id) values (1)`.execute(trx);
        return setting(trx);
      }, { durable: false });
      const inSale = await database.transaction(async (trx) => {
        await sql`insert into hold_log (id) values (2)`.execute(trx);
        return setting(trx);
      });
      const rows = await sql<{ id: number }>`select id from hold_log order by id`.execute(database.db);
      assert.deepEqual(rows.rows.map((r) => Number(r.id)), [1, 2], 'both committed');
      if (ENGINE === 'postgres') {
        assert.equal(inHold, 'off', 'the hold transaction does not wait for the flush');
        assert.equal(inSale, 'on', 'the setting is local to that transaction');
      }
    } finally {
      await fresh.drop();
    }
  });

  test('CLI: create-admin and create-client give working credentials; production never seeds the demo', async () => {
    const fresh = await freshDatabase();
    try {
      const env = { DATABASE_URL: processDatabaseUrl(fresh) };
      const admin = await runCli(['create-admin', '--email', 'root@acme.test', '--username', 'root', '--password', 'root-password-1', '--organization', 'acme'], env);
      assert.equal(admin.code, 0, admin.stderr);
      const made = await runCli(['create-client', '--organization', 'acme', '--name', 'backoffice', '--owner', 'root@acme.test'], env);
      assert.equal(made.code, 0, made.stderr);
      const clientId = /client_id=(\S+)/.exec(made.stdout)![1];
      const secret = /client_secret=(\S+)/.exec(made.stdout)![1];
      const row = await fresh.database.db.selectFrom('oauth_clients').select(['secret_hash', 'account_id']).where('client_id', '=', clientId).executeTakeFirstOrThrow();
      assert.ok(row.secret_hash.startsWith('$argon2id$') && !row.secret_hash.includes(secret));
      const owner = await fresh.database.db
        .selectFrom('memberships')
        .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
        .select(['memberships.role', 'accounts.platform_role', 'accounts.id'])
        .where('accounts.email', '=', 'root@acme.test')
        .executeTakeFirstOrThrow();
      // An organization's owner, not a platform operator (create-operator makes those).
      assert.deepEqual([owner.role, owner.platform_role], ['owner', 'customer']);
      assert.equal(row.account_id, owner.id);
      const demo = await fresh.database.db.selectFrom('organizations').select('slug').where('slug', '=', 'demo').execute();
      assert.deepEqual(demo, [], 'no demo data was created');
      assert.equal(loadConfig({ DATABASE_URL: 'postgres://x/y' }).production, true);
      assert.equal(loadConfig({ GUICHET_PRODUCTION: '1' }).production, true);
      assert.equal(loadConfig({}).production, false);
      const usage = await runCli(['frobnicate'], env);
      assert.equal(usage.code, 2);
      assert.match(usage.stdout, /Usage/);
    } finally {
      await fresh.drop();
    }
  });
});

async function freshSchemaOnly(schema: string) {
  const database = await openDatabase(PG_URL, { schema });
  await database.close();
  return { url: PG_URL };
}

async function dropSchema(schema: string) {
  const database = await openDatabase(PG_URL);
  await sql.raw(`drop schema if exists ${schema} cascade`).execute(database.db);
  await database.close();
}

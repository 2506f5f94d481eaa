import cluster, { type Worker } from 'node:cluster';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrator.ts';
import { buildApp } from './app.ts';
import { createCore } from './core/index.ts';
import { LogMailer } from './core/notifications/mailer.ts';
import { DEMO, operatorPrincipal, seedDemo } from './demo/seed.ts';
import type { DemoSummary } from './demo/history.ts';

const USAGE = `Usage: guichet <command> [options]   (npm run cli -- <command> …)

Commands:
  serve                     start the HTTP server (default). Migrates; seeds the demo organization
                            on an empty embedded database unless GUICHET_PRODUCTION or DATABASE_URL is set
  migrate                   apply pending database migrations and exit
  seed-demo                 create the demo organization and its fixed credentials (explicit, any engine)
  create-admin              create an organization's owner (an account) and the organization they own;
                            the owner has no platform role
      --email E --username U --password P --organization SLUG [--organization-name N]
      [--currency EUR] [--time-zone Europe/Paris] [--locale fr-FR]
  create-operator           make a platform operator, who acts on every organization (administrator)
                            or supports them (support): a new account, or an existing one by e-mail
      --email E [--username U --password P] [--role administrator|support]
  create-client             create an OAuth client for an organization; prints its id and secret once
      --organization SLUG --name N [--scopes "public buy sell admin"] [--owner EMAIL]
`;

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' }, username: { type: 'string' }, password: { type: 'string' },
      organization: { type: 'string' }, 'organization-name': { type: 'string' }, currency: { type: 'string' },
      'time-zone': { type: 'string' }, locale: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' },
      owner: { type: 'string' }, role: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0] ?? 'serve';
  if (values.help || !['serve', 'migrate', 'seed-demo', 'create-admin', 'create-operator', 'create-client'].includes(command)) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const config = loadConfig();
  // A worker of a multi-process server: the primary has migrated and seeded already.
  if (cluster.isWorker) return serve(config, await openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize, otherWriters: true }));
  const database = await openDatabase(config.databaseUrl, { poolSize: config.databasePoolSize });
  const { applied } = await migrate(database);
  if (applied.length > 0) console.log(`migrations applied: ${applied.join(', ')}`);
  if (command === 'migrate') return database.close();

  const core = createCore({ database, config, clock: () => new Date(), mailer: new LogMailer() });
  if (command === 'serve') {
    if (!config.production) {
      const { created, summary } = await seedDemo(core);
      if (created) printDemoCredentials(summary);
    }
    if (config.workers > 1) {
      await database.close();
      return servePrimary(config, database.engine);
    }
    return serve(config, database);
  }

  try {
    if (command === 'seed-demo') {
      const { created, summary } = await seedDemo(core);
      if (created) printDemoCredentials(summary);
      else console.log('The demo organization already exists.');
    } else if (command === 'create-admin') {
      const { email, username, password, organization } = values;
      if (!email || !username || !password || !organization) throw new Error('create-admin needs --email, --username, --password and --organization');
      // An organization's owner, nothing more: platform roles are create-operator's alone.
      const account = await core.accounts.create({ email, username, password });
      const existing = await core.organizations.bySlug(organization);
      const org = existing
        ? await core.organizations.addOwner(existing.id, account.id)
        : await core.organizations.create(
            {
              slug: organization,
              name: values['organization-name'] ?? organization,
              currency: values.currency ?? 'EUR',
              timeZone: values['time-zone'] ?? 'Europe/Paris',
              locale: values.locale ?? 'fr-FR',
            },
            { accountId: account.id },
          );
      console.log(`Account ${account.username} (#${account.id}) created, owner of organization ${org.slug} (#${org.id}).`);
    } else if (command === 'create-operator') {
      const { email, username, password } = values;
      const role = values.role ?? 'administrator';
      if (!email) throw new Error('create-operator needs --email (and --username, --password for a new account)');
      if (role !== 'administrator' && role !== 'support') throw new Error('--role must be administrator or support');
      const existing = await core.accounts.findByEmail(email);
      if (!existing && (!username || !password)) throw new Error(`No account with e-mail ${email}: give --username and --password to create one`);
      const account = existing ?? (await core.accounts.create({ email, username: username!, password: password! }));
      await core.accounts.makeOperator(account.id, role);
      console.log(`Account ${account.username} (#${account.id}) is now a platform operator (${role}).`);
    } else if (command === 'create-client') {
      if (!values.organization || !values.name) throw new Error('create-client needs --organization and --name');
      const org = await core.organizations.bySlug(values.organization);
      if (!org) throw new Error(`No organization with slug ${values.organization}`);
      const owner = values.owner ? await core.accounts.findByEmail(values.owner) : null;
      const { client, secret } = await core.credentials.createClient(operatorPrincipal(org.id, owner?.id ?? null), {
        name: values.name,
        scopes: values.scopes ?? 'public buy sell admin',
      });
      console.log(`client_id=${client.clientId}\nclient_secret=${secret}\nscopes=${client.scopes}\n(the secret is not stored in clear: keep it now)`);
    }
  } finally {
    await database.close();
  }
}

/** Serves HTTP from this process: the whole server, or one worker of several sharing the port. */
async function serve(config: Config, database: Database) {
  const app = await buildApp({ config, database, logger: true });
  // Housekeeping only: expired holds already stop counting by themselves.
  const sweeper = setInterval(() => void app.core.orders.expireStale().catch((error) => app.log.error(error)), 30_000);
  sweeper.unref();
  // Export jobs queued by other processes (each process runs the ones it is asked for at once).
  app.core.exports.start(config.jobPollSeconds);
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    await database.close();
  });
  // A worker's channel to the primary would keep it alive once the server has closed.
  const stop = () => void app.close().then(() => cluster.isWorker && process.disconnect());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, stop);
  const address = await app.listen({ port: config.port, host: config.host });
  if (cluster.isWorker) process.send!({ listening: address });
  else announce(address, database.engine);
}

/** The line operators (and the benchmarks and tests) wait for: where the server listens. */
function announce(address: string, detail: string) {
  console.log(`Guichet on ${address.replace('0.0.0.0', 'localhost')} (${detail}) — API docs at /api/docs`);
}

/**
 * Several server processes on one port (WORKERS > 1): Node's cluster hands each new connection to
 * the next worker. Every worker is a full Guichet server; they share nothing but the database (and
 * Redis for the rate limit when REDIS_URL is set), which is what multi-process correctness is tested on.
 */
function servePrimary(config: Config, engine: Database['engine']) {
  let stopping = false;
  let listening = 0;
  const alive = new Set<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    let started = false;
    alive.add(worker);
    worker.on('message', (message: { listening?: string }) => {
      if (!message.listening || started) return;
      started = true;
      // Announced once, when the first set of workers is up (replacements start silently).
      if (++listening === config.workers) announce(message.listening, `${engine}, ${config.workers} workers`);
    });
    worker.on('exit', (code, signal) => {
      alive.delete(worker);
      if (stopping) {
        if (alive.size === 0) process.exit(); // with the exit code set, if any
        return;
      }
      // A worker that dies before serving would die again: stop rather than restart it for ever.
      if (!started) {
        console.error(`worker ${worker.process.pid} ended (${signal ?? code}) before serving; stopping`);
        stopping = true;
        for (const other of alive) other.process.kill('SIGTERM');
        process.exitCode = 1;
        if (alive.size === 0) process.exit(1);
        return;
      }
      console.error(`worker ${worker.process.pid} ended (${signal ?? code}); starting another`);
      fork();
    });
  };
  for (let i = 0; i < config.workers; i++) fork();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of alive) worker.process.kill('SIGTERM');
    });
  }
}

function printDemoCredentials(summary?: DemoSummary) {
  const history = summary
    ? `Sales history of the past ${summary.days} days: ${summary.ticketsSold.toLocaleString('en')} tickets sold across ${summary.channels} channels (${summary.orders.toLocaleString('en')} orders, ${summary.refunded} refunded, ${summary.comps} comps, ${summary.scans} door scans).\n`
    : '';
  console.log(`
${history}Demo organization "${DEMO.organization}" created with fixed credentials:
  account       ${DEMO.email} / ${DEMO.password}   (owner of demo, platform administrator)
  buyer         ${DEMO.buyerEmail} / ${DEMO.buyerPassword}
  OAuth client  ${DEMO.clientId} / ${DEMO.clientSecret}   (scopes: public buy sell admin)
  TickeTing key ${DEMO.ticketingKey}   (X-API-Key at /ticketing/v3, administrator)
  Weezevent     api_key ${DEMO.weezeventApiKey} with the account above (POST /weezevent/auth/access_token)
  Pims API user ${DEMO.pimsUsername} / ${DEMO.pimsPassword}   (HTTP Basic, write access)
Try: curl -d 'grant_type=client_credentials&client_id=${DEMO.clientId}&client_secret=${DEMO.clientSecret}&scope=public sell admin' localhost:${process.env.PORT || 3000}/api/auth/token
     curl -u ${DEMO.pimsUsername}:${DEMO.pimsPassword} localhost:${process.env.PORT || 3000}/pims/api/v1/events
`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

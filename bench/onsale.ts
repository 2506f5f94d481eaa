/**
 * On-sale benchmark: a popular show goes on sale and many buyers arrive at once.
 *
 *   npm run bench:onsale -- [--engine sqlite|postgres] [--buyers 64] [--capacity 20000] [--seconds 20] [--flow separate|one-step] [--workers 1] [--servers 1] [--delivery on|off] [--seated]
 *
 * `--workers n`: one server of n processes sharing its port (the server's WORKERS). `--servers n`: n
 * separate servers (each with `--workers` processes, each its own port and connection pool) on the
 * same database, the buyers spread over them as a load balancer would (buyer i talks to server
 * i mod n): several stateless Guichet processes on one PostgreSQL.
 *
 * `--seated`: both sections are seated (a generated map of `--capacity` seats, rows of 40 with an
 * aisle every 10); every order is 2 seats, half of the buyers asking for the best available pair
 * side by side, half picking a free pair from the seat map (polled, as a shop would, every 2 s)
 * and trying another when someone was quicker. Prints seats sold per second and checks that no seat
 * was sold twice.
 *
 * Starts a Guichet server in its own process on a fresh database, then drives the full buying flow
 * over real HTTP from this process — cart with its item (hold) → checkout → card payment → tickets — with
 * `--buyers` concurrent buyers until the event is sold out (or `--seconds` pass). Prints completed
 * orders/s, p50/p99 latency, tickets sold against capacity (must be equal, never above) and, in the
 * same run, the engine's raw ceiling: a minimal one-row conditional-update transaction loop.
 * `--delivery off` runs the server without the outbox (DELIVERY=off) to measure what delivery costs;
 * with it on (the default) the outbox worker's throughput is printed too.
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { Pool } from 'undici';
import type { Db } from '../src/db/database.ts';
import { benchDatabase, benchOrganization, percentile, postgresCpuSeconds, processCpuSeconds, rawCeiling, roundTripCounter, startServer, watchdog, type BenchServer } from './support.ts';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    buyers: { type: 'string', default: '64' },
    capacity: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '20' },
    // `separate`: checkout and payment as two requests; `one-step`: the payment given with the checkout.
    flow: { type: 'string', default: 'separate' },
    // Server processes sharing the port (the server's WORKERS setting).
    workers: { type: 'string', default: '1' },
    // Separate servers on the same database (each with `workers` processes).
    servers: { type: 'string', default: '1' },
    // The outbox (confirmation e-mails, webhooks): on, as served by default, or off to compare.
    delivery: { type: 'string', default: 'on' },
    seated: { type: 'boolean', default: false },
  },
});
const seated = values.seated;
const oneStep = values.flow === 'one-step';
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
const buyers = Number(values.buyers);
const capacity = Number(values.capacity);
const maxSeconds = Number(values.seconds);
const workers = Number(values.workers);
const serverCount = Math.max(1, Number(values.servers));
const delivery = values.delivery !== 'off';
// The server process reads it from its environment.
process.env.DELIVERY = delivery ? 'on' : 'off';

async function prepare() {
  const { database, url, cleanup } = await benchDatabase(engine);
  const { core, op } = await benchOrganization(database);
  await core.credentials.createClient(op, { name: 'bench', scopes: 'public buy sell admin', clientId: 'bench-client', secret: 'bench-secret' });
  const event = await core.events.create(op, {
    title: 'The big on-sale',
    sections: [{ name: 'Fosse', capacity: Math.ceil(capacity / 2) }, { name: 'Gradins', capacity: Math.floor(capacity / 2) }],
    dates: [{ startsAt: '2030-06-01T20:00:00+02:00' }],
  });
  const tariffs = [];
  for (const section of event.sections) tariffs.push((await core.events.addTariff(op, event.id, { sectionId: section.id, label: section.name, price: 4500, maxPerOrder: 4 })).id);
  if (seated) {
    const map = await core.maps.create(op, { name: 'Bench arena', document: seatedMap([Math.ceil(capacity / 2), Math.floor(capacity / 2)]) });
    await core.seats.assignMap(op, event.id, event.dates[0].id, { mapId: map.id });
  }
  await core.events.transition(op, event.id, 'under_review');
  await core.events.transition(op, event.id, 'listed');
  return {
    database,
    url,
    eventId: event.id,
    dateId: event.dates[0].id,
    sectionIds: event.sections.map((x) => x.id),
    tariffs,
    cleanup,
  };
}

/** A map of two seated areas ('Fosse', 'Gradins') of the given sizes: rows of 40 seats, an aisle every 10, front rows and centre seats ranked first. */
function seatedMap(sizes: number[]) {
  const names = ['Fosse', 'Gradins'];
  let y = 0;
  return {
    width: 1400,
    height: 60 + Math.ceil(sizes.reduce((a, b) => a + b, 0) / 40) * 12 + 40,
    categories: names.map((name) => ({ key: name.toLowerCase(), name })),
    areas: sizes.map((size, a) => ({
      key: names[a].toLowerCase(),
      name: names[a],
      kind: 'seated' as const,
      category: names[a].toLowerCase(),
      rows: Array.from({ length: Math.ceil(size / 40) }, (_, r) => {
        y += 12;
        const count = Math.min(40, size - r * 40);
        return {
          label: String(r + 1),
          seats: Array.from({ length: count }, (_, s) => ({ number: String(s + 1), x: 20 + s * 30 + Math.floor(s / 10) * 20, y, rank: r * 1000 + Math.abs(2 * s + 1 - count) + 1, ...(s % 10 === 9 ? { aisle_after: true } : {}) })),
        };
      }),
    })),
  };
}

async function main() {
  // A run that has not ended long after its last possible sale (the outbox drain included) is stuck:
  // it ends, says where, and its servers are killed.
  const guard = watchdog(maxSeconds + 240);
  guard.phase('preparing the database');
  const setup = await prepare();
  const trips = roundTripCounter();
  const servers: BenchServer[] = [];
  try {
    guard.phase('starting the servers');
    for (let i = 0; i < serverCount; i++) servers.push(await startServer(setup.url, { workers }));
    const server = servers[0];
    guard.phase('the sale');
    const tokenResponse = await fetch(`${server.base}/api/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: 'bench-client', client_secret: 'bench-secret', scope: 'public buy' }),
    });
    const accessToken = (await tokenResponse.json()).access_token;
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
    const requestLatencies: number[] = [];
    // undici's pool costs the load generator far less CPU per request than fetch: it shares the machine.
    // A request unanswered for 30 s counts as an error (a server that stopped answering ends the run
    // with its figures and errors, instead of the run waiting for ever).
    const pools = servers.map((s) => new Pool(s.base, { connections: Math.ceil(buyers / serverCount), headersTimeout: 30_000, bodyTimeout: 30_000 }));
    const requestFailures: string[] = [];
    const post = async (buyerNumber: number, url: string, body: unknown) => {
      const started = performance.now();
      try {
        const response = await pools[buyerNumber % serverCount].request({ path: url, method: 'POST', headers, body: JSON.stringify(body) });
        const json = (await response.body.json()) as any;
        requestLatencies.push(performance.now() - started);
        return { status: response.statusCode, json };
      } catch (error) {
        requestFailures.push(String((error as Error).message ?? error));
        return { status: 0, json: {} as any };
      }
    };

    const orderLatencies: number[] = [];
    let ordersCompleted = 0;
    let ticketsBought = 0;
    let soldOut = 0;
    let errors = 0;
    const tripsBefore = engine === 'postgres' ? await trips.read() : 0;
    const started = performance.now();
    const clientCpu = process.cpuUsage();
    const serversCpu = () => servers.reduce((sum, s) => sum + processCpuSeconds(s.pid), 0);
    const serverCpuBefore = serversCpu();
    const databaseCpuBefore = engine === 'postgres' ? postgresCpuSeconds() : Number.NaN;
    const deadline = started + maxSeconds * 1000;
    const exhausted = new Set<number>();
    // Seated: the seat map as a shop polls it (cached by the server), shared by the pickers.
    const seatMap = seated ? seatPoller(server.base, headers, setup.eventId, setup.dateId) : null;
    const buyer = async (n: number) => {
      let i = n;
      while (performance.now() < deadline && exhausted.size < setup.tariffs.length) {
        const tariffIndex = i++ % setup.tariffs.length;
        const tariffId = setup.tariffs[tariffIndex];
        if (exhausted.has(tariffId)) continue;
        const quantity = seated ? 2 : 1 + (Math.floor(i / 2) % 2);
        // Seated: even buyers pick a free pair from the map, odd ones ask for the best available pair.
        const picked = seatMap && n % 2 === 0 ? seatMap.freePair(setup.sectionIds[tariffIndex]) : null;
        const item = picked ? { tariff_id: tariffId, date_id: setup.dateId, seat_ids: picked } : { tariff_id: tariffId, date_id: setup.dateId, quantity };
        const t0 = performance.now();
        // The cart is created with its item in one request.
        const added = await post(n, '/api/carts', { cart: { items: [item] } });
        if (added.status === 409) {
          soldOut++;
          if (picked) { seatMap!.taken(picked); continue; }
          // One place may be left when two were asked; a later 1-place attempt takes it (seated: fewer than 2 seats side by side).
          if (quantity === 1 || seated) exhausted.add(tariffId);
          continue;
        }
        if (added.status !== 201) { errors++; continue; }
        const card = { number: '4242424242424242', cvv: '123', expiry: '12/30', holder: 'Bench' };
        let order: { status: string; tickets: unknown[] };
        if (oneStep) {
          // Checkout and payment in one request.
          const paid = await post(n, `/api/carts/${added.json.cart.id}/checkout`, { checkout: { buyer_email: `buyer${n}@bench.test`, payment: { provider: 'test', card } } });
          order = paid.json.order;
        } else {
          const pending = await post(n, `/api/carts/${added.json.cart.id}/checkout`, { checkout: { buyer_email: `buyer${n}@bench.test` } });
          if (pending.status !== 201) { errors++; continue; }
          order = (await post(n, `/api/orders/${pending.json.order.id}/payments`, { payment: { provider: 'test', card } })).json.order;
        }
        if (order?.status !== 'paid') { errors++; continue; }
        orderLatencies.push(performance.now() - t0);
        ordersCompleted++;
        ticketsBought += order.tickets.length;
      }
    };
    await Promise.all(Array.from({ length: buyers }, (_, n) => buyer(n)));
    seatMap?.stop();
    await Promise.all(pools.map((pool) => pool.close()));
    guard.phase('after the sale (round trips, outbox drain, counts)');
    const elapsed = (performance.now() - started) / 1000;
    // Counted before the outbox is drained: the sale's statements, with the outbox worker's during the sale.
    const tripsDuring = engine === 'postgres' ? (await trips.read()) - tripsBefore : 0;
    // The outbox worker goes on after the sale: its rate is the messages it handled until nothing was left.
    const outbox = async () => {
      const rows = await setup.database.db.selectFrom('outbox_messages').select(['status']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('status').execute();
      return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
    };
    let drainedAfter = elapsed;
    if (delivery) {
      while ((await outbox()).pending && performance.now() - started < (maxSeconds + 60) * 1000) await new Promise((r) => setTimeout(r, 200));
      drainedAfter = (performance.now() - started) / 1000;
    }
    const messages = delivery ? await outbox() : {};
    const cpu = process.cpuUsage(clientCpu);
    const serverCpu = serversCpu() - serverCpuBefore;
    const databaseCpu = postgresCpuSeconds() - databaseCpuBefore;
    const clientCores = (cpu.user + cpu.system) / 1e6 / elapsed;
    // Seated: read back from the database that seats sold = seats taken, never two tickets for one seat:
    // every valid ticket names a seat, no seat is named twice, and the seat rows sold (bound to a hold,
    // no expiry) are exactly the seats of valid tickets.
    const seatCheck = seated ? await checkSeats(setup.database.db) : null;
    const seatsSoldTwice = seatCheck ? seatCheck.tickets - seatCheck.distinctSeats : 0;
    const [tickets, taken] = await Promise.all([
      setup.database.db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).where('status', '=', 'valid').executeTakeFirstOrThrow(),
      setup.database.db.selectFrom('section_capacities').select((eb) => eb.fn.sum<number>('taken').as('n')).executeTakeFirstOrThrow(),
    ]);
    guard.phase('stopping the servers');
    await Promise.all(servers.map((s) => s.stop()));
    guard.phase('the raw ceiling');
    const ceiling = await rawCeiling(setup.database);
    orderLatencies.sort((a, b) => a - b);
    requestLatencies.sort((a, b) => a - b);
    const ordersPerSecond = ordersCompleted / elapsed;
    console.log(`on-sale benchmark — ${engine}${seated ? ', SEATED (2 seats per order: half picked from the map, half best available)' : ''}, ${oneStep ? 'one-step checkout' : 'checkout then payment'}, ${buyers} concurrent buyers, capacity ${capacity}, ${serverCount > 1 ? `${serverCount} separate servers of ` : ''}${workers} server process${workers > 1 ? 'es' : ''}${serverCount > 1 ? ' each' : ''}, ${os.cpus().length} cores`);
    console.log(`  completed orders      ${ordersCompleted} in ${elapsed.toFixed(2)} s → ${ordersPerSecond.toFixed(0)} orders/s (${oneStep ? 2 : 3} HTTP requests each)`);
    console.log(`  order latency         p50 ${percentile(orderLatencies, 50).toFixed(1)} ms, p99 ${percentile(orderLatencies, 99).toFixed(1)} ms`);
    console.log(`  request latency       p50 ${percentile(requestLatencies, 50).toFixed(1)} ms, p99 ${percentile(requestLatencies, 99).toFixed(1)} ms, ${(requestLatencies.length / elapsed).toFixed(0)} req/s`);
    console.log(`  tickets sold          ${Number(tickets.n)} of ${capacity} (bought by buyers: ${ticketsBought}; places taken: ${Number(taken.n)})${Number(tickets.n) > capacity ? '  OVERSOLD!' : ''}`);
    if (seatCheck) {
      console.log(`  seats                 ${(Number(tickets.n) / elapsed).toFixed(0)} seats sold/s; ${seatsSoldTwice === 0 ? 'no seat sold twice' : `${seatsSoldTwice} SEATS SOLD TWICE!`}`);
      console.log(`  seats sold = taken    ${seatCheck.ok ? 'yes' : 'NO!'}: ${seatCheck.tickets} valid tickets, ${seatCheck.withoutSeat} without a seat, ${seatCheck.distinctSeats} distinct seats on them; ${seatCheck.soldSeats} seat rows sold, ${seatCheck.soldWithTicket} of them on a valid ticket (from the database)`);
      if (!seatCheck.ok) process.exitCode = 1;
    }
    console.log(`  refusals              ${soldOut} sold out${seated ? ' (a picked seat taken first, or no pair left)' : ''}, ${errors} errors`);
    if (requestFailures.length > 0) console.log(`  failed requests       ${requestFailures.length} without an answer (first: ${requestFailures[0]})`);
    console.log(`  server CPU            ${((serverCpu * 1000) / Math.max(1, ordersCompleted)).toFixed(2)} ms per order (${(serverCpu / elapsed).toFixed(2)} cores busy)`);
    if (engine === 'postgres') console.log(`  round trips           ${(tripsDuring / Math.max(1, ordersCompleted)).toFixed(2)} per order (${tripsDuring} statements sent to PostgreSQL by the server during the sale, counted at its driver, BEGIN and COMMIT included${delivery ? ', the outbox worker\'s too' : ''}; refusals included)`);
    if (engine === 'postgres') console.log(`  database CPU          ${((databaseCpu * 1000) / Math.max(1, ordersCompleted)).toFixed(2)} ms per order (${(databaseCpu / elapsed).toFixed(2)} cores busy: the local PostgreSQL's processes)`);
    console.log(`  load generator        used ${clientCores.toFixed(2)} of the machine's ${os.cpus().length} cores (it runs beside the server)`);
    if (delivery) {
      const handled = (messages.sent ?? 0) + (messages.kept ?? 0);
      console.log(`  delivery (outbox)     on: ${messages.sent ?? 0} events fanned out, ${messages.kept ?? 0} e-mails kept (no SMTP), ${messages.pending ?? 0} left; worker ${(handled / drainedAfter).toFixed(0)} messages/s (${drainedAfter.toFixed(1)} s from the sale's start until the outbox was empty)`);
    } else console.log('  delivery (outbox)     off (DELIVERY=off): no message written');
    console.log(`  raw engine ceiling    ${ceiling.toFixed(0)} one-row conditional-update transactions/s`);
    console.log(`  ratio                 ${(ordersPerSecond / ceiling).toFixed(3)} orders per raw transaction`);
    if (Number(tickets.n) > capacity || Number(tickets.n) !== ticketsBought || errors > 0 || requestFailures.length > 0 || ordersCompleted === 0 || seatsSoldTwice !== 0) process.exitCode = 1;
  } finally {
    guard.phase('cleaning up');
    // Stopped on every way out (already stopped after a complete run: then at once).
    await Promise.all(servers.map((s) => s.stop()));
    trips.cleanup();
    await setup.cleanup();
    guard.done();
  }
}

/** What the database says of the seats sold: tickets and seat rows must tell the same story. */
async function checkSeats(db: Db) {
  const tickets = await db
    .selectFrom('tickets')
    .where('status', '=', 'valid')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.count('seat_id').as('with_seat'), eb.fn.count('seat_id').distinct().as('seats')])
    .executeTakeFirstOrThrow();
  // A seat is sold when a hold has it with no expiry left (README, "Why a seat is never sold twice").
  const sold = await db.selectFrom('event_seats').where('cart_item_id', 'is not', null).where('held_until', 'is', null).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const withTicket = await db
    .selectFrom('event_seats')
    .innerJoin('tickets', 'tickets.seat_id', 'event_seats.id')
    .where('event_seats.cart_item_id', 'is not', null)
    .where('event_seats.held_until', 'is', null)
    .where('tickets.status', '=', 'valid')
    .select((eb) => eb.fn.count('event_seats.id').distinct().as('n'))
    .executeTakeFirstOrThrow();
  const result = {
    tickets: Number(tickets.n),
    withoutSeat: Number(tickets.n) - Number(tickets.with_seat),
    distinctSeats: Number(tickets.seats),
    soldSeats: Number(sold.n),
    soldWithTicket: Number(withTicket.n),
  };
  return { ...result, ok: result.withoutSeat === 0 && result.distinctSeats === result.tickets && result.soldSeats === result.tickets && result.soldWithTicket === result.soldSeats };
}

/** Polls a date's seats every 2 s (as a shop's seat map would) and hands out free pairs side by side. */
function seatPoller(base: string, headers: Record<string, string>, eventId: number, dateId: number) {
  type Seat = { id: number; section_id: number; row: string; number: string; state: string };
  let pairs = new Map<number, number[][]>();
  const claimed = new Set<number>();
  let stopped = false;
  const poll = async () => {
    const response = await fetch(`${base}/api/events/${eventId}/dates/${dateId}/seats`, { headers });
    const seats = ((await response.json()) as { seats: Seat[] }).seats;
    const next = new Map<number, number[][]>();
    for (let k = 0; k + 1 < seats.length; k++) {
      const [a, b] = [seats[k], seats[k + 1]];
      if (a.state !== 'free' || b.state !== 'free' || a.row !== b.row || a.section_id !== b.section_id || claimed.has(a.id) || claimed.has(b.id)) continue;
      if (Number(b.number) !== Number(a.number) + 1 || Number(a.number) % 10 === 0) continue;
      const list = next.get(a.section_id) ?? [];
      list.push([a.id, b.id]);
      next.set(a.section_id, list);
      k++;
    }
    pairs = next;
  };
  const loop = (async () => {
    while (!stopped) {
      await poll().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
  return {
    /** A free pair not handed out yet (random among those left), or null: the buyer then asks for the best available. */
    freePair(sectionId: number): number[] | null {
      const list = pairs.get(sectionId);
      while (list && list.length > 0) {
        const pair = list.splice(Math.floor(Math.random() * list.length), 1)[0];
        if (!claimed.has(pair[0]) && !claimed.has(pair[1])) {
          pair.forEach((id) => claimed.add(id));
          return pair;
        }
      }
      return null;
    },
    taken(_pair: number[]) {},
    stop() {
      stopped = true;
      return loop;
    },
  };
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

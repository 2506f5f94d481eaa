import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { client, platform, token, ENGINE, PG_URL, type Tenant, type TestPlatform } from './helpers.ts';
import { operatorPrincipal } from '../src/demo/seed.ts';
import { issueTickets, signingKey, signTickets, toTicket, verifyQrPayload, type TicketStatus } from '../src/core/selling/tickets.ts';
import type { Principal } from '../src/core/identity/principal.ts';

type Api = ReturnType<typeof client>;
interface Place { id: number; floor: number; balcony: number; date: number; date2: number; tariff: number }
interface Issued { id: number; barcode: string; qr: string | null }

describe('the door', () => {
  let p: TestPlatform;
  let admin: Api;
  let adminB: Api;

  before(async () => {
    p = await platform();
    admin = client(p.app, await token(p.app, p.a));
    adminB = client(p.app, await token(p.app, p.b));
  });
  after(() => p.close());

  /** An event with two sections (Floor, Balcony), two dates and a tariff on Floor, through the API. */
  async function newEvent(api: Api = admin, extra: Record<string, unknown> = {}): Promise<Place> {
    const r = await api.post('/api/events', {
      event: {
        title: 'Porte ouverte',
        sections: [{ name: 'Floor', capacity: 1000 }, { name: 'Balcony', capacity: 100 }],
        dates: [{ starts_at: '2027-03-01T20:00:00+01:00' }, { starts_at: '2027-03-02T20:00:00+01:00' }],
        ...extra,
      },
    });
    assert.equal(r.statusCode, 201, r.body);
    const e = r.json().event;
    const tariff = await api.post(`/api/events/${e.id}/tariffs`, { tariff: { section_id: e.sections[0].id, label: 'Plein', price: 3000 } });
    assert.equal(tariff.statusCode, 201, tariff.body);
    return { id: e.id, floor: e.sections[0].id, balcony: e.sections[1].id, date: e.dates[0].id, date2: e.dates[1].id, tariff: tariff.json().tariff.id };
  }

  /** Tickets issued with the core directly (setup only; the door is then exercised over HTTP). */
  async function tickets(e: Place, n: number, options: { section?: 'floor' | 'balcony'; date?: number; status?: TicketStatus; tenant?: Tenant; holder?: { id: number; email: string } } = {}): Promise<Issued[]> {
    const tenant = options.tenant ?? p.a;
    const now = p.clock().toISOString();
    const section = options.section === 'balcony' ? e.balcony : e.floor;
    const key = await signingKey(p.database.db, tenant.organizationId, now);
    const rows = await p.database.transaction((trx) =>
      issueTickets(
        trx,
        tenant.organizationId,
        Array.from({ length: n }, () => ({
          eventId: e.id, dateId: options.date ?? e.date, sectionId: section, tariffId: section === e.floor ? e.tariff : null, orderId: null, orderLineId: null, guestId: null,
          kind: 'sale' as const, holderName: 'Holder', holderEmail: options.holder?.email ?? null, holderAccountId: options.holder?.id ?? null,
        })),
        now,
        options.status ?? 'valid',
      ),
    );
    await signTickets(p.database, tenant.organizationId, rows, now);
    return rows.map((r) => ({ id: r.id, barcode: r.barcode, qr: toTicket(r, key).qrPayload }));
  }

  /** The global token's code (issued anew: codes are stored as digests), exchanged for a door credential. */
  async function doorKey(e: Place, api: Api = admin, device = 'gate'): Promise<Api> {
    return session(await globalCode(e, api), device);
  }

  async function globalCode(e: Place, api: Api = admin): Promise<string> {
    const list = await api.get(`/api/events/${e.id}/admission_tokens?global=true`);
    assert.equal(list.statusCode, 200, list.body);
    const global = list.json().admission_tokens[0];
    const reissued = await api.post(`/api/events/${e.id}/admission_tokens/${global.id}/code`, {});
    assert.equal(reissued.statusCode, 201, reissued.body);
    return reissued.json().admission_token.code;
  }

  async function session(code: string, device = 'gate'): Promise<Api> {
    const r = await p.app.inject({ method: 'POST', url: '/api/door/sessions', payload: { session: { code, device } } });
    assert.equal(r.statusCode, 201, r.body);
    return client(p.app, r.json().session.key);
  }

  const scan = async (api: Api, body: Record<string, unknown>) => {
    const r = await api.post('/api/scans', { scan: body });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().scan;
  };
  const count = async (table: 'scans' | 'door_changes' | 'scan_conflicts') =>
    Number((await p.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const doorState = async (id: number) => (await p.database.db.selectFrom('tickets').select(['door_state', 'admitted_at', 'admission_scan_id']).where('id', '=', id).executeTakeFirstOrThrow());

  test('tokens: a global token is born with the event; limited tokens admit only their sections; updates and revocation reach existing credentials at once', async () => {
    const e = await newEvent();
    const list = (await admin.get(`/api/events/${e.id}/admission_tokens`)).json().admission_tokens;
    assert.equal(list.length, 1);
    assert.equal(list[0].global, true);
    assert.equal(list[0].section_ids, null);
    assert.equal(list[0].code, undefined, 'codes are stored as digests and never listed');

    const created = await admin.post(`/api/events/${e.id}/admission_tokens`, { admission_token: { name: 'Balcony door', section_ids: [e.balcony] } });
    assert.equal(created.statusCode, 201, created.body);
    const limited = created.json().admission_token;
    assert.match(limited.code, /^[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{16}$/);
    assert.deepEqual(limited.section_ids, [e.balcony]);
    assert.equal(limited.global, false);

    // Typed codes: case, spaces and dashes do not matter.
    const typed = `${limited.code.slice(0, 4).toLowerCase()}-${limited.code.slice(4)}`;
    const gate = await session(typed);
    const [floor] = await tickets(e, 1);
    const [balcony] = await tickets(e, 1, { section: 'balcony' });
    assert.equal((await scan(gate, { code: floor.barcode })).reason, 'wrong_section');
    assert.equal((await scan(gate, { code: balcony.barcode })).admitted, true);

    // The door credential reaches the door only.
    assert.equal((await gate.get('/api/orders')).statusCode, 403);
    assert.equal((await gate.get(`/api/events/${e.id}/admission_tokens`)).statusCode, 403);
    assert.equal((await gate.post('/api/scans', { scan: { code: floor.barcode, event_id: e.id + 1000 } })).statusCode, 403);

    // Widening the token reaches the credential already handed out.
    const widened = await admin.patch(`/api/events/${e.id}/admission_tokens/${limited.id}`, { admission_token: { section_ids: [e.floor, e.balcony] } });
    assert.equal(widened.statusCode, 200, widened.body);
    assert.equal((await scan(gate, { code: floor.barcode })).admitted, true);
    // The global token's scope is fixed.
    assert.equal((await admin.patch(`/api/events/${e.id}/admission_tokens/${list[0].id}`, { admission_token: { section_ids: [e.floor] } })).statusCode, 409);

    // Revocation ends the credential and the code at once.
    assert.equal((await admin.delete(`/api/events/${e.id}/admission_tokens/${limited.id}`)).statusCode, 204);
    assert.equal((await gate.post('/api/scans', { scan: { code: floor.barcode } })).statusCode, 401);
    const again = await p.app.inject({ method: 'POST', url: '/api/door/sessions', payload: { session: { code: limited.code } } });
    assert.equal(again.statusCode, 404);
    assert.equal((await admin.get(`/api/events/${e.id}/admission_tokens`)).json().admission_tokens.length, 1);
    assert.equal((await admin.get(`/api/events/${e.id}/admission_tokens?include_revoked=true`)).json().admission_tokens.length, 2);

    // Another organization sees none of it.
    assert.equal((await adminB.get(`/api/events/${e.id}/admission_tokens`)).statusCode, 404);
    assert.equal((await adminB.post(`/api/events/${e.id}/admission_tokens`, { admission_token: { section_ids: [e.floor] } })).statusCode, 404);
    assert.equal((await adminB.delete(`/api/events/${e.id}/admission_tokens/${list[0].id}`)).statusCode, 404);
    // Sections of another event are refused.
    const other = await newEvent();
    const foreign = await admin.post(`/api/events/${e.id}/admission_tokens`, { admission_token: { section_ids: [other.floor] } });
    assert.equal(foreign.statusCode, 422);
    assert.equal(foreign.json().error.details[0].field, 'section_ids');
    // A session can end itself.
    const closing = await doorKey(e);
    assert.equal((await closing.delete('/api/door/sessions/current')).statusCode, 204);
    assert.equal((await closing.get('/api/scan_settings')).statusCode, 401);
  });

  test('eight gates scanning the same tickets at once admit each exactly once', async () => {
    const e = await newEvent();
    const batch = await tickets(e, 10);
    const code = await globalCode(e);
    const gates = await Promise.all(Array.from({ length: 8 }, (_, i) => session(code, `gate ${i}`)));
    for (const t of batch) {
      const answers = await Promise.all(gates.map((g, i) => g.post('/api/scans', { scan: { code: i % 2 ? t.qr : t.barcode, device: `gate ${i}`, nonce: `n-${t.id}-${i}` } })));
      const bodies = answers.map((a) => {
        assert.equal(a.statusCode, 200, a.body);
        return a.json().scan;
      });
      const admitted = bodies.filter((b) => b.admitted);
      assert.equal(admitted.length, 1, `ticket ${t.id}: ${JSON.stringify(bodies.map((b) => b.reason))}`);
      for (const b of bodies.filter((x) => !x.admitted)) {
        assert.equal(b.reason, 'already_admitted');
        assert.equal(b.admission.scan_id, admitted[0].scan_id);
        assert.equal(b.admission.device, admitted[0].scan_id === b.admission.scan_id ? b.admission.device : null);
      }
      const state = await doorState(t.id);
      assert.equal(state.door_state, 'in');
      assert.equal(state.admission_scan_id, admitted[0].scan_id);
    }
    const stats = (await admin.get(`/api/events/${e.id}/door_statistics`)).json().door_statistics;
    assert.deepEqual(stats.totals, { total: 10, scanned: 10, in: 10, out: 0 });
  });

  test('a ticket changed between the read and the write of a scan is decided again, as it is then (PostgreSQL: the scan in one statement after its read)', { skip: ENGINE !== 'postgres' && 'PostgreSQL only: on SQLite the read and the write are in one transaction' }, async () => {
    const e = await newEvent();
    const [refunded, admittedElsewhere] = await tickets(e, 2);
    const gate = await doorKey(e);
    /** Scans while another transaction changes the ticket: the scan reads it as it was, then waits on its lock, then the change commits. */
    const scanDuringChange = async (ticketId: number, change: string, body: Record<string, unknown>) => {
      const other = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${p.schema}` });
      await other.connect();
      try {
        await other.query('begin');
        await other.query(`update tickets set ${change} where id = $1`, [ticketId]);
        const otherPid = (await other.query('select pg_backend_pid() as pid')).rows[0].pid;
        const answer = scan(gate, body);
        // The scan's statement is waiting for the ticket's lock (bounded wait, not a timing assertion).
        for (let tries = 0; ; tries++) {
          const waiting = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where ${otherPid}::int = any(pg_blocking_pids(pid))`.execute(p.database.db);
          if (waiting.rows[0].n > 0) break;
          assert.ok(tries < 500, 'the scan never waited for the changed ticket');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await other.query('commit');
        return await answer;
      } finally {
        await other.end();
      }
    };
    // Refunded after the scan read it valid: refused as cancelled, nothing admitted.
    const late = await scanDuringChange(refunded.id, `status = 'refunded'`, { code: refunded.barcode, device: 'north', nonce: 'late-refund' });
    assert.equal(late.admitted, false);
    assert.equal(late.reason, 'cancelled');
    assert.equal((await doorState(refunded.id)).door_state, 'none');
    // Admitted by another gate after the scan read it: refused as already admitted, the other admission stays.
    const raced = await scanDuringChange(admittedElsewhere.id, `door_state = 'in', admitted_at = now()`, { code: admittedElsewhere.qr, device: 'south', nonce: 'raced' });
    assert.equal(raced.admitted, false);
    assert.equal(raced.reason, 'already_admitted');
    assert.equal((await doorState(admittedElsewhere.id)).admission_scan_id, null);
    const rows = await p.database.db.selectFrom('scans').select(['ticket_id', 'result', 'reason']).where('nonce_key', 'in', ['dev:north:late-refund', 'dev:south:raced']).orderBy('id').execute();
    assert.deepEqual(rows, [
      { ticket_id: refunded.id, result: 'rejected', reason: 'cancelled' },
      { ticket_id: admittedElsewhere.id, result: 'rejected', reason: 'already_admitted' },
    ]);
  });

  test('scans arriving together (one shared commit on SQLite) keep their own answers, and one that fails takes none of the others with it', async () => {
    const e = await newEvent();
    const [t0, t1, t2, t3] = await tickets(e, 4);
    const r = await p.app.inject({ method: 'POST', url: '/api/door/sessions', payload: { session: { code: await globalCode(e), device: 'gate' } } });
    const gate = (await p.app.core.door.tokens.authenticate(r.json().session.key))!;
    const scans = p.app.core.door.scans;
    // Started in the same turn of the event loop: on SQLite they share one transaction.
    const together = await Promise.all([
      ...[1, 2, 3, 4].map((g) => scans.scan(gate, { code: g % 2 ? t0.barcode : t0.qr!, device: `gate ${g}`, nonce: `t0-${g}` })),
      scans.scan(gate, { code: t1.barcode, device: 'gate 1', nonce: 'twice' }),
      scans.scan(gate, { code: t1.barcode, device: 'gate 1', nonce: 'twice' }),
    ]);
    const first = together.slice(0, 4);
    assert.equal(first.filter((a) => a.admitted).length, 1);
    const winner = first.find((a) => a.admitted)!;
    for (const a of first.filter((x) => !x.admitted)) {
      assert.equal(a.reason, 'already_admitted');
      assert.equal(a.admission?.scanId, winner.scanId);
    }
    assert.equal((await doorState(t0.id)).admission_scan_id, winner.scanId);
    // The same nonce twice: one scan, answered again (which one came first is up to the engine).
    const [original, replay] = together[4].replayed ? [together[5], together[4]] : [together[4], together[5]];
    assert.equal(original.admitted, true);
    assert.equal(replay.replayed, true);
    assert.deepEqual({ ...replay, replayed: false }, original);

    // A scan whose statements fail (a trigger refuses its device) fails alone; the others are admitted.
    const trigger = ENGINE === 'postgres'
      ? [
          `CREATE FUNCTION refuse_broken_gate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'broken gate'; END $$`,
          `CREATE TRIGGER refuse_broken_gate BEFORE INSERT ON scans FOR EACH ROW WHEN (NEW.device = 'broken') EXECUTE FUNCTION refuse_broken_gate()`,
        ]
      : [`CREATE TRIGGER refuse_broken_gate BEFORE INSERT ON scans WHEN NEW.device = 'broken' BEGIN SELECT RAISE(ABORT, 'broken gate'); END`];
    for (const statement of trigger) await sql.raw(statement).execute(p.database.db);
    try {
      const before = await count('scans');
      const outcomes = await Promise.allSettled([
        scans.scan(gate, { code: t2.barcode, device: 'gate 1', nonce: 'ok-1' }),
        scans.scan(gate, { code: t3.barcode, device: 'broken', nonce: 'boom' }),
        scans.scan(gate, { code: t3.qr!, device: 'gate 2', nonce: 'ok-2' }),
      ]);
      assert.equal(outcomes[1].status, 'rejected');
      assert.deepEqual([outcomes[0], outcomes[2]].map((o) => o.status === 'fulfilled' && o.value.admitted), [true, true]);
      assert.equal((await doorState(t2.id)).door_state, 'in');
      assert.equal((await doorState(t3.id)).door_state, 'in');
      assert.equal(await count('scans'), before + 2);
    } finally {
      await sql.raw('DROP TRIGGER refuse_broken_gate' + (ENGINE === 'postgres' ? ' ON scans' : '')).execute(p.database.db);
      if (ENGINE === 'postgres') await sql.raw('DROP FUNCTION refuse_broken_gate()').execute(p.database.db);
    }
  });

  test('a repeated nonce answers the first scan again and counts once', async () => {
    const e = await newEvent();
    const [t] = await tickets(e, 1);
    const gate = await doorKey(e);
    const before = await count('scans');
    const first = await scan(gate, { code: t.barcode, device: 'north', nonce: 'abc-1' });
    assert.equal(first.admitted, true);
    const replay = await scan(gate, { code: t.barcode, device: 'north', nonce: 'abc-1' });
    assert.deepEqual({ ...replay, replayed: false }, first);
    assert.equal(replay.replayed, true);
    assert.equal(await count('scans'), before + 1);
    // Another nonce is another scan: refused, and its own replay repeats the refusal.
    const second = await scan(gate, { code: t.barcode, device: 'north', nonce: 'abc-2' });
    assert.equal(second.reason, 'already_admitted');
    assert.equal(second.admission.scan_id, first.scan_id);
    assert.equal(second.admission.device, 'north');
    const secondReplay = await scan(gate, { code: t.barcode, device: 'north', nonce: 'abc-2' });
    assert.equal(secondReplay.replayed, true);
    assert.equal(secondReplay.reason, 'already_admitted');
    assert.equal(secondReplay.scan_id, second.scan_id);
    // The same nonce from another device is that device's own scan.
    const south = await scan(gate, { code: t.barcode, device: 'south', nonce: 'abc-1' });
    assert.equal(south.replayed, false);
    assert.equal(await count('scans'), before + 3);
    const stats = (await admin.get(`/api/events/${e.id}/door_statistics`)).json().door_statistics;
    assert.deepEqual(stats.totals, { total: 1, scanned: 1, in: 1, out: 0 });
  });

  test('re-entry after exit is refused unless the event allows it; an exit needs an entry', async () => {
    const e = await newEvent();
    const [t, u] = await tickets(e, 2);
    const gate = await doorKey(e);
    assert.equal((await scan(gate, { code: u.barcode, direction: 'out' })).reason, 'not_admitted');
    assert.equal((await scan(gate, { code: t.barcode })).admitted, true);
    const out = await scan(gate, { code: t.barcode, direction: 'out' });
    assert.equal(out.admitted, true);
    assert.equal(out.ticket.door_state, 'out');
    assert.equal((await scan(gate, { code: t.barcode, direction: 'out' })).reason, 'not_admitted');
    const back = await scan(gate, { code: t.barcode });
    assert.equal(back.admitted, false);
    assert.equal(back.reason, 'already_admitted');

    const allowed = await admin.patch(`/api/events/${e.id}`, { event: { reentry_allowed: true } });
    assert.equal(allowed.statusCode, 200, allowed.body);
    assert.equal(allowed.json().event.reentry_allowed, true);
    assert.equal((await scan(gate, { code: t.barcode })).admitted, true);
    assert.equal((await scan(gate, { code: t.barcode })).reason, 'already_admitted', 'in twice without an exit is still refused');
    const stats = (await admin.get(`/api/events/${e.id}/door_statistics`)).json().door_statistics;
    assert.deepEqual(stats.totals, { total: 2, scanned: 1, in: 1, out: 0 });
  });

  test('refusals: unknown, wrong event, wrong date, cancelled, unpaid, transferred; forged, tampered and foreign codes change nothing', async () => {
    const e = await newEvent();
    const other = await newEvent();
    const gate = await doorKey(e);
    const [valid] = await tickets(e, 1);
    const [refunded] = await tickets(e, 1, { status: 'refunded' });
    const [pending] = await tickets(e, 1, { status: 'pending' });
    const [elsewhere] = await tickets(other, 1);
    const [secondNight] = await tickets(e, 1, { date: e.date2 });
    assert.equal((await scan(gate, { code: refunded.barcode })).reason, 'cancelled');
    assert.equal((await scan(gate, { code: pending.barcode })).reason, 'unpaid');
    assert.equal((await scan(gate, { code: elsewhere.barcode })).reason, 'wrong_event');
    assert.equal((await scan(gate, { code: secondNight.barcode, date_id: e.date })).reason, 'wrong_date');
    // A token limited to the first night refuses the second.
    const night = (await admin.post(`/api/events/${e.id}/admission_tokens`, { admission_token: { section_ids: [e.floor], date_ids: [e.date] } })).json().admission_token;
    assert.equal((await scan(await session(night.code), { code: secondNight.barcode })).reason, 'wrong_date');

    // Transferred: the old barcode and the old signed payload are refused, the new one admits.
    const aliceAccount = await p.app.core.accounts.create({ username: 'door-alice', email: 'door-alice@example.test', password: 'alice-password' });
    const bobAccount = await p.app.core.accounts.create({ username: 'door-bob', email: 'door-bob@example.test', password: 'bob-password' });
    const buyer = (accountId: number): Principal => ({ ...operatorPrincipal(p.a.organizationId, accountId), signedIn: true, scopes: new Set(['public', 'buy']), platformRole: 'customer' });
    const [gift] = await tickets(e, 1, { holder: aliceAccount });
    const transfer = await p.app.core.transfers.create(buyer(aliceAccount.id), { ticketIds: [gift.id], recipientEmail: bobAccount.email });
    const claimed = await p.app.core.transfers.claim(buyer(bobAccount.id), transfer.id);
    const moved = claimed.tickets[0];
    assert.notEqual(moved.barcode, gift.barcode);
    const old = await scan(gate, { code: gift.barcode });
    assert.equal(old.reason, 'transferred');
    assert.equal((await scan(gate, { code: gift.qr! })).reason, 'transferred');
    assert.equal((await scan(gate, { code: moved.qrPayload! })).admitted, true);

    // Nothing is recorded for codes that name no ticket of this organization.
    const b = await newEvent(adminB);
    const [foreign] = await tickets(b, 1, { tenant: p.b });
    const scans = await count('scans');
    const changes = await count('door_changes');
    assert.equal((await scan(gate, { code: 'ZZZZZZZZZZZZZZZZ' })).reason, 'unknown');
    const sig = valid.qr!.split('.');
    const tamperedBarcode = [...sig.slice(0, 6), 'ZZZZZZZZZZZZZZZZ', sig[7]].join('.');
    const forgedSignature = [...sig.slice(0, 7), sig[7].slice(0, -4) + (sig[7].endsWith('AAAA') ? 'BBBB' : 'AAAA')].join('.');
    const otherSection = [...sig.slice(0, 5), String(e.balcony), ...sig.slice(6)].join('.');
    for (const code of [tamperedBarcode, forgedSignature, otherSection, 'G1.garbage']) {
      const answer = await scan(gate, { code });
      assert.equal(answer.reason, 'invalid_signature', code);
      assert.equal(answer.scan_id, null);
    }
    // Another tenant's tickets: unknown by barcode, unverifiable by payload.
    assert.equal((await scan(gate, { code: foreign.barcode })).reason, 'unknown');
    assert.equal((await scan(gate, { code: foreign.qr! })).reason, 'invalid_signature');
    assert.equal(await count('scans'), scans);
    assert.equal(await count('door_changes'), changes);
    assert.equal((await doorState(valid.id)).door_state, 'none');
    assert.equal((await doorState(foreign.id)).door_state, 'none');
    // Another organization's staff cannot scan this event at all.
    assert.equal((await adminB.post('/api/scans', { scan: { code: valid.barcode, event_id: e.id } })).statusCode, 404);
    assert.equal((await scan(gate, { code: valid.barcode })).admitted, true);
  });

  test('a token limited to one date downloads, syncs, counts and admits that date\'s tickets only', async () => {
    const e = await newEvent();
    const [first] = await tickets(e, 1);
    const [second] = await tickets(e, 1, { date: e.date2 });
    const made = await admin.post(`/api/events/${e.id}/admission_tokens`, { admission_token: { section_ids: [e.floor, e.balcony], date_ids: [e.date] } });
    assert.equal(made.statusCode, 201, made.body);
    const gate = await session(made.json().admission_token.code);
    const download = (await gate.get('/api/door/tickets')).json();
    assert.deepEqual([download.date_ids, download.tickets.map((t: { id: number }) => t.id)], [[e.date], [first.id]]);
    const snapshot = (await gate.get('/api/door/snapshot')).json();
    assert.deepEqual(snapshot.rows.map((r: number[]) => r[0]), [first.id]);
    assert.deepEqual((await gate.get('/api/door/event')).json().door_event.date_ids, [e.date]);
    assert.equal((await gate.get('/api/door/counters')).json().counters.event.total, 1);

    // Changes of the other date do not reach this door; its own do.
    const [later] = await tickets(e, 1);
    const [laterSecond] = await tickets(e, 1, { date: e.date2 });
    const everyDate = await doorKey(e);
    assert.equal((await scan(everyDate, { code: second.barcode })).admitted, true);
    const changes = (await gate.get(`/api/door/changes?since=${download.cursor}`)).json().changes;
    assert.deepEqual(changes.map((c: { ticket: { id: number } }) => c.ticket.id), [later.id]);
    assert.ok(!changes.some((c: { ticket: { id: number } }) => c.ticket.id === laterSecond.id));

    assert.equal((await scan(gate, { code: laterSecond.barcode })).reason, 'wrong_date');
    assert.equal((await scan(gate, { code: first.barcode })).admitted, true);
  });

  test('QR signatures are stored at issue and after a transfer; a ticket without a stored one is still checked by its signature', async () => {
    const e = await newEvent();
    const gate = await doorKey(e);
    const [stored, legacy] = await tickets(e, 2);
    const signatureOf = async (id: number) => (await p.database.db.selectFrom('tickets').select('qr_signature').where('id', '=', id).executeTakeFirstOrThrow()).qr_signature;
    assert.equal(await signatureOf(stored.id), stored.qr!.split('.')[7], 'the presented payload carries the stored signature');

    // A ticket issued before signatures were stored: its payload is signed when presented, and checked by signing at the door.
    await p.database.db.updateTable('tickets').set({ qr_signature: null }).where('id', '=', legacy.id).execute();
    const key = await signingKey(p.database.db, p.a.organizationId, p.clock().toISOString());
    const row = await p.database.db.selectFrom('tickets').selectAll().where('id', '=', legacy.id).executeTakeFirstOrThrow();
    assert.equal(toTicket(row, key).qrPayload, legacy.qr, 'the same payload as when it was issued');
    const parts = legacy.qr!.split('.');
    const forged = [...parts.slice(0, 7), parts[7].slice(0, -4) + (parts[7].endsWith('AAAA') ? 'BBBB' : 'AAAA')].join('.');
    const scans = await count('scans');
    assert.equal((await scan(gate, { code: forged })).reason, 'invalid_signature');
    assert.equal(await count('scans'), scans, 'a forged payload is not recorded');
    assert.equal((await scan(gate, { code: legacy.qr })).admitted, true);
    assert.equal((await scan(gate, { code: stored.qr })).admitted, true);

    // A transfer stores the signature of the new barcode and version.
    const alice = await p.app.core.accounts.create({ username: 'sig-alice', email: 'sig-alice@example.test', password: 'alice-password' });
    const bob = await p.app.core.accounts.create({ username: 'sig-bob', email: 'sig-bob@example.test', password: 'bob-password' });
    const buyer = (accountId: number): Principal => ({ ...operatorPrincipal(p.a.organizationId, accountId), signedIn: true, scopes: new Set(['public', 'buy']), platformRole: 'customer' });
    const [gift] = await tickets(e, 1, { holder: alice });
    const transfer = await p.app.core.transfers.create(buyer(alice.id), { ticketIds: [gift.id], recipientEmail: bob.email });
    const moved = (await p.app.core.transfers.claim(buyer(bob.id), transfer.id)).tickets[0];
    assert.equal(moved.version, 2);
    assert.equal(await signatureOf(gift.id), moved.qrPayload!.split('.')[7]);
    assert.notEqual(await signatureOf(gift.id), gift.qr!.split('.')[7]);

    // A writer that changes a signed field without the signature: the database forgets the stale one.
    const [seat] = await tickets(e, 1);
    await p.database.db.updateTable('tickets').set({ section_id: e.balcony }).where('id', '=', seat.id).execute();
    assert.equal(await signatureOf(seat.id), null);
    const reseated = toTicket(await p.database.db.selectFrom('tickets').selectAll().where('id', '=', seat.id).executeTakeFirstOrThrow(), key);
    const { public_key } = (await admin.get('/api/organization/public_key')).json();
    assert.equal(verifyQrPayload(public_key.public_key_pem, reseated.qrPayload!)?.sectionId, e.balcony, 'signed afresh for the new section');
    assert.equal((await scan(gate, { code: reseated.qrPayload })).admitted, true);
    // The earlier payload is still this server's signature for this ticket and barcode: the door judges the ticket as it is now.
    assert.equal((await scan(gate, { code: seat.qr })).reason, 'already_admitted');
  });

  test('offline upload: the earlier of two admissions wins, the conflict is recorded and listed, nothing is lost, a re-upload replays', async () => {
    const e = await newEvent();
    const [t, u] = await tickets(e, 2);
    const online = await doorKey(e, admin, 'online');
    const offlineA = await doorKey(e, admin, 'A');
    const offlineB = await doorKey(e, admin, 'B');
    const cp = (await offlineA.post('/api/control_points', { control_point: { name: 'Gate A' } })).json().control_point;

    // (Access tokens of this suite were issued at 10:00 and last an hour: times stay before 11:00.)
    p.clock.set(new Date('2026-11-23T10:20:00Z'));
    const live = await scan(online, { code: t.barcode, device: 'online', nonce: 'o-1' });
    assert.equal(live.admitted, true);

    const upload = [
      { code: u.barcode, control_point_id: cp.id, nonce: 'a-2', scanned_at: '2026-11-23T10:19:00Z' },
      { code: t.qr, control_point_id: cp.id, nonce: 'a-1', scanned_at: '2026-11-23T11:15:00+01:00' },
    ];
    const r = await offlineA.post('/api/scans/batch', { batch: { scans: upload } });
    assert.equal(r.statusCode, 200, r.body);
    const [ua, ta] = r.json().scans;
    assert.equal(ua.admitted, true);
    assert.equal(ua.conflict, false);
    assert.equal(ta.admitted, true, 'the earlier scan (11:15+01:00 = 10:15Z, before 10:20Z) wins');
    assert.equal(ta.conflict, true);
    const state = await doorState(t.id);
    assert.equal(state.admission_scan_id, ta.scan_id);
    assert.equal(new Date(state.admitted_at as string).toISOString(), '2026-11-23T10:15:00.000Z');

    // A third device admitted it even later: it loses against the earlier admission.
    const late = await offlineB.post('/api/scans/batch', { batch: { scans: [{ code: t.barcode, device: 'B', nonce: 'b-1', scanned_at: '2026-11-23T10:18:00Z' }] } });
    assert.equal(late.statusCode, 200, late.body);
    assert.equal(late.json().scans[0].reason, 'already_admitted');
    assert.equal(late.json().scans[0].conflict, true);
    assert.equal(late.json().scans[0].admission.scan_id, ta.scan_id);
    assert.equal(late.json().scans[0].admission.control_point_name, 'Gate A');

    const conflicts = await admin.get(`/api/scans/conflicts?event_id=${e.id}`);
    assert.equal(conflicts.statusCode, 200, conflicts.body);
    const list = conflicts.json().conflicts;
    assert.equal(list.length, 2);
    assert.deepEqual([list[0].winner.id, list[0].loser.id], [ta.scan_id, live.scan_id]);
    assert.equal(list[0].loser.result, 'rejected');
    assert.equal(list[0].winner.offline, true);
    assert.deepEqual([list[1].winner.id, list[1].loser.id], [ta.scan_id, late.json().scans[0].scan_id]);
    assert.deepEqual((await online.get('/api/scans/conflicts')).json().conflicts.map((c: { id: number }) => c.id), list.map((c: { id: number }) => c.id));

    // Every scan is kept.
    const all = (await admin.get(`/api/scans?event_id=${e.id}&per_page=100`)).json().scans;
    assert.equal(all.length, 4);
    // Re-uploading the same batch changes nothing.
    const again = await offlineA.post('/api/scans/batch', { batch: { scans: upload } });
    assert.deepEqual(again.json().scans.map((s: { replayed: boolean; scan_id: number }) => [s.replayed, s.scan_id]), [[true, ua.scan_id], [true, ta.scan_id]]);
    assert.equal((await admin.get(`/api/scans?event_id=${e.id}`)).headers['x-total'], '4');
    assert.equal((await admin.get(`/api/scans/conflicts?event_id=${e.id}`)).headers['x-total'], '2');
    const stats = (await admin.get(`/api/events/${e.id}/door_statistics`)).json().door_statistics;
    assert.deepEqual(stats.totals, { total: 2, scanned: 2, in: 2, out: 0 });
  });

  test('offline download and delta sync: exactly the changes since the cursor, in pages', async () => {
    const e = await newEvent();
    const kept = await tickets(e, 3);
    await tickets(e, 2, { section: 'balcony' });
    await tickets(e, 1, { status: 'pending' });
    const token = (await admin.post(`/api/events/${e.id}/admission_tokens`, { admission_token: { section_ids: [e.floor] } })).json().admission_token;
    const device = await session(token.code, 'floor device');
    const otherGate = await doorKey(e);

    // The download: valid floor tickets only, in pages, with the key that verifies QR payloads.
    const first = await device.get('/api/door/tickets?limit=2');
    assert.equal(first.statusCode, 200, first.body);
    const page1 = first.json();
    assert.equal(page1.tickets.length, 2);
    assert.match(page1.public_key.public_key_pem, /BEGIN PUBLIC KEY/);
    const page2 = (await device.get(`/api/door/tickets?limit=2&after=${page1.next_after}`)).json();
    assert.equal(page2.next_after, null);
    assert.deepEqual([...page1.tickets, ...page2.tickets].map((t: { id: number }) => t.id), kept.map((t) => t.id));
    const cursor = page1.cursor;

    // Nothing changed yet.
    const none = (await device.get(`/api/door/changes?since=${cursor}`)).json();
    assert.deepEqual(none.changes, []);

    // Changes: a new floor ticket, a refund, an admission at another gate; and out of scope, a balcony ticket.
    const [fresh] = await tickets(e, 1);
    await tickets(e, 1, { section: 'balcony' });
    await p.database.db.updateTable('tickets').set({ status: 'refunded', updated_at: p.clock().toISOString() }).where('id', '=', kept[1].id).execute();
    assert.equal((await scan(otherGate, { code: kept[0].barcode })).admitted, true);

    const delta = (await device.get(`/api/door/changes?since=${cursor}`)).json();
    assert.deepEqual(
      delta.changes.map((c: { kind: string; ticket: { id: number } }) => [c.kind, c.ticket.id]),
      [['issued', fresh.id], ['cancelled', kept[1].id], ['admitted', kept[0].id]],
    );
    assert.equal(delta.changes[2].ticket.door_state, 'in');
    assert.equal(delta.has_more, false);
    // From the new cursor: nothing; the same changes in pages of one.
    assert.deepEqual((await device.get(`/api/door/changes?since=${delta.cursor}`)).json().changes, []);
    const paged: [string, number][] = [];
    let since = cursor;
    for (let i = 0; i < 10; i++) {
      const page = (await device.get(`/api/door/changes?since=${since}&limit=1`)).json();
      paged.push(...page.changes.map((c: { kind: string; ticket: { id: number } }) => [c.kind, c.ticket.id] as [string, number]));
      since = page.cursor;
      if (!page.has_more) break;
    }
    assert.deepEqual(paged, [['issued', fresh.id], ['cancelled', kept[1].id], ['admitted', kept[0].id]]);
    // Bad cursors are refused.
    assert.equal((await device.get('/api/door/changes?since=abc')).statusCode, 422);
    assert.equal((await device.get('/api/door/changes')).statusCode, 422);
  });

  test('delta sync on PostgreSQL neither skips nor waits for a change whose transaction commits after a later one', { skip: ENGINE !== 'postgres' && 'PostgreSQL only: SQLite commits in id order' }, async () => {
    const e = await newEvent();
    const [slow, quick] = await tickets(e, 2);
    const device = await doorKey(e);
    const cursor = (await device.get('/api/door/tickets')).json().cursor;

    // A transaction changes `slow` first (its change gets the smaller id) but commits last.
    const other = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${p.schema}` });
    await other.connect();
    try {
      await other.query('begin');
      await other.query(`update tickets set status = 'refunded' where id = $1`, [slow.id]);
      assert.equal((await scan(device, { code: quick.barcode })).admitted, true);
      // The quick change has committed while the slow transaction is still open: it is handed out at
      // once; the slow one is neither lost nor waited for.
      const first = (await device.get(`/api/door/changes?since=${cursor}`)).json();
      assert.deepEqual(first.changes.map((c: { kind: string; ticket: { id: number } }) => [c.kind, c.ticket.id]), [['admitted', quick.id]]);
      assert.deepEqual((await device.get(`/api/door/changes?since=${first.cursor}`)).json().changes, [], 'nothing more while it runs');
      await other.query('commit');
      const second = (await device.get(`/api/door/changes?since=${first.cursor}`)).json();
      assert.deepEqual(second.changes.map((c: { kind: string; ticket: { id: number } }) => [c.kind, c.ticket.id]), [['cancelled', slow.id]], 'the slow change comes once it commits');
      assert.deepEqual((await device.get(`/api/door/changes?since=${second.cursor}`)).json().changes, []);
    } finally {
      await other.end();
    }
    // From the first cursor: both, once each.
    const delta = (await device.get(`/api/door/changes?since=${cursor}`)).json();
    assert.deepEqual(delta.changes.map((c: { kind: string; ticket: { id: number } }) => [c.kind, c.ticket.id]).sort(), [['admitted', quick.id], ['cancelled', slow.id]]);
    assert.deepEqual((await device.get(`/api/door/changes?since=${delta.cursor}`)).json().changes, []);
  });

  test('statistics per date, section, tariff and control point, and arrivals over time', async () => {
    const e = await newEvent();
    const floor = await tickets(e, 4);
    const balcony = await tickets(e, 2, { section: 'balcony', date: e.date2 });
    const gate = await doorKey(e);
    const north = (await gate.post('/api/control_points', { control_point: { name: 'North' } })).json().control_point;
    p.clock.set(new Date('2026-11-23T10:31:00Z'));
    await scan(gate, { code: floor[0].barcode, control_point_id: north.id });
    await scan(gate, { code: floor[1].barcode, control_point_id: north.id });
    await scan(gate, { code: floor[1].barcode, control_point_id: north.id });
    p.clock.set(new Date('2026-11-23T10:50:00Z'));
    await scan(gate, { code: balcony[0].barcode, device: 'south phone' });
    await scan(gate, { code: floor[0].barcode, direction: 'out', control_point_id: north.id });

    const r = await admin.get(`/api/events/${e.id}/door_statistics?bucket_minutes=15`);
    assert.equal(r.statusCode, 200, r.body);
    const s = r.json().door_statistics;
    assert.deepEqual(s.totals, { total: 6, scanned: 3, in: 2, out: 1 });
    assert.deepEqual(s.by_tariff, [
      { date_id: e.date, section_id: e.floor, tariff_id: e.tariff, total: 4, scanned: 2, in: 1, out: 1 },
      { date_id: e.date2, section_id: e.balcony, tariff_id: null, total: 2, scanned: 1, in: 1, out: 0 },
    ]);
    assert.deepEqual(s.by_date.map((d: { date_id: number; total: number }) => [d.date_id, d.total]), [[e.date, 4], [e.date2, 2]]);
    assert.deepEqual(s.by_section.map((d: { section_id: number; scanned: number }) => [d.section_id, d.scanned]), [[e.floor, 2], [e.balcony, 1]]);
    assert.deepEqual(s.by_control_point, [
      { control_point_id: null, name: null, admitted: 1, exited: 0, rejected: 0 },
      { control_point_id: north.id, name: 'North', admitted: 2, exited: 1, rejected: 1 },
    ]);
    assert.deepEqual(s.arrivals, [{ from: '2026-11-23T10:30:00.000Z', admitted: 2 }, { from: '2026-11-23T10:45:00.000Z', admitted: 1 }]);
    // One tariff's counts (what Weezevent's ticket stats serve), through the core.
    assert.deepEqual(await p.app.core.door.tariffCounts(operatorPrincipal(p.a.organizationId, p.a.adminAccountId), e.tariff), { eventId: e.id, tariffId: e.tariff, total: 4, scanned: 2, in: 1, out: 1 });
    await assert.rejects(p.app.core.door.tariffCounts(operatorPrincipal(p.b.organizationId, p.b.adminAccountId), e.tariff), { code: 'NOT_FOUND' });
    // The door credential sees its own event's figures only; another organization none.
    assert.equal((await gate.get(`/api/events/${e.id}/door_statistics`)).statusCode, 200);
    assert.equal((await gate.get(`/api/events/${e.id + 1000}/door_statistics`)).statusCode, 403);
    assert.equal((await adminB.get(`/api/events/${e.id}/door_statistics`)).statusCode, 404);
  });

  test('control points and scan settings: defaults, per-account values, door credentials read them', async () => {
    const e = await newEvent();
    const gate = await doorKey(e);
    const created = await gate.post('/api/control_points', { control_point: { name: 'Entrée principale' } });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().control_point.event_id, e.id);
    const staffPoint = (await admin.post('/api/control_points', { control_point: { name: 'Box office' } })).json().control_point;
    assert.equal(staffPoint.event_id, null);
    assert.deepEqual((await gate.get('/api/control_points')).json().control_points.map((c: { name: string }) => c.name).includes('Entrée principale'), true);
    assert.equal((await adminB.get(`/api/control_points/${staffPoint.id}`)).statusCode, 404);
    assert.equal((await adminB.post('/api/scans', { scan: { code: 'ZZZZZZZZZZZZZZZZ', control_point_id: staffPoint.id, event_id: (await newEvent(adminB)).id } })).statusCode, 422);
    const renamed = await admin.patch(`/api/control_points/${staffPoint.id}`, { control_point: { name: 'Guichet' } });
    assert.equal(renamed.json().control_point.name, 'Guichet');

    const defaults = (await gate.get('/api/scan_settings')).json().scan_settings;
    assert.deepEqual(defaults, { sync_interval: '120', scan_device: '', scan_focus: '0', scan_mode: '0', scan_vibration: '1', scan_sound: '1' });
    const org = await admin.patch('/api/scan_settings?scope=organization', { scan_settings: { sync_interval: 30, scan_sound: false, other: { theme: 'dark' } } });
    assert.equal(org.statusCode, 200, org.body);
    assert.equal((await gate.get('/api/scan_settings')).json().scan_settings.sync_interval, '30');
    assert.equal((await gate.get('/api/scan_settings')).json().scan_settings.theme, 'dark');
    assert.equal((await gate.patch('/api/scan_settings', { scan_settings: { scan_sound: true } })).statusCode, 403);
    assert.equal((await adminB.get('/api/scan_settings')).json().scan_settings.sync_interval, '120');
    assert.equal((await admin.patch('/api/scan_settings?scope=organization', { scan_settings: { other: { theme: null } } })).json().scan_settings.theme, undefined);
  });

  test('bad input gets a 4xx and changes nothing', async () => {
    const e = await newEvent();
    const [t] = await tickets(e, 1);
    const gate = await doorKey(e);
    const scans = await count('scans');
    const bad: [Record<string, unknown>, number][] = [
      [{}, 422],
      [{ code: '' }, 422],
      [{ code: 'AB CD' }, 422],
      [{ code: t.barcode, direction: 'sideways' }, 422],
      [{ code: t.barcode, scanned_at: 'yesterday' }, 422],
      [{ code: t.barcode, control_point_id: 0 }, 422],
      [{ code: t.barcode, control_point_id: 999999 }, 422],
      [{ code: t.barcode, extra: 1 }, 422],
      [{ code: 'x'.repeat(513) }, 422],
    ];
    for (const [body, status] of bad) {
      const r = await gate.post('/api/scans', { scan: body });
      assert.equal(r.statusCode, status, `${JSON.stringify(body)}: ${r.body}`);
    }
    assert.equal((await admin.post('/api/scans', { scan: { code: t.barcode } })).statusCode, 422, 'staff name the event');
    assert.equal((await gate.post('/api/scans/batch', { batch: { scans: [{ code: t.barcode, scanned_at: '2026-11-23T10:00:00Z' }] } })).statusCode, 422, 'uploads need nonces');
    assert.equal((await gate.post('/api/scans/batch', { batch: { scans: [] } })).statusCode, 422);
    const many = Array.from({ length: 501 }, (_, i) => ({ code: t.barcode, nonce: `n${i}`, scanned_at: '2026-11-23T10:00:00Z' }));
    assert.equal((await gate.post('/api/scans/batch', { batch: { scans: many } })).statusCode, 422);
    assert.equal((await admin.post(`/api/events/${e.id}/admission_tokens`, { admission_token: { section_ids: [] } })).statusCode, 422);
    assert.equal((await p.app.inject({ method: 'POST', url: '/api/door/sessions', payload: { session: { code: '!!' } } })).statusCode, 404);
    assert.equal((await p.app.inject({ method: 'POST', url: '/api/door/sessions', payload: { session: {} } })).statusCode, 422);
    assert.equal((await gate.patch('/api/scan_settings', { scan_settings: {} })).statusCode, 422);
    assert.equal((await admin.patch('/api/scan_settings', { scan_settings: { other: { 'Bad Key': 1 } } })).statusCode, 422);
    assert.equal(await count('scans'), scans);
    assert.equal((await doorState(t.id)).door_state, 'none');
  });
});

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { client, platform, token, type TestPlatform } from '../../helpers.ts';
import { issueTickets, signingKey, signTickets, toTicket } from '../../../src/core/selling/tickets.ts';

type Api = ReturnType<typeof client>;
interface Place { id: number; floor: number; balcony: number; date: number; date2: number; tariff: number }

/** What a door device keeps offline: GET /api/door/event, /api/door/snapshot, /api/door/counters. */
describe('door devices: briefing, snapshot, counters', () => {
  let p: TestPlatform;
  let admin: Api;
  let adminB: Api;

  before(async () => {
    p = await platform();
    admin = client(p.app, await token(p.app, p.a));
    adminB = client(p.app, await token(p.app, p.b));
  });
  after(() => p.close());

  async function newEvent(api: Api = admin): Promise<Place> {
    const r = await api.post('/api/events', {
      event: {
        title: 'Nuit blanche',
        sections: [{ name: 'Fosse', capacity: 1000 }, { name: 'Balcon', capacity: 100 }],
        dates: [{ starts_at: '2027-03-01T20:00:00+01:00' }, { starts_at: '2027-03-02T20:00:00+01:00' }],
      },
    });
    assert.equal(r.statusCode, 201, r.body);
    const e = r.json().event;
    const tariff = await api.post(`/api/events/${e.id}/tariffs`, { tariff: { section_id: e.sections[0].id, label: 'Plein tarif', price: 3000 } });
    assert.equal(tariff.statusCode, 201, tariff.body);
    return { id: e.id, floor: e.sections[0].id, balcony: e.sections[1].id, date: e.dates[0].id, date2: e.dates[1].id, tariff: tariff.json().tariff.id };
  }

  async function tickets(e: Place, n: number, section: 'floor' | 'balcony' = 'floor') {
    const now = p.clock().toISOString();
    const key = await signingKey(p.database.db, p.a.organizationId, now);
    const sectionId = section === 'floor' ? e.floor : e.balcony;
    const rows = await p.database.transaction((trx) =>
      issueTickets(trx, p.a.organizationId, Array.from({ length: n }, (_, i) => ({
        eventId: e.id, dateId: e.date, sectionId, tariffId: section === 'floor' ? e.tariff : null, orderId: null, orderLineId: null, guestId: null,
        kind: 'sale' as const, holderName: `Holder ${i}`, holderEmail: null, holderAccountId: null,
      })), now),
    );
    await signTickets(p.database, p.a.organizationId, rows, now);
    return rows.map((r) => ({ id: r.id, barcode: r.barcode, qr: toTicket(r, key).qrPayload! }));
  }

  async function doorSession(e: Place, body: { section_ids?: number[] } = {}, device = 'Gate 1'): Promise<Api> {
    let code: string;
    if (body.section_ids) {
      code = (await admin.post(`/api/events/${e.id}/admission_tokens`, { admission_token: { section_ids: body.section_ids } })).json().admission_token.code;
    } else {
      const global = (await admin.get(`/api/events/${e.id}/admission_tokens?global=true`)).json().admission_tokens[0];
      code = (await admin.post(`/api/events/${e.id}/admission_tokens/${global.id}/code`, {})).json().admission_token.code;
    }
    const r = await p.app.inject({ method: 'POST', url: '/api/door/sessions', payload: { session: { code, device } } });
    assert.equal(r.statusCode, 201, r.body);
    return client(p.app, r.json().session.key);
  }

  test('the briefing names the event, dates, sections and tariffs, and gives a public key WebCrypto imports and verifies QR payloads with', async () => {
    const e = await newEvent();
    const [ticket] = await tickets(e, 1);
    const gate = await doorSession(e);
    const r = await gate.get('/api/door/event');
    assert.equal(r.statusCode, 200, r.body);
    const brief = r.json().door_event;
    assert.equal(brief.event.id, e.id);
    assert.equal(brief.event.title, 'Nuit blanche');
    assert.equal(brief.event.time_zone, 'Europe/Paris');
    assert.equal(brief.event.reentry_allowed, false);
    assert.equal(brief.event.organization_name, 'Org alpha');
    assert.deepEqual(brief.dates.map((d: { id: number }) => d.id), [e.date, e.date2]);
    assert.equal(brief.dates[0].starts_at, '2027-03-01T19:00:00.000Z');
    assert.deepEqual(brief.sections, [{ id: e.floor, name: 'Fosse' }, { id: e.balcony, name: 'Balcon' }]);
    assert.deepEqual(brief.tariffs, [{ id: e.tariff, section_id: e.floor, label: 'Plein tarif' }]);
    assert.equal(brief.section_ids, null);
    assert.equal(brief.settings.scan_sound, '1');

    // The two forms a browser imports; both verify the real payload and refuse a tampered one.
    const body = new TextEncoder().encode(ticket.qr.slice(0, ticket.qr.lastIndexOf('.')));
    const signature = Buffer.from(ticket.qr.slice(ticket.qr.lastIndexOf('.') + 1), 'base64url');
    const raw = await webcrypto.subtle.importKey('raw', Buffer.from(brief.public_key.raw, 'base64url'), { name: 'Ed25519' }, false, ['verify']);
    const jwk = await webcrypto.subtle.importKey('jwk', brief.public_key.jwk, { name: 'Ed25519' }, false, ['verify']);
    for (const key of [raw, jwk]) {
      assert.equal(await webcrypto.subtle.verify({ name: 'Ed25519' }, key, signature, body), true);
      const tampered = new TextEncoder().encode(ticket.qr.slice(0, ticket.qr.lastIndexOf('.')).replace(`.${e.floor}.`, `.${e.balcony}.`));
      assert.equal(await webcrypto.subtle.verify({ name: 'Ed25519' }, key, signature, tampered), false);
    }
    assert.match(brief.public_key.pem, /BEGIN PUBLIC KEY/);

    // A limited token says which sections it admits to; staff name the event; others see nothing.
    const balcony = await doorSession(e, { section_ids: [e.balcony] });
    assert.deepEqual((await balcony.get('/api/door/event')).json().door_event.section_ids, [e.balcony]);
    assert.equal((await admin.get(`/api/door/event?event_id=${e.id}`)).statusCode, 200);
    assert.equal((await admin.get('/api/door/event')).statusCode, 422);
    assert.equal((await adminB.get(`/api/door/event?event_id=${e.id}`)).statusCode, 404);
    assert.equal((await gate.get(`/api/door/event?event_id=${e.id + 1000}`)).statusCode, 403);
    assert.equal((await p.app.inject({ method: 'GET', url: '/api/door/event' })).statusCode, 401);
  });

  test('the snapshot pages compact rows of the credential’s tickets, says where admitted ones were admitted, and its cursor brings later changes', async () => {
    const e = await newEvent();
    const floor = await tickets(e, 5);
    const balconyTickets = await tickets(e, 2, 'balcony');
    const gate = await doorSession(e);
    const cp = (await gate.post('/api/control_points', { control_point: { name: 'North gate' } })).json().control_point;
    const admitted = await gate.post('/api/scans', { scan: { code: floor[0].barcode, control_point_id: cp.id, nonce: 'n-1' } });
    assert.equal(admitted.json().scan.admitted, true);

    const first = await gate.get('/api/door/snapshot?limit=3');
    assert.equal(first.statusCode, 200, first.body);
    const page1 = first.json();
    assert.deepEqual(page1.columns, ['id', 'barcode', 'version', 'date_id', 'section_id', 'tariff_id', 'holder_name', 'door_state', 'admitted_at', 'admitted_where']);
    assert.equal(page1.rows.length, 3);
    assert.equal(page1.next_after, page1.rows[2][0]);
    assert.deepEqual(page1.rows[0].slice(0, 8), [floor[0].id, floor[0].barcode, 1, e.date, e.floor, e.tariff, 'Holder 0', 'in']);
    assert.equal(page1.rows[0][9], 'North gate');
    assert.equal(page1.rows[1][7], 'none');
    assert.equal(page1.rows[1][8], null);
    const rest = (await gate.get(`/api/door/snapshot?limit=3&after=${page1.next_after}`)).json();
    const last = (await gate.get(`/api/door/snapshot?limit=3&after=${rest.next_after}`)).json();
    assert.equal(last.next_after, null);
    assert.deepEqual([...page1.rows, ...rest.rows, ...last.rows].map((row: unknown[]) => row[0]), [...floor, ...balconyTickets].map((t) => t.id));
    // Gzipped for a client that accepts it (a gate on a weak network): the same page.
    const zipped = await gate.get('/api/door/snapshot?limit=3', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.match(String(zipped.headers.vary), /Accept-Encoding/);
    assert.deepEqual({ ...JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8')), cursor: page1.cursor }, page1);

    // A limited credential gets only its sections.
    const balcony = await doorSession(e, { section_ids: [e.balcony] });
    assert.deepEqual((await balcony.get('/api/door/snapshot')).json().rows.map((row: unknown[]) => row[0]), balconyTickets.map((t) => t.id));

    // What happens after the download comes through /door/changes from the first page's cursor.
    await gate.post('/api/scans', { scan: { code: floor[1].qr, control_point_id: cp.id, nonce: 'n-2' } });
    const changes = (await gate.get(`/api/door/changes?since=${encodeURIComponent(page1.cursor)}`)).json();
    assert.deepEqual(changes.changes.map((c: { kind: string; ticket: { id: number } }) => [c.kind, c.ticket.id]), [['admitted', floor[1].id]]);

    // Bad input: a clear 400, never a 500.
    assert.equal((await gate.get('/api/door/snapshot?limit=0')).statusCode, 422);
    assert.equal((await gate.get('/api/door/snapshot?limit=20001')).statusCode, 422);
    assert.equal((await gate.get('/api/door/snapshot?after=-1')).statusCode, 422);
    assert.equal((await gate.get('/api/door/snapshot?bogus=1')).statusCode, 422);
    assert.equal((await adminB.get(`/api/door/snapshot?event_id=${e.id}`)).statusCode, 404);
  });

  test('counters: the event’s admitted / total within the credential’s scope, and one control point’s scans', async () => {
    const e = await newEvent();
    const floor = await tickets(e, 4);
    await tickets(e, 3, 'balcony');
    const gate = await doorSession(e);
    const cp = (await gate.post('/api/control_points', { control_point: { name: 'East' } })).json().control_point;
    await gate.post('/api/scans', { scan: { code: floor[0].barcode, control_point_id: cp.id, nonce: 'c-1' } });
    await gate.post('/api/scans', { scan: { code: floor[1].barcode, control_point_id: cp.id, nonce: 'c-2' } });
    await gate.post('/api/scans', { scan: { code: floor[0].barcode, control_point_id: cp.id, nonce: 'c-3' } }); // already admitted
    await gate.post('/api/scans', { scan: { code: floor[2].barcode, nonce: 'c-4' } }); // no control point

    const r = await gate.get(`/api/door/counters?control_point_id=${cp.id}`);
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(r.json().counters, { event: { total: 7, admitted: 3, inside: 3 }, control_point: { id: cp.id, admitted: 2, exited: 0, rejected: 1 } });
    assert.deepEqual((await gate.get('/api/door/counters')).json().counters.control_point, null);

    const balcony = await doorSession(e, { section_ids: [e.balcony] });
    assert.deepEqual((await balcony.get('/api/door/counters')).json().counters.event, { total: 3, admitted: 0, inside: 0 });

    // Another event's control point is not this credential's.
    const other = await newEvent();
    const otherGate = await doorSession(other);
    const otherCp = (await otherGate.post('/api/control_points', { control_point: { name: 'Elsewhere' } })).json().control_point;
    assert.equal((await gate.get(`/api/door/counters?control_point_id=${otherCp.id}`)).statusCode, 404);
    assert.equal((await gate.get('/api/door/counters?control_point_id=abc')).statusCode, 422);
  });

  test('an uploaded scan the device refused is recorded as refused: it admits nobody and makes no conflict', async () => {
    const e = await newEvent();
    const [t, u] = await tickets(e, 2);
    const gateA = await doorSession(e, {}, 'A');
    const gateB = await doorSession(e, {}, 'B');
    // A admitted t offline, then refused it a second time (its own admission); B refused u for a reason of its own.
    const a = await gateA.post('/api/scans/batch', { batch: { scans: [
      { code: t.barcode, device: 'A', nonce: 'a1', scanned_at: '2026-11-23T10:00:00Z', device_result: 'admitted' },
      { code: t.barcode, device: 'A', nonce: 'a2', scanned_at: '2026-11-23T10:01:00Z', device_result: 'rejected', device_reason: 'already_admitted' },
    ] } });
    assert.equal(a.statusCode, 200, a.body);
    assert.deepEqual(a.json().scans.map((r: { admitted: boolean; reason: string | null; conflict: boolean }) => [r.admitted, r.reason, r.conflict]), [[true, null, false], [false, 'already_admitted', false]]);
    const b = await gateB.post('/api/scans/batch', { batch: { scans: [{ code: u.barcode, device: 'B', nonce: 'b1', scanned_at: '2026-11-23T10:02:00Z', device_result: 'rejected', device_reason: 'wrong_date' }] } });
    assert.deepEqual(b.json().scans.map((r: { admitted: boolean; reason: string | null }) => [r.admitted, r.reason]), [[false, 'wrong_date']]);
    // The server still decides for admitted scans: a second gate's admission of t is a conflict.
    const late = await gateB.post('/api/scans/batch', { batch: { scans: [{ code: t.barcode, device: 'B', nonce: 'b2', scanned_at: '2026-11-23T10:03:00Z', device_result: 'admitted' }] } });
    assert.equal(late.json().scans[0].conflict, true);
    const conflicts = (await gateA.get('/api/scans/conflicts')).json().conflicts;
    assert.equal(conflicts.length, 1, 'only the two admissions conflict, not the refusal');
    assert.equal(conflicts[0].loser.device, 'B');
    const door = (await gateA.get(`/api/door/counters`)).json().counters.event;
    assert.deepEqual(door, { total: 2, admitted: 1, inside: 1 });
    assert.equal((await gateA.post('/api/scans/batch', { batch: { scans: [{ code: t.barcode, nonce: 'x', scanned_at: '2026-11-23T10:00:00Z', device_result: 'maybe' }] } })).statusCode, 422);
  });
});

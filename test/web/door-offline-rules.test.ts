import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { decideOffline, type LocalLookup } from '../../web/src/door/decide.ts';
import { parsePayload, verifierFor, type Verifier } from '../../web/src/door/payload.ts';
import type { Briefing, LocalTicket } from '../../web/src/door/types.ts';

/**
 * The door app's offline answer (web/src/door/decide.ts) against payloads signed the way the server
 * signs them (an Ed25519 key; `G1.<org>.<ticket>.<version>.<date>.<section>.<barcode>.<sig>`), with
 * both verifiers: WebCrypto and the @noble/ed25519 fallback. The browser journeys cover the rest.
 */
describe('door app: offline rules', () => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const raw = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  const sign = (t: Pick<LocalTicket, 'id' | 'version' | 'dateId' | 'sectionId' | 'barcode'>, org = 7) => {
    const body = ['G1', org, t.id, t.version, t.dateId, t.sectionId, t.barcode].join('.');
    return `${body}.${crypto.sign(null, Buffer.from(body), privateKey).toString('base64url')}`;
  };
  const briefing: Briefing = {
    event: { id: 1, title: 'Concert', timeZone: 'Europe/Paris', reentryAllowed: false, organizationName: 'Org' },
    dates: [{ id: 10, startsAt: '2027-03-01T19:00:00Z' }, { id: 11, startsAt: '2027-03-02T19:00:00Z' }],
    sections: [{ id: 100, name: 'Floor' }, { id: 101, name: 'Balcony' }],
    tariffs: [{ id: 1000, sectionId: 100, label: 'Full' }],
    sectionIds: [100],
    dateIds: null,
    publicKey: raw,
    settings: {},
  };
  const ticket = (id: number, extra: Partial<LocalTicket> = {}): LocalTicket => ({
    id, barcode: `BARCODE${id}`.padEnd(16, 'X'), version: 1, dateId: 10, sectionId: 100, tariffId: 1000, holderName: `H${id}`, status: 'valid', doorState: 'none', admittedAt: null, admittedWhere: null, ...extra,
  });
  const tickets = new Map<number, LocalTicket>();
  const lookup: LocalLookup = {
    ticketById: async (id) => tickets.get(id),
    ticketByBarcode: async (barcode) => [...tickets.values()].find((t) => t.barcode === barcode),
    retired: async (barcode) => (barcode === 'OLDBARCODE000000' ? { ticketId: 5 } : undefined),
  };
  const verifiers: Verifier[] = [];

  before(async () => {
    verifiers.push(await verifierFor(raw), await verifierFor(raw, { forceFallback: true }));
    for (const t of [ticket(1), ticket(2, { doorState: 'in', admittedAt: '2027-03-01T19:05:00Z', admittedWhere: 'North' }), ticket(3, { status: 'refunded' }), ticket(4, { status: 'pending' }), ticket(5, { version: 2 }), ticket(6, { dateId: 11 }), ticket(7, { doorState: 'out' })]) {
      tickets.set(t.id, t);
    }
  });

  test('both verifiers: WebCrypto where the runtime has Ed25519, and the fallback', () => {
    assert.equal(verifiers[0].engine, 'webcrypto');
    assert.equal(verifiers[1].engine, 'noble');
  });

  for (const [i, name] of ['webcrypto', 'noble'].entries()) {
    test(`signed payloads (${name}): admitted, forged, tampered, transferred, out of scope, issued since the last sync`, async () => {
      const verify = verifiers[i];
      const ctx = { briefing, verify, direction: 'in' as const, dateId: null };
      const ok = await decideOffline(sign(tickets.get(1)!), ctx, lookup);
      assert.deepEqual([ok.admitted, ok.reason, ok.ticket?.id], [true, null, 1]);

      // Forged: signed with another key; tampered: a field changed after signing; garbage.
      const other = crypto.generateKeyPairSync('ed25519').privateKey;
      const body = ['G1', 7, 1, 1, 10, 100, tickets.get(1)!.barcode].join('.');
      const forged = `${body}.${crypto.sign(null, Buffer.from(body), other).toString('base64url')}`;
      assert.equal((await decideOffline(forged, ctx, lookup)).reason, 'invalid_signature');
      assert.equal((await decideOffline(sign(tickets.get(1)!).replace('.100.', '.101.'), ctx, lookup)).reason, 'invalid_signature');
      assert.equal((await decideOffline('G1.1.2.3', ctx, lookup)).reason, 'invalid_signature');

      // An older version of a ticket (it changed hands since): transferred.
      assert.equal((await decideOffline(sign({ ...tickets.get(5)!, version: 1 }), ctx, lookup)).reason, 'transferred');
      // Authentic but unknown here: another event's date, a section this gate does not admit; else admitted on its signature.
      assert.equal((await decideOffline(sign({ id: 99, version: 1, dateId: 55, sectionId: 100, barcode: 'NEWNEWNEWNEWNEW1' }), ctx, lookup)).reason, 'wrong_event');
      assert.equal((await decideOffline(sign({ id: 99, version: 1, dateId: 10, sectionId: 101, barcode: 'NEWNEWNEWNEWNEW1' }), ctx, lookup)).reason, 'wrong_section');
      const fresh = await decideOffline(sign({ id: 99, version: 1, dateId: 10, sectionId: 100, barcode: 'NEWNEWNEWNEWNEW1' }), ctx, lookup);
      assert.deepEqual([fresh.admitted, fresh.signed?.ticketId, fresh.signed?.barcode], [true, 99, 'NEWNEWNEWNEWNEW1']);
      assert.equal(parsePayload(sign(tickets.get(1)!))?.ticketId, 1);
    });
  }

  test('barcodes and the local state: already admitted (when, where), refunded, unpaid, wrong date, transferred, unknown, exits and re-entry', async () => {
    const ctx = { briefing, verify: verifiers[0], direction: 'in' as const, dateId: null };
    const already = await decideOffline(tickets.get(2)!.barcode.toLowerCase(), ctx, lookup);
    assert.deepEqual([already.admitted, already.reason, already.ticket?.admittedWhere], [false, 'already_admitted', 'North']);
    assert.equal((await decideOffline(tickets.get(3)!.barcode, ctx, lookup)).reason, 'cancelled');
    assert.equal((await decideOffline(tickets.get(4)!.barcode, ctx, lookup)).reason, 'unpaid');
    assert.equal((await decideOffline(tickets.get(6)!.barcode, { ...ctx, dateId: 10 }, lookup)).reason, 'wrong_date');
    assert.equal((await decideOffline(tickets.get(6)!.barcode, ctx, lookup)).admitted, true);
    assert.equal((await decideOffline('OLDBARCODE000000', ctx, lookup)).reason, 'transferred');
    assert.equal((await decideOffline('NOSUCHBARCODE', ctx, lookup)).reason, 'unknown');
    // Out: only who is in; in again after out only where the event allows re-entry.
    assert.equal((await decideOffline(tickets.get(1)!.barcode, { ...ctx, direction: 'out' }, lookup)).reason, 'not_admitted');
    assert.equal((await decideOffline(tickets.get(2)!.barcode, { ...ctx, direction: 'out' }, lookup)).admitted, true);
    assert.equal((await decideOffline(tickets.get(7)!.barcode, ctx, lookup)).reason, 'already_admitted');
    const reentry = { ...ctx, briefing: { ...briefing, event: { ...briefing.event, reentryAllowed: true } } };
    assert.equal((await decideOffline(tickets.get(7)!.barcode, reentry, lookup)).admitted, true);
  });
});

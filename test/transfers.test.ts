import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { client, platform, token, type Tenant, type TestPlatform } from './helpers.ts';
import { operatorPrincipal } from '../src/demo/seed.ts';
import { inventory } from '../src/core/selling/inventory.ts';
import { issueTickets, signingKey, signTickets, toTicket, verifyQrPayload, type TicketStatus } from '../src/core/selling/tickets.ts';

type Api = ReturnType<typeof client>;
interface Person { id: number; email: string; api: Api }

describe('ticket transfers', () => {
  let p: TestPlatform;
  let admin: Api;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  /** The listed performance every ticket here is for. */
  let place: { eventId: number; dateId: number; sectionId: number; tariffId: number; capacityId: number };
  let people = 0;

  /** Signs in with the password grant (scopes public buy), as a buyer's app would. */
  async function passwordToken(username: string, password: string, tenant: Pick<Tenant, 'clientId' | 'clientSecret'> = p.a) {
    const r = await p.app.inject({
      method: 'POST',
      url: '/api/auth/token',
      payload: { grant_type: 'password', client_id: tenant.clientId, client_secret: tenant.clientSecret, username, password },
    });
    assert.equal(r.statusCode, 200, r.body);
    return r.json().access_token as string;
  }

  /** A buyer account and an API client signed in as them. */
  async function person(name: string, email = `${name}@example.test`): Promise<Person> {
    const account = await p.app.core.accounts.create({ username: `${name}-${++people}`, email, password: `${name}-password` });
    return { id: account.id, email: account.email, api: client(p.app, await passwordToken(account.username, `${name}-password`)) };
  }

  /** Tickets sold to a holder, made with the core directly: places taken, tickets issued, in one transaction. */
  async function ticketsFor(holder: { id: number; email: string }, n: number, status: TicketStatus = 'valid') {
    const now = p.clock().toISOString();
    const rows = await p.app.core.ctx.database.transaction(async (trx) => {
      assert.ok(await inventory.take(trx, { capacityId: place.capacityId, tariffId: place.tariffId, dateId: place.dateId, quota: null, organizationId: p.a.organizationId }, n, now));
      return issueTickets(
        trx,
        p.a.organizationId,
        Array.from({ length: n }, () => ({
          eventId: place.eventId, dateId: place.dateId, sectionId: place.sectionId, tariffId: place.tariffId, orderId: null, orderLineId: null, guestId: null,
          kind: 'sale' as const, holderName: 'Holder Name', holderEmail: holder.email, holderAccountId: holder.id,
        })),
        now,
        status,
      );
    });
    await signTickets(p.app.core.ctx.database, p.a.organizationId, rows, now);
    return rows.map((r) => r.id);
  }

  const ticketRows = (ids: number[]) => p.database.db.selectFrom('tickets').selectAll().where('id', 'in', ids).orderBy('id').execute();
  const takenNow = async () => (await p.database.db.selectFrom('section_capacities').select('taken').where('id', '=', place.capacityId).executeTakeFirstOrThrow()).taken;
  const transferCount = async () => Number((await p.database.db.selectFrom('transfers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const send = (from: Person, ticketIds: number[], to: string) => from.api.post('/api/transfers', { transfer: { ticket_ids: ticketIds, recipient_email: to } });
  async function sent(from: Person, ticketIds: number[], to: string) {
    const r = await send(from, ticketIds, to);
    assert.equal(r.statusCode, 201, r.body);
    return r.json().transfer as { id: number; status: string; ticket_ids: number[]; recipient_user_id: number | null };
  }

  before(async () => {
    p = await platform();
    admin = client(p.app, await token(p.app, p.a));
    // Listing an event is a platform administrator's review.
    const staff = await p.app.core.accounts.create({ username: 'staff', email: 'staff@guichet.test', password: 'staff-password', platformRole: 'administrator' });
    const { client: c, secret } = await p.app.core.credentials.createClient(operatorPrincipal(p.a.organizationId, staff.id), { name: 'staff', scopes: 'public sell admin' });
    const reviewer = client(p.app, await token(p.app, { clientId: c.clientId, clientSecret: secret }, 'public sell admin'));
    const created = await admin.post('/api/events', {
      event: { title: 'Concert à transmettre', sections: [{ name: 'Fosse', capacity: 500 }], dates: [{ starts_at: '2027-04-10T20:00:00+02:00' }] },
    });
    assert.equal(created.statusCode, 201, created.body);
    const event = created.json().event;
    const tariff = (await admin.post(`/api/events/${event.id}/tariffs`, { tariff: { section_id: event.sections[0].id, label: 'Plein tarif', price: 4000 } })).json().tariff;
    assert.equal((await admin.patch(`/api/events/${event.id}`, { event: { status: 'under_review' } })).statusCode, 200);
    assert.equal((await reviewer.patch(`/api/events/${event.id}`, { event: { status: 'listed' } })).json().event.status, 'listed');
    const capacity = await p.database.db.selectFrom('section_capacities').select('id').where('date_id', '=', event.dates[0].id).where('section_id', '=', event.sections[0].id).executeTakeFirstOrThrow();
    place = { eventId: event.id, dateId: event.dates[0].id, sectionId: event.sections[0].id, tariffId: tariff.id, capacityId: capacity.id };
    alice = await person('alice');
    bob = await person('bob');
    carol = await person('carol');
  });
  after(() => p.close());

  test('claim: new barcodes and versions for the recipient, old barcodes retired, old QR payloads outdated, capacity unchanged', async () => {
    const [t1, t2, kept] = await ticketsFor(alice, 3);
    const key = await signingKey(p.database.db, p.a.organizationId, p.clock().toISOString());
    const before = await ticketRows([t1, t2]);
    const oldPayloads = before.map((row) => toTicket(row, key).qrPayload!);
    const takenBefore = await takenNow();
    const outbox = p.mailer.outbox.length;

    const r = await send(alice, [t2, t1, t1], 'Bob@Example.TEST');
    assert.equal(r.statusCode, 201, r.body);
    const transfer = r.json().transfer;
    assert.deepEqual(
      { ...transfer, id: undefined },
      {
        id: undefined, status: 'pending', sender_user_id: alice.id, recipient_email: 'bob@example.test', recipient_user_id: bob.id,
        ticket_ids: [t1, t2], created_at: p.clock().toISOString(), resolved_at: null,
      },
    );
    // The recipient's e-mail leaves through the outbox, after the commit.
    await p.app.core.delivery.drain();
    assert.equal(p.mailer.outbox.length, outbox + 1);
    assert.equal(p.mailer.outbox.at(-1)!.to, 'bob@example.test');
    assert.match(p.mailer.outbox.at(-1)!.text, new RegExp(`/transfers/${transfer.id}\\b`));
    // Nothing moves while it is pending, and the tickets cannot be offered twice.
    assert.deepEqual((await ticketRows([t1, t2])).map((t) => [t.holder_account_id, t.barcode, t.version]), before.map((t) => [alice.id, t.barcode, 1]));
    const twice = await send(alice, [kept, t1], 'carol@example.test');
    assert.equal(twice.statusCode, 422);
    assert.equal(twice.json().error.details[0].field, 'ticket_ids');
    assert.match(twice.json().error.message, /pending transfer/);
    // Both sides see it; each on their own side of the role filter.
    assert.deepEqual((await bob.api.get('/api/transfers?role=received')).json().transfers.map((x: { id: number }) => x.id), [transfer.id]);
    assert.deepEqual((await alice.api.get('/api/transfers?role=sent&status=pending')).json().transfers.map((x: { id: number }) => x.id), [transfer.id]);
    assert.equal((await alice.api.get('/api/transfers?role=received')).headers['x-total'], '0');
    assert.equal((await bob.api.get(`/api/transfers/${transfer.id}`)).json().transfer.status, 'pending');
    // Only the recipient claims.
    const bySender = await alice.api.post(`/api/transfers/${transfer.id}/claim`, {});
    assert.equal(bySender.statusCode, 403);

    p.clock.advance(60_000);
    const claim = await bob.api.post(`/api/transfers/${transfer.id}/claim`, {});
    assert.equal(claim.statusCode, 200, claim.body);
    const claimed = claim.json().transfer;
    assert.equal(claimed.status, 'claimed');
    assert.equal(claimed.resolved_at, p.clock().toISOString());
    assert.equal(claimed.recipient_user_id, bob.id);
    assert.deepEqual(claimed.ticket_ids, [t1, t2]);
    assert.equal(claimed.tickets.length, 2);
    for (const [i, ticket] of claimed.tickets.entries()) {
      const old = before[i];
      assert.equal(ticket.id, old.id);
      assert.notEqual(ticket.barcode, old.barcode, 'a new barcode');
      assert.equal(ticket.version, 2);
      assert.equal(ticket.holder_user_id, bob.id);
      assert.equal(ticket.holder_email, 'bob@example.test');
      assert.equal(ticket.holder_name, null);
      assert.equal(ticket.status, 'valid');
      assert.notEqual(ticket.qr_payload, oldPayloads[i]);
      assert.deepEqual(verifyQrPayload(key.publicKeyPem, ticket.qr_payload), {
        organizationId: p.a.organizationId, ticketId: old.id, version: 2, dateId: place.dateId, sectionId: place.sectionId, barcode: ticket.barcode,
      });
      // The sender's copy still carries a genuine signature, but for the old version and a retired barcode.
      assert.deepEqual(verifyQrPayload(key.publicKeyPem, oldPayloads[i]), {
        organizationId: p.a.organizationId, ticketId: old.id, version: 1, dateId: place.dateId, sectionId: place.sectionId, barcode: old.barcode,
      });
    }
    const after = await ticketRows([t1, t2]);
    assert.deepEqual(after.map((t) => [t.holder_account_id, t.holder_email, t.version, t.barcode]), claimed.tickets.map((t: { barcode: string }) => [bob.id, 'bob@example.test', 2, t.barcode]));
    const retired = await p.database.db.selectFrom('retired_barcodes').select(['barcode', 'ticket_id', 'reason', 'organization_id']).where('ticket_id', 'in', [t1, t2]).orderBy('ticket_id').execute();
    assert.deepEqual(retired, before.map((t) => ({ barcode: t.barcode, ticket_id: t.id, reason: 'transferred', organization_id: p.a.organizationId })));
    assert.equal(await takenNow(), takenBefore, 'a transfer neither takes nor frees places');
    assert.equal((await ticketRows([kept]))[0].holder_account_id, alice.id, 'the ticket not sent stays');

    // It is over: no second claim, no cancellation; the tickets are now Bob's to send, not Alice's.
    const again = await bob.api.post(`/api/transfers/${transfer.id}/claim`, {});
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'INVALID_TRANSITION');
    assert.equal((await alice.api.delete(`/api/transfers/${transfer.id}`)).json().error.code, 'INVALID_TRANSITION');
    assert.equal((await send(alice, [t1], 'carol@example.test')).statusCode, 422);
    const onward = await sent(bob, [t1], 'carol@example.test');
    assert.equal(onward.status, 'pending');
  });

  test('rejection: the tickets stay with the sender, who may send them again; an address with no account yet', async () => {
    const [t1] = await ticketsFor(alice, 1);
    const before = await ticketRows([t1]);
    const transfer = await sent(alice, [t1], 'dora@example.test');
    assert.equal(transfer.recipient_user_id, null, 'nobody has that address yet');
    // Dora signs up afterwards with that address: the transfer is hers.
    const dora = await person('dora', 'Dora@Example.test');
    assert.equal((await dora.api.get(`/api/transfers/${transfer.id}`)).statusCode, 200);
    assert.equal((await alice.api.post(`/api/transfers/${transfer.id}/rejection`, {})).statusCode, 403, 'only the recipient rejects');
    const rejected = await dora.api.post(`/api/transfers/${transfer.id}/rejection`, {});
    assert.equal(rejected.statusCode, 200, rejected.body);
    assert.equal(rejected.json().transfer.status, 'rejected');
    assert.equal(rejected.json().transfer.resolved_at, p.clock().toISOString());
    assert.deepEqual(await ticketRows([t1]), before, 'the ticket is untouched');
    assert.equal((await p.database.db.selectFrom('retired_barcodes').select('barcode').where('ticket_id', '=', t1).execute()).length, 0);
    assert.equal((await dora.api.post(`/api/transfers/${transfer.id}/claim`, {})).json().error.code, 'INVALID_TRANSITION');
    assert.equal((await dora.api.post(`/api/transfers/${transfer.id}/rejection`, {})).statusCode, 409);
    assert.equal((await sent(alice, [t1], 'dora@example.test')).recipient_user_id, dora.id, 'sent again, now to a known account');
  });

  test('cancellation by the sender; the recipient can then neither claim nor cancel', async () => {
    const [t1, t2] = await ticketsFor(alice, 2);
    const before = await ticketRows([t1, t2]);
    const transfer = await sent(alice, [t1, t2], bob.email);
    assert.equal((await bob.api.delete(`/api/transfers/${transfer.id}`)).statusCode, 403, 'only the sender cancels');
    assert.equal((await alice.api.delete(`/api/transfers/${transfer.id}`)).statusCode, 204);
    const read = (await alice.api.get(`/api/transfers/${transfer.id}`)).json().transfer;
    assert.equal(read.status, 'cancelled');
    assert.equal(read.resolved_at, p.clock().toISOString());
    const claim = await bob.api.post(`/api/transfers/${transfer.id}/claim`, {});
    assert.equal(claim.statusCode, 409);
    assert.equal(claim.json().error.code, 'INVALID_TRANSITION');
    assert.equal((await alice.api.delete(`/api/transfers/${transfer.id}`)).statusCode, 409);
    assert.deepEqual(await ticketRows([t1, t2]), before);
    assert.deepEqual((await alice.api.get('/api/transfers?status=cancelled&per_page=100')).json().transfers.map((x: { id: number }) => x.id), [transfer.id]);
  });

  test('claims and cancellations fired together: exactly one wins, and the tickets follow the winner', async () => {
    const takenBefore = await takenNow();
    const outcomes = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const tickets = await ticketsFor(alice, 2);
      const before = await ticketRows(tickets);
      const transfer = await sent(alice, tickets, bob.email);
      // Several of each at once, in alternating order, so that some pass the early status check
      // while another one is committing: only the conditional UPDATE can then tell them apart.
      const claimOf = () => bob.api.post(`/api/transfers/${transfer.id}/claim`, {});
      const cancelOf = () => alice.api.delete(`/api/transfers/${transfer.id}`);
      const calls = Array.from({ length: 8 }, (_, i) => ((i + round) % 2 === 0 ? { kind: 'claim', run: claimOf } : { kind: 'cancel', run: cancelOf }));
      const answers = await Promise.all(calls.map(async (c) => ({ kind: c.kind, response: await c.run() })));
      const winners = answers.filter((a) => a.response.statusCode < 300);
      assert.equal(winners.length, 1, `round ${round}: ${answers.map((a) => `${a.kind} ${a.response.statusCode}`).join(', ')}`);
      for (const loser of answers.filter((a) => a.response.statusCode >= 300)) {
        assert.equal(loser.response.statusCode, 409, loser.response.body);
        assert.equal(loser.response.json().error.code, 'INVALID_TRANSITION');
      }
      const final = (await alice.api.get(`/api/transfers/${transfer.id}`)).json().transfer.status;
      const rows = await ticketRows(tickets);
      const retired = await p.database.db.selectFrom('retired_barcodes').select('barcode').where('ticket_id', 'in', tickets).execute();
      if (winners[0].kind === 'claim') {
        assert.equal(winners[0].response.statusCode, 200);
        assert.equal(final, 'claimed');
        assert.ok(rows.every((t) => t.holder_account_id === bob.id && t.version === 2), 'claimed once: version 2, not 3');
        assert.equal(retired.length, 2);
      } else {
        assert.equal(winners[0].response.statusCode, 204);
        assert.equal(final, 'cancelled');
        assert.deepEqual(rows, before);
        assert.equal(retired.length, 0);
      }
      outcomes.add(final);
    }
    assert.equal(await takenNow(), takenBefore + 12, 'only the tickets made here took places');
  });

  test('refused transfers: not your ticket, not valid, unknown, to yourself, empty; nothing written', async () => {
    const [mine] = await ticketsFor(alice, 1);
    const [bobs] = await ticketsFor(bob, 1);
    const [refunded] = await ticketsFor(alice, 1, 'refunded');
    const count = await transferCount();
    const cases: [number[], string, string][] = [
      [[mine, bobs], 'carol@example.test', 'ticket_ids'],
      [[refunded], 'carol@example.test', 'ticket_ids'],
      [[999999], 'carol@example.test', 'ticket_ids'],
      [[mine], 'ALICE@example.test', 'recipient_email'],
      [[], 'carol@example.test', 'transfer.ticket_ids'],
      [[mine], 'not an address', 'transfer.recipient_email'],
    ];
    for (const [ids, to, field] of cases) {
      const r = await send(alice, ids, to);
      assert.equal(r.statusCode, 422, `${JSON.stringify(ids)} → ${to}: ${r.body}`);
      assert.equal(r.json().error.code, 'VALIDATION_FAILED');
      assert.ok(r.json().error.details.some((d: { field: string }) => d.field === field), r.body);
    }
    assert.match((await send(alice, [bobs], 'carol@example.test')).json().error.message, /not one of your tickets/);
    assert.match((await send(alice, [refunded], 'carol@example.test')).json().error.message, /refunded/);
    // Tokens that act for no signed-in person cannot transfer, even with the buy scope.
    for (const scope of ['public sell', 'public buy']) {
      const integration = client(p.app, await token(p.app, p.a, scope));
      assert.equal((await integration.post('/api/transfers', { transfer: { ticket_ids: [mine], recipient_email: 'carol@example.test' } })).statusCode, 403, scope);
    }
    assert.equal(await transferCount(), count, 'no transfer written');
    assert.equal((await ticketRows([mine]))[0].holder_account_id, alice.id);
  });

  test('a third party gets 404 on a transfer, a client token 403; another organization 404, even for the same people', async () => {
    const [t1] = await ticketsFor(alice, 1);
    const transfer = await sent(alice, [t1], bob.email);
    assert.equal((await carol.api.get(`/api/transfers/${transfer.id}`)).statusCode, 404);
    assert.equal((await carol.api.post(`/api/transfers/${transfer.id}/claim`, {})).statusCode, 404);
    assert.equal((await carol.api.post(`/api/transfers/${transfer.id}/rejection`, {})).statusCode, 404);
    assert.equal((await carol.api.delete(`/api/transfers/${transfer.id}`)).statusCode, 404);
    assert.ok(!(await carol.api.get('/api/transfers?per_page=100')).json().transfers.some((x: { id: number }) => x.id === transfer.id));
    // Transfers are between people: a client-credentials token (here the organization's own admin client) is refused outright.
    for (const call of [admin.get(`/api/transfers/${transfer.id}`), admin.get('/api/transfers'), admin.post(`/api/transfers/${transfer.id}/claim`, {}), admin.delete(`/api/transfers/${transfer.id}`)]) {
      assert.equal((await call).statusCode, 403);
    }
    // Bob and Alice signed in through organization B's client act in B: A's transfer does not exist there.
    const bobInB = client(p.app, await passwordToken(bob.email, 'bob-password', p.b));
    const aliceInB = client(p.app, await passwordToken(alice.email, 'alice-password', p.b));
    assert.equal((await bobInB.get(`/api/transfers/${transfer.id}`)).statusCode, 404);
    assert.equal((await bobInB.post(`/api/transfers/${transfer.id}/claim`, {})).statusCode, 404);
    assert.equal((await bobInB.post(`/api/transfers/${transfer.id}/rejection`, {})).statusCode, 404);
    assert.equal((await aliceInB.get(`/api/transfers/${transfer.id}`)).statusCode, 404);
    assert.equal((await aliceInB.delete(`/api/transfers/${transfer.id}`)).statusCode, 404);
    assert.equal((await bobInB.get('/api/transfers')).headers['x-total'], '0');
    // Nor can A's tickets be sent from B.
    assert.equal((await aliceInB.post('/api/transfers', { transfer: { ticket_ids: [t1], recipient_email: 'carol@example.test' } })).statusCode, 422);
    const still = (await alice.api.get(`/api/transfers/${transfer.id}`)).json().transfer;
    assert.equal(still.status, 'pending');
    assert.equal((await ticketRows([t1]))[0].holder_account_id, alice.id);
  });
});

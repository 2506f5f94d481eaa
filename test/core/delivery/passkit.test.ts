import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import JSZip from 'jszip';
import { loadConfig } from '../../../src/config.ts';
import { CARD, client, onSaleEvent, platform, token, type TestPlatform } from '../../helpers.ts';
import { apnsServer, passCertificates } from './support.ts';

type Api = ReturnType<typeof client>;

/**
 * The Apple Wallet pass web service, called over real HTTP the way Wallet calls it: a device registers
 * for its passes, asks which changed since its last tag, fetches the latest ones (a handed-over or
 * refunded ticket's pass comes back voided, without barcode), unregisters, and sends its logs.
 */
describe('delivery: the Apple Wallet pass web service (PassKit protocol)', () => {
  let p: TestPlatform;
  let dir: string;
  let base: string;
  let seller: Api;
  let apns: Awaited<ReturnType<typeof apnsServer>>;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-passkit-'));
    const defaults = loadConfig({});
    const certificates = passCertificates(dir);
    apns = await apnsServer(dir, certificates.wwdr);
    p = await platform({
      delivery: {
        ...defaults.delivery,
        publicUrl: 'https://tickets.guichet.test',
        applePass: { ...certificates, keyPassphrase: null, passTypeId: 'pass.test.guichet', teamId: 'TEAM123456', webService: true, apnsHost: apns.host, apnsCa: apns.ca },
      },
    });
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}/passkit/v1`;
    seller = client(p.app, await token(p.app, p.a));
  });
  after(async () => {
    await p.close();
    await apns.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const passJson = async (body: ArrayBuffer | Buffer) => JSON.parse(await (await JSZip.loadAsync(body)).file('pass.json')!.async('string'));
  const auth = (passToken: string) => ({ authorization: `ApplePass ${passToken}` });
  const register = (device: string, serial: string, passToken: string, pushToken = 'push-token-1') =>
    fetch(`${base}/devices/${device}/registrations/pass.test.guichet/${serial}`, { method: 'POST', headers: { ...auth(passToken), 'content-type': 'application/json' }, body: JSON.stringify({ pushToken }) });
  const serials = (device: string, since?: string) => fetch(`${base}/devices/${device}/registrations/pass.test.guichet${since ? `?passesUpdatedSince=${since}` : ''}`);
  const latest = (serial: string, passToken: string, headers: Record<string, string> = {}) => fetch(`${base}/passes/pass.test.guichet/${serial}`, { headers: { ...auth(passToken), ...headers } });

  test('a device registers for its passes, hears which changed after a transfer and a refund, and gets them back voided', async () => {
    // Alice buys two tickets and adds both to Wallet.
    const show = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Fosse', capacity: 10 }], tariffs: [{ section: 0, label: 'Plein', price: 2000 }] });
    const alice = await p.app.core.accounts.create({ username: 'alice', email: 'alice@example.test', password: 'alice-password' });
    await p.app.core.accounts.create({ username: 'bob', email: 'bob@example.test', password: 'bob-password' });
    const signIn = async (username: string) => {
      const r = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'password', client_id: p.a.clientId, client_secret: p.a.clientSecret, username, password: `${username}-password`, scope: 'public buy' } });
      return client(p.app, r.json().access_token);
    };
    const aliceApi = await signIn('alice');
    const cart = await aliceApi.post('/api/carts', { cart: { items: [{ tariff_id: show.tariffIds[0], date_id: show.dateIds[0], quantity: 2 }] } });
    const checkout = await aliceApi.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_email: alice.email, payment: { provider: 'test', card: CARD } } });
    assert.equal(checkout.statusCode, 201, checkout.body);
    const order = checkout.json().order as { id: number; tickets: { id: number; qr_payload: string }[] };
    const [given, refunded] = order.tickets;

    const passes = [];
    for (const ticket of order.tickets) {
      const download = await seller.get(`/api/tickets/${ticket.id}/pkpass`);
      assert.equal(download.statusCode, 200, download.body);
      const pass = await passJson(download.rawPayload);
      assert.equal(pass.webServiceURL, 'https://tickets.guichet.test/passkit', 'the pass says where to ask for updates');
      assert.ok(typeof pass.authenticationToken === 'string' && pass.authenticationToken.length >= 16);
      assert.match(pass.serialNumber, new RegExp(`^${p.a.organizationId}-${ticket.id}-\\d+$`));
      passes.push(pass as { serialNumber: string; authenticationToken: string });
    }
    const [passA, passB] = passes;

    // Registration: 201 when new, 200 when already there; a wrong token is 401, an unknown pass type 404.
    assert.equal((await register('device-1', passA.serialNumber, passA.authenticationToken)).status, 201);
    assert.equal((await register('device-1', passA.serialNumber, passA.authenticationToken)).status, 200);
    assert.equal((await register('device-1', passB.serialNumber, passB.authenticationToken)).status, 201);
    assert.equal((await register('device-1', passB.serialNumber, passA.authenticationToken)).status, 401, 'one pass’s token does not open another');
    assert.equal((await register('device-1', passA.serialNumber, 'forged-token-0000000000')).status, 401);
    assert.equal((await fetch(`${base}/devices/device-1/registrations/pass.other.type/${passA.serialNumber}`, { method: 'POST', headers: { ...auth(passA.authenticationToken), 'content-type': 'application/json' }, body: '{"pushToken":"x"}' })).status, 404);
    assert.equal((await fetch(`${base}/devices/device-1/registrations/pass.test.guichet/${passA.serialNumber}`, { method: 'POST', headers: { ...auth(passA.authenticationToken), 'content-type': 'application/json' }, body: '{}' })).status, 400);

    // The device's serials, then nothing new since the tag it was given.
    const first = await serials('device-1');
    assert.equal(first.status, 200);
    const listed = (await first.json()) as { serialNumbers: string[]; lastUpdated: string };
    assert.deepEqual(listed.serialNumbers.sort(), [passA.serialNumber, passB.serialNumber].sort());
    assert.equal((await serials('device-1', listed.lastUpdated)).status, 204);
    assert.equal((await serials('device-unknown')).status, 204);

    // The latest pass, with Last-Modified; unchanged since then is 304; without the token 401.
    const current = await latest(passA.serialNumber, passA.authenticationToken);
    assert.equal(current.status, 200);
    assert.equal(current.headers.get('content-type'), 'application/vnd.apple.pkpass');
    const lastModified = current.headers.get('last-modified')!;
    assert.ok(lastModified);
    const currentPass = await passJson(await current.arrayBuffer());
    assert.equal(currentPass.voided, undefined);
    assert.equal(currentPass.barcodes[0].message, given.qr_payload);
    assert.equal((await latest(passA.serialNumber, passA.authenticationToken, { 'if-modified-since': lastModified })).status, 304);
    assert.equal((await fetch(`${base}/passes/pass.test.guichet/${passA.serialNumber}`)).status, 401);

    // A minute later, Alice hands one ticket to Bob (he claims it) and the other is refunded.
    p.clock.advance(60_000);
    const sent = await aliceApi.post('/api/transfers', { transfer: { ticket_ids: [given.id], recipient_email: 'bob@example.test' } });
    assert.equal(sent.statusCode, 201, sent.body);
    const bobApi = await signIn('bob');
    assert.equal((await bobApi.post(`/api/transfers/${sent.json().transfer.id}/claim`, {})).statusCode, 200);
    assert.equal((await seller.post(`/api/orders/${order.id}/refunds`, { refund: { ticket_ids: [refunded.id] } })).statusCode, 201);

    const changed = await serials('device-1', listed.lastUpdated);
    assert.equal(changed.status, 200);
    const changedList = (await changed.json()) as { serialNumbers: string[]; lastUpdated: string };
    assert.deepEqual(changedList.serialNumbers.sort(), [passA.serialNumber, passB.serialNumber].sort());
    assert.ok(Number(changedList.lastUpdated) > Number(listed.lastUpdated));

    // Both passes come back voided and without a barcode: Alice's device no longer shows a ticket she gave away.
    for (const pass of [passA, passB]) {
      const updated = await latest(pass.serialNumber, pass.authenticationToken, { 'if-modified-since': lastModified });
      assert.equal(updated.status, 200, 'changed since the device’s copy');
      const json = await passJson(await updated.arrayBuffer());
      assert.equal(json.voided, true);
      assert.equal(json.barcodes, undefined);
      assert.equal(json.serialNumber, pass.serialNumber);
    }
    // Bob's pass for the same ticket is a new one (the ticket's new version), with the new barcode.
    const bobs = await passJson((await seller.get(`/api/tickets/${given.id}/pkpass`)).rawPayload);
    assert.notEqual(bobs.serialNumber, passA.serialNumber);
    const ticketNow = (await seller.get(`/api/tickets/${given.id}`)).json().ticket;
    assert.equal(bobs.barcodes[0].message, ticketNow.qr_payload);
    assert.notEqual(ticketNow.qr_payload, given.qr_payload);
    assert.equal((await latest(bobs.serialNumber, passA.authenticationToken)).status, 401, 'Alice’s token does not open Bob’s pass');

    // Unregistering: the device no longer hears of that pass.
    const unregister = await fetch(`${base}/devices/device-1/registrations/pass.test.guichet/${passB.serialNumber}`, { method: 'DELETE', headers: auth(passB.authenticationToken) });
    assert.equal(unregister.status, 200);
    assert.deepEqual(((await (await serials('device-1')).json()) as { serialNumbers: string[] }).serialNumbers, [passA.serialNumber]);

    // Wallet's error log is accepted.
    assert.equal((await fetch(`${base}/log`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ logs: ['Web service error for pass.test.guichet: 500'] }) })).status, 200);
  });

  test('a changed ticket’s registered devices get the empty APNs push, through the outbox: retried when APNs fails, unregistered on 410', async () => {
    const show = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Balcon', capacity: 10 }], tariffs: [{ section: 0, label: 'Plein', price: 2000 }] });
    const cart = await seller.post('/api/carts', { cart: { items: [{ tariff_id: show.tariffIds[0], date_id: show.dateIds[0], quantity: 2 }] } });
    const checkout = await seller.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_email: 'carla@example.test', payment: { provider: 'test', card: CARD } } });
    assert.equal(checkout.statusCode, 201, checkout.body);
    const order = checkout.json().order as { id: number; tickets: { id: number }[] };
    const [renamed, refunded] = order.tickets;
    const passOf = async (ticketId: number) => (await passJson((await seller.get(`/api/tickets/${ticketId}/pkpass`)).rawPayload)) as { serialNumber: string; authenticationToken: string };
    const [passR, passF] = [await passOf(renamed.id), await passOf(refunded.id)];
    // Two devices hold the first pass (one of them has since deleted it), a third holds the second.
    assert.equal((await register('phone-1', passR.serialNumber, passR.authenticationToken, 'token-phone-1')).status, 201);
    assert.equal((await register('old-phone', passR.serialNumber, passR.authenticationToken, 'token-old-phone')).status, 201);
    assert.equal((await register('watch-2', passF.serialNumber, passF.authenticationToken, 'token-watch-2')).status, 201);
    await p.app.core.delivery.drain();
    const pushed = (token: string) => apns.received.filter((r) => r.path === `/3/device/${token}`);
    assert.equal(apns.received.filter((r) => /token-(phone-1|old-phone|watch-2)$/.test(r.path)).length, 0, 'nothing changed yet: no push');
    const pushRows = () => p.database.db.selectFrom('outbox_messages').selectAll().where('kind', '=', 'push').where('organization_id', '=', p.a.organizationId).orderBy('id').execute();

    // The holder's name changes: both devices of that pass are pushed; APNs says the old phone is gone (410), so it is unregistered.
    apns.answer('token-old-phone', { status: 410, reason: 'Unregistered' });
    assert.equal((await seller.patch(`/api/tickets/${renamed.id}`, { ticket: { holder_name: 'Carla Rossi' } })).statusCode, 200);
    assert.equal(pushed('token-phone-1').length, 0, 'sent by the worker after the commit, not by the request');
    await p.app.core.delivery.drain();
    for (const token of ['token-phone-1', 'token-old-phone']) {
      const [push] = pushed(token);
      assert.ok(push, `${token} was pushed`);
      assert.equal(push.method, 'POST');
      assert.equal(push.topic, 'pass.test.guichet', 'the topic is the pass type id');
      assert.deepEqual(JSON.parse(push.body), {}, 'the body is the empty dictionary');
      assert.equal(push.clientSubject, 'Pass Type ID: pass.test.guichet', 'authenticated with the pass type certificate');
    }
    assert.equal(pushed('token-watch-2').length, 0, 'the other pass did not change');
    const registered = await p.database.db.selectFrom('pass_registrations').select('push_token').where('serial_number', '=', passR.serialNumber).execute();
    assert.deepEqual(registered.map((r) => r.push_token), ['token-phone-1'], 'the 410 unregistered the old phone');
    const afterRename = await pushRows();
    assert.equal(afterRename.find((r) => r.recipient === 'token-phone-1')?.status, 'sent');
    assert.equal(afterRename.find((r) => r.recipient === 'token-old-phone')?.status, 'cancelled', 'nothing more to send to a device that is gone');
    // The device then asks for its changed pass, and gets the new holder's name.
    const renamedPass = await passJson(await (await latest(passR.serialNumber, passR.authenticationToken)).arrayBuffer());
    assert.ok(JSON.stringify(renamedPass).includes('Carla Rossi'));

    // The second ticket is refunded while APNs is failing: the push stays in the outbox and is retried.
    apns.answer('token-watch-2', { status: 503, reason: 'ServiceUnavailable' });
    assert.equal((await seller.post(`/api/orders/${order.id}/refunds`, { refund: { ticket_ids: [refunded.id] } })).statusCode, 201);
    await p.app.core.delivery.drain();
    assert.equal(pushed('token-watch-2').length, 1);
    const waiting = (await pushRows()).find((r) => r.recipient === 'token-watch-2')!;
    assert.equal(waiting.status, 'pending', 'kept for a retry');
    assert.match(waiting.last_error!, /503 ServiceUnavailable/);
    p.clock.advance(60_000);
    await p.app.core.delivery.drain();
    assert.equal(pushed('token-watch-2').length, 2, 'retried once due');
    const done = (await pushRows()).find((r) => r.recipient === 'token-watch-2')!;
    assert.equal(done.status, 'sent');
    assert.equal(done.uid, waiting.uid, 'the same message, retried');
    assert.equal(pushed('token-phone-1').length, 1, 'a refund of another ticket does not push the first pass’s device');
  });

  test('a serial of no organization or a malformed one is not found; a forged token for a real one is 401', async () => {
    assert.equal((await latest('999999-1-1', 'x'.repeat(86))).status, 404);
    assert.equal((await latest('not-a-serial', 'x'.repeat(86))).status, 404);
    const rows = await p.database.db.selectFrom('tickets').select(['id', 'version']).where('organization_id', '=', p.a.organizationId).execute();
    assert.equal((await latest(`${p.a.organizationId}-${rows[0].id}-${rows[0].version}`, 'x'.repeat(86))).status, 401);
  });
});

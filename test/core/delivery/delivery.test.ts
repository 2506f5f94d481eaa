import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import JSZip from 'jszip';
import ICAL from 'ical.js';
import { Webhook } from 'standardwebhooks';
import { jwtVerify, importSPKI } from 'jose';
import { loadConfig } from '../../../src/config.ts';
import { CARD, client, onSaleEvent, platform, token, type OnSaleEvent, type TestPlatform } from '../../helpers.ts';
import { verifyQrPayload } from '../../../src/core/selling/tickets.ts';
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_SCHEDULE_SECONDS } from '../../../src/core/delivery/index.ts';
import { checkWebhookTarget } from '../../../src/core/delivery/webhooks.ts';
import { passCertificates, smtpServer } from './support.ts';
import { theatreMap } from '../seating/fixtures.ts';

type Api = ReturnType<typeof client>;

/** A webhook receiver: answers as told (ok, fail, or never), verifies signatures, drops duplicates by webhook-id. */
async function webhookReceiver() {
  const state = {
    mode: 'ok' as 'ok' | 'fail',
    secret: '',
    requests: [] as { headers: http.IncomingHttpHeaders; body: string }[],
    /** Messages processed once each (by webhook-id), verified with the Standard Webhooks library. */
    processed: new Map<string, { type: string; data: any }>(),
    duplicates: 0,
  };
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      state.requests.push({ headers: request.headers, body });
      if (state.mode === 'fail') return void response.writeHead(500).end('down');
      try {
        const message = new Webhook(state.secret).verify(body, request.headers as Record<string, string>) as { type: string; data: unknown };
        const id = String(request.headers['webhook-id']);
        if (state.processed.has(id)) state.duplicates++;
        else state.processed.set(id, message);
        response.writeHead(204).end();
      } catch {
        response.writeHead(400).end('bad signature');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { state, url: `http://127.0.0.1:${port}/hooks/guichet`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The text drawn in a PDF by pdfkit's standard fonts (hex strings in TJ arrays), from every stream, inflated. */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = zlib.inflateSync(Buffer.from(match[1], 'latin1')).toString('latin1');
    } catch {
      content = match[1];
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      out.push([...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => Buffer.from(h[1], 'hex').toString('latin1')).join(''));
    }
  }
  return out.join('\n');
}

describe('delivery: outbox, e-mail with ticket documents, wallet passes, webhooks', () => {
  let p: TestPlatform;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let seller: Api;
  let show: OnSaleEvent;
  let dir: string;
  let googlePublicKeyPem: string;
  const deliver = () => p.app.core.delivery.drain();

  before(async () => {
    smtp = await smtpServer();
    receiver = await webhookReceiver();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-delivery-'));
    const certs = passCertificates(dir);
    const google = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    googlePublicKeyPem = google.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const serviceAccountFile = path.join(dir, 'service-account.json');
    fs.writeFileSync(serviceAccountFile, JSON.stringify({ type: 'service_account', client_email: 'wallet@guichet-test.iam.gserviceaccount.com', private_key: google.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() }));
    const base = loadConfig({});
    p = await platform(
      {
        delivery: {
          ...base.delivery,
          smtpUrl: smtp.url,
          mailFrom: 'Guichet Tickets <tickets@guichet.test>',
          publicUrl: 'https://tickets.guichet.test',
          webhookAllowPrivate: true,
          webhookTimeoutMs: 2000,
          applePass: { ...certs, keyPassphrase: null, passTypeId: 'pass.test.guichet', teamId: 'TEAM123456' },
          googleWallet: { issuerId: '3388000000012345678', serviceAccountFile },
        },
      },
      { mailFromConfig: true },
    );
    seller = client(p.app, await token(p.app, p.a));
    show = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Parterre', capacity: 100 }], tariffs: [{ section: 0, label: 'Plein tarif', price: 4500 }], dates: ['2027-03-01T20:00:00+01:00'] });
  });

  after(async () => {
    await p.close();
    await smtp.close();
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function buy(language: string, email: string, quantity = 2) {
    const cart = await seller.post('/api/carts', { cart: { items: [{ tariff_id: show.tariffIds[0], date_id: show.dateIds[0], quantity }] } });
    assert.equal(cart.statusCode, 201, cart.body);
    const checkout = await seller.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_name: 'Lena Schmidt', buyer_email: email, payment: { provider: 'test', card: CARD } } }, { 'accept-language': language });
    assert.equal(checkout.statusCode, 201, checkout.body);
    assert.equal(checkout.json().order.status, 'paid');
    return checkout.json().order as { id: number; number: string; tickets: { id: number; barcode: string; qr_payload: string }[] };
  }

  test('a paid order sends the buyer, by SMTP and in their language, the tickets as a PDF holding the barcodes, the calendar entry, and signed links', async () => {
    const before = smtp.received.length;
    const order = await buy('de-CH,de;q=0.9,en;q=0.5', 'lena@buyers.test');
    // Nothing is sent by the checkout itself: the worker sends after the commit.
    assert.equal(smtp.received.length, before);
    await deliver();
    const mails = smtp.received.slice(before);
    assert.equal(mails.length, 1);
    const mail = mails[0];
    assert.deepEqual((mail.to as { value: { address: string }[] }).value.map((v) => v.address), ['lena@buyers.test']);
    assert.equal(mail.from?.value[0].address, 'tickets@guichet.test');
    assert.match(mail.subject!, new RegExp(`^Ihre Tickets für .+ \\(Bestellung ${order.number}\\)$`));
    assert.equal(mail.headers.get('content-language'), 'de');
    assert.match(mail.text!, /Vielen Dank für Ihre Bestellung/);
    assert.match(mail.html as string, /<html lang="de">/);
    assert.match(mail.messageId!, /^<msg_[0-9a-f]{32}@guichet>$/);
    for (const t of order.tickets) assert.ok(mail.text!.includes(t.barcode), `the text names ticket ${t.barcode}`);
    // 1 March 2027 20:00 in Paris, written in German.
    assert.match(mail.text!, /1\. März 2027.*20:00/);

    const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')!;
    assert.ok(pdf, 'the order PDF is attached');
    assert.equal(pdf.content.subarray(0, 5).toString(), '%PDF-');
    assert.match(pdf.content.subarray(-6).toString(), /%%EOF/);
    const text = pdfText(pdf.content);
    for (const t of order.tickets) assert.ok(text.includes(t.barcode), `the PDF holds barcode ${t.barcode}`);
    assert.ok(text.includes(order.number), 'the PDF holds the order number');
    assert.ok(text.includes('Parterre') && text.includes('Plein tarif'));
    assert.ok((pdf.content.toString('latin1').match(/\/Subtype \/Image/g) ?? []).length >= order.tickets.length, 'a QR image per ticket');

    const ics = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
    const calendar = new ICAL.Component(ICAL.parse(ics.content.toString()));
    const vevent = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    assert.equal(vevent.startDate.toJSDate().toISOString(), '2027-03-01T19:00:00.000Z');
    assert.match(vevent.summary, /^On sale /);

    // The links open the right documents without signing in, until they expire; altered ones are refused.
    const links = [...mail.text!.matchAll(/https:\/\/tickets\.guichet\.test(\/api\/documents\?token=[\w.-]+&file=[\w.]+(?:&ticket=\d+)?)/g)].map((m) => m[1]);
    assert.equal(links.length, 1 + 3 * order.tickets.length, `the order PDF; per ticket a PDF, a calendar entry and an Apple pass:\n${mail.text}`);
    const orderLink = links[0];
    assert.match(orderLink, /&file=order\.pdf$/);
    assert.equal(new Set(links.map((l) => new URL(l, 'https://x').searchParams.get('token'))).size, 1, 'one signed token for the mail');
    const opened = await p.app.inject({ method: 'GET', url: orderLink });
    assert.equal(opened.statusCode, 200);
    assert.equal(opened.headers['content-type'], 'application/pdf');
    assert.ok(pdfText(opened.rawPayload).includes(order.number), 'the link opens this order');
    assert.ok(mail.text!.includes('https://pay.google.com/gp/v/save/'), 'a Google Wallet save link');

    const linkToken = new URL(orderLink, 'https://x').searchParams.get('token')!;
    const ticketLink = links.find((l) => l.includes('file=ticket.pdf'))!;
    const ticketPdf = await p.app.inject({ method: 'GET', url: ticketLink });
    assert.equal(ticketPdf.statusCode, 200);
    assert.ok(pdfText(ticketPdf.rawPayload).includes(order.tickets[0].barcode));
    const icsLink = await p.app.inject({ method: 'GET', url: links.find((l) => l.includes('file=date.ics'))! });
    assert.match(icsLink.headers['content-type'] as string, /text\/calendar/);
    const tamperedToken = linkToken.slice(0, -3) + (linkToken.endsWith('AAA') ? 'BBB' : 'AAA');
    assert.equal((await p.app.inject({ method: 'GET', url: `/api/documents?token=${tamperedToken}&file=order.pdf` })).statusCode, 403);
    const [head, body, signature] = linkToken.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const otherOrder = Buffer.from(JSON.stringify({ ...claims, sub: String(order.id + 1) })).toString('base64url');
    assert.equal((await p.app.inject({ method: 'GET', url: `/api/documents?token=${head}.${otherOrder}.${signature}&file=order.pdf` })).statusCode, 403, 'another order with this signature');
    const someoneElses = await buy('en', 'other@buyers.test', 1);
    await deliver();
    assert.equal((await p.app.inject({ method: 'GET', url: `/api/documents?token=${linkToken}&file=ticket.pdf&ticket=${someoneElses.tickets[0].id}` })).statusCode, 403, 'a ticket of another order');

    const start = p.clock();
    p.clock.advance((loadConfig({}).delivery.linkTtlSeconds + 60) * 1000);
    const expired = await p.app.inject({ method: 'GET', url: orderLink });
    p.clock.set(start);
    assert.equal(expired.statusCode, 422);
    assert.equal(expired.json().error.code, 'TOKEN_EXPIRED');

    // Refunded: the buyer is told (in German), and the documents are refused.
    const refund = await seller.post(`/api/orders/${order.id}/refunds`, { refund: { reason: 'test' } });
    assert.equal(refund.statusCode, 201, refund.body);
    await deliver();
    const refundMail = [...smtp.received].reverse().find((m) => m.subject?.includes(order.number))!;
    assert.equal(refundMail.subject, `Erstattung für Bestellung ${order.number}`);
    assert.match(refundMail.text!, /90,00\s€/);
    const gone = await p.app.inject({ method: 'GET', url: orderLink });
    assert.equal(gone.statusCode, 409);
    assert.equal((await seller.get(`/api/tickets/${order.tickets[0].id}/pdf`)).statusCode, 409);
  });

  test('orders paid together fan out in one claim: each buyer gets one confirmation, with their own tickets, in their own language', async () => {
    const before = smtp.received.length;
    const orders = [await buy('fr-FR', 'un@buyers.test', 1), await buy('en-GB', 'two@buyers.test', 3), await buy('de', 'drei@buyers.test', 2)];
    await deliver();
    const received = smtp.received.slice(before);
    assert.equal(received.length, 3);
    const subjects = { 'un@buyers.test': /^Vos billets pour /, 'two@buyers.test': /^Your tickets for /, 'drei@buyers.test': /^Ihre Tickets für / };
    orders.forEach((order, i) => {
      const to = Object.keys(subjects)[i] as keyof typeof subjects;
      const mails = received.filter((m) => (m.to as { value: { address: string }[] }).value.some((v) => v.address === to));
      assert.equal(mails.length, 1, `one confirmation for ${to}`);
      assert.match(mails[0].subject!, subjects[to]);
      assert.ok(mails[0].subject!.includes(order.number));
      for (const t of order.tickets) assert.ok(mails[0].text!.includes(t.barcode), `${to}'s mail names its ticket ${t.barcode}`);
      const others = orders.filter((o) => o !== order).flatMap((o) => o.tickets);
      for (const t of others) assert.ok(!mails[0].text!.includes(t.barcode), `${to}'s mail names no other buyer's ticket`);
    });
    const facts = await p.database.db.selectFrom('outbox_messages').select(['status', 'subject_id']).where('kind', '=', 'event').where('topic', '=', 'order.paid').where('subject_id', 'in', orders.map((o) => o.id)).execute();
    assert.deepEqual(facts.map((f) => f.status), ['sent', 'sent', 'sent']);
  });

  test('documents download for staff and the holder: PDF and .ics per ticket, a signed Apple Wallet pass carrying the signed QR payload, a verifiable Google Wallet link', async () => {
    const order = await buy('fr-FR', 'marie@buyers.test', 1);
    const ticket = order.tickets[0];
    const ticketPdf = await seller.get(`/api/tickets/${ticket.id}/pdf`);
    assert.equal(ticketPdf.statusCode, 200);
    assert.ok(pdfText(ticketPdf.rawPayload).includes(ticket.barcode));
    const orderPdf = await seller.get(`/api/orders/${order.id}/pdf`);
    assert.equal(orderPdf.statusCode, 200);
    const ics = await seller.get(`/api/tickets/${ticket.id}/ics`);
    assert.equal(ics.statusCode, 200);
    assert.ok(new ICAL.Component(ICAL.parse(ics.body)).getFirstSubcomponent('vevent'));

    const pkpass = await seller.get(`/api/tickets/${ticket.id}/pkpass`);
    assert.equal(pkpass.statusCode, 200, pkpass.body);
    assert.equal(pkpass.headers['content-type'], 'application/vnd.apple.pkpass');
    const zip = await JSZip.loadAsync(pkpass.rawPayload);
    const names = Object.keys(zip.files).sort();
    for (const name of ['icon.png', 'manifest.json', 'pass.json', 'signature']) assert.ok(names.includes(name), `the pass holds ${name}`);
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Record<string, string>;
    for (const name of names.filter((n) => n !== 'manifest.json' && n !== 'signature')) {
      const sha1 = crypto.createHash('sha1').update(await zip.file(name)!.async('nodebuffer')).digest('hex');
      assert.equal(manifest[name], sha1, `manifest hash of ${name}`);
    }
    const pass = JSON.parse(await zip.file('pass.json')!.async('string'));
    assert.equal(pass.passTypeIdentifier, 'pass.test.guichet');
    assert.equal(pass.barcodes[0].message, ticket.qr_payload);
    assert.equal(pass.barcodes[0].format, 'PKBarcodeFormatQR');
    const publicKey = (await seller.get('/api/organization/public_key')).json();
    assert.ok(verifyQrPayload(publicKey.public_key?.public_key_pem ?? publicKey.public_key_pem ?? Object.values(publicKey).map((v: any) => v.public_key_pem).find(Boolean), pass.barcodes[0].message), 'the pass carries a payload the door accepts');
    // The signature is a detached PKCS#7 over the manifest, by the pass certificate chained to the (test) WWDR.
    fs.writeFileSync(path.join(dir, 'manifest.json'), await zip.file('manifest.json')!.async('nodebuffer'));
    fs.writeFileSync(path.join(dir, 'signature'), await zip.file('signature')!.async('nodebuffer'));
    execFileSync('openssl', ['smime', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'signature'), '-content', path.join(dir, 'manifest.json'), '-CAfile', path.join(dir, 'wwdr.pem'), '-purpose', 'any', '-out', path.join(dir, 'verified')], { stdio: 'pipe' });
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"pass.json":"0000"}');
    assert.throws(() => execFileSync('openssl', ['smime', '-verify', '-binary', '-inform', 'DER', '-in', path.join(dir, 'signature'), '-content', path.join(dir, 'manifest.json'), '-CAfile', path.join(dir, 'wwdr.pem'), '-purpose', 'any', '-out', path.join(dir, 'verified')], { stdio: 'pipe' }), 'an altered manifest fails');

    const google = await seller.get(`/api/tickets/${ticket.id}/google_wallet`);
    assert.equal(google.statusCode, 200, google.body);
    const saveUrl: string = google.json().google_wallet.save_url;
    assert.match(saveUrl, /^https:\/\/pay\.google\.com\/gp\/v\/save\//);
    const { payload } = await jwtVerify(saveUrl.split('/').at(-1)!, await importSPKI(googlePublicKeyPem, 'RS256'), { audience: 'google', issuer: 'wallet@guichet-test.iam.gserviceaccount.com' });
    assert.equal(payload.typ, 'savetowallet');
    const object = (payload.payload as any).eventTicketObjects[0];
    assert.equal(object.barcode.value, ticket.qr_payload);
    assert.ok(object.id.startsWith('3388000000012345678.'));

    // Another organization sees none of it.
    const other = client(p.app, await token(p.app, p.b));
    assert.equal((await other.get(`/api/tickets/${ticket.id}/pdf`)).statusCode, 404);
    assert.equal((await other.get(`/api/orders/${order.id}/pdf`)).statusCode, 404);
  });

  test('webhooks: signed per Standard Webhooks, retried after a failure, deduplicated by webhook-id, disabled after the last attempt with the owners told', async () => {
    const created = await seller.post('/api/webhooks', { webhook: { url: receiver.url, event_types: ['order.paid', 'order.refunded'], description: 'CRM' } });
    assert.equal(created.statusCode, 201, created.body);
    const endpoint = created.json().webhook;
    assert.match(endpoint.secret, /^whsec_/);
    receiver.state.secret = endpoint.secret;
    const read = await seller.get(`/api/webhooks/${endpoint.id}`);
    assert.equal(read.json().webhook.secret, undefined, 'the secret is shown once');
    assert.equal((await client(p.app, await token(p.app, p.b)).get(`/api/webhooks/${endpoint.id}`)).statusCode, 404);
    const badType = await seller.post('/api/webhooks', { webhook: { url: receiver.url, event_types: ['order.exploded'] } });
    assert.equal(badType.statusCode, 422);

    const ping = await seller.post(`/api/webhooks/${endpoint.id}/ping`, {});
    assert.equal(ping.statusCode, 200, ping.body);
    assert.equal(ping.json().delivery.status, 'sent');
    assert.equal([...receiver.state.processed.values()].at(-1)!.type, 'ping');

    // Delivery: the order as the native API shows it.
    const order = await buy('en', 'hook@buyers.test', 1);
    await deliver();
    const paid = [...receiver.state.processed.values()].find((m) => m.type === 'order.paid' && m.data.order.id === order.id)!;
    assert.ok(paid, 'order.paid arrived, verified');
    assert.equal(paid.data.order.number, order.number);
    assert.equal(paid.data.order.tickets[0].barcode, order.tickets[0].barcode);

    // Retry after the receiver fails: the same webhook-id comes again later.
    receiver.state.mode = 'fail';
    await seller.post(`/api/orders/${order.id}/refunds`, { refund: {} });
    await deliver();
    const log = (await seller.get(`/api/webhooks/${endpoint.id}/deliveries`)).json().deliveries;
    const refundDelivery = log.find((d: { topic: string }) => d.topic === 'order.refunded');
    assert.equal(refundDelivery.status, 'pending');
    assert.equal(refundDelivery.log[0].response_status, 500);
    assert.equal(refundDelivery.log[0].succeeded, false);
    assert.equal(typeof refundDelivery.log[0].duration_ms, 'number');
    receiver.state.mode = 'ok';
    await deliver();
    assert.equal([...receiver.state.processed.values()].filter((m) => m.type === 'order.refunded').length, 0, 'not due before its backoff');
    p.clock.advance(WEBHOOK_RETRY_SCHEDULE_SECONDS[0] * 1000 + 1);
    await deliver();
    assert.equal([...receiver.state.processed.values()].filter((m) => m.type === 'order.refunded').length, 1);
    const attempts = receiver.state.requests.filter((r) => r.headers['webhook-id'] === refundDelivery.uid);
    assert.equal(attempts.length, 2, 'the failed attempt and the retry carry the same webhook-id');

    // Manual redelivery: same webhook-id, dropped by the receiver as a duplicate.
    const duplicates = receiver.state.duplicates;
    const again = await seller.post(`/api/webhooks/${endpoint.id}/deliveries/${refundDelivery.id}/redelivery`, {});
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().delivery.status, 'sent');
    assert.equal(receiver.state.duplicates, duplicates + 1);
    assert.equal([...receiver.state.processed.values()].filter((m) => m.type === 'order.refunded').length, 1);

    // Failing for good: retried over about three days, then the endpoint is disabled and its owners told.
    receiver.state.mode = 'fail';
    const doomed = await buy('en', 'doomed@buyers.test', 1);
    const mailsBefore = smtp.received.length;
    await deliver();
    for (let i = 0; i < WEBHOOK_MAX_ATTEMPTS; i++) {
      p.clock.advance(17 * 3600 * 1000);
      await deliver();
    }
    seller = client(p.app, await token(p.app, p.a)); // days went by: a fresh token
    const delivery = (await seller.get(`/api/webhooks/${endpoint.id}/deliveries`)).json().deliveries.find((d: { body: any }) => d.body?.data?.order?.id === doomed.id);
    assert.equal(delivery.status, 'dead');
    assert.equal(delivery.attempts, WEBHOOK_MAX_ATTEMPTS);
    const total = delivery.log.reduce((s: number, _: unknown, i: number) => s + (i < WEBHOOK_RETRY_SCHEDULE_SECONDS.length ? WEBHOOK_RETRY_SCHEDULE_SECONDS[i] : 0), 0);
    assert.ok(total > 2.5 * 86400 && total < 3.5 * 86400, `retries span about three days (${total} s)`);
    const disabled = (await seller.get(`/api/webhooks/${endpoint.id}`)).json().webhook;
    assert.equal(disabled.enabled, false);
    assert.equal(disabled.disabled_reason, 'failing');
    const told = smtp.received.slice(mailsBefore).find((m) => /webhook/i.test(m.subject ?? ''));
    assert.ok(told, 'the owners got an e-mail');
    assert.deepEqual((told!.to as { value: { address: string }[] }).value.map((v) => v.address), [p.a.adminEmail]);
    assert.equal((await seller.post(`/api/webhooks/${endpoint.id}/deliveries/${delivery.id}/redelivery`, {})).statusCode, 409);
    receiver.state.mode = 'ok';
  });

  test('a seated order: the PDF tickets and the e-mail lines name each ticket’s seat, in the buyer’s language', async () => {
    const seated = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Stalls', capacity: 1 }], tariffs: [{ section: 0, label: 'Plein tarif', price: 4500 }] });
    const map = await seller.post('/api/maps', { map: { name: 'Salle', document: theatreMap({ rows: 2, seatsPerRow: 6 }) } });
    assert.equal(map.statusCode, 201, map.body);
    assert.equal((await seller.put(`/api/events/${seated.eventId}/dates/${seated.dateIds[0]}/map`, { map: { map_id: map.json().map.id } })).statusCode, 200);
    const seats = (await seller.get(`/api/events/${seated.eventId}/dates/${seated.dateIds[0]}/seats`)).json().seats as { id: number; row: string; number: string }[];
    const ids = ['B3', 'B4'].map((label) => seats.find((s) => `${s.row}${s.number}` === label)!.id);
    const cart = await seller.post('/api/carts', { cart: { items: [{ tariff_id: seated.tariffIds[0], date_id: seated.dateIds[0], seat_ids: ids }] } });
    assert.equal(cart.statusCode, 201, cart.body);
    const before = smtp.received.length;
    const checkout = await seller.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_email: 'anne@buyers.test', payment: { provider: 'test', card: CARD } } }, { 'accept-language': 'fr' });
    assert.equal(checkout.statusCode, 201, checkout.body);
    await deliver();
    const mail = smtp.received.slice(before).find((m) => (m.to as { value: { address: string }[] }).value[0].address === 'anne@buyers.test')!;
    for (const n of ['3', '4']) {
      assert.ok(mail.text!.includes(`Place\u00a0: Stalls, rang B, place ${n}`), `the text names seat B${n}:\n${mail.text}`);
      assert.ok((mail.html as string).includes(`Place\u00a0: Stalls, rang B, place ${n}`), `the HTML names seat B${n}`);
    }
    const text = pdfText(mail.attachments.find((a) => a.contentType === 'application/pdf')!.content);
    assert.ok(text.includes('Stalls, rang B, place 3') && text.includes('Stalls, rang B, place 4'), `the PDF names both seats:\n${text}`);
    // A general-admission ticket's PDF has no seat line.
    const plain = await buy('fr', 'sans-place@buyers.test', 1);
    const plainPdf = await seller.get(`/api/tickets/${plain.tickets[0].id}/pdf`);
    assert.equal(plainPdf.statusCode, 200);
    assert.ok(!/(Place|Seat|Platz): /.test(pdfText(plainPdf.rawPayload)), 'no seat on a general-admission ticket');
    const seatedPdf = await seller.get(`/api/tickets/${checkout.json().order.tickets[1].id}/pdf`);
    assert.match(pdfText(seatedPdf.rawPayload), /(Place|Seat|Platz): [\s\S]*Stalls, (rang|row|Reihe) B, (place|seat|Platz) 4/, 'a ticket downloaded alone names its seat');
  });

  test('comps reach their guest with the tickets; a cancelled event is told to its holders', async () => {
    seller = client(p.app, await token(p.app, p.a));
    const other = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Balcon', capacity: 20 }], tariffs: [{ section: 0, label: 'Invitation', price: 3000 }] });
    const before = smtp.received.length;
    const guest = await seller.post('/api/guests', { guest: { event_id: other.eventId, date_id: other.dateIds[0], section_id: other.sectionIds[0], name: 'Claire Invitée', email: 'claire@guests.test', quantity: 2 } });
    assert.equal(guest.statusCode, 201, guest.body);
    await deliver();
    const comps = smtp.received.slice(before).find((m) => (m.to as { value: { address: string }[] }).value[0].address === 'claire@guests.test')!;
    assert.ok(comps, 'the guest got an e-mail');
    assert.match(comps.subject!, /^Votre invitation pour /, 'in the organization’s language');
    assert.equal(comps.attachments.filter((a) => a.contentType === 'application/pdf').length, 2, 'a PDF per ticket');

    const cart = await seller.post('/api/carts', { cart: { items: [{ tariff_id: other.tariffIds[0], date_id: other.dateIds[0], quantity: 1 }] } });
    await seller.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_email: 'paul@buyers.test', payment: { provider: 'test', card: CARD } } }, { 'accept-language': 'en' });
    await deliver();
    const cancelled = await seller.patch(`/api/events/${other.eventId}`, { event: { status: 'cancelled' } });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    const mark = smtp.received.length;
    await deliver();
    const told = smtp.received.slice(mark).map((m) => (m.to as { value: { address: string }[] }).value[0].address).sort();
    assert.deepEqual(told, ['claire@guests.test', 'paul@buyers.test']);
    assert.ok(smtp.received.slice(mark).every((m) => / est annulé$/.test(m.subject!)));
  });

  test('webhook targets in loopback or private ranges are refused unless the operator allows them', async () => {
    for (const url of ['http://127.0.0.1:8080/x', 'http://10.1.2.3/x', 'http://192.168.0.10/x', 'http://[::1]/x', 'http://169.254.169.254/latest/meta-data', 'http://localhost/x']) {
      await assert.rejects(checkWebhookTarget(url, false), /private|loopback/, url);
    }
    await assert.rejects(checkWebhookTarget('ftp://example.test/x', false), /http/);
    await assert.rejects(checkWebhookTarget('http://[::ffff:10.0.0.1]/x', false), /private/);
    assert.ok(await checkWebhookTarget('http://127.0.0.1:8080/x', true));
    assert.ok(await checkWebhookTarget('https://93.184.215.14/hook', false), 'a public address is accepted');
  });

  test('the outbox is readable by owners only; e-mails are kept there when no SMTP server is configured', async () => {
    seller = client(p.app, await token(p.app, p.a));
    const messages = await seller.get('/api/outbox/messages?kind=email');
    assert.equal(messages.statusCode, 200);
    assert.ok(messages.json().messages.length >= 2);
    assert.ok(messages.json().messages.every((m: { status: string }) => ['sent', 'pending', 'dead'].includes(m.status)));
    const buyerApi = client(p.app, await token(p.app, p.a, 'public buy'));
    assert.equal((await buyerApi.get('/api/outbox/messages')).statusCode, 403);

    const kept = await platform({}, { mailFromConfig: true });
    try {
      const api = client(kept.app, await token(kept.app, kept.a));
      const event = await onSaleEvent(kept.app, kept.a, { sections: [{ name: 'Fosse', capacity: 10 }], tariffs: [{ section: 0, label: 'Normal', price: 1000 }] });
      const cart = await api.post('/api/carts', { cart: { items: [{ tariff_id: event.tariffIds[0], date_id: event.dateIds[0], quantity: 1 }] } });
      await api.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_email: 'kept@buyers.test', payment: { provider: 'test', card: CARD } } });
      await kept.app.core.delivery.drain();
      const list = (await api.get('/api/outbox/messages?kind=email')).json().messages;
      assert.equal(list.length, 1);
      assert.equal(list[0].status, 'kept');
      assert.equal(list[0].recipient, 'kept@buyers.test');
      assert.match(list[0].subject, /Vos billets/, 'in the organization’s language (fr-FR) when the buyer gave none');
      const dev = await kept.app.inject({ method: 'GET', url: '/dev/mail' });
      assert.equal(dev.json().messages[0].id, list[0].id);
      const page = await kept.app.inject({ method: 'GET', url: `/dev/mail/${list[0].id}` });
      assert.match(page.headers['content-type'] as string, /text\/html/);
      assert.match(page.body, /Vos billets/);
      assert.equal((await client(kept.app, await token(kept.app, kept.b)).get(`/api/outbox/messages/${list[0].id}`)).statusCode, 404);
    } finally {
      await kept.close();
    }
  });
});

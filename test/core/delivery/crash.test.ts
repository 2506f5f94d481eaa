import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { loadConfig } from '../../../src/config.ts';
import { CARD, client, onSaleEvent, platform, token, type TestPlatform } from '../../helpers.ts';

/**
 * A process killed between claiming a message and recording that it was sent: the message is still
 * delivered, by another process once the claim's lease has run out (at least once, nothing lost),
 * with the same webhook-id so the receiver can drop the duplicate.
 */
describe('delivery: a worker killed between claim and send', () => {
  let p: TestPlatform;
  const seen: { id: string; type: string }[] = [];
  let secret = '';
  let hang = true;
  let arrived: () => void = () => undefined;
  const held: http.ServerResponse[] = [];
  let server: http.Server;
  let url = '';
  const children: ChildProcess[] = [];
  let workerErrors = '';

  before(async () => {
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c) => chunks.push(c));
      request.on('end', () => {
        const message = new Webhook(secret).verify(Buffer.concat(chunks).toString(), request.headers as Record<string, string>) as { type: string };
        seen.push({ id: String(request.headers['webhook-id']), type: message.type });
        if (hang) {
          held.push(response); // never answered: the sender dies meanwhile
          arrived();
        } else response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    p = await platform({ delivery: { ...loadConfig({}).delivery, webhookAllowPrivate: true } });
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const response of held) response.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await p.close();
  });

  function worker(): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/delivery-worker.ts', p.url, p.schema ?? ''], {
      env: { ...process.env, WEBHOOK_ALLOW_PRIVATE: '1', OUTBOX_LEASE_SECONDS: '2', OUTBOX_POLL_MS: '100', WEBHOOK_TIMEOUT_MS: '30000' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // What a worker says on stderr is kept for the failure message.
    child.stderr?.on('data', (chunk: Buffer) => void (workerErrors += chunk.toString()));
    children.push(child);
    return child;
  }

  test('the message is delivered after a restart, once more with the same webhook-id', async () => {
    const seller = client(p.app, await token(p.app, p.a));
    const created = await seller.post('/api/webhooks', { webhook: { url, event_types: ['order.paid'] } });
    assert.equal(created.statusCode, 201, created.body);
    secret = created.json().webhook.secret;
    const show = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Fosse', capacity: 10 }], tariffs: [{ section: 0, label: 'Normal', price: 2000 }] });
    const cart = await seller.post('/api/carts', { cart: { items: [{ tariff_id: show.tariffIds[0], date_id: show.dateIds[0], quantity: 1 }] } });
    const order = (await seller.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_email: 'crash@buyers.test', payment: { provider: 'test', card: CARD } } })).json().order;
    assert.equal(order.status, 'paid');

    // The first process claims the delivery and is killed while the receiver holds the request.
    const first = worker();
    // Bounded: a worker that never sends fails the test instead of hanging the suite.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(async () => {
        // What the outbox holds says where it stopped (not fanned out, not due, failed and waiting).
        const outbox = (await seller.get('/api/outbox/messages')).body;
        reject(new Error(`the first worker never sent the webhook within 60 s (exit ${first.exitCode ?? first.signalCode ?? 'none'}); outbox: ${outbox.slice(0, 3000)}; its stderr: ${workerErrors.slice(-2000)}`));
      }, 60_000);
      arrived = () => { clearTimeout(timer); resolve(); };
    });
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    assert.equal(seen.length, 1);
    const [{ id }] = seen;
    const pending = (await seller.get('/api/outbox/messages?kind=webhook')).json().messages[0];
    assert.equal(pending.uid, id);
    assert.equal(pending.status, 'pending', 'claimed, never recorded as sent');

    // A new process delivers it once the lease runs out.
    hang = false;
    const second = worker();
    const deadline = Date.now() + 60_000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
    assert.equal(seen.length, 2, 'delivered again after the restart');
    assert.deepEqual(seen.map((s) => s.id), [id, id], 'with the same webhook-id');
    assert.equal(seen[1].type, 'order.paid');
    const sent = (await seller.get(`/api/outbox/messages/${pending.id}`)).json().message;
    assert.equal(sent.status, 'sent');
    assert.equal(sent.log.filter((a: { succeeded: boolean }) => a.succeeded).length, 1);
  });
});

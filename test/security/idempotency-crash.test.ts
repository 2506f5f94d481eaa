/**
 * 4. An in-flight Idempotency-Key survives a crash: a real server process is killed (SIGKILL) in the
 * middle of a burst of carts and checkouts, restarted, and every request whose answer was lost is sent
 * again with its key. Every retry gets the one answer — the cart or order the first attempt created, or
 * a fresh one if it never committed — and there is exactly one cart and one paid order per buyer.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { CARD, onSaleEvent, platform, processDatabaseUrl, type OnSaleEvent, type TestPlatform } from '../helpers.ts';

const BUYERS = 24;
const SECRET_KEY = 'cd'.repeat(32);

function startServer(p: TestPlatform): Promise<{ url: string; child: ChildProcess }> {
  const databaseUrl = processDatabaseUrl(p);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, GUICHET_PRODUCTION: '1', GUICHET_SECRET_KEY: SECRET_KEY, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', RATE_LIMIT_MAX: '100000000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /Guichet on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) resolve({ url: `http://127.0.0.1:${match[1]}`, child });
    });
    child.once('exit', (code, signal) => reject(new Error(`server exited early (${code ?? signal}): ${output}`)));
  });
}

describe('4. idempotency inside the transaction: a kill -9 mid-burst loses no answer and duplicates nothing', () => {
  let p: TestPlatform;
  let event: OnSaleEvent;
  before(async () => {
    p = await platform();
    event = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Floor', capacity: 1000 }], tariffs: [{ section: 0, label: 'Full', price: 2500 }] });
  });
  after(() => p.close());

  test('4. every in-flight request retried after a restart gets the one answer; one cart and one order per buyer', { timeout: 240_000 }, async () => {
    let server = await startServer(p);
    const tokenAnswer = await fetch(`${server.url}/api/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: p.a.clientId, client_secret: p.a.clientSecret, scope: 'public buy sell' }) });
    const accessToken = (await tokenAnswer.json()).access_token as string;
    const post = async (base: string, path: string, key: string, body: unknown) => {
      const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}`, 'idempotency-key': key }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    };
    const cartBody = { cart: { items: [{ tariff_id: event.tariffIds[0], date_id: event.dateIds[0], quantity: 2 }] } };
    const checkoutBody = (i: number) => ({ checkout: { buyer_name: `Buyer ${i}`, buyer_email: `buyer${i}@example.test`, payment: { provider: 'test', card: CARD } } });

    // The burst: each buyer starts a cart and checks it out; the server dies while requests are in flight.
    const cartIds = new Map<number, number>();
    const orderIds = new Map<number, number>();
    let answered = 0;
    const flows = Array.from({ length: BUYERS }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 15));
      const cart = await post(server.url, '/api/carts', `cart-${i}`, cartBody);
      answered++;
      assert.equal(cart.status, 201, JSON.stringify(cart.body));
      cartIds.set(i, cart.body.cart.id);
      const order = await post(server.url, `/api/carts/${cart.body.cart.id}/checkout`, `order-${i}`, checkoutBody(i));
      answered++;
      assert.equal(order.status, 201, JSON.stringify(order.body));
      orderIds.set(i, order.body.order.id);
    });
    const killer = (async () => {
      while (answered < BUYERS / 2) await new Promise((r) => setTimeout(r, 5));
      server.child.kill('SIGKILL');
    })();
    const outcomes = await Promise.allSettled(flows);
    await killer;
    const lost = outcomes.filter((o) => o.status === 'rejected').length;
    assert.ok(lost > 0, 'some requests were in flight when the server died');
    await new Promise((r) => server.child.exitCode !== null || server.child.signalCode !== null ? r(null) : server.child.once('exit', r));

    // Restart; retry every request of every buyer with its key (answered ones too: they must replay).
    server = await startServer(p);
    try {
      for (let i = 0; i < BUYERS; i++) {
        const cart = await post(server.url, '/api/carts', `cart-${i}`, cartBody);
        assert.equal(cart.status, 201, `buyer ${i}: ${JSON.stringify(cart.body)}`);
        if (cartIds.has(i)) assert.equal(cart.body.cart.id, cartIds.get(i), `buyer ${i}: the cart answer again`);
        const order = await post(server.url, `/api/carts/${cart.body.cart.id}/checkout`, `order-${i}`, checkoutBody(i));
        assert.equal(order.status, 201, `buyer ${i}: ${JSON.stringify(order.body)}`);
        if (orderIds.has(i)) assert.equal(order.body.order.id, orderIds.get(i), `buyer ${i}: the order answer again`);
        assert.equal(order.body.order.status, 'paid');
        const again = await post(server.url, `/api/carts/${cart.body.cart.id}/checkout`, `order-${i}`, checkoutBody(i));
        assert.equal(again.body.order.id, order.body.order.id, 'and once more');
      }
    } finally {
      server.child.kill('SIGTERM');
      await new Promise((r) => server.child.once('exit', r));
    }
    const carts = await p.database.db.selectFrom('carts').select(['id']).where('organization_id', '=', p.a.organizationId).execute();
    const orders = await p.database.db.selectFrom('orders').select(['id', 'cart_id', 'status']).where('organization_id', '=', p.a.organizationId).execute();
    assert.equal(carts.length, BUYERS, 'one cart per buyer');
    assert.equal(orders.length, BUYERS, 'one order per buyer');
    assert.equal(new Set(orders.map((o) => o.cart_id)).size, BUYERS);
    assert.ok(orders.every((o) => o.status === 'paid'));
    console.log(`kill -9 with ${lost} buyers' requests in flight; ${BUYERS} carts and ${BUYERS} paid orders after the retries`);
  });
});

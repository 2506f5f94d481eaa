/**
 * 7. Secrets at rest: the answer of a credential-creating POST sent with an Idempotency-Key is not
 * stored in clear (it is encrypted, and still replayed); idempotency rows are purged after 24 h; each
 * organization's QR-signing private key is encrypted with the key from GUICHET_SECRET_KEY (or the
 * data folder), and a key stored in clear before is encrypted on first use.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { CARD, client, onSaleEvent, platform, token, type TestPlatform } from '../helpers.ts';
import { resolveSecretKey } from '../../src/secret-key.ts';

describe('7. secrets at rest', () => {
  let p: TestPlatform;
  let admin: ReturnType<typeof client>;

  before(async () => {
    p = await platform();
    admin = client(p.app, await token(p.app, p.a));
  });
  after(() => p.close());

  test('7. credential-creating answers sent with an Idempotency-Key are stored encrypted, replayed, and purged after 24 h', async () => {
    const created: string[] = [];
    const calls: [string, unknown, (body: any) => string][] = [
      ['/api/api_keys', { api_key: { name: 'k', access_level: 'host' } }, (b) => b.api_key.key],
      ['/api/oauth_clients', { oauth_client: { name: 'c', scopes: 'public buy' } }, (b) => b.oauth_client.client_secret],
      ['/api/partner_users', { partner_user: { username: 'at-rest', access: 'read' } }, (b) => b.partner_user.password],
      ['/api/partner_keys', { partner_key: { name: 'w' } }, (b) => b.partner_key.key],
    ];
    for (const [url, body, secretOf] of calls) {
      const first = await admin.post(url, body, { 'idempotency-key': `k-${url}` });
      assert.equal(first.statusCode, 201, first.body);
      const secret = secretOf(first.json());
      created.push(secret);
      const replay = await admin.post(url, body, { 'idempotency-key': `k-${url}` });
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(secretOf(replay.json()), secret, 'the replay gives the same answer');
    }
    const rows = await p.database.db.selectFrom('idempotency_keys').select(['response_body']).execute();
    assert.equal(rows.length, calls.length);
    for (const row of rows) {
      for (const secret of created) assert.ok(!row.response_body!.includes(secret), 'no secret in clear');
      assert.match(row.response_body!, /^sealed:v1:/);
    }
    p.clock.advance(24 * 3600 * 1000 + 1000);
    assert.equal(await p.app.core.idempotency.purge(), calls.length);
    assert.equal((await p.database.db.selectFrom('idempotency_keys').select('id').execute()).length, 0);
    admin = client(p.app, await token(p.app, p.a));
  });

  test('7. QR-signing private keys are stored encrypted; a key stored in clear before is encrypted on first use', async () => {
    const event = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Floor', capacity: 5 }], tariffs: [{ section: 0, label: 'Full', price: 1000 }] });
    const cart = await admin.post('/api/carts', { cart: { items: [{ tariff_id: event.tariffIds[0], date_id: event.dateIds[0], quantity: 1 }] } });
    assert.equal(cart.statusCode, 201, cart.body);
    const order = await admin.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_name: 'B', buyer_email: 'b@example.test', payment: { provider: 'test', card: CARD } } });
    assert.equal(order.statusCode, 201, order.body);
    const key = await p.database.db.selectFrom('organization_keys').select(['private_key']).where('organization_id', '=', p.a.organizationId).executeTakeFirstOrThrow();
    assert.match(key.private_key, /^sealed:v1:/);
    assert.ok(!key.private_key.includes('PRIVATE KEY'));

    // A key stored in clear (before this change): still used, and sealed on first use.
    const crypto = await import('node:crypto');
    const pair = crypto.generateKeyPairSync('ed25519');
    const plain = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await p.database.db.insertInto('organization_keys').values({ organization_id: p.b.organizationId, public_key: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), private_key: plain, created_at: new Date().toISOString() }).execute();
    const adminB = client(p.app, await token(p.app, p.b));
    const eventB = await onSaleEvent(p.app, p.b, { sections: [{ name: 'Floor', capacity: 5 }], tariffs: [{ section: 0, label: 'Full', price: 0 }] });
    const cartB = await adminB.post('/api/carts', { cart: { items: [{ tariff_id: eventB.tariffIds[0], date_id: eventB.dateIds[0], quantity: 1 }] } });
    const orderB = await adminB.post(`/api/carts/${cartB.json().cart.id}/checkout`, { checkout: { buyer_name: 'B', buyer_email: 'b@example.test' } });
    assert.equal(orderB.statusCode, 201, orderB.body);
    const ticket = orderB.json().order.tickets[0];
    const qr = await adminB.get(`/api/tickets/${ticket.id}`);
    assert.equal(qr.statusCode, 200);
    const after = await p.database.db.selectFrom('organization_keys').select(['private_key']).where('organization_id', '=', p.b.organizationId).executeTakeFirstOrThrow();
    assert.match(after.private_key, /^sealed:v1:/);
    void sql;
  });

  test('7. the at-rest key: GUICHET_SECRET_KEY, or generated once into the data folder and kept', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-key-'));
    const databaseUrl = path.join(dir, 'guichet.sqlite');
    const first = resolveSecretKey({ secretKey: null, production: false, databaseUrl });
    const second = resolveSecretKey({ secretKey: null, production: false, databaseUrl });
    assert.equal(first.length, 32);
    assert.deepEqual(first, second, 'kept in the data folder');
    assert.equal((fs.statSync(path.join(dir, 'secret.key')).mode & 0o777).toString(8), '600');
    assert.equal(resolveSecretKey({ secretKey: 'ab'.repeat(32), production: true, databaseUrl: 'postgres://x/y' }).length, 32);
    assert.throws(() => resolveSecretKey({ secretKey: 'short', production: true, databaseUrl: 'postgres://x/y' }), /32 bytes/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

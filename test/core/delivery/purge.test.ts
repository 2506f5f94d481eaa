import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../../src/config.ts';
import { CARD, client, onSaleEvent, platform, token, type TestPlatform } from '../../helpers.ts';

/** Finished outbox messages and their attempt logs are purged by the worker once the retention period has passed. */
describe('delivery: the outbox is purged after its retention period', () => {
  let p: TestPlatform;

  before(async () => {
    const base = loadConfig({});
    p = await platform({ delivery: { ...base.delivery, retentionDays: 30, pollMs: 20 } });
  });
  after(() => p.close());

  const messages = () => p.database.db.selectFrom('outbox_messages').select(['id', 'kind', 'topic', 'status', 'recipient']).orderBy('id').execute();
  const attempts = async () => (await p.database.db.selectFrom('delivery_attempts').select('message_id').execute()).map((a) => a.message_id);

  async function until(what: string, done: () => Promise<boolean>) {
    for (let i = 0; i < 500; i++) {
      if (await done()) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`timed out waiting until ${what}: ${JSON.stringify(await messages())}`);
  }

  test('the worker deletes sent and dead messages older than OUTBOX_RETENTION_DAYS with their logs, keeps the rest, and purging again changes nothing', async () => {
    const seller = client(p.app, await token(p.app, p.a));
    const show = await onSaleEvent(p.app, p.a, { sections: [{ name: 'Fosse', capacity: 10 }], tariffs: [{ section: 0, label: 'Plein', price: 2000 }] });
    const cart = await seller.post('/api/carts', { cart: { items: [{ tariff_id: show.tariffIds[0], date_id: show.dateIds[0], quantity: 1 }] } });
    const checkout = await seller.post(`/api/carts/${cart.json().cart.id}/checkout`, { checkout: { buyer_email: 'old@buyers.test', payment: { provider: 'test', card: CARD } } });
    assert.equal(checkout.statusCode, 201, checkout.body);
    await p.app.core.accounts.requestPasswordReset(p.a.adminEmail, null);
    await p.app.core.delivery.drain();
    // A message that failed for good, and one still waiting for its (far) retry.
    const t = p.clock().toISOString();
    const row = (status: string, uid: string) => ({ uid, organization_id: p.a.organizationId, kind: 'email', topic: 'account', recipient: `${uid}@x.test`, payload: '{}', status, attempts: 3, due_at: status === 'pending' ? '2099-01-01T00:00:00.000Z' : t, created_at: t, updated_at: t });
    const [dead] = await p.database.db.insertInto('outbox_messages').values([row('dead', 'msg_dead'), row('pending', 'msg_waiting')]).returning('id').execute();
    await p.database.db.insertInto('delivery_attempts').values({ message_id: dead.id, attempted_at: t, succeeded: 0, response_status: null, duration_ms: 1, error: 'refused' }).execute();

    const old = await messages();
    const confirmation = old.find((m) => m.kind === 'email' && m.recipient === 'old@buyers.test')!;
    assert.equal(confirmation.status, 'sent');
    assert.ok((await attempts()).includes(confirmation.id), 'a sent message has its attempt log');

    // Within the retention period the worker keeps everything.
    p.clock.advance(29 * 86_400_000);
    assert.equal(await p.app.core.delivery.purge(), 0);
    assert.equal((await messages()).length, old.length);

    // Past it, the worker's next pass purges; a message finished since then stays.
    p.clock.advance(2 * 86_400_000);
    await p.app.core.accounts.requestPasswordReset(p.a.adminEmail, null);
    p.app.core.delivery.start();
    try {
      await until('the old messages are purged', async () => !(await messages()).some((m) => m.id === confirmation.id));
    } finally {
      await p.app.core.delivery.stop();
    }
    const left = await messages();
    assert.deepEqual(
      left.map((m) => [m.kind, m.topic, m.status, m.recipient]),
      [
        ['event', 'order.paid', 'sent', null], // where later mails about the order find its buyer's language
        ['email', 'account', 'pending', 'msg_waiting@x.test'],
        ['email', 'account', 'sent', p.a.adminEmail], // finished a moment ago
      ],
    );
    const logs = await attempts();
    assert.ok(logs.every((id) => left.some((m) => m.id === id)), 'no attempt log outlives its message');
    assert.ok(!logs.includes(dead.id));

    // Idempotent: purging again finds nothing, on any process.
    assert.equal(await p.app.core.delivery.purge(), 0);
    assert.deepEqual(await messages(), left);
  });
});

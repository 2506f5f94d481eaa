import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { changedRows, prepared } from '../../db/prepared.ts';

/**
 * The inventory: the one place that decides whether places can be taken.
 *
 * Each (date, section) has one row in `section_capacities` whose `taken` counts sold + held + comps.
 * Taking places is a single conditional UPDATE — the row lock it takes is the whole critical
 * section, a few microseconds — and it succeeds only while
 *     taken + kills + organizer_holds + quantity ≤ capacity.
 * Tariff quotas work the same way on `tariff_quotas` (per tariff and date).
 *
 * Holds expire by themselves: a hold past its `expires_at` is never sold (payment refuses it), and
 * when a row looks full, the taking transaction first releases the expired holds of that row and
 * tries again. No sweeper is needed for correctness; an expired hold can only make a row look
 * fuller than it is until the next attempt on that row, never emptier.
 */
export const inventory = {
  /** Takes `quantity` places on a capacity row (and on the tariff quota when there is one); false when there are not enough. */
  async take(trx: Db, place: { capacityId: number; tariffId: number | null; dateId: number; quota: number | null; organizationId: number }, quantity: number, now: string): Promise<boolean> {
    if (await takeOnce(trx, place, quantity)) return true;
    // Full, or looks full: give back what expired holds still count, then try once more.
    const released = await releaseExpiredHolds(trx, place.capacityId, now);
    if (released === 0) return false;
    return takeOnce(trx, place, quantity);
  },

  /** Returns places to sale (a hold released, an order cancelled or refunded, a comp withdrawn). */
  async giveBack(trx: Db, place: { capacityId: number; tariffId: number | null; dateId: number }, quantity: number): Promise<void> {
    if (quantity <= 0) return;
    await trx.updateTable('section_capacities').set({ taken: sql`taken - ${quantity}` }).where('id', '=', place.capacityId).execute();
    if (place.tariffId !== null) {
      await trx
        .updateTable('tariff_quotas')
        .set({ taken: sql`taken - ${quantity}` })
        .where('tariff_id', '=', place.tariffId)
        .where('date_id', '=', place.dateId)
        .execute();
    }
  },

  /** Places that can still be taken on a capacity row, counting expired holds as free. */
  async available(db: Db, capacityId: number, now: string): Promise<number> {
    const row = await db
      .selectFrom('section_capacities')
      .select(['capacity', 'taken', 'kills', 'organizer_holds'])
      .where('id', '=', capacityId)
      .executeTakeFirst();
    if (!row) return 0;
    const expired = await db
      .selectFrom('cart_items')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), sql<number>`0`).as('n'))
      .where('capacity_id', '=', capacityId)
      .where('status', '=', 'held')
      .where('expires_at', '<=', now)
      .executeTakeFirstOrThrow();
    return Math.max(0, row.capacity - row.kills - row.organizer_holds - row.taken + Number(expired.n));
  },
};

/**
 * The rule itself, on a `section_capacities` row: `quantity` more places fit. Every statement that
 * takes places says it with this fragment (the one-statement hold of sellingRepository too).
 */
export const roomFor = (quantity: unknown) => sql<boolean>`taken + kills + organizer_holds + ${quantity} <= capacity`;

// The on-sale's one locked statement, built once (see prepared.ts).
const takeFromCapacity = prepared((db, p: { quantity: number; capacityId: number }) =>
  db
    .updateTable('section_capacities')
    .set({ taken: sql`taken + ${p.quantity}` })
    .where('id', '=', p.capacityId)
    .where(roomFor(p.quantity)),
);

async function takeOnce(trx: Db, place: { capacityId: number; tariffId: number | null; dateId: number; quota: number | null; organizationId: number }, quantity: number) {
  if (changedRows(await takeFromCapacity(trx, { quantity, capacityId: place.capacityId })) !== 1) return false;
  if (place.quota === null || place.tariffId === null) return true;
  await trx
    .insertInto('tariff_quotas')
    .values({ tariff_id: place.tariffId, date_id: place.dateId, organization_id: place.organizationId, taken: 0 })
    .onConflict((oc) => oc.columns(['tariff_id', 'date_id']).doNothing())
    .execute();
  const quota = await trx
    .updateTable('tariff_quotas')
    .set({ taken: sql`taken + ${quantity}` })
    .where('tariff_id', '=', place.tariffId)
    .where('date_id', '=', place.dateId)
    .where(sql<boolean>`taken + ${quantity} <= ${place.quota}`)
    .executeTakeFirst();
  if (Number(quota.numUpdatedRows) === 1) return true;
  // The section had room but the tariff quota had not: undo the section part of this attempt.
  await trx.updateTable('section_capacities').set({ taken: sql`taken - ${quantity}` }).where('id', '=', place.capacityId).execute();
  return false;
}

/** Releases the expired holds of one capacity row and gives their places back; returns how many. */
async function releaseExpiredHolds(trx: Db, capacityId: number, now: string): Promise<number> {
  const released = await trx
    .updateTable('cart_items')
    .set({ status: 'expired' })
    .where('capacity_id', '=', capacityId)
    .where('status', '=', 'held')
    .where('expires_at', '<=', now)
    .returning(['quantity', 'tariff_id', 'date_id'])
    .execute();
  let total = 0;
  const perTariff = new Map<string, { tariffId: number; dateId: number; quantity: number }>();
  for (const hold of released) {
    total += hold.quantity;
    const key = `${hold.tariff_id}:${hold.date_id}`;
    const entry = perTariff.get(key) ?? { tariffId: hold.tariff_id, dateId: hold.date_id, quantity: 0 };
    entry.quantity += hold.quantity;
    perTariff.set(key, entry);
  }
  if (total === 0) return 0;
  await trx.updateTable('section_capacities').set({ taken: sql`taken - ${total}` }).where('id', '=', capacityId).execute();
  for (const { tariffId, dateId, quantity } of perTariff.values()) {
    // Only tariffs with a quota have a row here; for the others this touches nothing.
    await trx
      .updateTable('tariff_quotas')
      .set({ taken: sql`taken - ${quantity}` })
      .where('tariff_id', '=', tariffId)
      .where('date_id', '=', dateId)
      .execute();
  }
  return total;
}

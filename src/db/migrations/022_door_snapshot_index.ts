import type { Db, Engine } from '../database.ts';
import type { Migration } from '../migrator.ts';

/**
 * `tickets (event_id, id)` on SQLite: a door snapshot page (`/api/door/snapshot?after=&limit=`, the
 * valid tickets of an event after an id, by id) is then read from this index in order and stops at
 * the page's end; with only `(event_id, date_id)`, each page read every ticket of the event and sorted
 * them (`USE TEMP B-TREE FOR ORDER BY`). Not on PostgreSQL: its planner kept the bitmap scan and
 * top-N sort with the index present (a 20,000-ticket page of a 50,000-ticket event), so there the
 * index would only cost every order's ticket inserts.
 */
export const doorSnapshotIndex: Migration = {
  version: 22,
  name: 'door_snapshot_index',
  async up(db: Db, engine: Engine) {
    if (engine === 'sqlite') await db.schema.createIndex('tickets_event_id').on('tickets').columns(['event_id', 'id']).execute();
  },
};

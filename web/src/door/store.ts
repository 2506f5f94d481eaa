import { openDB, deleteDB, type DBSchema, type IDBPDatabase } from 'idb';
import { fromSnapshotRow, type SnapshotRow } from './api.ts';
import type { Briefing, Conflict, DoorSessionState, LocalTicket, QueuedScan } from './types.ts';

/**
 * What the door keeps on the device (IndexedDB, one database per origin): the session, the event
 * briefing, the tickets its credential may admit, the scans waiting for upload (in order), the
 * barcodes retired by transfers, the conflicts the server reported, and a few counters. Ending the
 * session deletes the whole database.
 *
 * The tickets are kept in two layers. The snapshot is stored as the server sends it, one record per
 * page of 20,000 rows (`snapshot`): one write per page rather than one per ticket with an index to
 * maintain, which made starting a 50,000-ticket door take 16 s of IndexedDB writes on its own; it is
 * read back into memory (by id and by barcode) when the door opens. What changed since, ticket by
 * ticket (this gate's admissions, the server's answers and changes), goes to `tickets`, which wins.
 */
export const DB_NAME = 'guichet-door';

interface Meta {
  session: DoorSessionState;
  briefing: Briefing;
  /** Where the device stands in the server's change log (/api/door/changes). */
  cursor: string;
  lastSyncAt: string;
  gateCounts: { scans: number; admitted: number; refused: number };
  eventCounts: { admitted: number; total: number };
  /** The snapshot download finished (a half-loaded device downloads again). */
  loaded: boolean;
}

interface DoorDB extends DBSchema {
  meta: { key: keyof Meta; value: Meta[keyof Meta] };
  /** A page of the snapshot: its rows as JSON (one string is written and read back much faster than 20,000 small arrays). */
  snapshot: { key: number; value: string };
  tickets: { key: number; value: LocalTicket; indexes: { barcode: string } };
  retired: { key: string; value: { barcode: string; ticketId: number } };
  queue: { key: number; value: QueuedScan };
  conflicts: { key: number; value: Conflict };
}

export type DoorStore = Awaited<ReturnType<typeof openStore>>;

export async function openStore() {
  const db: IDBPDatabase<DoorDB> = await openDB<DoorDB>(DB_NAME, 2, {
    upgrade(d, oldVersion) {
      if (oldVersion < 1) {
        d.createObjectStore('meta');
        d.createObjectStore('tickets', { keyPath: 'id' }).createIndex('barcode', 'barcode');
        d.createObjectStore('retired', { keyPath: 'barcode' });
        d.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
        d.createObjectStore('conflicts', { keyPath: 'id' });
      }
      // A device of version 1 keeps its tickets (all in `tickets`) and its queue.
      d.createObjectStore('snapshot');
    },
    // Another tab ending the session deletes the database: let it.
    blocking() {
      db.close();
    },
  });

  const byId = new Map<number, SnapshotRow>();
  const byBarcode = new Map<string, SnapshotRow>();
  const remember = (rows: SnapshotRow[]) => {
    for (const row of rows) {
      byId.set(row[0], row);
      byBarcode.set(row[1], row);
    }
  };
  for (const page of await db.getAll('snapshot')) remember(JSON.parse(page) as SnapshotRow[]);

  async function get<K extends keyof Meta>(key: K): Promise<Meta[K] | undefined> {
    return (await db.get('meta', key)) as Meta[K] | undefined;
  }
  const set = <K extends keyof Meta>(key: K, value: Meta[K]) => db.put('meta', value, key);
  const fromSnapshot = (id: number) => {
    const row = byId.get(id);
    return row ? fromSnapshotRow(row) : undefined;
  };

  return {
    get,
    set,
    ticketById: async (id: number) => (await db.get('tickets', id)) ?? fromSnapshot(id),
    /** One IndexedDB read either way: barcodes are never reused, so a snapshot's barcode can only have changed by its own ticket. */
    async ticketByBarcode(barcode: string) {
      const row = byBarcode.get(barcode);
      if (!row) return db.getFromIndex('tickets', 'barcode', barcode);
      const now = await db.get('tickets', row[0]);
      // A ticket transferred since the snapshot has another barcode: this one answers as retired.
      return now ? (now.barcode === barcode ? now : undefined) : fromSnapshotRow(row);
    },
    retired: (barcode: string) => db.get('retired', barcode),

    /** One page of the snapshot, as one record (the n-th page of this download). */
    async putSnapshotPage(n: number, rows: SnapshotRow[]) {
      await db.put('snapshot', JSON.stringify(rows), n);
      remember(rows);
    },

    /**
     * Changes from the server: each ticket as it is now. A transfer gives the ticket a new barcode;
     * the old one is kept as retired so a gate can say "transferred" rather than "unknown".
     * What the server does not know yet (this gate's admissions waiting in the queue) is kept.
     */
    async applyChanges(tickets: LocalTicket[], pendingAdmissions: Set<number>) {
      const tx = db.transaction(['tickets', 'retired'], 'readwrite');
      const store = tx.objectStore('tickets');
      for (const t of tickets) {
        const before = (await store.get(t.id)) ?? fromSnapshot(t.id);
        if (before && before.barcode !== t.barcode) void tx.objectStore('retired').put({ barcode: before.barcode, ticketId: t.id });
        const keepLocal = pendingAdmissions.has(t.id) && before && before.doorState === 'in' && t.doorState !== 'in';
        const where = t.admittedWhere ?? (before && before.admittedAt === t.admittedAt ? before.admittedWhere : null);
        void store.put(keepLocal ? { ...t, doorState: before.doorState, admittedAt: before.admittedAt, admittedWhere: before.admittedWhere } : { ...t, admittedWhere: where });
      }
      await tx.done;
    },
    putTicket: (ticket: LocalTicket) => db.put('tickets', ticket),

    enqueue: (scan: QueuedScan) => db.add('queue', scan),
    queued: (limit: number) => db.getAll('queue', undefined, limit),
    queueSize: () => db.count('queue'),
    async dequeue(seqs: number[]) {
      const tx = db.transaction('queue', 'readwrite');
      for (const seq of seqs) void tx.store.delete(seq);
      await tx.done;
    },
    markQueued: async (scan: QueuedScan) => void (await db.put('queue', scan)),

    async setConflicts(conflicts: Conflict[]) {
      const tx = db.transaction('conflicts', 'readwrite');
      await tx.store.clear();
      for (const c of conflicts) void tx.store.put(c);
      await tx.done;
    },
    conflicts: () => db.getAll('conflicts'),

    close: () => db.close(),
  };
}

/** Forgets everything the door kept on this device. */
export async function forgetDevice(store?: DoorStore) {
  store?.close();
  await deleteDB(DB_NAME);
}

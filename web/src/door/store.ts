import { openDB, deleteDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Briefing, Conflict, DoorSessionState, LocalTicket, QueuedScan } from './types.ts';

/**
 * What the door keeps on the device (IndexedDB, one database per origin): the session, the event
 * briefing, the tickets its credential may admit, the scans waiting for upload (in order), the
 * barcodes retired by transfers, the conflicts the server reported, and a few counters. Ending the
 * session deletes the whole database.
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
  tickets: { key: number; value: LocalTicket; indexes: { barcode: string } };
  retired: { key: string; value: { barcode: string; ticketId: number } };
  queue: { key: number; value: QueuedScan };
  conflicts: { key: number; value: Conflict };
}

export type DoorStore = Awaited<ReturnType<typeof openStore>>;

export async function openStore() {
  const db: IDBPDatabase<DoorDB> = await openDB<DoorDB>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('meta');
      d.createObjectStore('tickets', { keyPath: 'id' }).createIndex('barcode', 'barcode');
      d.createObjectStore('retired', { keyPath: 'barcode' });
      d.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      d.createObjectStore('conflicts', { keyPath: 'id' });
    },
    // Another tab ending the session deletes the database: let it.
    blocking() {
      db.close();
    },
  });

  async function get<K extends keyof Meta>(key: K): Promise<Meta[K] | undefined> {
    return (await db.get('meta', key)) as Meta[K] | undefined;
  }
  const set = <K extends keyof Meta>(key: K, value: Meta[K]) => db.put('meta', value, key);

  return {
    get,
    set,
    ticketById: (id: number) => db.get('tickets', id),
    ticketByBarcode: (barcode: string) => db.getFromIndex('tickets', 'barcode', barcode),
    retired: (barcode: string) => db.get('retired', barcode),
    countTickets: () => db.count('tickets'),

    /** One page of the snapshot, in one transaction (puts are not awaited one by one: IndexedDB queues them). */
    async putTickets(tickets: LocalTicket[]) {
      const tx = db.transaction('tickets', 'readwrite');
      for (const t of tickets) void tx.store.put(t);
      await tx.done;
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
        const before = await store.get(t.id);
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

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

  // What changed since the snapshot, kept in memory too (written through to IndexedDB): a scan reads
  // no IndexedDB at all, so the gate answers without waiting for the browser's storage.
  const changed = new Map<number, LocalTicket>();
  const changedByBarcode = new Map<string, LocalTicket>();
  const rememberChanged = (ticket: LocalTicket) => {
    const before = changed.get(ticket.id);
    if (before && before.barcode !== ticket.barcode && changedByBarcode.get(before.barcode) === before) changedByBarcode.delete(before.barcode);
    changed.set(ticket.id, ticket);
    changedByBarcode.set(ticket.barcode, ticket);
  };
  const retiredBarcodes = new Map<string, { barcode: string; ticketId: number }>();
  const [changedTickets, retiredRows] = await Promise.all([db.getAll('tickets'), db.getAll('retired')]);
  for (const t of changedTickets) rememberChanged(t);
  for (const r of retiredRows) retiredBarcodes.set(r.barcode, r);

  async function get<K extends keyof Meta>(key: K): Promise<Meta[K] | undefined> {
    return (await db.get('meta', key)) as Meta[K] | undefined;
  }
  const set = <K extends keyof Meta>(key: K, value: Meta[K]) => db.put('meta', value, key);
  const ticketById = (id: number): LocalTicket | undefined => {
    const now = changed.get(id);
    if (now) return now;
    const row = byId.get(id);
    return row ? fromSnapshotRow(row) : undefined;
  };
  /**
   * The scan's writes, in one transaction: the queued scan, the ticket as this gate now knows it,
   * the gate's counts. See recordScan.
   */
  const writeScan = (entry: JournalEntry) => {
    const tx = db.transaction(['queue', 'tickets', 'meta'], 'readwrite', { durability: 'strict' });
    if (entry.scan) void tx.objectStore('queue').add(entry.scan);
    if (entry.ticket) void tx.objectStore('tickets').put(entry.ticket);
    void tx.objectStore('meta').put(entry.gateCounts, 'gateCounts');
    // Sent to the browser's storage now, not when the task ends (see recordScan).
    if ('commit' in tx) tx.commit();
    return tx.done;
  };

  // Scans the page answered whose transaction had not committed when it was closed (a reload, a
  // crash): written now, before anything reads the queue. The nonce tells one already written.
  const unwritten = readJournal();
  if (unwritten.length > 0) {
    const nonces = new Set((await db.getAll('queue')).map((q) => q.nonce));
    for (const entry of unwritten) {
      if (entry.ticket) rememberChanged(entry.ticket);
      await writeScan(entry.scan && nonces.has(entry.scan.nonce) ? { ...entry, scan: null } : entry);
    }
    writeJournal([]);
  }
  const journal: JournalEntry[] = [];
  const failed: JournalEntry[] = [];
  const pending = new Set<Promise<void>>();
  let latestCounts: JournalEntry['gateCounts'] | null = null;
  const forget = (entry: JournalEntry) => {
    const i = journal.indexOf(entry);
    if (i >= 0) journal.splice(i, 1);
    writeJournal(journal);
  };

  return {
    get,
    set,
    ticketById,
    /** Barcodes are never reused, so a snapshot's barcode can only have changed by its own ticket. */
    ticketByBarcode(barcode: string): LocalTicket | undefined {
      const row = byBarcode.get(barcode);
      if (!row) return changedByBarcode.get(barcode);
      const now = changed.get(row[0]);
      // A ticket transferred since the snapshot has another barcode: this one answers as retired.
      return now ? (now.barcode === barcode ? now : undefined) : fromSnapshotRow(row);
    },
    retired: (barcode: string) => retiredBarcodes.get(barcode),

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
      for (const t of tickets) {
        const before = ticketById(t.id);
        if (before && before.barcode !== t.barcode) {
          const retired = { barcode: before.barcode, ticketId: t.id };
          retiredBarcodes.set(retired.barcode, retired);
          void tx.objectStore('retired').put(retired);
        }
        const keepLocal = pendingAdmissions.has(t.id) && before && before.doorState === 'in' && t.doorState !== 'in';
        const where = t.admittedWhere ?? (before && before.admittedAt === t.admittedAt ? before.admittedWhere : null);
        const now = keepLocal ? { ...t, doorState: before.doorState, admittedAt: before.admittedAt, admittedWhere: before.admittedWhere } : { ...t, admittedWhere: where };
        rememberChanged(now);
        void tx.objectStore('tickets').put(now);
      }
      await tx.done;
    },
    /** Tickets as the server answered them (an upload's results), in one transaction. */
    async putTickets(tickets: LocalTicket[]) {
      const tx = db.transaction('tickets', 'readwrite');
      for (const t of tickets) {
        rememberChanged(t);
        void tx.store.put(t);
      }
      await tx.done;
    },

    /**
     * Records a scan the gate has answered: in memory at once (the next scan sees it), and in
     * IndexedDB in one transaction (queue, ticket, counts) that the caller need not wait for before
     * showing the answer. Never lost: before the transaction is opened, the scan is written to a
     * journal in localStorage, which is synchronous and survives a reload or a crashed tab; it is
     * dropped from the journal once the transaction has committed, and openStore writes whatever the
     * journal still holds. IndexedDB runs transactions on the same stores in the order they were
     * opened, so a later read of the queue (the sync) sees this scan; the engine also waits for the
     * returned promise before syncing.
     */
    recordScan(entry: JournalEntry): Promise<void> {
      if (entry.ticket) rememberChanged(entry.ticket);
      latestCounts = entry.gateCounts;
      journal.push(entry);
      writeJournal(journal);
      const written = writeScan(entry).then(
        () => forget(entry),
        (error: unknown) => {
          failed.push(entry); // still in the journal: settle() writes it again
          throw error;
        },
      );
      pending.add(written);
      void written.catch(() => undefined).finally(() => pending.delete(written));
      return written;
    },

    /**
     * Waits for the scans being written, and writes again any that failed (storage full, a
     * transaction aborted): they are still in the journal. Rejects if one still cannot be written.
     */
    async settle() {
      await Promise.allSettled([...pending]);
      while (failed.length > 0) {
        // With the counts as they are now (later scans' writes may have gone through meanwhile).
        await writeScan({ ...failed[0], gateCounts: latestCounts ?? failed[0].gateCounts });
        forget(failed.shift()!);
      }
    },

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

/** A scan's writes, as recordScan keeps them until IndexedDB has them. */
export interface JournalEntry {
  /** Null for a scan already in the queue (a journal replayed after its transaction did commit). */
  scan: QueuedScan | null;
  ticket: LocalTicket | null;
  gateCounts: Meta['gateCounts'];
}

const JOURNAL = 'guichet-door-journal';
function readJournal(): JournalEntry[] {
  try {
    return JSON.parse(localStorage.getItem(JOURNAL) ?? '[]') as JournalEntry[];
  } catch {
    return [];
  }
}
function writeJournal(entries: JournalEntry[]) {
  if (entries.length === 0) localStorage.removeItem(JOURNAL);
  else localStorage.setItem(JOURNAL, JSON.stringify(entries));
}

/** Forgets everything the door kept on this device. */
export async function forgetDevice(store?: DoorStore) {
  store?.close();
  localStorage.removeItem(JOURNAL);
  await deleteDB(DB_NAME);
}

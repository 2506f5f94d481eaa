import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { toIso } from '../../db/quirks.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { requireRightOrScope } from '../identity/roles.ts';
import { doorRepository as repo, type ControlPointRow } from './repository.ts';

/**
 * Control points: a door device or a scan user, by name (Weezevent's "scan user"). A door
 * credential registers its own (tied to its event); staff may register organization-wide ones.
 *
 * Scan-app settings: free-form key/values per account over the organization's defaults (account 0)
 * over built-in defaults; values are strings, as scanning apps read them.
 */
export interface ControlPoint {
  id: number;
  name: string;
  eventId: number | null;
  createdAt: string;
  updatedAt: string;
}

export const DEFAULT_SCAN_SETTINGS: Readonly<Record<string, string>> = {
  sync_interval: '120',
  scan_device: '',
  scan_focus: '0',
  scan_mode: '0',
  scan_vibration: '1',
  scan_sound: '1',
};

const toControlPoint = (r: ControlPointRow): ControlPoint => ({ id: r.id, name: r.name, eventId: r.event_id, createdAt: toIso(r.created_at)!, updatedAt: toIso(r.updated_at)! });

function mayManage(principal: Principal) {
  if (!principal.door) requireScope(principal, 'sell', 'admin');
}

/** Reading control points and settings: door credentials, persons whose role gives the door, other credentials with sell or admin. */
function mayRead(principal: Principal) {
  if (!principal.door) requireRightOrScope(principal, 'door', 'sell', 'admin');
}

export function controlPointService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function visible(principal: Principal, id: number) {
    mayRead(principal);
    const row = await repo.controlPoint(database.db, principal.organizationId, id);
    if (!row || (principal.door && row.event_id !== null && row.event_id !== principal.door.eventId)) throw notFound('Control point');
    return row;
  }

  return {
    async create(principal: Principal, input: { name: string; eventId?: number | null }): Promise<ControlPoint> {
      mayManage(principal);
      const name = input.name.trim();
      if (!name) throw invalid('name', 'must not be empty');
      let eventId = input.eventId ?? null;
      if (principal.door) {
        if (eventId !== null && eventId !== principal.door.eventId) throw new DomainError('FORBIDDEN', `This door credential works for event ${principal.door.eventId} only`);
        eventId = principal.door.eventId;
      } else if (eventId !== null && !(await repo.event(database.db, principal.organizationId, eventId))) {
        throw invalid('event_id', 'is not an event of this organization');
      }
      const t = now();
      const row = await repo.insertControlPoint(database.db, { organization_id: principal.organizationId, name, event_id: eventId, token_id: principal.door?.tokenId ?? null, created_at: t, updated_at: t });
      return toControlPoint(row);
    },
    async list(principal: Principal, page: Page, filter: { eventId?: number } = {}): Promise<Paged<ControlPoint>> {
      mayRead(principal);
      const eventId = principal.door ? principal.door.eventId : filter.eventId;
      const { rows, total } = await repo.controlPoints(database.db, principal.organizationId, page, { eventId });
      return { items: rows.map(toControlPoint), total };
    },
    async read(principal: Principal, id: number): Promise<ControlPoint> {
      return toControlPoint(await visible(principal, id));
    },
    async rename(principal: Principal, id: number, name: string): Promise<ControlPoint> {
      await visible(principal, id);
      if (!name.trim()) throw invalid('name', 'must not be empty');
      const row = await repo.updateControlPoint(database.db, principal.organizationId, id, { name: name.trim(), updated_at: now() });
      return toControlPoint(row!);
    },

    /**
     * The caller's scan-app settings: built-in defaults, then the organization's, then the account's
     * own. With `organizationDefaults`, without the account's own: what door devices read (the
     * back office's door set-up edits these).
     */
    async settings(principal: Principal, options: { organizationDefaults?: boolean } = {}): Promise<Record<string, string>> {
      mayRead(principal);
      const accounts = principal.accountId === null || options.organizationDefaults ? [0] : [0, principal.accountId];
      const rows = await repo.settings(database.db, principal.organizationId, accounts);
      const byAccount = new Map(rows.map((r) => [r.account_id, JSON.parse(r.settings) as Record<string, string>]));
      return { ...DEFAULT_SCAN_SETTINGS, ...byAccount.get(0), ...(principal.accountId === null ? {} : byAccount.get(principal.accountId)) };
    },
    /**
     * Changes settings: the account's own, or with `organizationDefaults` (admins) the
     * organization's. A null value removes a key (back to the default). Returns the settings so
     * changed, merged as `settings` reads them (the organization's alone with `organizationDefaults`).
     */
    async updateSettings(principal: Principal, changes: Record<string, string | number | boolean | null>, options: { organizationDefaults?: boolean } = {}): Promise<Record<string, string>> {
      if (principal.door) throw new DomainError('FORBIDDEN', 'Door credentials read settings; staff change them');
      requireScope(principal, 'sell', 'admin');
      let owner: number;
      if (options.organizationDefaults) {
        requireScope(principal, 'admin');
        owner = 0;
      } else {
        if (principal.accountId === null) throw new DomainError('FORBIDDEN', 'This requires a token issued to a user');
        owner = principal.accountId;
      }
      for (const key of Object.keys(changes)) if (!/^[a-z][a-z0-9_]{0,63}$/.test(key)) throw invalid(key, 'setting names are lowercase letters, digits and underscores');
      await database.transaction(async (trx) => {
        const [row] = await repo.settings(trx, principal.organizationId, [owner]);
        const current = row ? (JSON.parse(row.settings) as Record<string, string>) : {};
        for (const [key, value] of Object.entries(changes)) {
          if (value === null) delete current[key];
          else current[key] = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
        }
        await repo.saveSettings(trx, principal.organizationId, owner, JSON.stringify(current), now());
      });
      return this.settings(principal, options);
    },
  };
}

export type ControlPointService = ReturnType<typeof controlPointService>;

import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { fromFlag, toFlag, toIso } from '../../db/quirks.ts';
import { columnsOf, type ColumnMapping } from '../../db/columns.ts';
import { type Principal, requireScope } from '../identity/principal.ts';
import { catalogRepository, channels, type ChannelRow } from './repository.ts';

/** Sales channels ("interfaces"): where a sale happens — the web shop, the box office, a partner. */
export const CHANNEL_KINDS = ['web', 'box_office', 'partner', 'reseller', 'mobile'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface ChannelInput { name: string; kind: ChannelKind; isDefault?: boolean; active?: boolean; external?: boolean }
export interface Channel {
  id: number; name: string; kind: ChannelKind; isDefault: boolean; active: boolean;
  /** Not sold through Guichet: its ticket counts are entered by staff (reporting). */
  external: boolean;
  createdAt: string; updatedAt: string;
}

const CHANNEL_COLUMNS: ColumnMapping<ChannelInput> = { name: 'name', kind: 'kind', isDefault: ['is_default', toFlag], active: ['active', toFlag], external: ['external', toFlag] };

const toChannel = (r: ChannelRow): Channel => ({
  id: r.id,
  name: r.name,
  kind: r.kind as ChannelKind,
  isDefault: fromFlag(r.is_default),
  active: fromFlag(r.active),
  external: fromFlag(r.external),
  createdAt: toIso(r.created_at)!,
  updatedAt: toIso(r.updated_at)!,
});

export function channelService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();
  const checkKind = (kind?: string) => {
    if (kind !== undefined && !(CHANNEL_KINDS as readonly string[]).includes(kind)) throw invalid('kind', `must be one of ${CHANNEL_KINDS.join(', ')}`);
  };

  return {
    /**
     * The channel a request is processed through: the one asked for (it must be an active channel
     * of the caller's organization), else the organization's default.
     */
    async resolve(organizationId: number, requestedId: number | null): Promise<Channel> {
      const key = `${organizationId}:${requestedId ?? 'default'}`;
      const cached = ctx.caches.channels.get(key);
      if (cached) return cached;
      const row =
        requestedId !== null ? await channels.get(database.db, organizationId, requestedId) : await catalogRepository.defaultChannel(database.db, organizationId);
      if (!row || !fromFlag(row.active)) {
        throw new DomainError('NOT_FOUND', requestedId !== null ? `Interface ${requestedId} not found` : 'This organization has no default interface');
      }
      const channel = toChannel(row);
      ctx.caches.channels.set(key, channel);
      return channel;
    },
    async list(principal: Principal, page: Page): Promise<Paged<Channel>> {
      const { rows, total } = await channels.list(database.db, principal.organizationId, page);
      return { items: rows.map(toChannel), total };
    },
    async read(principal: Principal, id: number): Promise<Channel> {
      const row = await channels.get(database.db, principal.organizationId, id);
      if (!row) throw notFound('Interface');
      return toChannel(row);
    },
    async create(principal: Principal, input: ChannelInput): Promise<Channel> {
      requireScope(principal, 'admin');
      checkKind(input.kind);
      return database.transaction(async (trx) => {
        if (input.isDefault) await catalogRepository.clearDefaultChannel(trx, principal.organizationId);
        const t = now();
        const row = await channels.insert(trx, {
          organization_id: principal.organizationId,
          name: input.name,
          kind: input.kind,
          is_default: toFlag(Boolean(input.isDefault)),
          active: toFlag(input.active ?? true),
          external: toFlag(Boolean(input.external)),
          created_at: t,
          updated_at: t,
        });
        ctx.caches.channels.clear();
        return toChannel(row);
      });
    },
    async update(principal: Principal, id: number, changes: Partial<ChannelInput>): Promise<Channel> {
      requireScope(principal, 'admin');
      checkKind(changes.kind);
      return database.transaction(async (trx) => {
        const current = await channels.get(trx, principal.organizationId, id);
        if (!current) throw notFound('Interface');
        if (fromFlag(current.is_default) && (changes.isDefault === false || changes.active === false)) {
          throw invalid('is_default', 'make another interface the default first');
        }
        if (changes.isDefault) await catalogRepository.clearDefaultChannel(trx, principal.organizationId);
        const row = await channels.update(trx, principal.organizationId, id, {
          ...columnsOf(changes, CHANNEL_COLUMNS),
          updated_at: now(),
        });
        ctx.caches.channels.clear();
        return toChannel(row!);
      });
    },
    /** Channels are deactivated rather than deleted: past sales keep pointing at them. */
    async remove(principal: Principal, id: number): Promise<void> {
      requireScope(principal, 'admin');
      const current = await channels.get(database.db, principal.organizationId, id);
      if (!current) throw notFound('Interface');
      if (fromFlag(current.is_default)) throw new DomainError('IN_USE', 'The default interface cannot be removed');
      await channels.update(database.db, principal.organizationId, id, { active: 0, updated_at: now() });
      ctx.caches.channels.clear();
    },
  };
}

export type ChannelService = ReturnType<typeof channelService>;

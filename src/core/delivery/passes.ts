import crypto from 'node:crypto';
import type { CoreContext } from '../context.ts';
import { DomainError, notFound } from '../errors.ts';
import { toIso } from '../../db/quirks.ts';
import { signingKey } from '../selling/tickets.ts';
import { admittingTickets, passSerial, walletPass, type RenderedDocument } from './documents.ts';
import { messageLanguage } from './outbox.ts';
import { deliveryRepository as repo, passRepository as passes, type DocumentRow } from './repository.ts';

/**
 * The Apple Wallet pass web service (Apple's "PassKit web service" protocol): a device that added a
 * pass registers for it, later asks which of its passes changed, and fetches the latest version. A
 * pass's serial names its ticket and the ticket's version, so once a ticket is refunded, cancelled or
 * handed over (a new version), the pass on the former holder's device comes back voided, without
 * barcode; the new holder downloads a pass of their own. Each pass carries an authentication token,
 * the organization's signature of its serial (Ed25519 is deterministic: nothing to store).
 */
export function passWebService(ctx: CoreContext) {
  const { database, config } = ctx;
  const settings = config.delivery;
  const now = () => ctx.clock().toISOString();
  const unauthorized = () => new DomainError('UNAUTHENTICATED', 'This pass’s authentication token is wrong');

  function parseSerial(serial: string) {
    const match = /^(\d{1,12})-(\d{1,15})-(\d{1,9})$/.exec(serial);
    return match ? { organizationId: Number(match[1]), ticketId: Number(match[2]), version: Number(match[3]) } : null;
  }

  async function authenticationToken(organizationId: number, serial: string) {
    return (await signingKey(database.db, organizationId, now())).sign(`applepass:${serial}`);
  }

  /** The pass type and serial are ours and the `ApplePass <token>` header is that pass's. */
  async function authorize(passTypeId: string, serial: string, authorization: string | undefined) {
    const apple = settings.applePass;
    const parsed = parseSerial(serial);
    if (!apple?.webService || passTypeId !== apple.passTypeId || !parsed) throw notFound('Pass');
    if (!(await repo.organization(database.db, parsed.organizationId))) throw notFound('Pass');
    const given = Buffer.from(/^ApplePass (\S+)$/.exec(authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(await authenticationToken(parsed.organizationId, serial));
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw unauthorized();
    return parsed;
  }

  const webService = async (organizationId: number, serial: string) => ({ url: `${settings.publicUrl}/passkit`, token: await authenticationToken(organizationId, serial) });

  /** When a pass last changed: its ticket, the ticket's event or its date. */
  const lastModified = (r: { ticket_updated_at: unknown; event_updated_at: unknown; date_updated_at: unknown }) =>
    Math.max(...[r.ticket_updated_at, r.event_updated_at, r.date_updated_at].map((x) => Date.parse(toIso(x as string)!)));

  return {
    /** What a pass carries to be updatable, when the operator runs the web service (APPLE_PASS_WEB_SERVICE). */
    async webServiceFor(t: DocumentRow): Promise<{ url: string; token: string } | undefined> {
      return settings.applePass?.webService ? webService(t.organization_id, passSerial(t)) : undefined;
    },

    /** A device asks to hear about a pass: true when it was new (201), false when already registered (200). */
    async register(deviceId: string, passTypeId: string, serial: string, authorization: string | undefined, pushToken: string): Promise<boolean> {
      const pass = await authorize(passTypeId, serial, authorization);
      if (!pushToken || pushToken.length > 500 || !deviceId || deviceId.length > 200) throw new DomainError('BAD_REQUEST', 'pushToken and the device library identifier are required');
      return database.transaction(async (trx) => {
        if (!(await passes.ticketExists(trx, pass.organizationId, pass.ticketId))) throw notFound('Pass');
        const existing = await passes.registration(trx, deviceId, passTypeId, serial);
        if (existing) {
          if (existing.push_token !== pushToken) await passes.updatePushToken(trx, existing.id, pushToken);
          return false;
        }
        await passes.insertRegistration(trx, { organization_id: pass.organizationId, device_library_id: deviceId, pass_type_id: passTypeId, serial_number: serial, ticket_id: pass.ticketId, push_token: pushToken, created_at: now() });
        return true;
      });
    },

    async unregister(deviceId: string, passTypeId: string, serial: string, authorization: string | undefined): Promise<void> {
      await authorize(passTypeId, serial, authorization);
      await database.transaction((trx) => passes.deleteRegistration(trx, deviceId, passTypeId, serial));
    },

    /**
     * The serials of a device's passes changed since the tag it was given last time (all of them
     * without one); null when none did. The tag is the latest change, in milliseconds.
     */
    async updatedSerials(deviceId: string, passTypeId: string, since: string | undefined): Promise<{ serialNumbers: string[]; lastUpdated: string } | null> {
      if (!settings.applePass?.webService || passTypeId !== settings.applePass.passTypeId) throw notFound('Pass type');
      const rows = await passes.devicePasses(database.db, deviceId, passTypeId);
      const after = since !== undefined && /^\d{1,15}$/.test(since) ? Number(since) : -Infinity;
      const changed = rows.map((r) => ({ serial: r.serial_number, at: lastModified(r) })).filter((r) => r.at > after);
      if (changed.length === 0) return null;
      return { serialNumbers: changed.map((r) => r.serial), lastUpdated: String(Math.max(...changed.map((r) => r.at))) };
    },

    /** The latest version of a pass, and when it last changed (for Last-Modified and If-Modified-Since). */
    async latest(passTypeId: string, serial: string, authorization: string | undefined, acceptLanguage: string | undefined): Promise<RenderedDocument & { lastModified: Date }> {
      const pass = await authorize(passTypeId, serial, authorization);
      const organization = (await repo.organization(database.db, pass.organizationId))!;
      const { all, valid } = await admittingTickets(database.db, pass.organizationId, { ticketIds: [pass.ticketId] }, now());
      if (all.length === 0) throw notFound('Pass');
      const current = valid.find((t) => t.version === pass.version);
      const ticket = current ?? all[0];
      const language = messageLanguage(acceptLanguage, organization.locale);
      const body = await walletPass(settings.applePass!, current ?? { ...ticket, qr: undefined, holder_name: null }, organization.name, language, {
        serial,
        voided: !current,
        webService: await webService(pass.organizationId, serial),
      });
      const at = lastModified({ ticket_updated_at: ticket.updated_at, event_updated_at: ticket.event_updated_at, date_updated_at: ticket.date_updated_at });
      return { filename: `${serial}.pkpass`, contentType: 'application/vnd.apple.pkpass', body, lastModified: new Date(Math.floor(at / 1000) * 1000) };
    },
  };
}

export type PassWebService = ReturnType<typeof passWebService>;

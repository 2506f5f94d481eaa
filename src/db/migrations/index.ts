import type { Migration } from '../migrator.ts';
import { initial } from './001_initial.ts';
import { selling } from './002_selling.ts';
import { door } from './003_door.ts';
import { reporting } from './004_reporting.ts';
import { ticketing } from './005_ticketing.ts';
import { weezevent } from './006_weezevent.ts';
import { pims } from './007_pims.ts';
import { ticketSignatures } from './008_ticket_signatures.ts';
import { security } from './009_security.ts';
import { platformOperators } from './010_platform_operators.ts';
import { webSessions } from './012_web_sessions.ts';
import { memberInvitations } from './013_member_invitations.ts';
import { delivery } from './014_delivery.ts';
import { seating } from './015_seating.ts';
import { tokenFamilies } from './016_token_families.ts';
import { holderNames } from './018_holder_names.ts';
import { passRegistrations } from './021_pass_registrations.ts';
import { doorSnapshotIndex } from './022_door_snapshot_index.ts';
import { passPushes } from './026_pass_pushes.ts';

/** Every migration, in order. A released migration is never edited: add a new one. */
export const migrations: Migration[] = [initial, selling, door, reporting, ticketing, weezevent, pims, ticketSignatures, security, platformOperators, webSessions, memberInvitations, delivery, seating, tokenFamilies, holderNames, passRegistrations, doorSnapshotIndex, passPushes];

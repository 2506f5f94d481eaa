import { DomainError, notFound } from '../errors.ts';
import type { Db } from '../../db/database.ts';
import { catalogRepository, type PlacesChange } from './repository.ts';

export type { PlacesChange };

/**
 * The places of a section on one date: its inventory row's capacity, kills and organizer holds
 * (issue 22). On a date laid out from a seat map, a seated section's row counts its seats (`seats`
 * > 0): its capacity is its number of seats, its kills and organizer holds its killed and held
 * seats. They change seat by seat only (core.seats.block; another map laid out on the date): a
 * change by number would leave the counts and the seats disagreeing, so it is refused. A standing
 * area's section (sized by the map, no seat rows) and general admission keep changes by number.
 * Every change by number of a date's places goes through `changePlacesByNumber`, the rule's one place.
 */
export const isSeated = (row: { seats: number }) => row.seats > 0;

/** The refusal of a change by number to a section seated on a date. */
export const seatedRefusal = (seats: number) =>
  new DomainError(
    'CONFLICT',
    `This section is seated on this date: its capacity is its number of seats (${seats}), its kills and organizer holds are seats killed or held. Kill or hold its seats one by one instead (the date's seats); to change its capacity, lay another seat map out on the date`,
    { seated: true, seats },
  );

/**
 * Changes a section's capacity, kills or organizer holds on one date by number, inside the caller's
 * transaction. Refused (CONFLICT) on a section seated on that date; with `fit`, refused too when
 * what is already sold, held or given away would no longer fit (withdrawing places never oversells).
 */
export async function changePlacesByNumber(db: Db, organizationId: number, eventId: number, dateId: number, sectionId: number, change: PlacesChange, options: { fit: boolean }): Promise<void> {
  if (await catalogRepository.setPlacesByNumber(db, organizationId, eventId, dateId, sectionId, change, options.fit)) return;
  const row = await catalogRepository.placesOf(db, organizationId, eventId, dateId, sectionId);
  if (!row) throw notFound('Capacity');
  if (isSeated(row)) throw seatedRefusal(row.seats);
  throw new DomainError('CONFLICT', 'The places already taken would no longer fit in this capacity', {
    capacity: row.capacity, taken: row.taken, kills: row.kills, organizer_holds: row.organizer_holds,
  });
}

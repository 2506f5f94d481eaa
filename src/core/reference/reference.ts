import type { Db } from '../../db/database.ts';
import { paged } from '../../db/paging.ts';
import { notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';

/** ISO reference data (countries, their subdivisions, currencies), loaded by the first migration. */
export interface Country { id: number; code: string; alpha3: string; name: string }
export interface State { id: number; countryId: number; code: string; name: string }
export interface Currency { code: string; numericCode: number; name: string; minorUnits: number }

const toState = (r: { id: number; country_id: number; code: string; name: string }): State => ({
  id: r.id,
  countryId: r.country_id,
  code: r.code,
  name: r.name,
});
const toCurrency = (r: { code: string; numeric_code: number; name: string; minor_units: number }): Currency => ({
  code: r.code,
  numericCode: r.numeric_code,
  name: r.name,
  minorUnits: r.minor_units,
});

export const referenceService = {
  async countries(db: Db, page: Page, filter: { name?: string; code?: string } = {}): Promise<Paged<Country>> {
    let query = db.selectFrom('countries');
    if (filter.code) query = query.where('code', '=', filter.code.toUpperCase());
    if (filter.name) query = query.where((eb) => eb(eb.fn('lower', ['name']), 'like', `%${filter.name!.toLowerCase()}%`));
    const { rows, total } = await paged(query, page, (q) => q.selectAll().orderBy('name'));
    return { items: rows, total };
  },
  async country(db: Db, id: number): Promise<Country> {
    const row = await this.countryById(db, id);
    if (!row) throw notFound('Country');
    return row;
  },
  countryById(db: Db, id: number): Promise<Country | undefined> {
    return db.selectFrom('countries').selectAll().where('id', '=', id).executeTakeFirst();
  },
  countryByCode(db: Db, code: string): Promise<Country | undefined> {
    return db.selectFrom('countries').selectAll().where('code', '=', code.toUpperCase()).executeTakeFirst();
  },
  async states(db: Db, countryId: number, page: Page): Promise<Paged<State>> {
    await this.country(db, countryId);
    const query = db.selectFrom('states').where('country_id', '=', countryId);
    const { rows, total } = await paged(query, page, (q) => q.selectAll().orderBy('code'));
    return { items: rows.map(toState), total };
  },
  async stateById(db: Db, id: number): Promise<State | undefined> {
    const row = await db.selectFrom('states').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toState(row);
  },
  async currencies(db: Db, page: Page): Promise<Paged<Currency>> {
    const { rows, total } = await paged(db.selectFrom('currencies'), page, (q) => q.selectAll().orderBy('code'));
    return { items: rows.map(toCurrency), total };
  },
  async currency(db: Db, code: string): Promise<Currency | undefined> {
    const row = await db.selectFrom('currencies').selectAll().where('code', '=', code.toUpperCase()).executeTakeFirst();
    return row && toCurrency(row);
  },
};

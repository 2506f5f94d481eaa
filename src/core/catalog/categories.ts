import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { isForeignKeyViolation, toIso } from '../../db/quirks.ts';
import { columnsOf } from '../../db/columns.ts';
import type { Db } from '../../db/database.ts';
import { type Principal, requirePlatformAdministrator } from '../identity/principal.ts';
import { catalogRepository, categories } from './repository.ts';

/** Event categories (genres), platform-wide, named in English, French and German, with subcategories. */
export interface CategoryNames { en: string; fr: string; de: string }
export interface CategoryInput { names: CategoryNames; parentId?: number | null; position?: number }
export interface Category {
  id: number;
  parentId: number | null;
  names: CategoryNames;
  position: number;
  subcategories: Category[];
  createdAt: string;
  updatedAt: string;
}

type Row = NonNullable<Awaited<ReturnType<typeof categories.get>>>;
const toCategory = (r: Row, children: Row[] = []): Category => ({
  id: r.id,
  parentId: r.parent_id,
  names: { en: r.name_en, fr: r.name_fr, de: r.name_de },
  position: r.position,
  subcategories: children.map((c) => toCategory(c)),
  createdAt: toIso(r.created_at)!,
  updatedAt: toIso(r.updated_at)!,
});

const ALL: Page = { limit: 10_000, offset: 0 };

/** Top-level categories are unique by (English) name, whatever the case. */
async function refuseDuplicate(db: Db, name: string, except?: number) {
  const top = (await categories.list(db, ALL, { where: { parent_id: null } })).rows;
  if (top.some((c) => c.id !== except && c.name_en.toLowerCase() === name.toLowerCase())) throw new DomainError('CONFLICT', `A category named "${name}" already exists`);
}

export function categoryService(ctx: CoreContext) {
  const { database } = ctx;
  const now = () => ctx.clock().toISOString();

  async function childrenOf(parentIds: number[]) {
    if (parentIds.length === 0) return [];
    return catalogRepository.subcategories(database.db, parentIds);
  }

  async function checkParent(parentId: number | null | undefined, selfId?: number) {
    if (parentId == null) return;
    const parent = await categories.get(database.db, parentId);
    if (!parent) throw invalid('parent_id', 'is not a known category');
    if (parent.parent_id !== null) throw invalid('parent_id', 'subcategories cannot have subcategories');
    if (selfId !== undefined && parentId === selfId) throw invalid('parent_id', 'a category cannot be its own parent');
  }

  return {
    /** Top-level categories with their subcategories. */
    async list(page: Page): Promise<Paged<Category>> {
      const { rows, total } = await categories.list(database.db, page, { where: { parent_id: null }, orderBy: ['position', 'id'] });
      const children = await childrenOf(rows.map((r) => r.id));
      return { items: rows.map((r) => toCategory(r, children.filter((c) => c.parent_id === r.id))), total };
    },
    async read(id: number): Promise<Category> {
      const row = await categories.get(database.db, id);
      if (!row) throw notFound('Category');
      return toCategory(row, await childrenOf([row.id]));
    },
    /** Every category, flat (for lookups by id, e.g. validating an event's category). */
    async all(): Promise<Category[]> {
      return (await categories.list(database.db, ALL)).rows.map((r) => toCategory(r));
    },
    async create(principal: Principal, input: CategoryInput): Promise<Category> {
      requirePlatformAdministrator(principal);
      await checkParent(input.parentId);
      const t = now();
      const row = await categories.insert(database.db, {
        parent_id: input.parentId ?? null,
        name_en: input.names.en,
        name_fr: input.names.fr,
        name_de: input.names.de,
        position: input.position ?? 0,
        created_at: t,
        updated_at: t,
      });
      return toCategory(row);
    },
    /**
     * A category with its subcategories named in one language (used for every language), in one
     * transaction: how dialects with single-language, name-only subcategories create them (TickeTing).
     */
    async createTree(principal: Principal, name: string, subcategories: string[]): Promise<Category> {
      requirePlatformAdministrator(principal);
      const t = now();
      const names = (n: string) => ({ name_en: n, name_fr: n, name_de: n });
      return database.transaction(async (trx) => {
        await refuseDuplicate(trx, name);
        const row = await categories.insert(trx, { parent_id: null, ...names(name), position: 0, created_at: t, updated_at: t });
        const children = [];
        for (const [position, sub] of subcategories.entries()) {
          children.push(await categories.insert(trx, { parent_id: row.id, ...names(sub), position, created_at: t, updated_at: t }));
        }
        return toCategory(row, children);
      });
    },
    /** Renames a category and replaces its subcategories by name: new names added, missing ones removed (refused while events use them). */
    async updateTree(principal: Principal, id: number, name: string | undefined, subcategories: string[] | undefined): Promise<Category> {
      requirePlatformAdministrator(principal);
      const t = now();
      try {
        return await database.transaction(async (trx) => {
          const current = await categories.get(trx, id);
          if (!current || current.parent_id !== null) throw notFound('Category');
          if (name !== undefined) await refuseDuplicate(trx, name, id);
          if (name !== undefined) await categories.update(trx, id, { name_en: name, name_fr: name, name_de: name, updated_at: t });
          if (subcategories !== undefined) {
            const existing = await catalogRepository.subcategories(trx, [id]);
            for (const child of existing) if (!subcategories.includes(child.name_en)) await categories.remove(trx, child.id);
            for (const [position, sub] of subcategories.entries()) {
              const found = existing.find((c) => c.name_en === sub);
              if (found) await categories.update(trx, found.id, { position, updated_at: t });
              else await categories.insert(trx, { parent_id: id, name_en: sub, name_fr: sub, name_de: sub, position, created_at: t, updated_at: t });
            }
          }
          return toCategory((await categories.get(trx, id))!, await catalogRepository.subcategories(trx, [id]));
        });
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new DomainError('IN_USE', 'A removed subcategory is used by events');
        throw error;
      }
    },
    async update(principal: Principal, id: number, changes: Partial<CategoryInput>): Promise<Category> {
      requirePlatformAdministrator(principal);
      await checkParent(changes.parentId, id);
      const row = await categories.update(database.db, id, {
        ...(changes.names ? { name_en: changes.names.en, name_fr: changes.names.fr, name_de: changes.names.de } : {}),
        ...columnsOf(changes, { parentId: 'parent_id', position: 'position' }),
        updated_at: now(),
      });
      if (!row) throw notFound('Category');
      return toCategory(row, await childrenOf([row.id]));
    },
    async remove(principal: Principal, id: number): Promise<void> {
      requirePlatformAdministrator(principal);
      try {
        if (!(await categories.remove(database.db, id))) throw notFound('Category');
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new DomainError('IN_USE', 'This category is used by events');
        throw error;
      }
    },
  };
}

export type CategoryService = ReturnType<typeof categoryService>;

import type { CoreContext } from '../context.ts';
import { DomainError, invalid, notFound } from '../errors.ts';
import type { Page, Paged } from '../pagination.ts';
import { isForeignKeyViolation, toIso } from '../../db/quirks.ts';
import { columnsOf } from '../../db/columns.ts';
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

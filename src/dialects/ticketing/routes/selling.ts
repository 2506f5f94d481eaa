import type { FastifyInstance } from 'fastify';
import type { Core } from '../../../core/index.ts';
import type { References } from '../present.ts';

/** Orders, payments and transfers. */
export async function sellingRoutes(app: FastifyInstance, { core, refs }: { core: Core; refs: References }) {
  void app; void core; void refs;
}

import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { operatorPrincipal } from '../../src/demo/seed.ts';

/** An organization with a venue and one listed, public event on sale, two dates (setup through the core; journeys then use the browser). */
export async function shopWithEvent(
  app: FastifyInstance,
  options: { slug?: string; title?: string; capacity?: number; price?: number; maxPerOrder?: number; city?: string; questions?: { label: string; kind: 'text' | 'choice' | 'checkbox' | 'date'; scope: 'order' | 'ticket'; required: boolean; options?: string[] }[]; moreSections?: { name: string; capacity: number; price: number }[] } = {},
) {
  const slug = options.slug ?? `org-${crypto.randomBytes(3).toString('hex')}`;
  const admin = await app.core.accounts.create({ username: `${slug}-admin`, email: `admin@${slug}.test`, password: `${slug}-password` });
  const org = await app.core.organizations.create({ slug, name: `Théâtre ${slug}`, currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' }, { accountId: admin.id });
  const op = operatorPrincipal(org.id, admin.id);
  const venue = await app.core.places.createVenue(op, { name: 'La Grande Salle', kind: 'hall', addressLine1: '1 rue de la Paix', zip: '75002', city: options.city ?? 'Paris', countryCode: 'FR' });
  const event = await app.core.events.create(op, {
    title: options.title ?? 'Le Misanthrope',
    description: 'Molière, five acts, one evening.',
    venueId: venue.id,
    timeZone: 'Europe/Paris',
    sections: [{ name: 'Orchestra', capacity: options.capacity ?? 100 }, ...(options.moreSections ?? []).map((s) => ({ name: s.name, capacity: s.capacity }))],
    dates: [{ startsAt: '2027-03-01T20:00:00+01:00' }, { startsAt: '2027-03-02T20:00:00+01:00' }],
  });
  const tariff = await app.core.events.addTariff(op, event.id, { sectionId: event.sections[0].id, label: 'Adult', price: options.price ?? 2500, maxPerOrder: options.maxPerOrder ?? 6 });
  // Each further section sells one 'Adult' tariff at its price.
  for (const s of options.moreSections ?? []) await app.core.events.addTariff(op, event.id, { sectionId: event.sections.find((x) => x.name === s.name)!.id, label: 'Adult', price: s.price, maxPerOrder: 6 });
  for (const q of options.questions ?? []) await app.core.questions.create(op, event.id, q);
  await app.core.events.transition(op, event.id, 'under_review');
  await app.core.events.transition(op, event.id, 'listed');
  return { organizationId: org.id, slug, eventId: event.id, dateIds: event.dates.map((d) => d.id), tariffId: tariff.id, op, title: options.title ?? 'Le Misanthrope' };
}

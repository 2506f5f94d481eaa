import { DateTime } from 'luxon';
import { createCore, type Core } from '../core/index.ts';
import type { Principal } from '../core/identity/principal.ts';
import { MemoryMailer } from '../core/notifications/mailer.ts';
import { seedHistory, type DemoCatalog, type DemoSummary } from './history.ts';

/** Fixed, documented demo credentials (README "Demo credentials"). Never created implicitly in production. */
export const DEMO = {
  organization: 'demo',
  email: 'demo@guichet.test',
  username: 'demo',
  password: 'demo-password',
  clientId: 'demo-client',
  clientSecret: 'demo-secret',
  buyerEmail: 'buyer@guichet.test',
  buyerPassword: 'buyer-password',
  /** TickeTing integration key (X-API-Key), administrator access level. */
  ticketingKey: '0123456789abcdef0123456789abcdef',
  weezeventApiKey: 'demo-weezevent-api-key',
  pimsUsername: 'demo',
  pimsPassword: 'demo-pims-password',
} as const;

/** A principal with every right in one organization, for seeding and CLI work (never reachable over HTTP). */
export function operatorPrincipal(organizationId: number, accountId: number | null): Principal {
  return {
    organizationId,
    accountId,
    signedIn: false,
    clientId: null,
    scopes: new Set(['public', 'buy', 'sell', 'admin']),
    platformRole: 'administrator',
    credential: { kind: 'access_token', id: 0 },
  };
}

const CATEGORIES: { names: { en: string; fr: string; de: string }; sub: { en: string; fr: string; de: string }[] }[] = [
  { names: { en: 'Concerts', fr: 'Concerts', de: 'Konzerte' }, sub: [
    { en: 'Rock', fr: 'Rock', de: 'Rock' }, { en: 'Jazz', fr: 'Jazz', de: 'Jazz' }, { en: 'Classical', fr: 'Classique', de: 'Klassik' }, { en: 'Chanson', fr: 'Chanson', de: 'Chanson' } ] },
  { names: { en: 'Theatre', fr: 'Théâtre', de: 'Theater' }, sub: [
    { en: 'Comedy', fr: 'Comédie', de: 'Komödie' }, { en: 'Drama', fr: 'Drame', de: 'Drama' } ] },
  { names: { en: 'Festivals', fr: 'Festivals', de: 'Festivals' }, sub: [] },
  { names: { en: 'Sports', fr: 'Sports', de: 'Sport' }, sub: [] },
];

/** The demo's time zone: its venues are in France. */
const ZONE = 'Europe/Paris';
/** How far back the demo's history goes: the organization and its catalog were set up that many days ago. */
export const HISTORY_DAYS = 56;

/**
 * Seeds the demo organization and a living sales history, dated relative to today so that it always
 * looks current: a catalog set up eight weeks ago (a tour on sale after a fan-club pre-sale, a theatre
 * run half played with a sold-out première, a festival not yet on sale, a draft), then weeks of sales
 * on every channel (history.ts). Everything goes through the core services, on a core whose clock is
 * moved along the history, so every row carries the time it would have had.
 */
export async function seedDemo(core: Core): Promise<{ created: boolean; summary?: DemoSummary }> {
  if (await core.organizations.bySlug(DEMO.organization)) return { created: false };
  const now = core.ctx.clock();
  let at = now.getTime() - HISTORY_DAYS * 86_400_000;
  const clock = Object.assign(() => new Date(at), { set: (instant: Date | string) => void (at = Math.min(new Date(instant).getTime(), now.getTime())) });
  const past = createCore({ database: core.ctx.database, config: core.ctx.config, clock, mailer: new MemoryMailer() });
  const catalog = await seedCatalog(past, now);
  const summary = await seedHistory(past, clock, catalog, now);
  return { created: true, summary };
}

/** A local wall-clock time `days` after today's date (negative: before), in the demo's time zone, as ISO 8601. */
function localDay(now: Date, days: number, hour = 20, minute = 0): string {
  return DateTime.fromJSDate(now).setZone(ZONE).startOf('day').plus({ days }).set({ hour, minute }).toISO({ suppressMilliseconds: true })!;
}

async function seedCatalog(core: Core, now: Date): Promise<DemoCatalog> {
  const start = core.ctx.clock();
  const after = (hours: number) => new Date(start.getTime() + hours * 3_600_000).toISOString();
  const admin = await core.accounts.create({
    username: DEMO.username, email: DEMO.email, password: DEMO.password, platformRole: 'administrator',
    firstName: 'Camille', lastName: 'Martin', title: 'Mx', city: 'Nantes', country: 'FR',
  });
  const org = await core.organizations.create(
    { slug: DEMO.organization, name: 'Guichet Demo Productions', currency: 'EUR', timeZone: ZONE, locale: 'fr-FR' },
    { accountId: admin.id },
  );
  const op = operatorPrincipal(org.id, admin.id);
  await core.credentials.createClient(op, { name: 'Demo client', scopes: 'public buy sell admin', clientId: DEMO.clientId, secret: DEMO.clientSecret });
  await core.credentials.createApiKey(op, { name: 'Demo TickeTing integration', accessLevel: 'administrator', key: DEMO.ticketingKey });
  await core.partnerAccess.createKey(op, { name: 'Weezevent integrations (demo)', key: DEMO.weezeventApiKey });
  await core.partnerUsers.create(op, { username: DEMO.pimsUsername, name: 'Pims demo', password: DEMO.pimsPassword, access: 'write' });
  const buyer = await core.accounts.create({ username: 'buyer', email: DEMO.buyerEmail, password: DEMO.buyerPassword, firstName: 'Léa', lastName: 'Dupont', country: 'FR' });

  const web = await core.channels.resolve(org.id, null);
  const boxOffice = await core.channels.create(op, { name: 'Box office', kind: 'box_office' });
  const partner = await core.channels.create(op, { name: 'Partner: Ticketline', kind: 'partner' });
  // A reseller with its own ticketing: its figures reach Guichet as entered ticket counts.
  const reseller = await core.channels.create(op, { name: 'Reseller: Fnac Spectacles', kind: 'reseller', external: true });

  const existing = await core.categories.all();
  const categoryIds = new Map<string, number>(existing.map((c) => [c.names.en, c.id]));
  for (const c of CATEGORIES) {
    if (categoryIds.has(c.names.en)) continue;
    const parent = await core.categories.create(op, { names: c.names });
    categoryIds.set(c.names.en, parent.id);
    for (const [i, s] of c.sub.entries()) categoryIds.set(s.en, (await core.categories.create(op, { names: s, parentId: parent.id, position: i })).id);
  }
  const regions = await core.places.listRegions({ limit: 100, offset: 0 });
  const region =
    regions.items.find((r) => r.name === 'Pays de la Loire') ??
    (await core.places.createRegion(op, { name: 'Pays de la Loire', countryCode: 'FR', district: 'Loire-Atlantique', city: 'Nantes' }));

  const zenith = await core.places.createVenue(op, {
    name: 'Zénith de Nantes Métropole', kind: 'hall', addressLine1: 'Boulevard du Zénith', zip: '44800', city: 'Saint-Herblain',
    countryCode: 'FR', latitude: 47.2293, longitude: -1.6282, capacity: 8500, regionId: region.id,
  });
  const lieuUnique = await core.places.createVenue(op, {
    name: 'Le Lieu Unique', kind: 'hall', addressLine1: '2 Rue de la Biscuiterie', zip: '44000', city: 'Nantes',
    countryCode: 'FR', latitude: 47.2153, longitude: -1.5447, capacity: 800, regionId: region.id,
  });
  const olympia = await core.places.createVenue(op, {
    name: "L'Olympia", kind: 'hall', addressLine1: '28 Boulevard des Capucines', zip: '75009', city: 'Paris', countryCode: 'FR', capacity: 2000,
  });
  const grandsPres = await core.places.createVenue(op, {
    name: 'Les Grands Prés', kind: 'festival', zip: '44340', city: 'Bouguenais', countryCode: 'FR', capacity: 20000, regionId: region.id,
  });

  const tourDays = [24, 25, 45];
  const runDays = [-12, -10, -5, 2, 9, 16];
  const dayOf = (days: number) => localDay(now, days).slice(0, 10);
  const tour = await core.series.create(op, { kind: 'tour', label: 'Alan Wilson — Tournée', firstDate: dayOf(tourDays[0]), lastDate: dayOf(tourDays[2]) });
  const run = await core.series.create(op, { kind: 'long_run', label: 'Le Malade imaginaire', firstDate: dayOf(runDays[0]), lastDate: dayOf(runDays[5]), venueId: lieuUnique.id });

  // A tour: one production, several dates in several venues; a fan-club pre-sale before the general sale.
  const generalSale = after(5 * 24 + 10);
  const concert = await core.events.create(op, {
    title: 'Alan Wilson', description: 'Le retour sur scène d’Alan Wilson, avec son nouvel album.', seriesId: tour.id,
    categoryId: categoryIds.get('Concerts'), subcategoryId: categoryIds.get('Rock'), venueId: zenith.id,
    saleStartsAt: generalSale, tags: ['rock', 'tour'], imageUrls: ['https://images.guichet.test/alan-wilson.jpg'],
    sections: [{ name: 'Fosse', description: 'Standing', capacity: 3000, position: 0 }, { name: 'Gradins', description: 'Seated', capacity: 2000, position: 1 }],
    dates: [
      { startsAt: localDay(now, tourDays[0]), endsAt: localDay(now, tourDays[0], 23) },
      { startsAt: localDay(now, tourDays[1]), endsAt: localDay(now, tourDays[1], 23) },
      { startsAt: localDay(now, tourDays[2], 20, 30), endsAt: localDay(now, tourDays[2], 23, 30), venueId: olympia.id },
    ],
  });
  const [fosse, gradins] = concert.sections;
  const fossePlein = await core.events.addTariff(op, concert.id, { sectionId: fosse.id, label: 'Fosse — plein tarif', price: 4500, maxPerOrder: 8 });
  const gradinsPlein = await core.events.addTariff(op, concert.id, { sectionId: gradins.id, label: 'Gradins — plein tarif', price: 5200, maxPerOrder: 8 });
  const gradinsReduit = await core.events.addTariff(op, concert.id, { sectionId: gradins.id, label: 'Gradins — tarif réduit', price: 3900, maxPerOrder: 4, quota: 300 });
  const fossePartner = await core.events.addTariff(op, concert.id, { sectionId: fosse.id, label: 'Fosse — partenaire', price: 4200, channelIds: [partner.id, reseller.id] });
  const fanClub = await core.events.addTariff(op, concert.id, {
    sectionId: fosse.id, label: 'Fosse — prévente fan-club', price: 3900, maxPerOrder: 4, quota: 400, saleStartsAt: after(2 * 24 + 10), saleEndsAt: generalSale, channelIds: [web.id],
  });
  // The Paris date is smaller: override its capacities.
  await core.events.setCapacity(op, concert.id, concert.dates[2].id, fosse.id, 1200);
  await core.events.setCapacity(op, concert.id, concert.dates[2].id, gradins.id, 800);
  await core.events.transition(op, concert.id, 'under_review');
  await core.events.transition(op, concert.id, 'listed');

  // A long run: many dates in one venue, half of them played; the première, in a smaller setting, sold out.
  const play = await core.events.create(op, {
    title: 'Le Malade imaginaire', description: 'Molière, mise en scène nouvelle.', seriesId: run.id,
    categoryId: categoryIds.get('Theatre'), subcategoryId: categoryIds.get('Comedy'), venueId: lieuUnique.id,
    saleStartsAt: after(24 + 9), tags: ['théâtre', 'molière'],
    sections: [{ name: 'Orchestre', capacity: 400 }, { name: 'Balcon', capacity: 200, position: 1 }],
    dates: runDays.map((d) => ({ startsAt: localDay(now, d), endsAt: localDay(now, d, 22, 15) })),
  });
  const orchestre = await core.events.addTariff(op, play.id, { sectionId: play.sections[0].id, label: 'Orchestre', price: 3200, maxPerOrder: 10 });
  const balcon = await core.events.addTariff(op, play.id, { sectionId: play.sections[1].id, label: 'Balcon', price: 2200, maxPerOrder: 10 });
  const moins26 = await core.events.addTariff(op, play.id, { sectionId: play.sections[0].id, label: 'Guichet — moins de 26 ans', price: 1500, channelIds: [boxOffice.id] });
  await core.events.setCapacity(op, play.id, play.dates[0].id, play.sections[0].id, 70);
  await core.events.setCapacity(op, play.id, play.dates[0].id, play.sections[1].id, 30);
  await core.events.transition(op, play.id, 'under_review');
  await core.events.transition(op, play.id, 'listed');

  // A festival approved but not on sale yet, and a draft.
  const festival = await core.events.create(op, {
    title: 'Festival des Grands Prés', categoryId: categoryIds.get('Festivals'), venueId: grandsPres.id,
    saleStartsAt: localDay(now, 20, 10),
    sections: [{ name: 'Pelouse', capacity: 15000 }],
    dates: [{ startsAt: localDay(now, 210, 16), endsAt: localDay(now, 211, 2) }, { startsAt: localDay(now, 211, 16), endsAt: localDay(now, 212, 2) }],
  });
  await core.events.addTariff(op, festival.id, { sectionId: festival.sections[0].id, label: 'Pass 1 jour', price: 5900 });
  await core.events.transition(op, festival.id, 'under_review');
  await core.events.transition(op, festival.id, 'scheduled');
  await core.events.create(op, { title: 'Soirée jazz (brouillon)', categoryId: categoryIds.get('Concerts'), subcategoryId: categoryIds.get('Jazz'), venueId: lieuUnique.id });

  return {
    organizationId: org.id, adminId: admin.id, buyerId: buyer.id,
    channels: { web: web.id, boxOffice: boxOffice.id, partner: partner.id, reseller: reseller.id },
    series: { tour: tour.id, run: run.id },
    festival: { id: festival.id },
    concert: {
      id: concert.id, dates: concert.dates.map((d) => ({ id: d.id, startsAt: d.startsAt })), fosse: fosse.id, gradins: gradins.id,
      tariffs: { fossePlein: fossePlein.id, gradinsPlein: gradinsPlein.id, gradinsReduit: gradinsReduit.id, fossePartner: fossePartner.id, fanClub: fanClub.id },
      generalSale, presale: after(2 * 24 + 10),
    },
    play: {
      id: play.id, dates: play.dates.map((d) => ({ id: d.id, startsAt: d.startsAt })), orchestre: play.sections[0].id, balcon: play.sections[1].id,
      tariffs: { orchestre: orchestre.id, balcon: balcon.id, moins26: moins26.id }, saleStartsAt: after(24 + 9),
    },
  };
}

import type { Core } from '../core/index.ts';
import type { Principal } from '../core/identity/principal.ts';

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

/** Seeds the demo organization: venues, regions, a tour and a long run with several dates, sections and tariffs. */
export async function seedDemo(core: Core): Promise<{ created: boolean }> {
  if (await core.organizations.bySlug(DEMO.organization)) return { created: false };
  const admin = await core.accounts.create({
    username: DEMO.username, email: DEMO.email, password: DEMO.password, platformRole: 'administrator',
    firstName: 'Camille', lastName: 'Martin', title: 'Mx', city: 'Nantes', country: 'FR',
  });
  const org = await core.organizations.create(
    { slug: DEMO.organization, name: 'Guichet Demo Productions', currency: 'EUR', timeZone: 'Europe/Paris', locale: 'fr-FR' },
    { accountId: admin.id },
  );
  const op = operatorPrincipal(org.id, admin.id);
  await core.credentials.createClient(op, { name: 'Demo client', scopes: 'public buy sell admin', clientId: DEMO.clientId, secret: DEMO.clientSecret });
  await core.credentials.createApiKey(op, { name: 'Demo TickeTing integration', accessLevel: 'administrator', key: DEMO.ticketingKey });
  await core.partnerAccess.createKey(op, { name: 'Weezevent integrations (demo)', key: DEMO.weezeventApiKey });
  await core.partnerUsers.create(op, { username: DEMO.pimsUsername, name: 'Pims demo', password: DEMO.pimsPassword, access: 'write' });
  await core.accounts.create({ username: 'buyer', email: DEMO.buyerEmail, password: DEMO.buyerPassword, firstName: 'Léa', lastName: 'Dupont', country: 'FR' });

  const boxOffice = await core.channels.create(op, { name: 'Box office', kind: 'box_office' });
  const partner = await core.channels.create(op, { name: 'Partner: Ticketline', kind: 'partner' });

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

  const tour = await core.series.create(op, { kind: 'tour', label: 'Alan Wilson — Tournée 2027', firstDate: '2027-03-12', lastDate: '2027-04-02' });
  const run = await core.series.create(op, { kind: 'long_run', label: 'Le Malade imaginaire', firstDate: '2027-01-14', lastDate: '2027-02-06', venueId: lieuUnique.id });

  // A tour: one production, several dates in several venues.
  const concert = await core.events.create(op, {
    title: 'Alan Wilson', description: 'Le retour sur scène d’Alan Wilson, avec son nouvel album.', seriesId: tour.id,
    categoryId: categoryIds.get('Concerts'), subcategoryId: categoryIds.get('Rock'), venueId: zenith.id,
    saleStartsAt: '2026-10-01T10:00:00+02:00', tags: ['rock', 'tour'], imageUrls: ['https://images.guichet.test/alan-wilson.jpg'],
    sections: [{ name: 'Fosse', description: 'Standing', capacity: 3000, position: 0 }, { name: 'Gradins', description: 'Seated', capacity: 2000, position: 1 }],
    dates: [
      { startsAt: '2027-03-12T20:00:00+01:00', endsAt: '2027-03-12T23:00:00+01:00' },
      { startsAt: '2027-03-13T20:00:00+01:00', endsAt: '2027-03-13T23:00:00+01:00' },
      { startsAt: '2027-04-02T20:30:00+02:00', endsAt: '2027-04-02T23:30:00+02:00', venueId: olympia.id },
    ],
  });
  const [fosse, gradins] = concert.sections;
  await core.events.addTariff(op, concert.id, { sectionId: fosse.id, label: 'Fosse — plein tarif', price: 4500, maxPerOrder: 8 });
  await core.events.addTariff(op, concert.id, { sectionId: gradins.id, label: 'Gradins — plein tarif', price: 5200, maxPerOrder: 8 });
  await core.events.addTariff(op, concert.id, { sectionId: gradins.id, label: 'Gradins — tarif réduit', price: 3900, maxPerOrder: 4, quota: 300 });
  await core.events.addTariff(op, concert.id, { sectionId: fosse.id, label: 'Fosse — partenaire', price: 4200, channelIds: [partner.id] });
  // The Paris date is smaller: override its capacities.
  await core.events.setCapacity(op, concert.id, concert.dates[2].id, fosse.id, 1200);
  await core.events.setCapacity(op, concert.id, concert.dates[2].id, gradins.id, 800);
  await core.events.transition(op, concert.id, 'under_review');
  await core.events.transition(op, concert.id, 'listed');

  // A long run: many dates in one venue.
  const play = await core.events.create(op, {
    title: 'Le Malade imaginaire', description: 'Molière, mise en scène nouvelle.', seriesId: run.id,
    categoryId: categoryIds.get('Theatre'), subcategoryId: categoryIds.get('Comedy'), venueId: lieuUnique.id,
    tags: ['théâtre', 'molière'],
    sections: [{ name: 'Orchestre', capacity: 400 }, { name: 'Balcon', capacity: 200, position: 1 }],
    dates: ['2027-01-14', '2027-01-16', '2027-01-21', '2027-01-23', '2027-01-30', '2027-02-06'].map((d) => ({ startsAt: `${d}T20:00:00+01:00`, endsAt: `${d}T22:15:00+01:00` })),
  });
  await core.events.addTariff(op, play.id, { sectionId: play.sections[0].id, label: 'Orchestre', price: 3200, maxPerOrder: 10 });
  await core.events.addTariff(op, play.id, { sectionId: play.sections[1].id, label: 'Balcon', price: 2200, maxPerOrder: 10 });
  await core.events.addTariff(op, play.id, { sectionId: play.sections[0].id, label: 'Guichet — moins de 26 ans', price: 1500, channelIds: [boxOffice.id] });
  await core.events.transition(op, play.id, 'under_review');
  await core.events.transition(op, play.id, 'listed');

  // A festival approved but not on sale yet, and a draft.
  const festival = await core.events.create(op, {
    title: 'Festival des Grands Prés 2027', categoryId: categoryIds.get('Festivals'), venueId: grandsPres.id,
    saleStartsAt: '2027-02-01T10:00:00+01:00',
    sections: [{ name: 'Pelouse', capacity: 15000 }],
    dates: [{ startsAt: '2027-07-09T16:00:00+02:00', endsAt: '2027-07-10T02:00:00+02:00' }, { startsAt: '2027-07-10T16:00:00+02:00', endsAt: '2027-07-11T02:00:00+02:00' }],
  });
  await core.events.addTariff(op, festival.id, { sectionId: festival.sections[0].id, label: 'Pass 1 jour', price: 5900 });
  await core.events.transition(op, festival.id, 'under_review');
  await core.events.transition(op, festival.id, 'scheduled');
  await core.events.create(op, { title: 'Soirée jazz (brouillon)', categoryId: categoryIds.get('Concerts'), subcategoryId: categoryIds.get('Jazz'), venueId: lieuUnique.id });
  return { created: true };
}

import { DateTime } from 'luxon';
import type { Core } from '../core/index.ts';
import type { Principal } from '../core/identity/principal.ts';
import type { Channel } from '../core/catalog/channels.ts';
import type { Ticket } from '../core/selling/tickets.ts';
import { DomainError } from '../core/errors.ts';
import { DEMO, HISTORY_DAYS, operatorPrincipal } from './seed.ts';

/** The demo catalog's ids and times, as seedCatalog leaves them for the history. */
export interface DemoCatalog {
  organizationId: number;
  adminId: number;
  buyerId: number;
  channels: { web: number; boxOffice: number; partner: number; reseller: number };
  series: { tour: number; run: number };
  festival: { id: number };
  concert: {
    id: number; dates: { id: number; startsAt: string }[]; fosse: number; gradins: number;
    tariffs: { fossePlein: number; gradinsPlein: number; gradinsReduit: number; fossePartner: number; fanClub: number };
    generalSale: string; presale: string;
  };
  play: {
    id: number; dates: { id: number; startsAt: string }[]; orchestre: number; balcon: number;
    tariffs: { orchestre: number; balcon: number; moins26: number }; saleStartsAt: string;
  };
}

/** What the start banner reports. */
export interface DemoSummary {
  /** Valid tickets sold (refunded ones left out), on the channels Guichet sells through. */
  ticketsSold: number;
  channels: number;
  orders: number;
  refunded: number;
  comps: number;
  scans: number;
  days: number;
}

/** A small seeded generator (mulberry32): the same history on every run. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const weighted = <T>(items: readonly { item: T; weight: number }[]): T => {
    let r = next() * items.reduce((sum, i) => sum + i.weight, 0);
    for (const i of items) if ((r -= i.weight) < 0) return i.item;
    return items[items.length - 1].item;
  };
  return { next, pick, weighted };
}

const FIRST_NAMES = [
  'Léa', 'Hugo', 'Chloé', 'Lucas', 'Manon', 'Louis', 'Emma', 'Gabriel', 'Jade', 'Arthur', 'Inès', 'Jules', 'Camille', 'Nathan', 'Zoé',
  'Théo', 'Louise', 'Raphaël', 'Alice', 'Tom', 'Sarah', 'Paul', 'Juliette', 'Maël', 'Anaïs', 'Noah', 'Clara', 'Éloïse', 'Yanis', 'Margaux',
  'Karim', 'Amina', 'Sofia', 'Mathis', 'Océane', 'Baptiste', 'Lina', 'Victor', 'Nina', 'Adrien',
];
const LAST_NAMES = [
  'Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefebvre', 'Michel',
  'Garcia', 'David', 'Bertrand', 'Roux', 'Vincent', 'Fournier', 'Morel', 'Girard', 'André', 'Mercier', 'Dupont', 'Lambert', 'Bonnet', 'François',
  'Le Gall', 'Guérin', 'Benali', 'Nguyen', 'Rousseau', 'Blanc', 'Chevalier', 'Perrin', 'Gautier', 'Masson', 'Le Goff', 'Renaud',
];
const DOMAINS = ['example.com', 'example.org', 'example.net'];
const HEARD_FROM = ['Bouche-à-oreille', 'Presse', 'Radio', 'Réseaux sociaux', 'Affiche', 'Newsletter'];

const ascii = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '');

/**
 * Weeks of activity on the demo catalog, through the core services on a core whose clock follows
 * the history: orders on every channel and tariff (some with discount codes and answers, some
 * refunded, a few cancelled or left to expire), comps from guest lists, a transfer, door scans of
 * the played dates (a few double scans, an offline conflict), ticket counts of an external
 * reseller (approved and pending), promotions. Deterministic: a fixed seed drives every choice.
 */
export async function seedHistory(core: Core, clock: (() => Date) & { set(at: Date | string): void }, catalog: DemoCatalog, now: Date): Promise<DemoSummary> {
  const random = generator(20_261_203);
  const op = operatorPrincipal(catalog.organizationId, catalog.adminId);
  const start = clock().getTime();
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const channels: Record<keyof DemoCatalog['channels'], Channel> = {
    web: await core.channels.resolve(catalog.organizationId, catalog.channels.web),
    boxOffice: await core.channels.resolve(catalog.organizationId, catalog.channels.boxOffice),
    partner: await core.channels.resolve(catalog.organizationId, catalog.channels.partner),
    reseller: await core.channels.resolve(catalog.organizationId, catalog.channels.reseller),
  };
  const { concert, play } = catalog;
  const localDay = (at: number) => DateTime.fromMillis(at).setZone('Europe/Paris').toISODate()!;

  // ---- What can be sold, and how likely each is ----
  type Sold = 'web' | 'boxOffice' | 'partner';
  interface Offer { eventId: number; dateId: number; startsAt: number; tariffId: number; opens: number; closes: number; weight: number; max: number; only?: Sold[] }
  const offers: Offer[] = [];
  const general = Date.parse(concert.generalSale);
  for (const [i, d] of concert.dates.entries()) {
    const startsAt = Date.parse(d.startsAt);
    const base = { eventId: concert.id, dateId: d.id, startsAt, closes: startsAt - HOUR, opens: general };
    const w = i === 2 ? 0.8 : 1;
    offers.push({ ...base, tariffId: concert.tariffs.fossePlein, weight: 5 * w, max: 6 });
    offers.push({ ...base, tariffId: concert.tariffs.gradinsPlein, weight: 4 * w, max: 6 });
    offers.push({ ...base, tariffId: concert.tariffs.gradinsReduit, weight: 1.5 * w, max: 4 });
    offers.push({ ...base, tariffId: concert.tariffs.fossePartner, weight: 2 * w, max: 6, only: ['partner'] });
    offers.push({ ...base, tariffId: concert.tariffs.fanClub, weight: 9 * w, max: 4, only: ['web'], opens: Date.parse(concert.presale), closes: general });
  }
  for (const [i, d] of play.dates.entries()) {
    const startsAt = Date.parse(d.startsAt);
    const base = { eventId: play.id, dateId: d.id, startsAt, closes: startsAt - HOUR, opens: Date.parse(play.saleStartsAt) };
    // The première draws the crowd (and sells out); later dates sell as they come closer.
    const w = i === 0 ? 4 : 1;
    offers.push({ ...base, tariffId: play.tariffs.orchestre, weight: 4 * w, max: 6 });
    offers.push({ ...base, tariffId: play.tariffs.balcon, weight: 2.5 * w, max: 6 });
    offers.push({ ...base, tariffId: play.tariffs.moins26, weight: 1.2 * w, max: 4, only: ['boxOffice'] });
  }

  // ---- Set-up the history uses: discount codes, a question, control points ----
  await core.codes.create(op, { code: 'MOLIERE10', kind: 'percentage', value: 10, eventIds: [play.id] });
  await core.codes.create(op, { code: 'ROCK5', kind: 'fixed', value: 500, currency: 'EUR', eventIds: [concert.id], usageLimit: 200 });
  const heardFrom = await core.questions.create(op, play.id, { label: 'Comment avez-vous connu le spectacle ?', kind: 'choice', options: HEARD_FROM, scope: 'order', required: false });
  const accessibility = await core.questions.create(op, concert.id, { label: 'Besoin d’un accès PMR ?', kind: 'checkbox', scope: 'order', required: false });
  const mainGate = await core.door.controlPoints.create(op, { name: 'Entrée principale', eventId: play.id });
  const balconyGate = await core.door.controlPoints.create(op, { name: 'Entrée balcon', eventId: play.id });

  // ---- The timeline: orders, and actions due at given times (refunds, cancellations, doors, comps…) ----
  const scheduled: { at: number; run: () => Promise<void> }[] = [];
  const schedule = (at: number, run: () => Promise<void>) => {
    if (at < now.getTime()) scheduled.push({ at, run });
  };
  async function runDue(until: number) {
    for (;;) {
      scheduled.sort((a, b) => a.at - b.at);
      if (scheduled.length === 0 || scheduled[0].at > until) return;
      const due = scheduled.shift()!;
      clock.set(new Date(due.at));
      await due.run();
    }
  }

  const ticketsOfDate = new Map<number, Ticket[]>();
  const refundedTickets = new Set<number>();
  const soldPerChannel = new Map<number, number>();
  const keep = (tickets: Ticket[]) => {
    for (const t of tickets) ticketsOfDate.set(t.dateId, [...(ticketsOfDate.get(t.dateId) ?? []), t]);
  };
  let orders = 0;
  let refunded = 0;
  let comps = 0;
  let scans = 0;

  const person = () => {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    return { name: `${first} ${last}`, email: `${ascii(first)}.${ascii(last)}${random.next() < 0.3 ? Math.floor(random.next() * 90 + 10) : ''}@${random.pick(DOMAINS)}` };
  };

  async function sell(at: number) {
    const open = offers.filter((o) => o.opens <= at && at < o.closes && at < o.startsAt - HOUR);
    if (open.length === 0) return;
    const offer = random.weighted(open.map((o) => ({ item: o, weight: o.weight })));
    const sold: Sold = offer.only ? random.pick(offer.only) : random.weighted([{ item: 'web' as const, weight: 68 }, { item: 'boxOffice' as const, weight: 20 }, { item: 'partner' as const, weight: 12 }]);
    const quantity = Math.min(offer.max, random.pick([1, 2, 2, 2, 2, 3, 4, 4, 1, 2, 5, 6]));
    const buyer = person();
    const isPlay = offer.eventId === play.id;
    const code = sold === 'web' && random.next() < 0.12 ? (isPlay ? 'MOLIERE10' : 'ROCK5') : null;
    const answers = sold === 'web' && random.next() < 0.6
      ? [isPlay ? { questionId: heardFrom.id, value: random.pick(HEARD_FROM) } : { questionId: accessibility.id, value: random.next() < 0.08 }]
      : [];
    const unpaid = random.next() < 0.04;
    const payment = sold === 'boxOffice'
      ? { provider: 'manual', method: random.next() < 0.45 ? 'cash' : 'card_terminal' }
      : { provider: 'test', card: { number: '4242424242424242', cvv: '123', expiry: '12/30', holder: buyer.name } };
    clock.set(new Date(at));
    try {
      const order = await core.directOrders.place(op, channels[sold], [{ tariffId: offer.tariffId, dateId: offer.dateId, quantity }], {
        buyerName: buyer.name, buyerEmail: buyer.email, code, answers, ...(unpaid ? {} : { payment }),
      });
      orders++;
      if (unpaid) {
        // Abandoned at the payment step: some buyers cancel, the others let the order expire.
        if (random.next() < 0.5) schedule(at + 20 * 60_000, async () => void (await core.orders.cancel(op, order.id)));
        return;
      }
      keep(order.tickets);
      soldPerChannel.set(channels[sold].id, (soldPerChannel.get(channels[sold].id) ?? 0) + order.tickets.length);
      if (random.next() < 0.035) {
        schedule(Math.min(at + (1 + random.next() * 4) * DAY, offer.startsAt - 2 * HOUR), async () => {
          await core.orders.refund(op, order.id, { reason: random.pick(['Empêchement', 'Erreur de date', 'Maladie']) });
          for (const t of order.tickets) refundedTickets.add(t.id);
          soldPerChannel.set(channels[sold].id, soldPerChannel.get(channels[sold].id)! - order.tickets.length);
          refunded++;
        });
      }
    } catch (error) {
      // Sold out, a quota reached: the buyer goes away, as on a real on-sale.
      if (!(error instanceof DomainError)) throw error;
    }
  }

  // Doors of a played date: most holders come, a few scan twice, one refunded ticket is turned
  // away, and a balcony tablet that was offline uploads a scan another gate had already admitted.
  async function doors(date: { id: number; startsAt: string }) {
    const opens = Date.parse(date.startsAt) - 50 * 60_000;
    const tickets = (ticketsOfDate.get(date.id) ?? []).filter((t) => !refundedTickets.has(t.id));
    const coming = tickets.filter(() => random.next() < 0.9);
    const admitted: { ticket: Ticket; at: number }[] = [];
    for (const [i, ticket] of coming.entries()) {
      const at = opens + Math.floor((i / Math.max(1, coming.length)) * 65 * 60_000);
      clock.set(new Date(at));
      const gate = ticket.sectionId === play.balcon ? balconyGate.id : mainGate.id;
      const result = await core.door.scans.scan(op, { code: ticket.barcode, eventId: play.id, dateId: date.id, controlPointId: gate, nonce: `demo-${ticket.id}` });
      scans++;
      if (result.admitted) admitted.push({ ticket, at });
      if (i % 37 === 5) {
        clock.set(new Date(at + 2 * 60_000));
        await core.door.scans.scan(op, { code: ticket.barcode, eventId: play.id, dateId: date.id, controlPointId: gate, nonce: `demo-${ticket.id}-again` });
        scans++;
      }
    }
    const turnedAway = (ticketsOfDate.get(date.id) ?? []).find((t) => refundedTickets.has(t.id));
    if (turnedAway) {
      await core.door.scans.scan(op, { code: turnedAway.barcode, eventId: play.id, dateId: date.id, controlPointId: mainGate.id, nonce: `demo-${turnedAway.id}` });
      scans++;
    }
    const late = admitted.filter((a) => a.ticket.sectionId !== play.balcon).at(-1);
    if (late) {
      clock.set(new Date(opens + 90 * 60_000));
      await core.door.scans.upload(op, play.id, [{ code: late.ticket.barcode, eventId: play.id, dateId: date.id, controlPointId: balconyGate.id, scannedAt: new Date(late.at - 60_000).toISOString(), nonce: `demo-offline-${late.ticket.id}` }]);
      scans++;
    }
  }
  for (const date of play.dates) schedule(Date.parse(date.startsAt) - 50 * 60_000, () => doors(date));

  // Guest lists: press and partners' invitations, on the tariffs' sections.
  const guestLists: { at: number; eventId: number; date: { id: number }; sectionId: number; tariffId: number; names: string[] }[] = [
    { at: start + 1 * DAY, eventId: play.id, date: play.dates[0], sectionId: play.orchestre, tariffId: play.tariffs.orchestre, names: ['Presse — Ouest-France', 'Presse — Télérama', 'Compagnie — famille'] },
    { at: start + 30 * DAY, eventId: play.id, date: play.dates[2], sectionId: play.orchestre, tariffId: play.tariffs.orchestre, names: ['Mécène — Crédit Maritime', 'Presse — France Bleu'] },
    { at: start + 40 * DAY, eventId: concert.id, date: concert.dates[0], sectionId: concert.gradins, tariffId: concert.tariffs.gradinsPlein, names: ['Label — Wagram Music', 'Radio partenaire — Hit West', 'Équipe tournée'] },
  ];
  for (const list of guestLists) {
    schedule(list.at, async () => {
      for (const name of list.names) {
        const guest = await core.guests.create(op, { eventId: list.eventId, dateId: list.date.id, sectionId: list.sectionId, tariffId: list.tariffId, name, quantity: 2, email: `invitations@${random.pick(DOMAINS)}` });
        keep(guest.tickets);
        comps += guest.tickets.length;
      }
    });
  }

  // The demo buyer's own tickets, one of which is being handed over to a friend.
  schedule(start + 20 * DAY, async () => {
    const order = await core.directOrders.place(op, channels.web, [{ tariffId: concert.tariffs.gradinsPlein, dateId: concert.dates[0].id, quantity: 2 }], {
      forAccountId: catalog.buyerId, buyerName: 'Léa Dupont', buyerEmail: DEMO.buyerEmail,
      payment: { provider: 'test', card: { number: '4242424242424242', cvv: '123', expiry: '12/30', holder: 'Léa Dupont' } },
    });
    orders++;
    soldPerChannel.set(channels.web.id, (soldPerChannel.get(channels.web.id) ?? 0) + order.tickets.length);
    const buyer: Principal = { ...operatorPrincipal(catalog.organizationId, catalog.buyerId), signedIn: true, scopes: new Set(['public', 'buy']), platformRole: 'customer' };
    await core.transfers.create(buyer, { ticketIds: [order.tickets[1].id], recipientEmail: 'hugo.lefebvre@example.net' });
  });

  // The reseller's figures, typed in by staff: last week's approved, yesterday's awaiting approval.
  const resellerCount = (at: number, sales: [number, number], approve: boolean) =>
    schedule(at, async () => {
      const count = await core.ticketCounts.enter(op, concert.id, {
        dateId: concert.dates[0].id, day: localDay(at - DAY), comment: approve ? 'Relevé hebdomadaire Fnac' : 'Relevé Fnac à vérifier', final: false,
        lines: [
          { channelId: channels.reseller.id, sectionId: concert.fosse, tariffId: concert.tariffs.fossePartner, sales: sales[0], gross: sales[0] * 4200 },
          { channelId: channels.reseller.id, sectionId: concert.gradins, tariffId: concert.tariffs.gradinsPlein, sales: sales[1], gross: sales[1] * 5200 },
        ],
      });
      if (approve) await core.ticketCounts.approve(op, concert.id, count.id);
    });
  resellerCount(start + 21 * DAY, [64, 31], true);
  resellerCount(start + 42 * DAY, [48, 22], true);
  resellerCount(now.getTime() - 5 * HOUR, [17, 9], false);

  // Promotions: several types and families, paid, exchanged and free, on events and on series.
  schedule(start + 2 * DAY, async () => {
    const day = (offset: number) => localDay(start + offset * DAY);
    const promotions: Parameters<Core['promotions']['create']>[1][] = [
      {
        type: 'poster', label: 'Affichage abribus Nantes Métropole', supplier: 'JCDecaux', startsOn: day(4), endsOn: day(25),
        cost: { type: 'paid', state: 'invoiced', quantity: 120, unitCost: 4500, currency: 'EUR' }, comments: '120 faces, 3 semaines',
        appliedTo: [{ seriesId: catalog.series.tour, quantity: 120, unitCost: 4500 }],
      },
      {
        type: 'radio_spot', label: 'Spots Hit West — Alan Wilson', supplier: 'Hit West', startsOn: day(5), endsOn: day(40),
        cost: { type: 'exchange', state: 'committed', quantity: 40, unitCost: 0, valuedQuantity: 40, valuedUnitCost: 18000, currency: 'EUR' }, comments: 'Échange contre 20 invitations',
        appliedTo: [{ eventId: concert.id, quantity: 40, unitCost: 0, valuedQuantity: 40, valuedUnitCost: 18000 }],
      },
      {
        type: 'social_ads', label: 'Campagne Instagram — Le Malade imaginaire', supplier: 'Meta Platforms', startsOn: day(1), endsOn: day(50),
        cost: { type: 'paid', state: 'paid', quantity: 1, unitCost: 150000, currency: 'EUR' }, comments: null,
        appliedTo: [{ seriesId: catalog.series.run, quantity: 1, unitCost: 150000 }],
      },
      {
        type: 'flyer', label: 'Flyers A5 — saison théâtre', supplier: 'Imprimerie Nantaise', startsOn: day(0), endsOn: day(14),
        cost: { type: 'paid', state: 'planned', quantity: 5000, unitCost: 6, currency: 'EUR' }, comments: 'Distribution dans les commerces du centre-ville',
        appliedTo: [{ eventId: play.id, quantity: 5000, unitCost: 6 }],
      },
      {
        type: 'partnership', label: 'Partenariat Ouest-France', supplier: 'Ouest-France', startsOn: day(3), endsOn: day(60),
        cost: { type: 'free', state: null, quantity: null, unitCost: null, valuedQuantity: 2, valuedUnitCost: 250000, currency: 'EUR' }, comments: 'Jeu-concours et pages partenaires',
        appliedTo: [{ seriesId: catalog.series.tour, quantity: 1, unitCost: 0, valuedQuantity: 1, valuedUnitCost: 250000 }, { eventId: play.id, quantity: 1, unitCost: 0, valuedQuantity: 1, valuedUnitCost: 250000 }],
      },
      {
        type: 'web_banner', label: 'Annonce de la programmation — bannières', supplier: 'Radio Nova', startsOn: day(45), endsOn: day(75),
        cost: { type: 'paid', state: 'committed', quantity: 3, unitCost: 80000, currency: 'EUR' }, comments: 'Avant l’ouverture de la billetterie',
        appliedTo: [{ eventId: catalog.festival.id, quantity: 3, unitCost: 80000 }],
      },
      {
        type: 'newsletter', label: 'Newsletter abonnés — rentrée', supplier: null, startsOn: day(6), endsOn: day(6),
        cost: { type: 'free', state: null, currency: 'EUR' }, comments: null,
        appliedTo: [{ eventId: concert.id, quantity: 1, unitCost: 0 }, { eventId: play.id, quantity: 1, unitCost: 0 }],
      },
    ];
    for (const p of promotions) await core.promotions.create(op, p);
  });

  // ---- Day after day: a handful of orders, more when a sale opens ----
  const presaleDay = Math.floor((Date.parse(concert.presale) - start) / DAY);
  const generalDay = Math.floor((general - start) / DAY);
  for (let day = 0; day <= HISTORY_DAYS; day++) {
    const rush = day === generalDay ? 4 : day === presaleDay ? 2.5 : day === generalDay + 1 ? 2 : 1;
    const count = Math.round((5 + random.next() * 6) * rush);
    // Buyers buy between 7:30 and 23:30, local time.
    const midnight = DateTime.fromMillis(start).setZone('Europe/Paris').startOf('day').plus({ days: day }).toMillis();
    const times = Array.from({ length: count }, () => midnight + (7.5 + random.next() * 16) * HOUR).sort((a, b) => a - b);
    for (const at of times) {
      if (at < start) continue;
      if (at >= now.getTime()) break;
      await runDue(at);
      await sell(at);
    }
  }
  await runDue(now.getTime());
  clock.set(now);
  // Abandoned orders whose payment window has passed are recorded as expired.
  await core.orders.expireStale();

  return {
    ticketsSold: [...soldPerChannel.values()].reduce((sum, n) => sum + n, 0),
    channels: [...soldPerChannel.values()].filter((n) => n > 0).length,
    orders,
    refunded,
    comps,
    scans,
    days: HISTORY_DAYS,
  };
}

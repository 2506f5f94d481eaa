import { addCatalogs } from '../shared/i18n.ts';
import type { Catalog } from './locales.ts';

/** The words of the box office on a seated date (merged into the `manage` namespace; the seat map's own words are the shop's `seatmap`). */
const en = {
  boxOfficeSeats: {
    title: 'Choose the seats',
    how: 'How to sell',
    modes: { map: 'Seats on the map', best: 'Best available', ga: 'Without a seat' },
    chosen_one: 'Seat chosen ({{count}})',
    chosen_other: 'Seats chosen ({{count}})',
    noneChosen: 'No seat chosen yet: pick the seats on the map.',
    tariffOf: 'Tariff for {{seat}}',
    remove: 'Give back {{seat}}',
    total: 'Total: {{total}}',
    adjacent: 'Side by side',
    bestHelp: 'The best seats left in the tariff’s section, chosen by the server when the sale is made; the tickets say which.',
    noTariff: 'No tariff sells this seat.',
    taken_one: '{{seats}} was taken meanwhile (in the shop or at another counter) and is given back: choose another seat.',
    taken_other: '{{seats}} were taken meanwhile (in the shop or at another counter) and are given back: choose other seats.',
    noAdjacent: 'There are not {{count}} seats side by side left in this section: untick "Side by side" or sell fewer seats.',
  },
};

const fr: Catalog<typeof en> = {
  boxOfficeSeats: {
    title: 'Choisissez les places',
    how: 'Mode de vente',
    modes: { map: 'Places sur le plan', best: 'Meilleures places', ga: 'Sans place numérotée' },
    chosen_one: 'Place choisie ({{count}})',
    chosen_other: 'Places choisies ({{count}})',
    noneChosen: 'Aucune place choisie : choisissez les places sur le plan.',
    tariffOf: 'Tarif pour {{seat}}',
    remove: 'Rendre {{seat}}',
    total: 'Total : {{total}}',
    adjacent: 'Côte à côte',
    bestHelp: 'Les meilleures places restantes de la catégorie du tarif, choisies par le serveur au moment de la vente ; les billets les indiquent.',
    noTariff: 'Aucun tarif ne vend cette place.',
    taken_one: '{{seats}} a été prise entre-temps (en ligne ou à un autre guichet) et est rendue : choisissez une autre place.',
    taken_other: '{{seats}} ont été prises entre-temps (en ligne ou à un autre guichet) et sont rendues : choisissez d’autres places.',
    noAdjacent: 'Il ne reste pas {{count}} places côte à côte dans cette catégorie : décochez « Côte à côte » ou vendez moins de places.',
  },
};

const de: Catalog<typeof en> = {
  boxOfficeSeats: {
    title: 'Plätze wählen',
    how: 'Verkaufsart',
    modes: { map: 'Plätze im Saalplan', best: 'Beste freie Plätze', ga: 'Ohne Sitzplatz' },
    chosen_one: 'Gewählter Platz ({{count}})',
    chosen_other: 'Gewählte Plätze ({{count}})',
    noneChosen: 'Noch kein Platz gewählt: Wählen Sie die Plätze im Saalplan.',
    tariffOf: 'Tarif für {{seat}}',
    remove: '{{seat}} zurückgeben',
    total: 'Gesamt: {{total}}',
    adjacent: 'Nebeneinander',
    bestHelp: 'Die besten freien Plätze im Bereich des Tarifs, beim Verkauf vom Server gewählt; die Tickets nennen sie.',
    noTariff: 'Kein Tarif verkauft diesen Platz.',
    taken_one: '{{seats}} wurde inzwischen vergeben (im Shop oder an einer anderen Kasse) und ist zurückgegeben: Wählen Sie einen anderen Platz.',
    taken_other: '{{seats}} wurden inzwischen vergeben (im Shop oder an einer anderen Kasse) und sind zurückgegeben: Wählen Sie andere Plätze.',
    noAdjacent: 'In diesem Bereich sind keine {{count}} Plätze nebeneinander mehr frei: Entfernen Sie den Haken bei „Nebeneinander“ oder verkaufen Sie weniger Plätze.',
  },
};

addCatalogs('manage', { en, fr, de });

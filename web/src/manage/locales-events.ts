import { addCatalogs } from '../shared/i18n.ts';
import type { Catalog } from './locales.ts';

/** The words of an event's editing (details, dates, sections, capacities, tariffs) and its shop preview (merged into `manage.events`). */
const en = {
  events: {
    openInShop: 'Open in the shop',
    previewBanner: 'Preview — not on sale',
    previewNote: 'This is how the shop will show this event. Buying is disabled here.',
    backToEvent: 'Back to the event',
    frozen: 'A cancelled event can no longer be changed.',
    edit: {
      details: 'Details', save: 'Save', saved: 'Saved.', cancel: 'Cancel', edit: 'Edit', delete: 'Delete', add: 'Add',
      editOf: 'Edit {{what}}', deleteOf: 'Delete {{what}}', timesIn: 'Times are in the event’s time zone ({{zone}}).',
      venue: 'Venue', noVenue: 'No venue', sameVenue: 'The event’s venue',
      holderNames: 'Names on tickets',
      holder: { none: 'Not asked (the buyer’s name is printed)', optional: 'Asked, optional', required: 'Required for each ticket' },
      saleStartsAt: 'Sale opens', saleEndsAt: 'Sale closes', saleHint: 'Empty: from listing until the performance starts',
      public: 'Shown in the shop (public)', tags: 'Tags (separated by commas)',
      startsAt: 'Starts at', endsAt: 'Ends at', dateStatus: 'Status', dateStatuses: { scheduled: 'Scheduled', cancelled: 'Cancelled' },
      newDate: 'Add a date', noDates: 'No dates yet.',
      name: 'Name', description: 'Description', capacity: 'Capacity (each date’s, unless changed below)', newSection: 'Add a section', noSections: 'No sections yet.',
      capacities: 'Capacity per date', capacityOf: 'Capacity of {{section}} on {{date}}', saveCapacities: 'Save {{date}}', capacityShort: 'capacity {{capacity}}',
      seatedCapacity: 'Seated on this date: its capacity is its number of seats. Kill or hold seats one by one under Holds and kills.',
      seatedDatesKeep: 'Dates where this section is seated keep their number of seats.',
      label: 'Label', section: 'Section', price: 'Price ({{currency}})', maxPerOrder: 'Max per order', quota: 'Quota (per date)', noLimit: 'Empty: no limit',
      channels: 'Channels', channelsHint: 'None ticked: every channel', everyChannel: 'every channel', newTariff: 'Add a tariff', noTariffs: 'No tariffs yet.',
      maxShort: 'max {{max}} per order', quotaShort: 'quota {{quota}}', from: 'sale from {{date}}', until: 'until {{date}}',
      confirmDelete: 'Delete {{what}}? This cannot be undone.',
      inUse: {
        date: 'This date has holds, orders or tickets, so it cannot be deleted: cancel it or close its sale instead.',
        section: 'This section has holds, orders or tickets, so it cannot be deleted: set its capacity to 0 instead.',
        tariff: 'This tariff has been sold, so it cannot be deleted: end its sale instead (set when its sale closes).',
      },
    },
  },
};

const fr: Catalog<typeof en> = {
  events: {
    openInShop: 'Ouvrir dans la boutique',
    previewBanner: 'Aperçu — pas en vente',
    previewNote: 'Voici comment la boutique présentera cet événement. L’achat est désactivé ici.',
    backToEvent: 'Retour à l’événement',
    frozen: 'Un événement annulé ne peut plus être modifié.',
    edit: {
      details: 'Informations', save: 'Enregistrer', saved: 'Enregistré.', cancel: 'Annuler', edit: 'Modifier', delete: 'Supprimer', add: 'Ajouter',
      editOf: 'Modifier {{what}}', deleteOf: 'Supprimer {{what}}', timesIn: 'Les heures sont celles du fuseau de l’événement ({{zone}}).',
      venue: 'Lieu', noVenue: 'Aucun lieu', sameVenue: 'Le lieu de l’événement',
      holderNames: 'Noms sur les billets',
      holder: { none: 'Non demandés (le nom de l’acheteur est imprimé)', optional: 'Demandés, facultatifs', required: 'Obligatoires pour chaque billet' },
      saleStartsAt: 'Ouverture des ventes', saleEndsAt: 'Clôture des ventes', saleHint: 'Vide : de la mise en vente jusqu’au début de la représentation',
      public: 'Visible dans la boutique (public)', tags: 'Mots-clés (séparés par des virgules)',
      startsAt: 'Début', endsAt: 'Fin', dateStatus: 'Statut', dateStatuses: { scheduled: 'Programmée', cancelled: 'Annulée' },
      newDate: 'Ajouter une date', noDates: 'Aucune date pour l’instant.',
      name: 'Nom', description: 'Description', capacity: 'Jauge (celle de chaque date, sauf changement ci-dessous)', newSection: 'Ajouter une catégorie', noSections: 'Aucune catégorie pour l’instant.',
      capacities: 'Jauge par date', capacityOf: 'Jauge de {{section}} le {{date}}', saveCapacities: 'Enregistrer le {{date}}', capacityShort: 'jauge {{capacity}}',
      seatedCapacity: 'Numérotée à cette date : sa jauge est son nombre de places. Bloquez ou réservez les places une à une dans Réserves et blocages.',
      seatedDatesKeep: 'Les dates où cette catégorie est numérotée gardent leur nombre de places.',
      label: 'Libellé', section: 'Catégorie', price: 'Prix ({{currency}})', maxPerOrder: 'Maximum par commande', quota: 'Quota (par date)', noLimit: 'Vide : sans limite',
      channels: 'Canaux', channelsHint: 'Aucun coché : tous les canaux', everyChannel: 'tous les canaux', newTariff: 'Ajouter un tarif', noTariffs: 'Aucun tarif pour l’instant.',
      maxShort: '{{max}} maximum par commande', quotaShort: 'quota {{quota}}', from: 'en vente dès le {{date}}', until: 'jusqu’au {{date}}',
      confirmDelete: 'Supprimer {{what}} ? C’est définitif.',
      inUse: {
        date: 'Cette date a des réservations, des commandes ou des billets : elle ne peut pas être supprimée. Annulez-la ou fermez sa vente.',
        section: 'Cette catégorie a des réservations, des commandes ou des billets : elle ne peut pas être supprimée. Mettez plutôt sa jauge à 0.',
        tariff: 'Ce tarif a été vendu : il ne peut pas être supprimé. Terminez plutôt sa vente (sa date de clôture).',
      },
    },
  },
};

const de: Catalog<typeof en> = {
  events: {
    openInShop: 'Im Shop öffnen',
    previewBanner: 'Vorschau — nicht im Verkauf',
    previewNote: 'So zeigt der Shop diese Veranstaltung. Kaufen ist hier ausgeschaltet.',
    backToEvent: 'Zurück zur Veranstaltung',
    frozen: 'Eine abgesagte Veranstaltung kann nicht mehr geändert werden.',
    edit: {
      details: 'Angaben', save: 'Speichern', saved: 'Gespeichert.', cancel: 'Abbrechen', edit: 'Bearbeiten', delete: 'Löschen', add: 'Hinzufügen',
      editOf: '{{what}} bearbeiten', deleteOf: '{{what}} löschen', timesIn: 'Die Zeiten gelten in der Zeitzone der Veranstaltung ({{zone}}).',
      venue: 'Spielstätte', noVenue: 'Keine Spielstätte', sameVenue: 'Die Spielstätte der Veranstaltung',
      holderNames: 'Namen auf den Tickets',
      holder: { none: 'Nicht abgefragt (der Name des Käufers wird gedruckt)', optional: 'Abgefragt, freiwillig', required: 'Für jedes Ticket erforderlich' },
      saleStartsAt: 'Verkaufsstart', saleEndsAt: 'Verkaufsende', saleHint: 'Leer: ab der Freischaltung bis zum Beginn der Vorstellung',
      public: 'Im Shop sichtbar (öffentlich)', tags: 'Schlagwörter (durch Kommas getrennt)',
      startsAt: 'Beginn', endsAt: 'Ende', dateStatus: 'Status', dateStatuses: { scheduled: 'Geplant', cancelled: 'Abgesagt' },
      newDate: 'Termin hinzufügen', noDates: 'Noch keine Termine.',
      name: 'Name', description: 'Beschreibung', capacity: 'Kapazität (die jedes Termins, sofern unten nicht geändert)', newSection: 'Bereich hinzufügen', noSections: 'Noch keine Bereiche.',
      capacities: 'Kapazität pro Termin', capacityOf: 'Kapazität von {{section}} am {{date}}', saveCapacities: '{{date}} speichern', capacityShort: 'Kapazität {{capacity}}',
      seatedCapacity: 'An diesem Termin nummeriert: Die Kapazität ist die Zahl der Sitzplätze. Plätze einzeln sperren oder reservieren unter „Sperren und Reserven“.',
      seatedDatesKeep: 'Termine, an denen dieser Bereich nummeriert ist, behalten ihre Zahl an Sitzplätzen.',
      label: 'Bezeichnung', section: 'Bereich', price: 'Preis ({{currency}})', maxPerOrder: 'Höchstens pro Bestellung', quota: 'Kontingent (pro Termin)', noLimit: 'Leer: keine Grenze',
      channels: 'Kanäle', channelsHint: 'Keiner angehakt: alle Kanäle', everyChannel: 'alle Kanäle', newTariff: 'Tarif hinzufügen', noTariffs: 'Noch keine Tarife.',
      maxShort: 'höchstens {{max}} pro Bestellung', quotaShort: 'Kontingent {{quota}}', from: 'Verkauf ab {{date}}', until: 'bis {{date}}',
      confirmDelete: '{{what}} löschen? Das ist endgültig.',
      inUse: {
        date: 'Dieser Termin hat Reservierungen, Bestellungen oder Tickets und kann nicht gelöscht werden: Sagen Sie ihn ab oder beenden Sie seinen Verkauf.',
        section: 'Dieser Bereich hat Reservierungen, Bestellungen oder Tickets und kann nicht gelöscht werden: Setzen Sie stattdessen seine Kapazität auf 0.',
        tariff: 'Dieser Tarif wurde verkauft und kann nicht gelöscht werden: Beenden Sie stattdessen seinen Verkauf (Verkaufsende).',
      },
    },
  },
};

addCatalogs('manage', { en, fr, de });

import { addCatalogs } from '../shared/i18n.ts';

const en = {
  title: 'Back office',
  nav: { dashboard: 'Dashboard', events: 'Events', orders: 'Orders', boxOffice: 'Box office', members: 'Members', door: 'Door' },
  organization: 'Organization',
  role: { owner: 'Owner', manager: 'Manager', box_office: 'Box office', door_staff: 'Door staff' },
  notMember: 'You are not a member of any organization. Ask an owner to invite you.',
  signInFirst: 'Sign in to use the back office.',
  signIn: 'Sign in',
  forbidden: 'Your role does not give access to this page.',
  dashboard: {
    today: 'Today', period: 'Last 30 days', tickets: 'Tickets sold', revenue: 'Revenue (net of refunds)', orders: 'Orders',
    overTime: 'Sales over time', byEvent: 'Per event', byChannel: 'Per channel', event: 'Event', channel: 'Channel', nothing: 'No sales in this period yet.',
    fill: 'How full', date: 'Date', section: 'Section', capacity: 'Capacity', sold: 'Sold', held: 'Held', available: 'Available',
    arrivals: 'Arrivals at the door (per quarter hour)', noArrivals: 'No arrivals yet.', pickEvent: 'Event details', allEvents: 'All events',
  },
  events: {
    title: 'Events', create: 'Create an event', status: 'Status', dates: 'Dates', noEvents: 'No events yet.', previous: 'Previous', next: 'Next', page: 'Page {{page}} of {{pages}}',
    form: { title: 'Title', description: 'Description', image: 'Image URL', timeZone: 'Time zone', dates: 'Dates', addDate: 'Add a date', startsAt: 'Starts at', sections: 'Sections', addSection: 'Add a section', sectionName: 'Section name', capacity: 'Capacity', tariffs: 'Tariffs', addTariff: 'Add a tariff', label: 'Label', price: 'Price', section: 'Section', maxPerOrder: 'Max per order', quota: 'Quota', save: 'Create the event', remove: 'Remove' },
    statuses: { draft: 'Draft', under_review: 'Under review', scheduled: 'Scheduled', listed: 'Listed', cancelled: 'Cancelled' },
    actions: { under_review: 'Submit for review', scheduled: 'Approve (schedule)', listed: 'List in the shop', draft: 'Back to draft', cancelled: 'Cancel the event' },
    approvalNote: 'Approving an event under review is a platform administrator’s decision.',
    confirmCancel: 'Cancel this event? This cannot be undone.',
    preview: 'Preview in the shop', detail: 'Event', sections: 'Sections', tariffs: 'Tariffs', lifecycle: 'Life cycle',
  },
  orders: {
    title: 'Orders', search: 'Search by number, name or e-mail', searchButton: 'Search', number: 'Number', buyer: 'Buyer', email: 'E-mail', total: 'Total', status: 'Status', date: 'Date', noOrders: 'No orders found.',
    sortNewest: 'Newest first', sortOldest: 'Oldest first', sortTotal: 'Highest total', sort: 'Sort',
    detail: 'Order {{number}}', lines: 'Lines', payments: 'Payments', tickets: 'Tickets', answers: 'Answers', history: 'History', holder: 'Holder', barcode: 'Barcode', quantity: 'Quantity', refunded: 'Refunded',
    refund: 'Refund selected tickets', refundAll: 'Refund the whole order', cancel: 'Cancel the pending order', confirmRefund: 'Refund {{count}} ticket(s)? Their places go back on sale.', confirmCancel: 'Cancel this pending order?',
    confirm: 'Confirm', back: 'Back', done: 'Done.', changeHolder: 'Change holder', holderName: 'Holder name', save: 'Save',
    statuses: { pending: 'Pending', paid: 'Paid', expired: 'Expired', cancelled: 'Cancelled', partially_refunded: 'Partly refunded', refunded: 'Refunded' },
    kinds: { placed: 'Placed', paid: 'Paid', refunded: 'Refund', cancelled: 'Cancelled', expired: 'Expired', transfer_sent: 'Tickets sent' },
  },
  boxOffice: {
    title: 'Box office', event: 'Event', date: 'Date', tariff: 'Tariff', quantity: 'Quantity', buyer: 'Buyer name (optional)', method: 'Payment', cash: 'Cash', card_terminal: 'Card terminal',
    sell: 'Sell and take payment', sold: 'Sold: order {{number}}', tickets: 'Tickets to hand over', print: 'Print', another: 'New sale', chooseEvent: 'Choose an event', noEvents: 'No event on sale.',
  },
  members: {
    title: 'Members', invite: 'Invite someone', email: 'E-mail address', role: 'Role', send: 'Send the invitation', invitations: 'Invitations', code: 'Invitation code (shown once; also sent by e-mail):',
    remove: 'Remove', confirmRemove: 'Remove {{name}} from the organization?', changeRole: 'Role of {{name}}', status: 'Status', revoke: 'Revoke', name: 'Name',
    statuses: { pending: 'Pending', accepted: 'Accepted', revoked: 'Revoked', expired: 'Expired' },
    join: 'Join an organization', joinCode: 'Invitation code', accept: 'Accept the invitation', joined: 'You are now a member, as {{role}}.',
  },
};
export type Catalog<T> = { [K in keyof T]: T[K] extends string ? string : Catalog<T[K]> };

const fr: Catalog<typeof en> = {
  title: 'Back-office',
  nav: { dashboard: 'Tableau de bord', events: 'Événements', orders: 'Commandes', boxOffice: 'Billetterie sur place', members: 'Membres', door: 'Contrôle' },
  organization: 'Organisation',
  role: { owner: 'Propriétaire', manager: 'Gestionnaire', box_office: 'Guichet', door_staff: 'Contrôle d’accès' },
  notMember: 'Vous n’êtes membre d’aucune organisation. Demandez à un propriétaire de vous inviter.',
  signInFirst: 'Connectez-vous pour utiliser le back-office.',
  signIn: 'Se connecter',
  forbidden: 'Votre rôle ne donne pas accès à cette page.',
  dashboard: {
    today: 'Aujourd’hui', period: '30 derniers jours', tickets: 'Billets vendus', revenue: 'Recettes (remboursements déduits)', orders: 'Commandes',
    overTime: 'Ventes dans le temps', byEvent: 'Par événement', byChannel: 'Par canal', event: 'Événement', channel: 'Canal', nothing: 'Aucune vente sur cette période.',
    fill: 'Remplissage', date: 'Date', section: 'Catégorie', capacity: 'Jauge', sold: 'Vendus', held: 'Réservés', available: 'Disponibles',
    arrivals: 'Arrivées au contrôle (par quart d’heure)', noArrivals: 'Aucune arrivée pour l’instant.', pickEvent: 'Détail d’un événement', allEvents: 'Tous les événements',
  },
  events: {
    title: 'Événements', create: 'Créer un événement', status: 'Statut', dates: 'Dates', noEvents: 'Aucun événement.', previous: 'Précédent', next: 'Suivant', page: 'Page {{page}} sur {{pages}}',
    form: { title: 'Titre', description: 'Description', image: 'URL de l’image', timeZone: 'Fuseau horaire', dates: 'Dates', addDate: 'Ajouter une date', startsAt: 'Début', sections: 'Catégories', addSection: 'Ajouter une catégorie', sectionName: 'Nom de la catégorie', capacity: 'Jauge', tariffs: 'Tarifs', addTariff: 'Ajouter un tarif', label: 'Libellé', price: 'Prix', section: 'Catégorie', maxPerOrder: 'Maximum par commande', quota: 'Quota', save: 'Créer l’événement', remove: 'Retirer' },
    statuses: { draft: 'Brouillon', under_review: 'En validation', scheduled: 'Programmé', listed: 'En vente', cancelled: 'Annulé' },
    actions: { under_review: 'Soumettre à validation', scheduled: 'Valider (programmer)', listed: 'Mettre en vente', draft: 'Revenir au brouillon', cancelled: 'Annuler l’événement' },
    approvalNote: 'La validation d’un événement soumis revient à un administrateur de la plateforme.',
    confirmCancel: 'Annuler cet événement ? C’est définitif.',
    preview: 'Aperçu dans la boutique', detail: 'Événement', sections: 'Catégories', tariffs: 'Tarifs', lifecycle: 'Cycle de vie',
  },
  orders: {
    title: 'Commandes', search: 'Rechercher par numéro, nom ou e-mail', searchButton: 'Rechercher', number: 'Numéro', buyer: 'Acheteur', email: 'E-mail', total: 'Total', status: 'Statut', date: 'Date', noOrders: 'Aucune commande trouvée.',
    sortNewest: 'Plus récentes', sortOldest: 'Plus anciennes', sortTotal: 'Montant décroissant', sort: 'Tri',
    detail: 'Commande {{number}}', lines: 'Lignes', payments: 'Paiements', tickets: 'Billets', answers: 'Réponses', history: 'Historique', holder: 'Titulaire', barcode: 'Code-barres', quantity: 'Quantité', refunded: 'Remboursés',
    refund: 'Rembourser les billets choisis', refundAll: 'Rembourser toute la commande', cancel: 'Annuler la commande en attente', confirmRefund: 'Rembourser {{count}} billet(s) ? Les places sont remises en vente.', confirmCancel: 'Annuler cette commande en attente ?',
    confirm: 'Confirmer', back: 'Retour', done: 'C’est fait.', changeHolder: 'Changer le titulaire', holderName: 'Nom du titulaire', save: 'Enregistrer',
    statuses: { pending: 'En attente', paid: 'Payée', expired: 'Expirée', cancelled: 'Annulée', partially_refunded: 'Remboursée en partie', refunded: 'Remboursée' },
    kinds: { placed: 'Passée', paid: 'Payée', refunded: 'Remboursement', cancelled: 'Annulée', expired: 'Expirée', transfer_sent: 'Billets envoyés' },
  },
  boxOffice: {
    title: 'Billetterie sur place', event: 'Événement', date: 'Date', tariff: 'Tarif', quantity: 'Quantité', buyer: 'Nom de l’acheteur (facultatif)', method: 'Paiement', cash: 'Espèces', card_terminal: 'Terminal de paiement',
    sell: 'Vendre et encaisser', sold: 'Vendu : commande {{number}}', tickets: 'Billets à remettre', print: 'Imprimer', another: 'Nouvelle vente', chooseEvent: 'Choisissez un événement', noEvents: 'Aucun événement en vente.',
  },
  members: {
    title: 'Membres', invite: 'Inviter quelqu’un', email: 'Adresse e-mail', role: 'Rôle', send: 'Envoyer l’invitation', invitations: 'Invitations', code: 'Code d’invitation (affiché une seule fois ; aussi envoyé par e-mail) :',
    remove: 'Retirer', confirmRemove: 'Retirer {{name}} de l’organisation ?', changeRole: 'Rôle de {{name}}', status: 'Statut', revoke: 'Révoquer', name: 'Nom',
    statuses: { pending: 'En attente', accepted: 'Acceptée', revoked: 'Révoquée', expired: 'Expirée' },
    join: 'Rejoindre une organisation', joinCode: 'Code d’invitation', accept: 'Accepter l’invitation', joined: 'Vous êtes maintenant membre, en tant que {{role}}.',
  },
};

const de: Catalog<typeof en> = {
  title: 'Verwaltung',
  nav: { dashboard: 'Übersicht', events: 'Veranstaltungen', orders: 'Bestellungen', boxOffice: 'Abendkasse', members: 'Mitglieder', door: 'Einlass' },
  organization: 'Organisation',
  role: { owner: 'Inhaber', manager: 'Manager', box_office: 'Kasse', door_staff: 'Einlasspersonal' },
  notMember: 'Sie sind kein Mitglied einer Organisation. Bitten Sie einen Inhaber um eine Einladung.',
  signInFirst: 'Melden Sie sich an, um die Verwaltung zu nutzen.',
  signIn: 'Anmelden',
  forbidden: 'Ihre Rolle gibt keinen Zugang zu dieser Seite.',
  dashboard: {
    today: 'Heute', period: 'Letzte 30 Tage', tickets: 'Verkaufte Tickets', revenue: 'Umsatz (abzüglich Erstattungen)', orders: 'Bestellungen',
    overTime: 'Verkäufe im Zeitverlauf', byEvent: 'Nach Veranstaltung', byChannel: 'Nach Kanal', event: 'Veranstaltung', channel: 'Kanal', nothing: 'Noch keine Verkäufe in diesem Zeitraum.',
    fill: 'Auslastung', date: 'Termin', section: 'Bereich', capacity: 'Kapazität', sold: 'Verkauft', held: 'Reserviert', available: 'Verfügbar',
    arrivals: 'Einlass (pro Viertelstunde)', noArrivals: 'Noch kein Einlass.', pickEvent: 'Details einer Veranstaltung', allEvents: 'Alle Veranstaltungen',
  },
  events: {
    title: 'Veranstaltungen', create: 'Veranstaltung anlegen', status: 'Status', dates: 'Termine', noEvents: 'Noch keine Veranstaltungen.', previous: 'Zurück', next: 'Weiter', page: 'Seite {{page}} von {{pages}}',
    form: { title: 'Titel', description: 'Beschreibung', image: 'Bild-URL', timeZone: 'Zeitzone', dates: 'Termine', addDate: 'Termin hinzufügen', startsAt: 'Beginn', sections: 'Bereiche', addSection: 'Bereich hinzufügen', sectionName: 'Name des Bereichs', capacity: 'Kapazität', tariffs: 'Tarife', addTariff: 'Tarif hinzufügen', label: 'Bezeichnung', price: 'Preis', section: 'Bereich', maxPerOrder: 'Höchstens pro Bestellung', quota: 'Kontingent', save: 'Veranstaltung anlegen', remove: 'Entfernen' },
    statuses: { draft: 'Entwurf', under_review: 'In Prüfung', scheduled: 'Geplant', listed: 'Im Verkauf', cancelled: 'Abgesagt' },
    actions: { under_review: 'Zur Prüfung einreichen', scheduled: 'Freigeben (planen)', listed: 'Im Shop anbieten', draft: 'Zurück zum Entwurf', cancelled: 'Veranstaltung absagen' },
    approvalNote: 'Die Freigabe einer eingereichten Veranstaltung ist Sache der Plattform-Administratoren.',
    confirmCancel: 'Diese Veranstaltung absagen? Das ist endgültig.',
    preview: 'Vorschau im Shop', detail: 'Veranstaltung', sections: 'Bereiche', tariffs: 'Tarife', lifecycle: 'Lebenszyklus',
  },
  orders: {
    title: 'Bestellungen', search: 'Nach Nummer, Name oder E-Mail suchen', searchButton: 'Suchen', number: 'Nummer', buyer: 'Käufer', email: 'E-Mail', total: 'Summe', status: 'Status', date: 'Datum', noOrders: 'Keine Bestellungen gefunden.',
    sortNewest: 'Neueste zuerst', sortOldest: 'Älteste zuerst', sortTotal: 'Höchste Summe', sort: 'Sortierung',
    detail: 'Bestellung {{number}}', lines: 'Positionen', payments: 'Zahlungen', tickets: 'Tickets', answers: 'Antworten', history: 'Verlauf', holder: 'Inhaber', barcode: 'Barcode', quantity: 'Anzahl', refunded: 'Erstattet',
    refund: 'Ausgewählte Tickets erstatten', refundAll: 'Ganze Bestellung erstatten', cancel: 'Offene Bestellung stornieren', confirmRefund: '{{count}} Ticket(s) erstatten? Die Plätze gehen zurück in den Verkauf.', confirmCancel: 'Diese offene Bestellung stornieren?',
    confirm: 'Bestätigen', back: 'Zurück', done: 'Erledigt.', changeHolder: 'Inhaber ändern', holderName: 'Name des Inhabers', save: 'Speichern',
    statuses: { pending: 'Offen', paid: 'Bezahlt', expired: 'Abgelaufen', cancelled: 'Storniert', partially_refunded: 'Teilweise erstattet', refunded: 'Erstattet' },
    kinds: { placed: 'Aufgegeben', paid: 'Bezahlt', refunded: 'Erstattung', cancelled: 'Storniert', expired: 'Abgelaufen', transfer_sent: 'Tickets gesendet' },
  },
  boxOffice: {
    title: 'Abendkasse', event: 'Veranstaltung', date: 'Termin', tariff: 'Tarif', quantity: 'Anzahl', buyer: 'Name des Käufers (optional)', method: 'Zahlung', cash: 'Bar', card_terminal: 'Kartenterminal',
    sell: 'Verkaufen und kassieren', sold: 'Verkauft: Bestellung {{number}}', tickets: 'Auszuhändigende Tickets', print: 'Drucken', another: 'Neuer Verkauf', chooseEvent: 'Veranstaltung wählen', noEvents: 'Keine Veranstaltung im Verkauf.',
  },
  members: {
    title: 'Mitglieder', invite: 'Jemanden einladen', email: 'E-Mail-Adresse', role: 'Rolle', send: 'Einladung senden', invitations: 'Einladungen', code: 'Einladungscode (nur einmal angezeigt; auch per E-Mail gesendet):',
    remove: 'Entfernen', confirmRemove: '{{name}} aus der Organisation entfernen?', changeRole: 'Rolle von {{name}}', status: 'Status', revoke: 'Widerrufen', name: 'Name',
    statuses: { pending: 'Offen', accepted: 'Angenommen', revoked: 'Widerrufen', expired: 'Abgelaufen' },
    join: 'Einer Organisation beitreten', joinCode: 'Einladungscode', accept: 'Einladung annehmen', joined: 'Sie sind jetzt Mitglied als {{role}}.',
  },
};

addCatalogs('manage', { en, fr, de });

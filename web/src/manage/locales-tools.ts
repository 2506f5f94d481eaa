import { addCatalogs } from '../shared/i18n.ts';
import type { Catalog } from './locales.ts';

/** The words of the selling, reporting, door set-up, partners and settings pages (merged into the `manage` namespace). */
const en = {
  nav: { codes: 'Discount codes', guests: 'Guest lists', holds: 'Holds and kills', counts: 'Ticket counts', exports: 'Exports', doorSetup: 'Door set-up', partners: 'Partners and access', settings: 'Settings' },
  kit: { event: 'Event', chooseEvent: 'Choose an event', date: 'Date', section: 'Section', shownOnce: 'Copy it now: it is shown only once and cannot be read again.', fieldRefused: 'This value is not accepted.' },
  codes: {
    title: 'Discount codes', create: 'Create a code', code: 'Code', codeHint: 'Letters, digits, - and _ (3 to 40)', kind: 'Kind', percentage: 'Percentage', fixed: 'Fixed amount ({{currency}})',
    percent: 'Percent off', amount: 'Amount off ({{currency}})', limit: 'Usage limit', limitHint: 'Empty: unlimited', endsAt: 'Ends at', allEvents: 'All events', save: 'Create the code',
    discount: 'Discount', used: 'Used', usedOf: '{{used}} of {{limit}}', status: 'Status', active: 'Active', inactive: 'Inactive', deactivate: 'Deactivate', reactivate: 'Reactivate', none: 'No discount codes yet.',
  },
  guests: {
    title: 'Guest lists', issue: 'Issue comps to a guest', name: 'Guest name', email: 'E-mail (optional)', quantity: 'Tickets', note: 'Note', save: 'Issue the comps', tickets: 'Barcodes',
    none: 'No guests for this event yet.', withdraw: 'Withdraw', confirmWithdraw: 'Withdraw the comps of {{name}}? Their tickets stop admitting and the places return to sale.',
    statuses: { issued: 'Issued', cancelled: 'Withdrawn' },
  },
  holds: {
    title: 'Holds and kills', intro: 'Kills remove places from sale for good (a camera position, a broken seat); holds keep places aside for the organizer. Both lower what can be sold.',
    comps: 'Comps', kills: 'Kills', holds: 'Holds', sellable: 'Sellable', save: 'Save', saved: 'Saved.',
    killsOf: 'Kills, {{where}}', holdsOf: 'Holds, {{where}}', saveOf: 'Save {{where}}', wouldNotFit: 'Not saved: what is already sold, given as comps, killed and held would no longer fit in the capacity.',
  },
  counts: {
    title: 'Ticket counts', none: 'No ticket counts for this event yet.', day: 'Day', source: 'Source', sales: 'Tickets', gross: 'Amount', sources: { auto: 'Guichet (automatic)', entered: 'Entered' },
    approved: 'Approved', awaiting: 'Awaiting approval', approve: 'Approve', reject: 'Reject', confirmReject: 'Reject this count? It is deleted.',
    enter: 'Enter a count for an external channel', noExternal: 'No external sales channel: counts of Guichet’s own channels are produced automatically.', channel: 'Channel', tariff: 'Tariff',
    grossIn: 'Amount ({{currency}})', comment: 'Comment', save: 'Enter the count',
  },
  exports: {
    title: 'Exports', kind: 'What', kinds: { orders: 'Orders', tickets: 'Tickets', ticket_counts: 'Ticket counts' }, start: 'Start the export', none: 'No exports yet.',
    started: 'Started', progress: 'Progress', progressOf: '{{percent}} % done', download: 'Download CSV',
    statuses: { queued: 'Queued', running: 'Running', done: 'Done', failed: 'Failed' },
  },
  doorSetup: {
    title: 'Door set-up', name: 'Name', sections: 'Sections', dates: 'Dates', global: 'Global (whole event)', all: 'All',
    create: 'Create an admission token', datesHint: 'Dates (none ticked: every date)', save: 'Create the token', newCode: 'New code',
    confirmNewCode: 'Issue a new code? The old code stops working (devices already signed in stay).', confirmRevoke: 'Revoke this token? Its code and every device signed in with it stop working.',
    codeOf: 'Admission code of “{{name}}”', codeHint: 'Type it in the door app at {{url}}.', points: 'Control points', pointName: 'Control point name', addPoint: 'Add',
  },
  partners: {
    title: 'Partners and access', name: 'Name', create: 'Create', revoke: 'Revoke', revoked: 'Revoked', revokeOf: 'Revoke {{name}}', confirmRevoke: 'Revoke {{name}}? Software using it stops working at once.',
    example: 'An example call:', lastUsed: 'last used {{at}}',
    oauth: { title: 'OAuth clients', intro: 'For your own software on the native API ({{url}}).', scopes: 'Scopes', secret: 'Client secret of {{id}}' },
    ticketing: { title: 'TickeTing integration keys', intro: 'For software written for TickeTing (base URL {{url}}).', level: 'Access level', secret: 'Integration key' },
    weezevent: { title: 'Weezevent partner keys', intro: 'The api_key of partners using the Weezevent API ({{url}}).', secret: 'Partner key' },
    pims: { title: 'Pims API users', intro: 'HTTP Basic users of the Pims reporting API ({{url}}).', username: 'User name', access: 'Access', read: 'Read', write: 'Read and write', secret: 'Password of {{user}}' },
  },
  settings: {
    title: 'Organization settings', name: 'Name', currency: 'Currency', currencyHint: 'ISO 4217 code, e.g. EUR', timeZone: 'Time zone', locale: 'Locale', localeHint: 'e.g. fr-FR',
    save: 'Save', saved: 'Saved.', publicKey: 'Public QR-verification key', publicKeyHint: 'Door apps and partners verify ticket QR codes offline with this key.',
  },
};

const fr: Catalog<typeof en> = {
  nav: { codes: 'Codes promo', guests: 'Invités', holds: 'Réserves et blocages', counts: 'Comptages', exports: 'Exports', doorSetup: 'Contrôle : réglages', partners: 'Partenaires et accès', settings: 'Paramètres' },
  kit: { event: 'Événement', chooseEvent: 'Choisissez un événement', date: 'Date', section: 'Catégorie', shownOnce: 'Copiez-le maintenant : il n’est affiché qu’une fois et ne pourra plus être lu.', fieldRefused: 'Cette valeur n’est pas acceptée.' },
  codes: {
    title: 'Codes promo', create: 'Créer un code', code: 'Code', codeHint: 'Lettres, chiffres, - et _ (3 à 40)', kind: 'Type', percentage: 'Pourcentage', fixed: 'Montant fixe ({{currency}})',
    percent: 'Remise en %', amount: 'Remise ({{currency}})', limit: 'Utilisations maximum', limitHint: 'Vide : illimité', endsAt: 'Fin de validité', allEvents: 'Tous les événements', save: 'Créer le code',
    discount: 'Remise', used: 'Utilisé', usedOf: '{{used}} sur {{limit}}', status: 'Statut', active: 'Actif', inactive: 'Inactif', deactivate: 'Désactiver', reactivate: 'Réactiver', none: 'Aucun code promo.',
  },
  guests: {
    title: 'Invités', issue: 'Inviter quelqu’un', name: 'Nom de l’invité', email: 'E-mail (facultatif)', quantity: 'Billets', note: 'Note', save: 'Émettre les invitations', tickets: 'Codes-barres',
    none: 'Aucun invité pour cet événement.', withdraw: 'Retirer', confirmWithdraw: 'Retirer les invitations de {{name}} ? Les billets ne permettent plus d’entrer et les places sont remises en vente.',
    statuses: { issued: 'Émises', cancelled: 'Retirées' },
  },
  holds: {
    title: 'Réserves et blocages', intro: 'Les places bloquées sont retirées de la vente (une caméra, un fauteuil cassé) ; les places réservées sont gardées par l’organisateur. Les deux diminuent ce qui peut être vendu.',
    comps: 'Invitations', kills: 'Bloquées', holds: 'Réservées', sellable: 'Vendables', save: 'Enregistrer', saved: 'Enregistré.',
    killsOf: 'Bloquées, {{where}}', holdsOf: 'Réservées, {{where}}', saveOf: 'Enregistrer {{where}}', wouldNotFit: 'Non enregistré : ce qui est déjà vendu, offert, bloqué et réservé ne tiendrait plus dans la jauge.',
  },
  counts: {
    title: 'Comptages', none: 'Aucun comptage pour cet événement.', day: 'Jour', source: 'Origine', sales: 'Billets', gross: 'Montant', sources: { auto: 'Guichet (automatique)', entered: 'Saisi' },
    approved: 'Validé', awaiting: 'À valider', approve: 'Valider', reject: 'Rejeter', confirmReject: 'Rejeter ce comptage ? Il sera supprimé.',
    enter: 'Saisir un comptage d’un canal externe', noExternal: 'Aucun canal de vente externe : les comptages des canaux de Guichet sont produits automatiquement.', channel: 'Canal', tariff: 'Tarif',
    grossIn: 'Montant ({{currency}})', comment: 'Commentaire', save: 'Saisir le comptage',
  },
  exports: {
    title: 'Exports', kind: 'Contenu', kinds: { orders: 'Commandes', tickets: 'Billets', ticket_counts: 'Comptages' }, start: 'Lancer l’export', none: 'Aucun export.',
    started: 'Lancé', progress: 'Avancement', progressOf: '{{percent}} % fait', download: 'Télécharger le CSV',
    statuses: { queued: 'En attente', running: 'En cours', done: 'Terminé', failed: 'Échec' },
  },
  doorSetup: {
    title: 'Réglages du contrôle', name: 'Nom', sections: 'Catégories', dates: 'Dates', global: 'Global (tout l’événement)', all: 'Toutes',
    create: 'Créer un jeton d’accès', datesHint: 'Dates (aucune cochée : toutes)', save: 'Créer le jeton', newCode: 'Nouveau code',
    confirmNewCode: 'Émettre un nouveau code ? L’ancien ne fonctionnera plus (les appareils déjà connectés le restent).', confirmRevoke: 'Révoquer ce jeton ? Son code et tous les appareils connectés avec lui cessent de fonctionner.',
    codeOf: 'Code d’accès de « {{name}} »', codeHint: 'À saisir dans l’application de contrôle, {{url}}.', points: 'Points de contrôle', pointName: 'Nom du point de contrôle', addPoint: 'Ajouter',
  },
  partners: {
    title: 'Partenaires et accès', name: 'Nom', create: 'Créer', revoke: 'Révoquer', revoked: 'Révoqué', revokeOf: 'Révoquer {{name}}', confirmRevoke: 'Révoquer {{name}} ? Les logiciels qui l’utilisent cessent aussitôt de fonctionner.',
    example: 'Exemple d’appel :', lastUsed: 'utilisée le {{at}}',
    oauth: { title: 'Clients OAuth', intro: 'Pour vos propres logiciels sur l’API native ({{url}}).', scopes: 'Portées', secret: 'Secret du client {{id}}' },
    ticketing: { title: 'Clés d’intégration TickeTing', intro: 'Pour les logiciels écrits pour TickeTing (URL de base {{url}}).', level: 'Niveau d’accès', secret: 'Clé d’intégration' },
    weezevent: { title: 'Clés partenaires Weezevent', intro: 'L’api_key des partenaires qui utilisent l’API Weezevent ({{url}}).', secret: 'Clé partenaire' },
    pims: { title: 'Utilisateurs de l’API Pims', intro: 'Utilisateurs HTTP Basic de l’API de comptage Pims ({{url}}).', username: 'Nom d’utilisateur', access: 'Accès', read: 'Lecture', write: 'Lecture et écriture', secret: 'Mot de passe de {{user}}' },
  },
  settings: {
    title: 'Paramètres de l’organisation', name: 'Nom', currency: 'Devise', currencyHint: 'Code ISO 4217, par ex. EUR', timeZone: 'Fuseau horaire', locale: 'Langue et région', localeHint: 'par ex. fr-FR',
    save: 'Enregistrer', saved: 'Enregistré.', publicKey: 'Clé publique de vérification des QR codes', publicKeyHint: 'Les applications de contrôle et les partenaires vérifient hors ligne les QR codes des billets avec cette clé.',
  },
};

const de: Catalog<typeof en> = {
  nav: { codes: 'Rabattcodes', guests: 'Gästelisten', holds: 'Sperren und Reserven', counts: 'Ticketzählungen', exports: 'Exporte', doorSetup: 'Einlass einrichten', partners: 'Partner und Zugänge', settings: 'Einstellungen' },
  kit: { event: 'Veranstaltung', chooseEvent: 'Veranstaltung wählen', date: 'Termin', section: 'Bereich', shownOnce: 'Jetzt kopieren: Es wird nur einmal angezeigt und kann nicht erneut gelesen werden.', fieldRefused: 'Dieser Wert wird nicht angenommen.' },
  codes: {
    title: 'Rabattcodes', create: 'Code anlegen', code: 'Code', codeHint: 'Buchstaben, Ziffern, - und _ (3 bis 40)', kind: 'Art', percentage: 'Prozent', fixed: 'Fester Betrag ({{currency}})',
    percent: 'Rabatt in %', amount: 'Rabatt ({{currency}})', limit: 'Höchstzahl der Einlösungen', limitHint: 'Leer: unbegrenzt', endsAt: 'Gültig bis', allEvents: 'Alle Veranstaltungen', save: 'Code anlegen',
    discount: 'Rabatt', used: 'Eingelöst', usedOf: '{{used}} von {{limit}}', status: 'Status', active: 'Aktiv', inactive: 'Inaktiv', deactivate: 'Deaktivieren', reactivate: 'Reaktivieren', none: 'Noch keine Rabattcodes.',
  },
  guests: {
    title: 'Gästelisten', issue: 'Freikarten an einen Gast ausgeben', name: 'Name des Gastes', email: 'E-Mail (optional)', quantity: 'Tickets', note: 'Notiz', save: 'Freikarten ausgeben', tickets: 'Barcodes',
    none: 'Noch keine Gäste für diese Veranstaltung.', withdraw: 'Zurückziehen', confirmWithdraw: 'Die Freikarten von {{name}} zurückziehen? Die Tickets gelten nicht mehr und die Plätze gehen zurück in den Verkauf.',
    statuses: { issued: 'Ausgegeben', cancelled: 'Zurückgezogen' },
  },
  holds: {
    title: 'Sperren und Reserven', intro: 'Gesperrte Plätze sind dauerhaft aus dem Verkauf (eine Kamera, ein defekter Sitz); Reserven hält der Veranstalter zurück. Beide verringern, was verkauft werden kann.',
    comps: 'Freikarten', kills: 'Gesperrt', holds: 'Reserviert', sellable: 'Verkaufbar', save: 'Speichern', saved: 'Gespeichert.',
    killsOf: 'Gesperrt, {{where}}', holdsOf: 'Reserviert, {{where}}', saveOf: '{{where}} speichern', wouldNotFit: 'Nicht gespeichert: Verkauftes, Freikarten, Sperren und Reserven passten nicht mehr in die Kapazität.',
  },
  counts: {
    title: 'Ticketzählungen', none: 'Noch keine Zählungen für diese Veranstaltung.', day: 'Tag', source: 'Herkunft', sales: 'Tickets', gross: 'Betrag', sources: { auto: 'Guichet (automatisch)', entered: 'Erfasst' },
    approved: 'Freigegeben', awaiting: 'Wartet auf Freigabe', approve: 'Freigeben', reject: 'Ablehnen', confirmReject: 'Diese Zählung ablehnen? Sie wird gelöscht.',
    enter: 'Zählung eines externen Kanals erfassen', noExternal: 'Kein externer Verkaufskanal: Die Zählungen der Guichet-Kanäle entstehen automatisch.', channel: 'Kanal', tariff: 'Tarif',
    grossIn: 'Betrag ({{currency}})', comment: 'Kommentar', save: 'Zählung erfassen',
  },
  exports: {
    title: 'Exporte', kind: 'Inhalt', kinds: { orders: 'Bestellungen', tickets: 'Tickets', ticket_counts: 'Ticketzählungen' }, start: 'Export starten', none: 'Noch keine Exporte.',
    started: 'Gestartet', progress: 'Fortschritt', progressOf: '{{percent}} % erledigt', download: 'CSV herunterladen',
    statuses: { queued: 'Wartet', running: 'Läuft', done: 'Fertig', failed: 'Fehlgeschlagen' },
  },
  doorSetup: {
    title: 'Einlass einrichten', name: 'Name', sections: 'Bereiche', dates: 'Termine', global: 'Global (ganze Veranstaltung)', all: 'Alle',
    create: 'Einlass-Token anlegen', datesHint: 'Termine (keiner gewählt: alle)', save: 'Token anlegen', newCode: 'Neuer Code',
    confirmNewCode: 'Einen neuen Code ausgeben? Der alte gilt nicht mehr (bereits angemeldete Geräte bleiben).', confirmRevoke: 'Dieses Token widerrufen? Sein Code und alle damit angemeldeten Geräte funktionieren nicht mehr.',
    codeOf: 'Einlasscode von „{{name}}“', codeHint: 'In der Einlass-App unter {{url}} eingeben.', points: 'Kontrollpunkte', pointName: 'Name des Kontrollpunkts', addPoint: 'Hinzufügen',
  },
  partners: {
    title: 'Partner und Zugänge', name: 'Name', create: 'Anlegen', revoke: 'Widerrufen', revoked: 'Widerrufen', revokeOf: '{{name}} widerrufen', confirmRevoke: '{{name}} widerrufen? Software, die es nutzt, funktioniert sofort nicht mehr.',
    example: 'Ein Beispielaufruf:', lastUsed: 'zuletzt genutzt {{at}}',
    oauth: { title: 'OAuth-Clients', intro: 'Für Ihre eigene Software an der nativen API ({{url}}).', scopes: 'Berechtigungen', secret: 'Client-Secret von {{id}}' },
    ticketing: { title: 'TickeTing-Integrationsschlüssel', intro: 'Für Software, die für TickeTing geschrieben wurde (Basis-URL {{url}}).', level: 'Zugriffsstufe', secret: 'Integrationsschlüssel' },
    weezevent: { title: 'Weezevent-Partnerschlüssel', intro: 'Der api_key von Partnern, die die Weezevent-API nutzen ({{url}}).', secret: 'Partnerschlüssel' },
    pims: { title: 'Pims-API-Benutzer', intro: 'HTTP-Basic-Benutzer der Pims-Reporting-API ({{url}}).', username: 'Benutzername', access: 'Zugriff', read: 'Lesen', write: 'Lesen und schreiben', secret: 'Passwort von {{user}}' },
  },
  settings: {
    title: 'Einstellungen der Organisation', name: 'Name', currency: 'Währung', currencyHint: 'ISO-4217-Code, z. B. EUR', timeZone: 'Zeitzone', locale: 'Gebietsschema', localeHint: 'z. B. de-DE',
    save: 'Speichern', saved: 'Gespeichert.', publicKey: 'Öffentlicher Schlüssel zur QR-Prüfung', publicKeyHint: 'Einlass-Apps und Partner prüfen die QR-Codes der Tickets damit offline.',
  },
};

addCatalogs('manage', { en, fr, de });

import { addCatalogs } from '../shared/i18n.ts';
import type { Catalog } from './locales.ts';

/** The words of the promotions page, seat-by-seat holds, scan settings and the door's live figures (merged into the `manage` namespace). */
const en = {
  nav: { promotions: 'Promotions' },
  promotions: {
    title: 'Promotions', intro: 'Marketing around your events (ads, posters, partnerships) and what it costs: the figures Pims partners read beside the ticket counts.',
    search: 'Label contains', searchButton: 'Filter', none: 'No promotions yet.',
    label: 'Label', type: 'Type', period: 'Period', appliedTo: 'Events', cost: 'Cost', costState: 'Payment', from: 'from {{supplier}}', series: 'Series #{{id}}', worth: 'worth {{amount}}',
    edit: 'Edit', editOf: 'Edit {{label}}', delete: 'Delete', deleteOf: 'Delete {{label}}', confirmDelete: 'Delete the promotion “{{label}}”?',
    create: 'Add a promotion', editing: 'Editing “{{label}}”', supplier: 'Supplier', startDate: 'From', endDate: 'To', costType: 'Paid how', currency: 'Currency',
    costsPerEvent: 'Costs per event', eventN: 'Event {{n}}', quantityN: 'Quantity {{n}}', unitCostN: 'Unit cost {{n}} ({{currency}})',
    valuedQuantityN: 'Valued quantity {{n}}', valuedUnitCostN: 'Valued unit cost {{n}} ({{currency}})', removeEventN: 'Remove event {{n}}',
    seriesKept: 'Also applies to {{series}} (kept as it is).', addEvent: 'Add an event', comments: 'Comments',
    save: 'Add the promotion', saveChanges: 'Save the changes', cancel: 'Cancel',
  },
  seatHolds: {
    bySeat: 'seat by seat, below',
    title: 'Seats held and killed',
    intro: 'Pick seats on the map (Tab into it, arrow keys to move, Enter to pick) or type their labels, then hold them for the organizer, kill them, or put them back on sale. Seats sold or in a buyer’s cart cannot be picked.',
    readOnly: 'The seats your organization holds and kills. Your role does not allow changing them.',
    map: 'Seats on {{date}}',
    legend: 'Category colour: on sale · tick: picked · dash: held or killed · cross: sold or in a buyer’s cart.',
    heldList: 'Held for the organizer', killedList: 'Killed (not for sale)',
    byLabel: 'Seats by label', byLabelHint: 'Row and number, separated by commas: A-1, A-2, B7', pick: 'Pick these seats',
    unknown: 'Not picked (no such seat, or sold): {{seats}}',
    noneSelected: 'No seat picked.', selection_one: '{{count}} seat picked: {{seats}}', selection_other: '{{count}} seats picked: {{seats}}',
    conflict: 'Not changed: some seats were sold or taken into a cart meanwhile ({{seats}}).',
    hold: 'Hold for the organizer', kill: 'Kill (not for sale)', release: 'Put back on sale', clear: 'Unpick all',
    held_one: '{{count}} seat held.', held_other: '{{count}} seats held.', killed_one: '{{count}} seat killed.', killed_other: '{{count}} seats killed.',
    released_one: '{{count}} seat back on sale.', released_other: '{{count}} seats back on sale.',
    selected: 'picked', announceSelected: '{{seat}} picked.', announceUnselected: '{{seat}} unpicked.',
    status: { free: 'on sale', held: 'in a buyer’s cart', sold: 'sold', killed: 'killed', organizer_hold: 'held for the organizer' },
  },
  doorLive: {
    title: 'At the door now', updated: 'Updated at {{at}}, every 5 seconds', admitted: 'Admitted so far', ofTotal: '{{admitted}} of {{total}}', inside: 'Inside now', out: 'Gone out',
    tickets: 'Tickets', noScans: 'No scans yet.', gate: 'Control point', entries: 'Entries', exits: 'Exits', refused: 'Refused', noGate: 'No control point',
  },
  scanSettings: {
    title: 'Scan settings', intro: 'What the door app does after each scan, on every device of your organization.',
    sound: 'Sound after each scan', vibration: 'Vibrate after each scan', sync: 'Sync every (seconds)', syncHint: 'How often devices fetch admissions made at other gates',
    reentry: 'Re-entry', reentryHint: 'A ticket scanned out of “{{event}}” may come back in.', save: 'Save the scan settings', saved: 'Saved.',
  },
};

const fr: Catalog<typeof en> = {
  nav: { promotions: 'Promotion' },
  promotions: {
    title: 'Promotion', intro: 'Les actions de promotion de vos événements (annonces, affichage, partenariats) et leur coût : les chiffres que lisent les partenaires Pims à côté des comptages.',
    search: 'Libellé contenant', searchButton: 'Filtrer', none: 'Aucune action de promotion.',
    label: 'Libellé', type: 'Type', period: 'Période', appliedTo: 'Événements', cost: 'Coût', costState: 'Règlement', from: 'chez {{supplier}}', series: 'Série n° {{id}}', worth: 'valorisé {{amount}}',
    edit: 'Modifier', editOf: 'Modifier {{label}}', delete: 'Supprimer', deleteOf: 'Supprimer {{label}}', confirmDelete: 'Supprimer l’action « {{label}} » ?',
    create: 'Ajouter une action de promotion', editing: 'Modification de « {{label}} »', supplier: 'Fournisseur', startDate: 'Du', endDate: 'Au', costType: 'Mode', currency: 'Devise',
    costsPerEvent: 'Coûts par événement', eventN: 'Événement {{n}}', quantityN: 'Quantité {{n}}', unitCostN: 'Coût unitaire {{n}} ({{currency}})',
    valuedQuantityN: 'Quantité valorisée {{n}}', valuedUnitCostN: 'Valeur unitaire {{n}} ({{currency}})', removeEventN: 'Retirer l’événement {{n}}',
    seriesKept: 'S’applique aussi à {{series}} (inchangé).', addEvent: 'Ajouter un événement', comments: 'Commentaires',
    save: 'Ajouter l’action', saveChanges: 'Enregistrer les modifications', cancel: 'Annuler',
  },
  seatHolds: {
    bySeat: 'place par place, ci-dessous',
    title: 'Places réservées et bloquées',
    intro: 'Choisissez des places sur le plan (Tab pour y entrer, flèches pour se déplacer, Entrée pour choisir) ou tapez leurs numéros, puis réservez-les pour l’organisateur, bloquez-les ou remettez-les en vente. Les places vendues ou dans le panier d’un acheteur ne peuvent être choisies.',
    readOnly: 'Les places réservées et bloquées par votre organisation. Votre rôle ne permet pas de les changer.',
    map: 'Places le {{date}}',
    legend: 'Couleur de la catégorie : en vente · coche : choisie · tiret : réservée ou bloquée · croix : vendue ou dans un panier.',
    heldList: 'Réservées pour l’organisateur', killedList: 'Bloquées (hors vente)',
    byLabel: 'Places par numéro', byLabelHint: 'Rang et numéro, séparés par des virgules : A-1, A-2, B7', pick: 'Choisir ces places',
    unknown: 'Non choisies (inexistantes ou vendues) : {{seats}}',
    noneSelected: 'Aucune place choisie.', selection_one: '{{count}} place choisie : {{seats}}', selection_other: '{{count}} places choisies : {{seats}}',
    conflict: 'Rien n’a changé : des places ont été vendues ou mises dans un panier entre-temps ({{seats}}).',
    hold: 'Réserver pour l’organisateur', kill: 'Bloquer (hors vente)', release: 'Remettre en vente', clear: 'Tout désélectionner',
    held_one: '{{count}} place réservée.', held_other: '{{count}} places réservées.', killed_one: '{{count}} place bloquée.', killed_other: '{{count}} places bloquées.',
    released_one: '{{count}} place remise en vente.', released_other: '{{count}} places remises en vente.',
    selected: 'choisie', announceSelected: '{{seat}} choisie.', announceUnselected: '{{seat}} retirée du choix.',
    status: { free: 'en vente', held: 'dans le panier d’un acheteur', sold: 'vendue', killed: 'bloquée', organizer_hold: 'réservée pour l’organisateur' },
  },
  doorLive: {
    title: 'Au contrôle en ce moment', updated: 'Mis à jour à {{at}}, toutes les 5 secondes', admitted: 'Entrés jusqu’ici', ofTotal: '{{admitted}} sur {{total}}', inside: 'Présents', out: 'Sortis',
    tickets: 'Billets', noScans: 'Aucun scan pour l’instant.', gate: 'Point de contrôle', entries: 'Entrées', exits: 'Sorties', refused: 'Refusés', noGate: 'Sans point de contrôle',
  },
  scanSettings: {
    title: 'Réglages du scan', intro: 'Ce que fait l’application de contrôle après chaque scan, sur tous les appareils de votre organisation.',
    sound: 'Son après chaque scan', vibration: 'Vibration après chaque scan', sync: 'Synchroniser toutes les (secondes)', syncHint: 'À quelle fréquence les appareils reçoivent les entrées faites aux autres portes',
    reentry: 'Ré-entrée', reentryHint: 'Un billet scanné en sortie de « {{event}} » peut entrer de nouveau.', save: 'Enregistrer les réglages du scan', saved: 'Enregistré.',
  },
};

const de: Catalog<typeof en> = {
  nav: { promotions: 'Werbung' },
  promotions: {
    title: 'Werbung', intro: 'Werbemaßnahmen für Ihre Veranstaltungen (Anzeigen, Plakate, Partnerschaften) und ihre Kosten: die Zahlen, die Pims-Partner neben den Ticketzählungen lesen.',
    search: 'Bezeichnung enthält', searchButton: 'Filtern', none: 'Noch keine Werbemaßnahmen.',
    label: 'Bezeichnung', type: 'Art', period: 'Zeitraum', appliedTo: 'Veranstaltungen', cost: 'Kosten', costState: 'Zahlung', from: 'bei {{supplier}}', series: 'Reihe Nr. {{id}}', worth: 'Gegenwert {{amount}}',
    edit: 'Bearbeiten', editOf: '{{label}} bearbeiten', delete: 'Löschen', deleteOf: '{{label}} löschen', confirmDelete: 'Die Maßnahme „{{label}}“ löschen?',
    create: 'Werbemaßnahme hinzufügen', editing: '„{{label}}“ bearbeiten', supplier: 'Anbieter', startDate: 'Von', endDate: 'Bis', costType: 'Abrechnung', currency: 'Währung',
    costsPerEvent: 'Kosten je Veranstaltung', eventN: 'Veranstaltung {{n}}', quantityN: 'Menge {{n}}', unitCostN: 'Stückpreis {{n}} ({{currency}})',
    valuedQuantityN: 'Bewertete Menge {{n}}', valuedUnitCostN: 'Bewerteter Stückpreis {{n}} ({{currency}})', removeEventN: 'Veranstaltung {{n}} entfernen',
    seriesKept: 'Gilt auch für {{series}} (unverändert).', addEvent: 'Veranstaltung hinzufügen', comments: 'Kommentare',
    save: 'Maßnahme hinzufügen', saveChanges: 'Änderungen speichern', cancel: 'Abbrechen',
  },
  seatHolds: {
    bySeat: 'Platz für Platz, unten',
    title: 'Reservierte und gesperrte Plätze',
    intro: 'Wählen Sie Plätze im Saalplan (mit Tab hinein, Pfeiltasten zum Bewegen, Eingabe zum Wählen) oder tippen Sie ihre Bezeichnungen, und reservieren Sie sie für den Veranstalter, sperren Sie sie oder geben Sie sie wieder in den Verkauf. Verkaufte Plätze und Plätze im Warenkorb eines Käufers sind nicht wählbar.',
    readOnly: 'Die von Ihrer Organisation reservierten und gesperrten Plätze. Ihre Rolle erlaubt keine Änderung.',
    map: 'Plätze am {{date}}',
    legend: 'Farbe der Kategorie: im Verkauf · Haken: gewählt · Strich: reserviert oder gesperrt · Kreuz: verkauft oder im Warenkorb.',
    heldList: 'Für den Veranstalter reserviert', killedList: 'Gesperrt (nicht im Verkauf)',
    byLabel: 'Plätze nach Bezeichnung', byLabelHint: 'Reihe und Nummer, durch Kommas getrennt: A-1, A-2, B7', pick: 'Diese Plätze wählen',
    unknown: 'Nicht gewählt (unbekannt oder verkauft): {{seats}}',
    noneSelected: 'Kein Platz gewählt.', selection_one: '{{count}} Platz gewählt: {{seats}}', selection_other: '{{count}} Plätze gewählt: {{seats}}',
    conflict: 'Nichts geändert: Einige Plätze wurden inzwischen verkauft oder in einen Warenkorb gelegt ({{seats}}).',
    hold: 'Für den Veranstalter reservieren', kill: 'Sperren (nicht im Verkauf)', release: 'Wieder in den Verkauf', clear: 'Auswahl aufheben',
    held_one: '{{count}} Platz reserviert.', held_other: '{{count}} Plätze reserviert.', killed_one: '{{count}} Platz gesperrt.', killed_other: '{{count}} Plätze gesperrt.',
    released_one: '{{count}} Platz wieder im Verkauf.', released_other: '{{count}} Plätze wieder im Verkauf.',
    selected: 'gewählt', announceSelected: '{{seat}} gewählt.', announceUnselected: '{{seat}} abgewählt.',
    status: { free: 'im Verkauf', held: 'im Warenkorb eines Käufers', sold: 'verkauft', killed: 'gesperrt', organizer_hold: 'für den Veranstalter reserviert' },
  },
  doorLive: {
    title: 'Am Einlass gerade', updated: 'Aktualisiert um {{at}}, alle 5 Sekunden', admitted: 'Bisher eingelassen', ofTotal: '{{admitted}} von {{total}}', inside: 'Jetzt drinnen', out: 'Hinausgegangen',
    tickets: 'Tickets', noScans: 'Noch keine Scans.', gate: 'Kontrollpunkt', entries: 'Eintritte', exits: 'Austritte', refused: 'Abgewiesen', noGate: 'Ohne Kontrollpunkt',
  },
  scanSettings: {
    title: 'Scan-Einstellungen', intro: 'Was die Einlass-App nach jedem Scan tut, auf allen Geräten Ihrer Organisation.',
    sound: 'Ton nach jedem Scan', vibration: 'Vibration nach jedem Scan', sync: 'Synchronisieren alle (Sekunden)', syncHint: 'Wie oft die Geräte die Eintritte an anderen Eingängen abholen',
    reentry: 'Wiedereinlass', reentryHint: 'Ein beim Verlassen von „{{event}}“ gescanntes Ticket darf wieder hinein.', save: 'Scan-Einstellungen speichern', saved: 'Gespeichert.',
  },
};

addCatalogs('manage', { en, fr, de });

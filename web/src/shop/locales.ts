import { addCatalogs } from '../shared/i18n.ts';

const en = {
  home: { title: 'Events', search: 'Search events', text: 'What are you looking for?', city: 'City', category: 'Category', from: 'From', to: 'Until', any: 'Any', submit: 'Search', none: 'No event matches your search.', results_one: '{{count}} event', results_other: '{{count}} events' },
  availability: { available: 'On sale', few_left: 'Only a few left', sold_out: 'Sold out', not_yet_on_sale: 'Not yet on sale', sale_ended: 'No longer on sale', cancelled: 'Cancelled' },
  priceFrom: 'From {{price}}',
  dates_one: '{{count}} date',
  dates_other: '{{count}} dates',
  by: 'by {{name}}',
  event: {
    dates: 'Dates and tickets', venue: 'Venue', quantity: 'Quantity of {{tariff}}', maxPerOrder: 'up to {{max}} per order', addToCart: 'Reserve these tickets', nothingChosen: 'Choose at least one ticket.', noneChosen: 'No tickets chosen yet',
    salesOpen: 'Sales open {{date}}', noDates: 'No upcoming date.', namesRequired: 'The organizer prints the holder’s name on each ticket: you give one per ticket at checkout.', total: 'Total: {{total}}',
  },
  cart: {
    title: 'Your tickets', heldUntil: 'Your tickets are held for {{time}}.', heldHelp: 'If the time runs out, the places are released for other buyers and you will have to add them again.',
    expired: 'Your reservation ran out: the places were released.', backToEvent: 'Choose tickets again', remove: 'Remove', empty: 'Your cart is empty.',
  },
  checkout: {
    title: 'Checkout', buyer: 'Your details', name: 'Full name', email: 'E-mail address', emailHelp: 'Your tickets and order link are sent here.', holders: 'Ticket holders', holder: 'Name on ticket {{n}} ({{tariff}})', holdersOptional: 'Leave a name empty to print yours on that ticket.', holdersRequired: 'The organizer asks for the name of each ticket’s holder: it is printed on the ticket.',
    questions: 'A few questions', ticketQuestion: '{{label}} (ticket {{n}})', yes: 'Yes', code: 'Discount code', codeValid: '{{code}}: −{{discount}}', checking: 'Checking…', apply: 'Apply',
    payment: 'Payment', cardNumber: 'Card number', expiry: 'Expiry (MM/YY)', cvv: 'Security code', cardHolder: 'Name on card', testCards: 'Test cards: 4242 4242 4242 4242 approves, 4000 0000 0000 0002 is declined, 4000 0000 0000 3220 asks for a confirmation.',
    pay: 'Pay {{total}}', subtotal: 'Subtotal', discount: 'Discount', total: 'Total', required: 'Required', invalidEmail: 'Enter a valid e-mail address.',
    confirmTitle: 'Confirm the payment', confirmBody: 'Your bank asks you to confirm this payment (test: approve or decline).', approve: 'Approve', decline: 'Decline',
    declinedRetry: 'Your card was declined. Nothing was charged: check the details or use another card, then pay again.',
  },
  order: {
    title: 'Order {{number}}', thanks: 'Thank you! Your order is confirmed.', pending: 'This order awaits payment.', tickets: 'Your tickets', holder: 'Holder', date: 'Date', section: 'Section', tariff: 'Tariff', qr: 'QR code of ticket {{barcode}}',
    keepLink: 'Keep this page: its address opens your order and tickets at any time.', status: { pending: 'Awaiting payment', paid: 'Paid', expired: 'Expired', cancelled: 'Cancelled', partially_refunded: 'Partly refunded', refunded: 'Refunded' },
  },
  storefront: { events: 'Events by {{name}}' },
};
type Catalog<T> = { [K in keyof T]: T[K] extends string ? string : Catalog<T[K]> };

const fr: Catalog<typeof en> = {
  home: { title: 'Événements', search: 'Rechercher des événements', text: 'Que cherchez-vous ?', city: 'Ville', category: 'Catégorie', from: 'Du', to: "Jusqu'au", any: 'Toutes', submit: 'Rechercher', none: 'Aucun événement ne correspond à votre recherche.', results_one: '{{count}} événement', results_other: '{{count}} événements' },
  availability: { available: 'En vente', few_left: 'Dernières places', sold_out: 'Complet', not_yet_on_sale: 'Pas encore en vente', sale_ended: 'Vente terminée', cancelled: 'Annulé' },
  priceFrom: 'À partir de {{price}}',
  dates_one: '{{count}} date',
  dates_other: '{{count}} dates',
  by: 'par {{name}}',
  event: {
    dates: 'Dates et billets', venue: 'Lieu', quantity: 'Quantité de {{tariff}}', maxPerOrder: "jusqu'à {{max}} par commande", addToCart: 'Réserver ces billets', nothingChosen: 'Choisissez au moins un billet.', noneChosen: 'Aucun billet choisi pour l’instant',
    salesOpen: 'Ouverture des ventes le {{date}}', noDates: 'Aucune date à venir.', namesRequired: 'L’organisateur imprime le nom du titulaire sur chaque billet : vous en donnez un par billet au paiement.', total: 'Total : {{total}}',
  },
  cart: {
    title: 'Vos billets', heldUntil: 'Vos billets sont réservés pendant {{time}}.', heldHelp: "Si le temps s'écoule, les places sont libérées pour d'autres acheteurs et vous devrez les ajouter de nouveau.",
    expired: 'Votre réservation a expiré : les places ont été libérées.', backToEvent: 'Choisir de nouveau des billets', remove: 'Retirer', empty: 'Votre panier est vide.',
  },
  checkout: {
    title: 'Paiement', buyer: 'Vos coordonnées', name: 'Nom complet', email: 'Adresse e-mail', emailHelp: 'Vos billets et le lien de votre commande sont envoyés ici.', holders: 'Titulaires des billets', holder: 'Nom sur le billet {{n}} ({{tariff}})', holdersOptional: 'Laissez un nom vide pour y imprimer le vôtre.', holdersRequired: 'L’organisateur demande le nom du titulaire de chaque billet : il est imprimé sur le billet.',
    questions: 'Quelques questions', ticketQuestion: '{{label}} (billet {{n}})', yes: 'Oui', code: 'Code promo', codeValid: '{{code}} : −{{discount}}', checking: 'Vérification…', apply: 'Appliquer',
    payment: 'Paiement', cardNumber: 'Numéro de carte', expiry: "Date d'expiration (MM/AA)", cvv: 'Cryptogramme', cardHolder: 'Nom sur la carte', testCards: 'Cartes de test : 4242 4242 4242 4242 est acceptée, 4000 0000 0000 0002 est refusée, 4000 0000 0000 3220 demande une confirmation.',
    pay: 'Payer {{total}}', subtotal: 'Sous-total', discount: 'Remise', total: 'Total', required: 'Obligatoire', invalidEmail: 'Saisissez une adresse e-mail valide.',
    confirmTitle: 'Confirmez le paiement', confirmBody: 'Votre banque vous demande de confirmer ce paiement (test : accepter ou refuser).', approve: 'Accepter', decline: 'Refuser',
    declinedRetry: "Votre carte a été refusée. Rien n'a été débité : vérifiez les informations ou utilisez une autre carte, puis payez de nouveau.",
  },
  order: {
    title: 'Commande {{number}}', thanks: 'Merci ! Votre commande est confirmée.', pending: 'Cette commande attend son paiement.', tickets: 'Vos billets', holder: 'Titulaire', date: 'Date', section: 'Zone', tariff: 'Tarif', qr: 'QR code du billet {{barcode}}',
    keepLink: 'Conservez cette page : son adresse ouvre votre commande et vos billets à tout moment.', status: { pending: 'En attente de paiement', paid: 'Payée', expired: 'Expirée', cancelled: 'Annulée', partially_refunded: 'Remboursée en partie', refunded: 'Remboursée' },
  },
  storefront: { events: 'Événements de {{name}}' },
};

const de: Catalog<typeof en> = {
  home: { title: 'Veranstaltungen', search: 'Veranstaltungen suchen', text: 'Was suchen Sie?', city: 'Stadt', category: 'Kategorie', from: 'Von', to: 'Bis', any: 'Alle', submit: 'Suchen', none: 'Keine Veranstaltung entspricht Ihrer Suche.', results_one: '{{count}} Veranstaltung', results_other: '{{count}} Veranstaltungen' },
  availability: { available: 'Im Verkauf', few_left: 'Nur noch wenige', sold_out: 'Ausverkauft', not_yet_on_sale: 'Noch nicht im Verkauf', sale_ended: 'Verkauf beendet', cancelled: 'Abgesagt' },
  priceFrom: 'Ab {{price}}',
  dates_one: '{{count}} Termin',
  dates_other: '{{count}} Termine',
  by: 'von {{name}}',
  event: {
    dates: 'Termine und Tickets', venue: 'Veranstaltungsort', quantity: 'Anzahl {{tariff}}', maxPerOrder: 'bis zu {{max}} pro Bestellung', addToCart: 'Diese Tickets reservieren', nothingChosen: 'Wählen Sie mindestens ein Ticket.', noneChosen: 'Noch keine Tickets gewählt',
    salesOpen: 'Verkaufsstart {{date}}', noDates: 'Kein kommender Termin.', namesRequired: 'Der Veranstalter druckt den Namen des Inhabers auf jedes Ticket: Sie geben beim Bezahlen einen pro Ticket an.', total: 'Gesamt: {{total}}',
  },
  cart: {
    title: 'Ihre Tickets', heldUntil: 'Ihre Tickets sind noch {{time}} reserviert.', heldHelp: 'Läuft die Zeit ab, werden die Plätze für andere freigegeben und Sie müssen sie erneut hinzufügen.',
    expired: 'Ihre Reservierung ist abgelaufen: Die Plätze wurden freigegeben.', backToEvent: 'Tickets erneut wählen', remove: 'Entfernen', empty: 'Ihr Warenkorb ist leer.',
  },
  checkout: {
    title: 'Bezahlung', buyer: 'Ihre Angaben', name: 'Vollständiger Name', email: 'E-Mail-Adresse', emailHelp: 'Ihre Tickets und der Link zur Bestellung gehen an diese Adresse.', holders: 'Ticketinhaber', holder: 'Name auf Ticket {{n}} ({{tariff}})', holdersOptional: 'Lassen Sie einen Namen leer, um Ihren auf dieses Ticket zu drucken.', holdersRequired: 'Der Veranstalter verlangt den Namen des Inhabers jedes Tickets: Er wird auf das Ticket gedruckt.',
    questions: 'Einige Fragen', ticketQuestion: '{{label}} (Ticket {{n}})', yes: 'Ja', code: 'Rabattcode', codeValid: '{{code}}: −{{discount}}', checking: 'Wird geprüft …', apply: 'Anwenden',
    payment: 'Zahlung', cardNumber: 'Kartennummer', expiry: 'Ablaufdatum (MM/JJ)', cvv: 'Prüfnummer', cardHolder: 'Name auf der Karte', testCards: 'Testkarten: 4242 4242 4242 4242 wird angenommen, 4000 0000 0000 0002 abgelehnt, 4000 0000 0000 3220 verlangt eine Bestätigung.',
    pay: '{{total}} bezahlen', subtotal: 'Zwischensumme', discount: 'Rabatt', total: 'Gesamt', required: 'Pflichtfeld', invalidEmail: 'Geben Sie eine gültige E-Mail-Adresse ein.',
    confirmTitle: 'Zahlung bestätigen', confirmBody: 'Ihre Bank bittet Sie, diese Zahlung zu bestätigen (Test: annehmen oder ablehnen).', approve: 'Annehmen', decline: 'Ablehnen',
    declinedRetry: 'Ihre Karte wurde abgelehnt. Es wurde nichts abgebucht: Prüfen Sie die Angaben oder nehmen Sie eine andere Karte und zahlen Sie erneut.',
  },
  order: {
    title: 'Bestellung {{number}}', thanks: 'Vielen Dank! Ihre Bestellung ist bestätigt.', pending: 'Diese Bestellung wartet auf die Zahlung.', tickets: 'Ihre Tickets', holder: 'Inhaber', date: 'Datum', section: 'Bereich', tariff: 'Tarif', qr: 'QR-Code des Tickets {{barcode}}',
    keepLink: 'Bewahren Sie diese Seite auf: Ihre Adresse öffnet Bestellung und Tickets jederzeit.', status: { pending: 'Wartet auf Zahlung', paid: 'Bezahlt', expired: 'Abgelaufen', cancelled: 'Storniert', partially_refunded: 'Teilweise erstattet', refunded: 'Erstattet' },
  },
  storefront: { events: 'Veranstaltungen von {{name}}' },
};

addCatalogs('shop', { en, fr, de });

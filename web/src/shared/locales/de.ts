import type { Messages } from './en.ts';

const de: Messages = {
  common: {
    brand: 'Guichet',
    skipToContent: 'Zum Inhalt springen',
    language: 'Sprache',
    nav: { events: 'Veranstaltungen', account: 'Mein Konto', signIn: 'Anmelden', signOut: 'Abmelden', manage: 'Verwaltung', door: 'Einlass', cart: 'Warenkorb' },
    loading: 'Wird geladen …',
    retry: 'Erneut versuchen',
    notFound: { title: 'Seite nicht gefunden', body: 'Diese Seite gibt es nicht oder sie wurde verschoben.', home: 'Zurück zu den Veranstaltungen' },
    errors: {
      generic: 'Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.',
      network: 'Der Server ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.',
      SOLD_OUT: 'Inzwischen ausverkauft: Es sind nicht mehr genug Plätze frei.',
      HOLD_EXPIRED: 'Ihre Reservierung ist abgelaufen: Die Plätze wurden freigegeben. Fügen Sie sie erneut hinzu, um fortzufahren.',
      NOT_ON_SALE: 'Diese Tickets sind hier derzeit nicht im Verkauf.',
      OVER_MAX_PER_ORDER: 'Das ist mehr als pro Bestellung erlaubt.',
      CODE_INVALID: 'Dieser Rabattcode existiert nicht oder gilt nicht für diese Tickets.',
      CODE_EXHAUSTED: 'Dieser Rabattcode ist aufgebraucht.',
      PAYMENT_DECLINED: 'Ihre Karte wurde abgelehnt. Es wurde nichts abgebucht; versuchen Sie eine andere Karte.',
      INVALID_CREDENTIALS: 'E-Mail-Adresse oder Passwort ist falsch.',
      VALIDATION_FAILED: 'Einige Angaben fehlen oder sind ungültig.',
      TOKEN_EXPIRED: 'Dieser Link oder Code ist nicht mehr gültig.',
      RATE_LIMITED: 'Zu viele Versuche. Warten Sie kurz und versuchen Sie es erneut.',
      CONFLICT: 'Das existiert bereits.',
      NOT_FOUND: 'Nicht gefunden.',
      FORBIDDEN: 'Das dürfen Sie nicht.',
      UNAUTHENTICATED: 'Bitte melden Sie sich an.',
    },
    placeholder: { manage: 'Die Verwaltung öffnet hier bald.', door: 'Die Einlass-App öffnet hier bald.' },
    close: 'Schließen',
    back: 'Zurück',
    save: 'Speichern',
    cancel: 'Abbrechen',
    field: '{{label}}: {{value}}',
  },
};
export default de;

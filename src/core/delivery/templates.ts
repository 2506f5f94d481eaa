/** The e-mails people receive, in English, French and German: subject, plain text and HTML. */
export type Language = 'en' | 'fr' | 'de';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface TicketLine {
  event: string;
  when: string;
  venue: string | null;
  section: string;
  /** The seat in words (seated sections), as seatText writes it. */
  seat: string | null;
  tariff: string | null;
  holder: string | null;
  barcode: string;
  links: { label: string; url: string }[];
}

/** Words per language; `{x}` is replaced by the value of x. */
const WORDS = {
  en: {
    hello: 'Hello{name},',
    colon: ': ',
    confirmationSubject: 'Your tickets for {event} (order {number})',
    confirmationIntro: 'Thank you for your order {number}. Your tickets are attached to this e-mail and can be downloaded below.',
    orderDocument: 'All tickets of the order (PDF)',
    ticket: 'Ticket',
    section: 'Section',
    tariff: 'Tariff',
    holder: 'Holder',
    barcode: 'Barcode',
    venue: 'Venue',
    seat: 'Seat',
    seatIs: '{area}, row {row}, seat {number}',
    pdf: 'PDF ticket',
    calendar: 'Add to calendar',
    appleWallet: 'Add to Apple Wallet',
    googleWallet: 'Save to Google Wallet',
    linksExpire: 'These links work until {until}.',
    refundSubject: 'Refund for order {number}',
    refundBody: '{amount} of order {number} has been refunded. The refunded tickets no longer admit.',
    cancelSubject: 'Order {number} cancelled',
    cancelBody: 'Your order {number} has been cancelled; nothing will be charged and its tickets do not admit.',
    compsSubject: 'Your invitation to {event}',
    compsBody: 'You have been given {count} ticket(s) for {event}.',
    transferSentSubject: '{sender} sent you {count} ticket(s)',
    transferSentBody: '{sender} sent you {count} ticket(s). Sign in with this address to claim them, or reject them:',
    claim: 'Claim the tickets',
    transferClaimedSubject: 'Your tickets have been claimed',
    transferClaimedBody: '{recipient} claimed the {count} ticket(s) you sent. Your former barcodes no longer admit.',
    eventCancelledSubject: '{event} is cancelled',
    eventCancelledBody: 'We are sorry: {event} has been cancelled. The organizer will tell you how you will be refunded.',
    inviteSubject: 'You are invited to join {organization} on Guichet',
    inviteBody: '{inviter} invited you to join {organization} as {role}.',
    accept: 'Accept the invitation',
    inviteCode: 'Or sign in and enter this code, valid until {until}: {code}',
    role_owner: 'owner',
    role_manager: 'manager',
    role_box_office: 'box office',
    role_door_staff: 'door staff',
    endpointDisabledSubject: 'Webhook endpoint disabled: {url}',
    endpointDisabledBody: 'Deliveries to {url} have failed for about three days, so the endpoint has been disabled. Fix it, then enable it again and redeliver what it missed.',
    resetSubject: 'Reset your Guichet password',
    resetBody: 'Someone (probably you) asked to choose a new password for this account. Use this code, valid until {until}:',
    verifySubject: 'Confirm your e-mail address',
    verifyBody: 'Use this code to confirm your address, valid until {until}:',
    notAsked: 'If you did not ask for this, ignore this e-mail: nothing changes.',
    footer: 'Sent by Guichet for {organization}.',
  },
  fr: {
    hello: 'Bonjour{name},',
    // French sets a no-break space before a colon (and a narrow one before ; ! ?).
    colon: ' : ',
    confirmationSubject: 'Vos billets pour {event} (commande {number})',
    confirmationIntro: 'Merci pour votre commande {number}. Vos billets sont joints à ce message et peuvent être téléchargés ci-dessous.',
    orderDocument: 'Tous les billets de la commande (PDF)',
    ticket: 'Billet',
    section: 'Catégorie',
    tariff: 'Tarif',
    holder: 'Titulaire',
    barcode: 'Code-barres',
    venue: 'Lieu',
    seat: 'Place',
    seatIs: '{area}, rang {row}, place {number}',
    pdf: 'Billet PDF',
    calendar: 'Ajouter au calendrier',
    appleWallet: 'Ajouter à Apple Wallet',
    googleWallet: 'Enregistrer dans Google Wallet',
    linksExpire: 'Ces liens fonctionnent jusqu’au {until}.',
    refundSubject: 'Remboursement de la commande {number}',
    refundBody: '{amount} de la commande {number} ont été remboursés. Les billets remboursés ne permettent plus l’entrée.',
    cancelSubject: 'Commande {number} annulée',
    cancelBody: 'Votre commande {number} a été annulée ; rien ne sera débité et ses billets ne permettent pas l’entrée.',
    compsSubject: 'Votre invitation pour {event}',
    compsBody: 'Vous avez reçu {count} billet(s) pour {event}.',
    transferSentSubject: '{sender} vous a envoyé {count} billet(s)',
    transferSentBody: '{sender} vous a envoyé {count} billet(s). Connectez-vous avec cette adresse pour les accepter, ou refusez-les :',
    claim: 'Accepter les billets',
    transferClaimedSubject: 'Vos billets ont été acceptés',
    transferClaimedBody: '{recipient} a accepté les {count} billet(s) que vous avez envoyés. Vos anciens codes-barres ne permettent plus l’entrée.',
    eventCancelledSubject: '{event} est annulé',
    eventCancelledBody: 'Nous sommes désolés : {event} a été annulé. L’organisateur vous dira comment vous serez remboursé.',
    inviteSubject: 'Vous êtes invité à rejoindre {organization} sur Guichet',
    inviteBody: '{inviter} vous invite à rejoindre {organization} en tant que {role}.',
    accept: 'Accepter l’invitation',
    inviteCode: 'Ou connectez-vous et saisissez ce code, valable jusqu’au {until} : {code}',
    role_owner: 'propriétaire',
    role_manager: 'gestionnaire',
    role_box_office: 'guichetier',
    role_door_staff: 'contrôleur',
    endpointDisabledSubject: 'Point de réception webhook désactivé : {url}',
    endpointDisabledBody: 'Les envois vers {url} échouent depuis environ trois jours : le point de réception a été désactivé. Corrigez-le, réactivez-le puis renvoyez ce qu’il a manqué.',
    resetSubject: 'Réinitialisez votre mot de passe Guichet',
    resetBody: 'Quelqu’un (sans doute vous) a demandé à choisir un nouveau mot de passe pour ce compte. Utilisez ce code, valable jusqu’au {until} :',
    verifySubject: 'Confirmez votre adresse e-mail',
    verifyBody: 'Utilisez ce code pour confirmer votre adresse, valable jusqu’au {until} :',
    notAsked: 'Si vous n’avez rien demandé, ignorez ce message : rien ne change.',
    footer: 'Envoyé par Guichet pour {organization}.',
  },
  de: {
    hello: 'Guten Tag{name},',
    colon: ': ',
    confirmationSubject: 'Ihre Tickets für {event} (Bestellung {number})',
    confirmationIntro: 'Vielen Dank für Ihre Bestellung {number}. Ihre Tickets hängen an dieser E-Mail und können unten heruntergeladen werden.',
    orderDocument: 'Alle Tickets der Bestellung (PDF)',
    ticket: 'Ticket',
    section: 'Bereich',
    tariff: 'Tarif',
    holder: 'Inhaber',
    barcode: 'Barcode',
    venue: 'Ort',
    seat: 'Platz',
    seatIs: '{area}, Reihe {row}, Platz {number}',
    pdf: 'PDF-Ticket',
    calendar: 'Zum Kalender hinzufügen',
    appleWallet: 'Zu Apple Wallet hinzufügen',
    googleWallet: 'In Google Wallet speichern',
    linksExpire: 'Diese Links gelten bis {until}.',
    refundSubject: 'Erstattung für Bestellung {number}',
    refundBody: '{amount} der Bestellung {number} wurden erstattet. Die erstatteten Tickets berechtigen nicht mehr zum Eintritt.',
    cancelSubject: 'Bestellung {number} storniert',
    cancelBody: 'Ihre Bestellung {number} wurde storniert; es wird nichts belastet und ihre Tickets berechtigen nicht zum Eintritt.',
    compsSubject: 'Ihre Einladung zu {event}',
    compsBody: 'Sie haben {count} Ticket(s) für {event} erhalten.',
    transferSentSubject: '{sender} hat Ihnen {count} Ticket(s) geschickt',
    transferSentBody: '{sender} hat Ihnen {count} Ticket(s) geschickt. Melden Sie sich mit dieser Adresse an, um sie anzunehmen, oder lehnen Sie sie ab:',
    claim: 'Tickets annehmen',
    transferClaimedSubject: 'Ihre Tickets wurden angenommen',
    transferClaimedBody: '{recipient} hat die {count} Ticket(s) angenommen, die Sie geschickt haben. Ihre alten Barcodes berechtigen nicht mehr zum Eintritt.',
    eventCancelledSubject: '{event} ist abgesagt',
    eventCancelledBody: 'Es tut uns leid: {event} wurde abgesagt. Der Veranstalter teilt Ihnen mit, wie Sie Ihr Geld zurückerhalten.',
    inviteSubject: 'Einladung zu {organization} auf Guichet',
    inviteBody: '{inviter} lädt Sie ein, {organization} als {role} beizutreten.',
    accept: 'Einladung annehmen',
    inviteCode: 'Oder melden Sie sich an und geben Sie diesen Code ein, gültig bis {until}: {code}',
    role_owner: 'Inhaber',
    role_manager: 'Manager',
    role_box_office: 'Kasse',
    role_door_staff: 'Einlass',
    endpointDisabledSubject: 'Webhook-Endpunkt deaktiviert: {url}',
    endpointDisabledBody: 'Zustellungen an {url} schlagen seit etwa drei Tagen fehl; der Endpunkt wurde deaktiviert. Beheben Sie den Fehler, aktivieren Sie ihn wieder und stellen Sie Verpasstes erneut zu.',
    resetSubject: 'Setzen Sie Ihr Guichet-Passwort zurück',
    resetBody: 'Jemand (vermutlich Sie) möchte ein neues Passwort für dieses Konto wählen. Verwenden Sie diesen Code, gültig bis {until}:',
    verifySubject: 'Bestätigen Sie Ihre E-Mail-Adresse',
    verifyBody: 'Verwenden Sie diesen Code, um Ihre Adresse zu bestätigen, gültig bis {until}:',
    notAsked: 'Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Es ändert sich nichts.',
    footer: 'Gesendet von Guichet für {organization}.',
  },
} satisfies Record<Language, Record<string, string>>;
type Word = keyof (typeof WORDS)['en'];

const fill = (template: string, values: Record<string, unknown>) => template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A performance's start as people there read it: in the event's time zone, in the reader's language. */
export function localTime(iso: string, timeZone: string, language: Language): string {
  const key = `${timeZone}|${language}`;
  let format = formats.get(key);
  // Building a formatter costs far more than using one: one per zone and language, kept.
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(language, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' })));
  return format.format(new Date(iso));
}
const formats = new Map<string, Intl.DateTimeFormat>();

export function money(minor: number, currency: string, language: Language): string {
  const format = new Intl.NumberFormat(language, { style: 'currency', currency });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** Paragraphs, optional ticket blocks and links, in both forms. */
interface Body {
  greetingName?: string | null;
  paragraphs: string[];
  tickets?: TicketLine[];
  links?: { label: string; url: string }[];
  note?: string;
  organization: string;
}

function compose(language: Language, subject: string, body: Body): RenderedMail {
  const w = WORDS[language];
  // Mail about an account that no organization sent is signed by Guichet alone.
  const footer = body.organization ? fill(w.footer, { organization: body.organization }) : 'Guichet';
  const hello = fill(w.hello, { name: body.greetingName ? ` ${body.greetingName}` : '' });
  const ticketText = (t: TicketLine) =>
    [
      `${w.ticket} ${t.barcode} — ${t.event}`,
      `  ${t.when}${t.venue ? `, ${t.venue}` : ''}`,
      `  ${w.section}${w.colon}${t.section}${t.tariff ? ` · ${w.tariff}${w.colon}${t.tariff}` : ''}${t.holder ? ` · ${w.holder}${w.colon}${t.holder}` : ''}`,
      ...(t.seat ? [`  ${w.seat}${w.colon}${t.seat}`] : []),
      ...t.links.map((l) => `  ${l.label}${w.colon}${l.url}`),
    ].join('\n');
  const text = [
    hello,
    '',
    ...body.paragraphs.flatMap((p) => [p, '']),
    ...(body.links ?? []).flatMap((l) => [`${l.label}${w.colon}${l.url}`, '']),
    ...(body.tickets ?? []).flatMap((t) => [ticketText(t), '']),
    ...(body.note ? [body.note, ''] : []),
    '—',
    footer,
  ].join('\n');
  const a = (l: { label: string; url: string }) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a>`;
  const ticketHtml = (t: TicketLine) =>
    `<table role="presentation" style="border:1px solid #ccc;border-radius:6px;padding:12px;margin:12px 0;width:100%"><tr><td>` +
    `<strong>${escapeHtml(t.event)}</strong><br>${escapeHtml(t.when)}${t.venue ? `<br>${escapeHtml(t.venue)}` : ''}<br>` +
    `${escapeHtml(w.section)}${w.colon}${escapeHtml(t.section)}${t.tariff ? ` · ${escapeHtml(w.tariff)}${w.colon}${escapeHtml(t.tariff)}` : ''}` +
    `${t.seat ? `<br><strong>${escapeHtml(w.seat)}${w.colon}${escapeHtml(t.seat)}</strong>` : ''}` +
    `${t.holder ? `<br>${escapeHtml(w.holder)}${w.colon}${escapeHtml(t.holder)}` : ''}<br>${escapeHtml(w.barcode)}${w.colon}<code>${escapeHtml(t.barcode)}</code>` +
    `${t.links.length > 0 ? `<br>${t.links.map(a).join(' · ')}` : ''}</td></tr></table>`;
  const html =
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="font-family:system-ui,sans-serif;max-width:640px;margin:auto;color:#111">` +
    `<p>${escapeHtml(hello)}</p>${body.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}` +
    `${(body.links ?? []).map((l) => `<p>${a(l)}</p>`).join('')}${(body.tickets ?? []).map(ticketHtml).join('')}` +
    `${body.note ? `<p style="color:#555">${escapeHtml(body.note)}</p>` : ''}` +
    `<hr><p style="color:#555;font-size:smaller">${escapeHtml(footer)}</p></body></html>`;
  return { subject, text, html };
}

export const word = (language: Language, key: Word, values: Record<string, unknown> = {}) => fill(WORDS[language][key], values);

/** A ticket's seat in words ("Stalls, row C, seat 12"), from its `seat` column (JSON: area, row, number); null without a seat. */
export function seatText(language: Language, seat: string | null): string | null {
  if (seat === null) return null;
  const { area, row, number } = JSON.parse(seat) as { area: string; row: string; number: string };
  return word(language, 'seatIs', { area, row, number });
}

/**
 * A single-use code about an account (password reset, address verification). The HTML shows the code
 * on a line of its own; the plain text ends with it ("…: <code>"), where people and scripts look for it.
 */
function accountCode(language: Language, subject: Word, body: Word, d: { code: string; until: string; organization: string | null }): RenderedMail {
  const { html } = compose(language, word(language, subject), { organization: d.organization ?? '', paragraphs: [word(language, body, d), d.code], note: word(language, 'notAsked') });
  const text = [fill(WORDS[language].hello, { name: '' }), '', word(language, 'notAsked'), '', `${word(language, body, d)} ${d.code}`].join('\n');
  return { subject: word(language, subject), text, html };
}

/** Every e-mail the platform sends, by template. */
export const mails = {
  orderConfirmation(language: Language, d: { organization: string; number: string; buyerName: string | null; event: string; orderLink: { label: string; url: string } | null; tickets: TicketLine[]; linksUntil: string | null }) {
    return compose(language, word(language, 'confirmationSubject', d), {
      organization: d.organization,
      greetingName: d.buyerName,
      paragraphs: [word(language, 'confirmationIntro', d)],
      links: d.orderLink ? [d.orderLink] : [],
      tickets: d.tickets,
      note: d.linksUntil ? word(language, 'linksExpire', { until: d.linksUntil }) : undefined,
    });
  },
  comps(language: Language, d: { organization: string; name: string | null; event: string; count: number; tickets: TicketLine[]; linksUntil: string | null }) {
    return compose(language, word(language, 'compsSubject', d), {
      organization: d.organization,
      greetingName: d.name,
      paragraphs: [word(language, 'compsBody', d)],
      tickets: d.tickets,
      note: d.linksUntil ? word(language, 'linksExpire', { until: d.linksUntil }) : undefined,
    });
  },
  refund: (language: Language, d: { organization: string; number: string; amount: string; buyerName: string | null }) =>
    compose(language, word(language, 'refundSubject', d), { organization: d.organization, greetingName: d.buyerName, paragraphs: [word(language, 'refundBody', d)] }),
  cancellation: (language: Language, d: { organization: string; number: string; buyerName: string | null }) =>
    compose(language, word(language, 'cancelSubject', d), { organization: d.organization, greetingName: d.buyerName, paragraphs: [word(language, 'cancelBody', d)] }),
  transferSent: (language: Language, d: { organization: string; sender: string; count: number; claimUrl: string }) =>
    compose(language, word(language, 'transferSentSubject', d), {
      organization: d.organization,
      paragraphs: [word(language, 'transferSentBody', d)],
      links: [{ label: word(language, 'claim'), url: d.claimUrl }],
    }),
  transferClaimed: (language: Language, d: { organization: string; recipient: string; count: number }) =>
    compose(language, word(language, 'transferClaimedSubject', d), { organization: d.organization, paragraphs: [word(language, 'transferClaimedBody', d)] }),
  eventCancelled: (language: Language, d: { organization: string; event: string }) =>
    compose(language, word(language, 'eventCancelledSubject', d), { organization: d.organization, paragraphs: [word(language, 'eventCancelledBody', d)] }),
  memberInvited: (language: Language, d: { organization: string; inviter: string; role: string; acceptUrl: string; code: string | null; until: string | null }) => {
    const role = (WORDS[language] as Record<string, string>)[`role_${d.role}`] ?? d.role;
    return compose(language, word(language, 'inviteSubject', d), {
      organization: d.organization,
      paragraphs: [word(language, 'inviteBody', { ...d, role })],
      links: [{ label: word(language, 'accept'), url: d.acceptUrl }],
      note: d.code && d.until ? word(language, 'inviteCode', { code: d.code, until: d.until }) : undefined,
    });
  },
  passwordReset: (language: Language, d: { code: string; until: string; organization: string | null }) => accountCode(language, 'resetSubject', 'resetBody', d),
  verification: (language: Language, d: { code: string; until: string; organization: string | null }) => accountCode(language, 'verifySubject', 'verifyBody', d),
  endpointDisabled: (language: Language, d: { organization: string; url: string }) =>
    compose(language, word(language, 'endpointDisabledSubject', d), { organization: d.organization, paragraphs: [word(language, 'endpointDisabledBody', d)] }),
};

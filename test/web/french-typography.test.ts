import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import i18n from '../../web/src/shared/i18n.ts';
import { mails } from '../../src/core/delivery/templates.ts';

/**
 * French sets a no-break space before `:` (U+00A0, or the narrow U+202F) and a narrow one before
 * `;` `!` `?` and inside « » — a plain space lets the sign wrap alone onto the next line, no space
 * looks English. This scans every French string of the web app (each area's catalogue, as the app
 * registers it) and every French e-mail. Not punctuation: URLs, times and ratios (20:30, a colon
 * between two non-spaces) and placeholders ({{count}}, {event}).
 */
const NO_BREAK = /[\u00a0\u202f]/;
function typographyFaults(text: string): string[] {
  const prose = text
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S*/gi, 'URL')
    .replace(/\{\{[^}]*\}\}|\{[^{}\s]*\}/g, 'X');
  const faults: string[] = [];
  for (const match of prose.matchAll(/[:;!?«»]/g)) {
    const i = match.index!;
    const before = prose[i - 1] ?? '';
    const after = prose[i + 1] ?? '';
    const sign = match[0];
    const fault =
      sign === '«' ? !NO_BREAK.test(after)
      // A colon between two non-spaces is a time, a ratio or a format (20:30, HH:MM), not punctuation.
      : sign === ':' ? i > 0 && !NO_BREAK.test(before) && (after === '' || /\s/.test(after))
      // "?!" takes one space before the pair.
      : i > 0 && !NO_BREAK.test(before) && !/[!?]/.test(before);
    if (fault) faults.push(`“${sign}” in ${JSON.stringify(text)}`);
  }
  return faults;
}

function strings(value: unknown, at: string, out: [string, string][] = []): [string, string][] {
  if (typeof value === 'string') out.push([at, value]);
  else if (value && typeof value === 'object') for (const [key, v] of Object.entries(value)) strings(v, `${at}.${key}`, out);
  return out;
}

describe('French typography', () => {
  test('the check finds a plain space or no space before : ; ! ? » and after «, and leaves times, URLs and placeholders alone', () => {
    for (const bad of ['Total : {{total}}', 'Total: 12 €', 'Merci ! Votre commande', 'Que cherchez-vous ?', 'annulée ; rien', 'par ex. « Entrée nord »', 'Exemple d’appel :', '{{code}} : −{{discount}}']) {
      assert.ok(typographyFaults(bad).length > 0, `found in ${JSON.stringify(bad)}`);
    }
    for (const good of ['Total\u00a0: {{total}}', 'Merci\u202f! Votre commande', 'Que cherchez-vous\u202f?', 'par ex. «\u202fEntrée nord\u202f»', 'à 20:30', 'HH:MM', 'https://guichet.test/claim?t=1;x', '{{count}} billets', 'Quoi\u202f?!']) {
      assert.deepEqual(typographyFaults(good), [], JSON.stringify(good));
    }
  });

  test("every French string of the web app's catalogues is spaced the French way", async () => {
    // Each area registers its catalogue when its code loads (addCatalogs): load them all.
    const root = path.resolve(import.meta.dirname, '../../web/src');
    const files = (fs.readdirSync(root, { recursive: true }) as string[])
      .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('i18n.ts') && fs.readFileSync(path.join(root, f), 'utf8').includes('addCatalogs('));
    assert.ok(files.length >= 6, `catalogue files found: ${files.join(', ')}`);
    for (const file of files) await import(pathToFileURL(path.join(root, file)).href);
    const french = strings(i18n.store.data.fr, 'fr');
    assert.ok(french.length > 300, `${french.length} French strings`);
    for (const namespace of ['common', 'shop', 'account', 'manage', 'door', 'seatmap']) assert.ok(i18n.store.data.fr[namespace], `namespace ${namespace}`);
    const faults = french.flatMap(([key, text]) => typographyFaults(text).map((f) => `${key}: ${f}`));
    assert.deepEqual(faults, []);
  });

  test('every French e-mail is spaced the French way', () => {
    const ticket = { event: 'Le Misanthrope', when: 'lundi 1 mars 2027 à 20:00 UTC+1', venue: 'La Grande Salle', section: 'Orchestre', seat: 'Parterre, rang B, place 3', tariff: 'Plein', holder: 'Ana', barcode: 'ABC123', links: [{ label: 'Billet PDF', url: 'https://guichet.test/t/1.pdf?sig=a:b' }] };
    const rendered = [
      mails.orderConfirmation('fr', { organization: 'Théâtre', number: 'A-1', buyerName: 'Ana', event: 'Le Misanthrope', orderLink: { label: 'Votre commande', url: 'https://guichet.test/orders/1' }, tickets: [ticket], linksUntil: '1 mars 2028' }),
      mails.comps('fr', { organization: 'Théâtre', name: null, event: 'Le Misanthrope', count: 2, tickets: [ticket], linksUntil: null }),
      mails.refund('fr', { organization: 'Théâtre', number: 'A-1', amount: '25,00 €', buyerName: null }),
      mails.cancellation('fr', { organization: 'Théâtre', number: 'A-1', buyerName: null }),
      mails.transferSent('fr', { organization: 'Théâtre', sender: 'ana@example.test', count: 2, claimUrl: 'https://guichet.test/account/transfers/1' }),
      mails.transferClaimed('fr', { organization: 'Théâtre', recipient: 'bob@example.test', count: 2 }),
      mails.eventCancelled('fr', { organization: 'Théâtre', event: 'Le Misanthrope' }),
      mails.memberInvited('fr', { organization: 'Théâtre', inviter: 'Ana', role: 'manager', acceptUrl: 'https://guichet.test/invitations/1', code: 'ABCD', until: '4 mars 2027' }),
      mails.endpointDisabled('fr', { organization: 'Théâtre', url: 'https://hooks.example.test/in' }),
    ];
    const faults = rendered.flatMap((mail) => [...typographyFaults(mail.subject), ...mail.text.split('\n').flatMap(typographyFaults)]);
    assert.deepEqual(faults, []);
  });
});

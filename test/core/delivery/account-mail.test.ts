import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { loadConfig } from '../../../src/config.ts';
import { client, platform, token, type TestPlatform } from '../../helpers.ts';
import { smtpServer } from './support.ts';

const addresses = (mail: { to?: unknown }) => (mail.to as { value: { address: string }[] }).value.map((v) => v.address);

/**
 * Mail about accounts goes through the outbox in the transaction of the change it reports: the member
 * invitation (rendered in the inviting organization's language) and the password reset code.
 */
describe('delivery: member invitations and password resets, written with their change', () => {
  let p: TestPlatform;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;

  const signIn = async (email: string, password: string, scope = 'public buy sell admin', tenant = p.a) => {
    const r = await p.app.inject({ method: 'POST', url: '/api/auth/token', payload: { grant_type: 'password', client_id: tenant.clientId, client_secret: tenant.clientSecret, username: email, password, scope } });
    assert.equal(r.statusCode, 200, r.body);
    return client(p.app, r.json().access_token);
  };
  const outboxRows = (recipient: string) => p.database.db.selectFrom('outbox_messages').selectAll().where('recipient', '=', recipient).execute();

  before(async () => {
    smtp = await smtpServer();
    const base = loadConfig({});
    p = await platform({ delivery: { ...base.delivery, smtpUrl: smtp.url, publicUrl: 'https://tickets.guichet.test' } }, { mailFromConfig: true });
  });

  after(async () => {
    await p.close();
    await smtp.close();
  });

  test('inviting a member e-mails the invitee, in the organization’s language, a link whose code makes them a member', async () => {
    const owner = await signIn(p.a.adminEmail, p.a.adminPassword);
    // The request names another host (a forged Host header): the link is still PUBLIC_URL's.
    const invited = await owner.post('/api/invitations', { invitation: { email: 'Nadia@Example.test', role: 'box_office' } }, { host: 'attacker.example' });
    assert.equal(invited.statusCode, 201, invited.body);
    const { code } = invited.json().invitation;
    const [event] = await p.database.db.selectFrom('outbox_messages').selectAll().where('topic', '=', 'member.invited').where('kind', '=', 'event').execute();
    assert.ok(event, 'the invitation wrote its outbox message');
    assert.equal(event.subject_id, invited.json().invitation.id);

    const before = smtp.received.length;
    await p.app.core.delivery.drain();
    const mail = smtp.received.slice(before).find((m) => addresses(m).includes('nadia@example.test'));
    assert.ok(mail, 'the invitee got the e-mail');
    // Organization alpha's locale is fr-FR: the mail is French, whoever reads the back office.
    assert.equal(mail.subject, 'Vous êtes invité à rejoindre Org alpha sur Guichet');
    assert.equal(mail.headers.get('content-language'), 'fr');
    assert.match(mail.text!, /alpha-admin vous invite à rejoindre Org alpha en tant que guichetier\./);
    const link = /https?:\/\/tickets\.guichet\.test\/manage\/join\?\S+/.exec(mail.text!)?.[0];
    assert.ok(link, `an accept link in ${mail.text}`);
    assert.ok(!mail.text!.includes('attacker.example') && !String(mail.html).includes('attacker.example'), 'the forged Host is nowhere in the mail');
    assert.ok(String(mail.html).includes(link.replaceAll('&', '&amp;')), 'the HTML part carries the same link');
    const url = new URL(link);
    assert.equal(url.searchParams.get('code'), code);
    assert.equal(url.searchParams.get('organization'), String(p.a.organizationId));

    // The link works: the invitee signs up and accepts with the code it carries, once.
    const shop = client(p.app, await token(p.app, p.a, 'public buy'));
    assert.equal((await shop.post('/api/users', { user: { username: 'nadia', email: 'nadia@example.test', password: 'nadia-password' } })).statusCode, 201);
    const nadia = await signIn('nadia@example.test', 'nadia-password', 'public buy');
    const accepted = await nadia.post('/api/invitations/acceptance', { invitation: { code: url.searchParams.get('code') } });
    assert.equal(accepted.statusCode, 201, accepted.body);
    assert.deepEqual(accepted.json().membership, { organization_id: p.a.organizationId, role: 'box_office' });
    assert.equal((await nadia.post('/api/invitations/acceptance', { invitation: { code } })).statusCode, 422, 'single use');

    // An organization in German invites in German.
    await p.database.db.updateTable('organizations').set({ locale: 'de-DE' }).where('id', '=', p.b.organizationId).execute();
    const beta = await signIn(p.b.adminEmail, p.b.adminPassword, 'public buy sell admin', p.b);
    assert.equal((await beta.post('/api/invitations', { invitation: { email: 'jonas@example.test', role: 'door_staff' } })).statusCode, 201);
    const mark = smtp.received.length;
    await p.app.core.delivery.drain();
    const german = smtp.received.slice(mark).find((m) => addresses(m).includes('jonas@example.test'));
    assert.equal(german?.subject, 'Einladung zu Org beta auf Guichet');
    assert.match(german!.text!, /als Einlass beizutreten/);
  });

  test('an invitation whose e-mail cannot be written is not made either', async () => {
    const owner = await signIn(p.a.adminEmail, p.a.adminPassword);
    await refuseMailTo('nobody@example.test');
    try {
      const invited = await owner.post('/api/invitations', { invitation: { email: 'nobody@example.test', role: 'manager' } });
      assert.equal(invited.statusCode, 500);
    } finally {
      await allowMail();
    }
    const invitations = await p.database.db.selectFrom('member_invitations').select('id').where('email', '=', 'nobody@example.test').execute();
    assert.equal(invitations.length, 0, 'the invitation rolled back with its message');
  });

  test('a password reset writes its code and its e-mail in one transaction: both or neither', async () => {
    await p.app.core.accounts.create({ username: 'resetter', email: 'resetter@example.test', password: 'resetter-password' });
    const account = (await p.database.db.selectFrom('accounts').select('id').where('email', '=', 'resetter@example.test').executeTakeFirstOrThrow()).id;
    const resets = async () => (await p.database.db.selectFrom('password_resets').select('id').where('account_id', '=', account).execute()).length;

    // The message cannot be written: the code is not stored either (and the caller hears of the failure).
    await refuseMailTo('resetter@example.test');
    try {
      await assert.rejects(p.app.core.accounts.requestPasswordReset('resetter@example.test', null));
    } finally {
      await allowMail();
    }
    assert.equal(await resets(), 0, 'no code without its e-mail');
    assert.equal((await outboxRows('resetter@example.test')).length, 0);

    // Written together, sent once committed: the code that arrives is the one that resets.
    const before = smtp.received.length;
    const asked = await p.app.inject({ method: 'POST', url: '/api/users/password_resets', payload: { password_reset: { email: 'resetter@example.test' } } });
    assert.ok(asked.statusCode < 300, asked.body);
    assert.equal(await resets(), 1);
    const [row] = await outboxRows('resetter@example.test');
    assert.equal(row.status, 'sent', 'tried at once after the commit');
    const mail = smtp.received.slice(before).find((m) => addresses(m).includes('resetter@example.test'));
    assert.ok(mail, 'the reset e-mail arrived');
    assert.equal(mail.subject, 'Reset your Guichet password', 'English: no language asked, no organization');
    const code = resetCode(mail.text!);
    await p.app.core.accounts.resetPassword(code, 'a-brand-new-password', null);
    await signIn('resetter@example.test', 'a-brand-new-password', 'public buy');
  });

  test('password reset and verification e-mails speak the account’s language: the one asked in, else its organization’s', async () => {
    // Registered through organization alpha's shop (locale fr-FR), asking with no language: French.
    const shop = client(p.app, await token(p.app, p.a, 'public buy'));
    assert.equal((await shop.post('/api/users', { user: { username: 'amelie', email: 'amelie@example.test', password: 'amelie-password' } })).statusCode, 201);
    let mark = smtp.received.length;
    assert.ok((await p.app.inject({ method: 'POST', url: '/api/users/password_resets', payload: { password_reset: { email: 'amelie@example.test' } } })).statusCode < 300);
    const french = smtp.received.slice(mark).find((m) => addresses(m).includes('amelie@example.test'));
    assert.ok(french, 'the reset e-mail arrived');
    assert.equal(french.subject, 'Réinitialisez votre mot de passe Guichet');
    assert.equal(french.headers.get('content-language'), 'fr');
    assert.match(french.text!, /Utilisez ce code, valable jusqu’au .+:/);
    assert.match(String(french.html), /Envoyé par Guichet pour Org alpha\./);
    assert.match(String(french.html), /<html lang="fr">/);
    // The code in the French mail works.
    await p.app.core.accounts.resetPassword(resetCode(french.text!), 'amelie-new-password', null);
    await signIn('amelie@example.test', 'amelie-new-password', 'public buy');

    // Asked in German (Accept-Language): German, whatever the organization speaks.
    mark = smtp.received.length;
    await p.app.inject({ method: 'POST', url: '/api/users/password_resets', headers: { 'accept-language': 'de-DE,de;q=0.9' }, payload: { password_reset: { email: 'amelie@example.test' } } });
    assert.equal(smtp.received.slice(mark).find((m) => addresses(m).includes('amelie@example.test'))?.subject, 'Setzen Sie Ihr Guichet-Passwort zurück');

    // The verification code, in French too.
    mark = smtp.received.length;
    await p.app.core.accounts.requestVerification('amelie@example.test');
    const verification = smtp.received.slice(mark).find((m) => addresses(m).includes('amelie@example.test'));
    assert.equal(verification?.subject, 'Confirmez votre adresse e-mail');
    await p.app.core.accounts.confirmVerification(resetCode(verification!.text!));
    const account = await p.database.db.selectFrom('accounts').select('verified').where('email', '=', 'amelie@example.test').executeTakeFirstOrThrow();
    assert.equal(Number(account.verified), 1);
  });

  test('a verification writes its code and its e-mail in one transaction: both or neither', async () => {
    await p.app.core.accounts.create({ username: 'verifier', email: 'verifier@example.test', password: 'verifier-password' });
    const account = (await p.database.db.selectFrom('accounts').select('id').where('email', '=', 'verifier@example.test').executeTakeFirstOrThrow()).id;
    const codes = async () => (await p.database.db.selectFrom('account_verifications').select('account_id').where('account_id', '=', account).execute()).length;
    await refuseMailTo('verifier@example.test');
    try {
      await assert.rejects(p.app.core.accounts.requestVerification('verifier@example.test'));
    } finally {
      await allowMail();
    }
    assert.equal(await codes(), 0, 'no code without its e-mail');
    const mark = smtp.received.length;
    await p.app.core.accounts.requestVerification('verifier@example.test');
    assert.equal(await codes(), 1);
    const [row] = await outboxRows('verifier@example.test');
    assert.equal(row.status, 'sent', 'tried at once after the commit');
    const mail = smtp.received.slice(mark).find((m) => addresses(m).includes('verifier@example.test'));
    assert.equal(mail?.subject, 'Confirm your e-mail address');
    await p.app.core.accounts.confirmVerification(resetCode(mail!.text!));
  });

  /** The code in a reset or verification e-mail: the end of its text. */
  const resetCode = (text: string) => /: (\S+)$/.exec(text.trim())![1];

  /** Makes the database refuse outbox messages to one address (a trigger), as a failing write would. */
  async function refuseMailTo(address: string) {
    const db = p.database.db;
    if (p.database.engine === 'sqlite') {
      await sql`CREATE TRIGGER refuse_mail BEFORE INSERT ON outbox_messages WHEN NEW.recipient = ${sql.lit(address)} OR NEW.payload LIKE ${sql.lit(`%${address}%`)} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`.execute(db);
    } else {
      await sql`CREATE FUNCTION refuse_mail() RETURNS trigger AS $$ BEGIN IF NEW.recipient = ${sql.lit(address)} OR NEW.payload LIKE ${sql.lit(`%${address}%`)} THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`.execute(db);
      await sql`CREATE TRIGGER refuse_mail BEFORE INSERT ON outbox_messages FOR EACH ROW EXECUTE FUNCTION refuse_mail()`.execute(db);
    }
  }
  async function allowMail() {
    const db = p.database.db;
    if (p.database.engine === 'sqlite') await sql`DROP TRIGGER refuse_mail`.execute(db);
    else {
      await sql`DROP TRIGGER refuse_mail ON outbox_messages`.execute(db);
      await sql`DROP FUNCTION refuse_mail()`.execute(db);
    }
  }
});

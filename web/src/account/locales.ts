import { addCatalogs } from '../shared/i18n.ts';

const en = {
  title: 'My account',
  signIn: { title: 'Sign in', identification: 'E-mail address', password: 'Password', submit: 'Sign in', noAccount: 'No account yet?', create: 'Create one', forgot: 'Forgot your password?' },
  signUp: { title: 'Create an account', firstName: 'First name', lastName: 'Last name', email: 'E-mail address', password: 'Password', passwordHint: 'At least 8 characters', submit: 'Create my account', haveAccount: 'Already have an account?' },
  reset: {
    title: 'Reset your password', email: 'E-mail address', send: 'Send me a code', sent: 'If an account uses this address, a code is on its way. Enter it below with your new password.',
    code: 'Code from the e-mail', password: 'New password', submit: 'Choose this password', done: 'Your password was changed. Sign in with it.',
  },
  change: { title: 'Change my password', current: 'Current password', password: 'New password', submit: 'Change my password', done: 'Your password was changed. Your other devices were signed out.' },
  signedInAs: 'Signed in as {{name}}',
  signOut: 'Sign out',
  orders: 'My orders',
  tickets: 'My tickets',
  noOrders: 'You have no orders yet.',
  noTickets: 'You have no tickets yet.',
  upcoming: 'Upcoming',
  past: 'Past',
};
type Catalog<T> = { [K in keyof T]: T[K] extends string ? string : Catalog<T[K]> };

const fr: Catalog<typeof en> = {
  title: 'Mon compte',
  signIn: { title: 'Connexion', identification: 'Adresse e-mail', password: 'Mot de passe', submit: 'Se connecter', noAccount: 'Pas encore de compte ?', create: 'Créer un compte', forgot: 'Mot de passe oublié ?' },
  signUp: { title: 'Créer un compte', firstName: 'Prénom', lastName: 'Nom', email: 'Adresse e-mail', password: 'Mot de passe', passwordHint: 'Au moins 8 caractères', submit: 'Créer mon compte', haveAccount: 'Vous avez déjà un compte ?' },
  reset: {
    title: 'Réinitialiser votre mot de passe', email: 'Adresse e-mail', send: 'Envoyez-moi un code', sent: "Si un compte utilise cette adresse, un code vous a été envoyé. Saisissez-le ci-dessous avec votre nouveau mot de passe.",
    code: "Code reçu par e-mail", password: 'Nouveau mot de passe', submit: 'Choisir ce mot de passe', done: 'Votre mot de passe a été changé. Connectez-vous avec.',
  },
  change: { title: 'Changer mon mot de passe', current: 'Mot de passe actuel', password: 'Nouveau mot de passe', submit: 'Changer mon mot de passe', done: 'Votre mot de passe a été changé. Vos autres appareils ont été déconnectés.' },
  signedInAs: 'Connecté en tant que {{name}}',
  signOut: 'Se déconnecter',
  orders: 'Mes commandes',
  tickets: 'Mes billets',
  noOrders: "Vous n'avez pas encore de commande.",
  noTickets: "Vous n'avez pas encore de billet.",
  upcoming: 'À venir',
  past: 'Passés',
};

const de: Catalog<typeof en> = {
  title: 'Mein Konto',
  signIn: { title: 'Anmelden', identification: 'E-Mail-Adresse', password: 'Passwort', submit: 'Anmelden', noAccount: 'Noch kein Konto?', create: 'Konto erstellen', forgot: 'Passwort vergessen?' },
  signUp: { title: 'Konto erstellen', firstName: 'Vorname', lastName: 'Nachname', email: 'E-Mail-Adresse', password: 'Passwort', passwordHint: 'Mindestens 8 Zeichen', submit: 'Mein Konto erstellen', haveAccount: 'Sie haben bereits ein Konto?' },
  reset: {
    title: 'Passwort zurücksetzen', email: 'E-Mail-Adresse', send: 'Code senden', sent: 'Wenn ein Konto diese Adresse verwendet, ist ein Code unterwegs. Geben Sie ihn unten mit Ihrem neuen Passwort ein.',
    code: 'Code aus der E-Mail', password: 'Neues Passwort', submit: 'Dieses Passwort wählen', done: 'Ihr Passwort wurde geändert. Melden Sie sich damit an.',
  },
  change: { title: 'Passwort ändern', current: 'Aktuelles Passwort', password: 'Neues Passwort', submit: 'Passwort ändern', done: 'Ihr Passwort wurde geändert. Ihre anderen Geräte wurden abgemeldet.' },
  signedInAs: 'Angemeldet als {{name}}',
  signOut: 'Abmelden',
  orders: 'Meine Bestellungen',
  tickets: 'Meine Tickets',
  noOrders: 'Sie haben noch keine Bestellungen.',
  noTickets: 'Sie haben noch keine Tickets.',
  upcoming: 'Bevorstehend',
  past: 'Vergangen',
};

addCatalogs('account', { en, fr, de });

import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.ts';
import fr from './locales/fr.ts';
import de from './locales/de.ts';

/**
 * English, French and German (i18next). The language is the one the reader chose (kept in this
 * browser), else the first of the browser's languages we have, else English. Each area may add its
 * own namespace with `addCatalogs` when its code loads (the shop's and account's are here).
 */
export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'fr', label: 'Français' },
  { code: 'de', label: 'Deutsch' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];
const STORAGE_KEY = 'guichet.language';

function initialLanguage(): Language {
  const known = LANGUAGES.map((l) => l.code) as string[];
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (stored && known.includes(stored)) return stored as Language;
  const browser = typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : [];
  for (const tag of browser) {
    const code = tag.toLowerCase().split('-')[0];
    if (known.includes(code)) return code as Language;
  }
  return 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en, fr, de },
  lng: initialLanguage(),
  fallbackLng: 'en',
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
});

function applyLanguage(lang: string) {
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
}
applyLanguage(i18n.language);
i18n.on('languageChanged', applyLanguage);

export function chooseLanguage(lang: Language) {
  localStorage.setItem(STORAGE_KEY, lang);
  void i18n.changeLanguage(lang);
}

/** For an area loaded later (back office, door): its own namespace in the three languages. */
export function addCatalogs(namespace: string, catalogs: Record<Language, Record<string, unknown>>) {
  for (const [lang, catalog] of Object.entries(catalogs)) i18n.addResourceBundle(lang, namespace, catalog, true, false);
}

export default i18n;

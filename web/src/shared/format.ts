/**
 * Dates, times and money as the reader expects them: in the event's time zone and currency,
 * written the way the reader's locale writes them.
 */
const LOCALES: Record<string, string> = { en: 'en-GB', fr: 'fr-FR', de: 'de-DE' };
export const localeOf = (language: string) => LOCALES[language] ?? language;

/** Minor units (cents) of a currency, as Intl knows them (EUR 2, JPY 0). */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function formatMoney(minor: number, currency: string, language: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(localeOf(language), { style: 'currency', currency }).format(minor / 10 ** digits);
}

export function formatDateTime(iso: string, timeZone: string, language: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short' }): string {
  return new Intl.DateTimeFormat(localeOf(language), { timeZone, ...options }).format(new Date(iso));
}

export function formatDate(iso: string, timeZone: string, language: string): string {
  return formatDateTime(iso, timeZone, language, { dateStyle: 'medium' });
}

export function formatTime(iso: string, timeZone: string, language: string): string {
  return formatDateTime(iso, timeZone, language, { timeStyle: 'short' });
}

/** "in 12:34" style countdown text from milliseconds. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** What the pages take for an e-mail address before asking the API (which has the last word). */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

import type { TFunction } from 'i18next';
import { ApiError } from './api.ts';

/** What to tell the reader about a failed call, in their language, from the API's stable error code. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (error instanceof ApiError) {
    const key = `common:errors.${error.code}`;
    const translated = t(key, { defaultValue: '' });
    return translated || error.message || t('common:errors.generic');
  }
  if (error instanceof TypeError) return t('common:errors.network');
  return t('common:errors.generic');
}

/** Field problems of a VALIDATION_FAILED answer: `{ field: message }`. */
export function fieldProblems(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return {};
  return Object.fromEntries((error.details as { field: string; message: string }[]).map((d) => [d.field, d.message]));
}

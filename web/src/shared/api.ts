import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api-types.ts';
import i18n from './i18n.ts';

/**
 * The web app's only way to the server: the native API through a client typed by the server's own
 * OpenAPI document (scripts/openapi.ts generates api-types.ts), so an API change is a type error here.
 * The browser session travels in its httpOnly cookie; this module adds the CSRF token to every
 * state-changing call and the reader's language to every call.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null) {
  csrfToken = token;
}

const browserSession: Middleware = {
  onRequest({ request }) {
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    request.headers.set('Accept-Language', i18n.language);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin, credentials: 'same-origin' });
api.use(browserSession);

/** An error answered by the API, with its stable code (SOLD_OUT, HOLD_EXPIRED, …) for the pages to explain. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Unwraps an openapi-fetch answer: its data, or an ApiError. */
export async function unwrap<T>(answer: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await answer;
  if (error !== undefined || !response.ok) {
    const body = (error ?? {}) as { error?: { code?: string; message?: string; details?: unknown } };
    throw new ApiError(body.error?.code ?? `HTTP_${response.status}`, body.error?.message ?? response.statusText, response.status, body.error?.details);
  }
  return data as T;
}

/** Headers for calls made in one organization's name (carts, orders, tickets live in an organization). */
export const inOrganization = (organizationId: number) => ({ 'X-Organization': String(organizationId) });

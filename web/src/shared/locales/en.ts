/** English catalog: the reference. fr.ts and de.ts must have the same keys (checked by their type). */
const en = {
  common: {
    brand: 'Guichet',
    skipToContent: 'Skip to content',
    language: 'Language',
    nav: { events: 'Events', account: 'My account', signIn: 'Sign in', signOut: 'Sign out', manage: 'Back office', door: 'Door', cart: 'Cart' },
    loading: 'Loading…',
    retry: 'Try again',
    notFound: { title: 'Page not found', body: 'This page does not exist or has moved.', home: 'Back to the events' },
    errors: {
      generic: 'Something went wrong. Please try again.',
      network: 'The server cannot be reached. Check your connection and try again.',
      SOLD_OUT: 'Sold out in the meantime: there are not enough places left.',
      HOLD_EXPIRED: 'Your reservation ran out: the places were released. Add them again to continue.',
      NOT_ON_SALE: 'These tickets are not on sale here at the moment.',
      OVER_MAX_PER_ORDER: 'That is more than the maximum allowed per order.',
      CODE_INVALID: 'This discount code does not exist or does not apply to these tickets.',
      CODE_EXHAUSTED: 'This discount code has been used up.',
      PAYMENT_DECLINED: 'Your card was declined. Nothing was charged; try another card.',
      INVALID_CREDENTIALS: 'The e-mail address or password is wrong.',
      VALIDATION_FAILED: 'Some answers are missing or invalid.',
      TOKEN_EXPIRED: 'This link or code is no longer valid.',
      RATE_LIMITED: 'Too many attempts. Wait a moment and try again.',
      CONFLICT: 'This already exists.',
      NOT_FOUND: 'Not found.',
      FORBIDDEN: 'You are not allowed to do this.',
      UNAUTHENTICATED: 'Please sign in.',
    },
    placeholder: { manage: 'The back office opens here soon.', door: 'The door app opens here soon.' },
    close: 'Close',
    back: 'Back',
    save: 'Save',
    cancel: 'Cancel',
    /** A label and its value ("Holder: Ana"); French spaces the colon. */
    field: '{{label}}: {{value}}',
  },
};
export default en;

type Catalog<T> = { [K in keyof T]: T[K] extends string ? string : Catalog<T[K]> };
export type Messages = Catalog<typeof en>;

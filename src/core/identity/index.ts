/** The public face of identity: what other areas and the HTTP layer use. */
export { revokeAccountCredentials, type Revoked } from './revocation.ts';
export { createCredentialThrottle, type CredentialThrottle, type ThrottleSubject } from './throttle.ts';
export { createSealer, type Sealer } from './secrets.ts';

export { basicHeader, dockerConfigCredentials, parseChallenge, type Challenge, type CredentialLookup, type Credentials } from './auth.js';
export { pullToLayout, type PullOptions } from './pull.js';

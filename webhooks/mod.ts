/**
 * Webhook signature verification and signing. Not built yet: this module exports nothing so far.
 *
 * @module
 */
export {};

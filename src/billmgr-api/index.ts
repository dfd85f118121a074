/** The selling BILLmanager client as the rest of the plugin imports it. */
export { createSellingClient } from './client';
export { whoami, type SellingAccount } from './account';
export * from './types';

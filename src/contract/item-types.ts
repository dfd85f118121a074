/** The item types the reseller module resells (seeds 003 and 004), as `features` tells the core. */
export const ITEM_TYPES = ['vds', 'dedic', 'vhost', 'soft', 'certificate'] as const;

export type ResoldItemType = (typeof ITEM_TYPES)[number];

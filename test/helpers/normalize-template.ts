/**
 * Replaces what changes with every code or CDK change but means nothing to a reviewer (asset
 * hashes in S3 keys and asset parameters) so a template snapshot only changes when the
 * infrastructure does.
 */
const ASSET_HASH = /[0-9a-f]{64}/g;

export const normalizeTemplate = (template: unknown): unknown => {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(ASSET_HASH, 'NORMALIZED_ASSET_HASH');
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k.replace(ASSET_HASH, 'NORMALIZED_ASSET_HASH'),
          walk(v),
        ])
      );
    }
    return value;
  };
  return walk(template);
};

/**
 * The `sha256:<hex>` content hash used everywhere a hash is stored or compared (brief hashes in
 * index.json and the freshness check, fleet hashes, task hashes), so they cannot drift apart.
 *
 * @example hashBytes('abc') // 'sha256:ba7816bf…'
 */
import { createHash } from 'node:crypto';

export function hashBytes(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/**
 * Maps over `items` with at most `limit` promises in flight. Reading or writing a 10,000-agent
 * fleet with one Promise.all would open every file at once and can hit the descriptor limit.
 *
 * @example await mapLimit(paths, 64, (path) => readFile(path))
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Concurrent file operations: enough to keep the disk busy, far below common descriptor limits. */
export const FILE_CONCURRENCY = 64;

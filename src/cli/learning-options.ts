/**
 * The `learning:` config section as the commands need it: resolved with its defaults, and a bad
 * setting turned into a usage error (exit 2, one line) instead of a crash.
 */
import type { LearningOptions } from '../learn/options.js';
import { UsageError } from './io.js';

export async function learningOptionsFor(section: unknown, env: Record<string, string | undefined>): Promise<LearningOptions> {
  const { resolveLearningOptions, LearningConfigError } = await import('../learn/options.js');
  try {
    return resolveLearningOptions((section ?? {}) as Parameters<typeof resolveLearningOptions>[0], env);
  } catch (error) {
    if (error instanceof LearningConfigError) throw new UsageError(error.message);
    throw error;
  }
}

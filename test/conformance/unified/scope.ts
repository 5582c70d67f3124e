import { unsupportedSchema } from './load';
import { unmetRequirements, type ServerProfile } from './requirements';
import type { UnifiedTest, UnifiedTestFile } from './types';
import { unsupportedFeatureOf } from './unsupported';

/** Whether a test runs, and if not why: skipped (out of scope or unsupported) or failed outright. */
export type Decision =
  | { action: 'run' }
  | { action: 'skip'; reason: string; inScope: boolean }
  | { action: 'fail'; reason: string };

/**
 * Decides a test's fate before it runs: an unreadable schema fails it; `skipReason` and unmet
 * `runOnRequirements` (file, then test level) put it out of scope; a declared unsupported
 * feature skips an in-scope test.
 */
export function decide(file: UnifiedTestFile, test: UnifiedTest, profile: ServerProfile): Decision {
  const schema = unsupportedSchema(file);
  if (schema) return { action: 'fail', reason: `runner: ${schema}` };
  if (test.skipReason) return { action: 'skip', reason: `skipReason: ${test.skipReason}`, inScope: false };
  const unmet = unmetRequirements(file.runOnRequirements, profile) ?? unmetRequirements(test.runOnRequirements, profile);
  if (unmet) return { action: 'skip', reason: `out of scope: ${unmet}`, inScope: false };
  const feature = unsupportedFeatureOf(test, file);
  if (feature) return { action: 'skip', reason: feature.reason, inScope: true };
  return { action: 'run' };
}

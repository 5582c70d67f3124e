import type { Types } from 'mongoose';
import type { LocalizedText } from '../../../shared/schemas/common.js';

/**
 * Where the signed content gets the consensus report's text. The report lives in the
 * collaboration server (a Yjs document), which starts after the commands are built, so it
 * registers its reader here against the server's models object (one per running server).
 */
export type ReportTextSource = (proposalId: Types.ObjectId) => Promise<LocalizedText | undefined>;

const sources = new WeakMap<object, ReportTextSource>();

export function setReportTextSource(models: object, source: ReportTextSource): void {
  sources.set(models, source);
}

export function reportTextSource(models: object): ReportTextSource | undefined {
  return sources.get(models);
}

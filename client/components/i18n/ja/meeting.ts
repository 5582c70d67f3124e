import type { meeting as en } from '../en/meeting';

/** 日本語：panel meeting room。 */
export const meeting: Record<keyof typeof en, string> = {
};

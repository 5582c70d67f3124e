import type { platform as en } from '../en/platform';

/** 日本語：new screens: create call, register proposals, connection state。 */
export const platform: Record<keyof typeof en, string> = {
};

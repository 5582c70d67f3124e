import type { comments as en } from '../en/comments';

/** 日本語：comment threads。 */
export const comments: Record<keyof typeof en, string> = {
};

import type { report as en } from '../en/report';

/** 日本語：consensus report editor。 */
export const report: Record<keyof typeof en, string> = {
};

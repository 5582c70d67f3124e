import type { Language } from '../../../shared/enums';
import { en } from './en';
import { ja } from './ja';

/** A message key: every key of the English reference. */
export type MessageKey = keyof typeof en;

/** All messages by language; TypeScript checks that Japanese has every English key. */
export const messages: Readonly<Record<Language, Record<MessageKey, string>>> = { en, ja };

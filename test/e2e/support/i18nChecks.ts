import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { en } from '../../../client/components/i18n/en';
import { ja } from '../../../client/components/i18n/ja';
import { missingMessages } from './browser';

const KEYS = Object.keys(en);

/**
 * English interface phrases that differ in Japanese: one of them on a Japanese screen is an
 * untranslated string. Only whole phrases (with a space, no placeholder) are checked, so
 * proposal data and codes do not trip it.
 */
const ENGLISH_ONLY = (Object.keys(en) as (keyof typeof en)[])
  .map((key) => en[key] as string)
  .filter((text, i, all) => !text.includes('{') && text.includes(' ') && text.length >= 10 && all.indexOf(text) === i)
  .filter((text) => !Object.values(ja).includes(text));

/** Interface text of the page, leaving out content marked as another language (data shown as written). */
function interfaceText(page: Page, language: 'en' | 'ja'): Promise<string> {
  return page.evaluate((lang) => {
    const clone = document.body.cloneNode(true) as HTMLElement;
    for (const element of clone.querySelectorAll('[lang]')) {
      if (element.getAttribute('lang') !== lang) element.remove();
    }
    for (const element of clone.querySelectorAll('script, style, option')) element.remove();
    return clone.innerText || clone.textContent || '';
  }, language);
}

/**
 * Asserts a screen is fully translated: the i18n layer reported no missing message, no raw
 * message key is visible, and (in Japanese) no English interface phrase is left.
 */
export async function expectTranslated(page: Page, language: 'en' | 'ja', screen: string): Promise<void> {
  expect(await missingMessages(page), `missing messages on ${screen}`).toEqual([]);
  const text = await interfaceText(page, language);
  const rawKeys = KEYS.filter((key) => new RegExp(`(^|[^\\w.])${key.replace(/\./g, '\\.')}($|[^\\w.])`).test(text));
  expect(rawKeys, `raw message keys on ${screen}`).toEqual([]);
  if (language === 'ja') {
    const english = ENGLISH_ONLY.filter((phrase) => text.includes(phrase));
    expect(english, `English phrases on the Japanese ${screen}`).toEqual([]);
  }
}

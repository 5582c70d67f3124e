import { describe, expect, it } from 'vitest';
import { attachment, csvCell, toCsv } from '../../../server/presenters/csv.js';

describe('csvCell', () => {
  it('quotes cells holding commas, quotes or line breaks, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('東京大学')).toBe('東京大学');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=cmd|" /C calc"!A0')).toBe('"\'=cmd|"" /C calc""!A0"');
  });

  it('writes numbers as numbers and empties as empty', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });
});

describe('toCsv', () => {
  it('starts with a byte order mark and ends rows with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('\uFEFFa,b\r\n1,x\r\n');
  });
});

describe('attachment', () => {
  it('keeps a plain name as it is', () => {
    expect(attachment('scores.csv')).toBe(`attachment; filename="scores.csv"; filename*=UTF-8''scores.csv`);
  });

  it('never lets quotes, line breaks, slashes or non-ASCII into the plain filename', () => {
    const header = attachment('../審査"結果\r\nSet-Cookie: x.csv');
    const plain = /filename="([^"]*)"/.exec(header)![1];
    expect(plain).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(plain.startsWith('.')).toBe(false);
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toContain(`filename*=UTF-8''..%2F%E5%AF%A9%E6%9F%BB%22%E7%B5%90%E6%9E%9C%0D%0ASet-Cookie%3A%20x.csv`);
  });
});

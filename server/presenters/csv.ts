/** A CSV cell: text, a number, or empty. */
export type CsvCell = string | number | boolean | null | undefined;

/** Byte order mark: without it Excel (notably in Japan) opens UTF-8 CSV as Shift_JIS and garbles it. */
export const BOM = '\uFEFF';

// Spreadsheets run a cell starting with these as a formula (OWASP "CSV injection"); tab and CR too.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell, CSV-escaped (RFC 4180: quoted when it holds a comma, quote or line break, quotes
 * doubled) and formula-safe: text starting with = + - @ (or tab/CR) is prefixed with `'` so it is
 * shown, never evaluated. Numbers are written as numbers.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: BOM, header row, rows, CRLF line ends (what Excel expects). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return BOM + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * A `Content-Disposition` value for a download: an ASCII-only fallback name (anything outside
 * letters, digits, dot, hyphen and underscore becomes `_`, so no quote, slash or header
 * injection gets through) and the RFC 5987 UTF-8 name.
 */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 150) || 'download';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** One piece of a diff: text kept, added in the newer version, or removed from the older one. */
export interface DiffPart {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** Above this many LCS cells, a text is compared paragraph by paragraph instead of word by word. */
const MAX_CELLS = 4_000_000;

/**
 * Words, runs of whitespace and single CJK characters (Japanese has no spaces, so a word-level
 * diff of it would mark whole sentences as changed).
 */
export function tokenize(text: string): string[] {
  return text.match(/[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]|[^\s\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]+|\s+/gu) ?? [];
}

function push(parts: DiffPart[], op: DiffPart['op'], text: string): void {
  if (!text) return;
  const last = parts.at(-1);
  if (last?.op === op) last.text += text;
  else parts.push({ op, text });
}

/**
 * LCS diff of token lists after trimming their common prefix and suffix. A middle too large to
 * compare token by token is compared paragraph by paragraph (`fine`), or replaced whole (paragraphs).
 */
function diffTokens(a: readonly string[], b: readonly string[], parts: DiffPart[], fine: boolean): void {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  push(parts, 'equal', a.slice(0, start).join(''));
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  const n = x.length;
  const m = y.length;
  if ((n + 1) * (m + 1) > MAX_CELLS && fine) {
    diffTokens(paragraphs(x.join('')), paragraphs(y.join('')), parts, false);
  } else if ((n + 1) * (m + 1) > MAX_CELLS) {
    push(parts, 'delete', x.join(''));
    push(parts, 'insert', y.join(''));
  } else {
    // lengths[i][j] = LCS of x[i..] and y[j..], in one flat array.
    const width = m + 1;
    const lengths = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i -= 1) {
      for (let j = m - 1; j >= 0; j -= 1) {
        lengths[i * width + j] = x[i] === y[j] ? lengths[(i + 1) * width + j + 1] + 1 : Math.max(lengths[(i + 1) * width + j], lengths[i * width + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (x[i] === y[j]) {
        push(parts, 'equal', x[i]);
        i += 1;
        j += 1;
      } else if (lengths[(i + 1) * width + j] >= lengths[i * width + j + 1]) {
        push(parts, 'delete', x[i++]);
      } else {
        push(parts, 'insert', y[j++]);
      }
    }
    push(parts, 'delete', x.slice(i).join(''));
    push(parts, 'insert', y.slice(j).join(''));
  }
  push(parts, 'equal', a.slice(endA).join(''));
}

function paragraphs(text: string): string[] {
  return text.split(/(?<=\n)/).filter((line) => line !== '');
}

/**
 * A readable diff of two texts: word by word (character by character in Japanese), falling back to
 * paragraph by paragraph for texts too different to compare finely in reasonable time.
 */
export function diffText(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  diffTokens(tokenize(before), tokenize(after), parts, true);
  return parts;
}

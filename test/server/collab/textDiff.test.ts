import { describe, expect, it } from 'vitest';
import { diffText, tokenize } from '../../../server/collab/report/textDiff.js';
import { escapeMarkdown } from '../../../server/collab/report/markdown.js';

const changes = (before: string, after: string) => diffText(before, after).filter((part) => part.op !== 'equal');
const rebuild = (parts: ReturnType<typeof diffText>, side: 'before' | 'after') =>
  parts.filter((part) => part.op === 'equal' || part.op === (side === 'before' ? 'delete' : 'insert')).map((part) => part.text).join('');

describe('text diff of report versions', () => {
  it('marks inserted and deleted words', () => {
    expect(changes('The panel agrees.', 'The panel strongly agrees.')).toEqual([{ op: 'insert', text: 'strongly ' }]);
    expect(changes('a b c', 'a c')).toEqual([{ op: 'delete', text: 'b ' }]);
  });

  it('compares Japanese character by character (it has no spaces between words)', () => {
    expect(tokenize('新規性は高い')).toEqual(['新', '規', '性', 'は', '高', 'い']);
    expect(changes('新規性は高い。', '新規性は非常に高い。')).toEqual([{ op: 'insert', text: '非常に' }]);
  });

  it('both sides can be rebuilt from the parts, even for texts too large to compare word by word', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ') + '\nsecond paragraph\n';
    const after = Array.from({ length: 3000 }, (_, i) => `other${i}`).join(' ') + '\nsecond paragraph\n';
    const parts = diffText(before, after);
    expect(rebuild(parts, 'before')).toBe(before);
    expect(rebuild(parts, 'after')).toBe(after);
  });
});

describe('markdown escaping', () => {
  it('prints user text as typed', () => {
    expect(escapeMarkdown('*not bold* [link](x) # no heading')).toBe('\\*not bold\\* \\[link\\](x) \\# no heading');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
  });
});

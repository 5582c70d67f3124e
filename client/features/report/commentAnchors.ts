import type { Editor } from '@tiptap/core';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import { fromBase64, toBase64 } from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { REPORT_LANGUAGES, type ReportLanguage } from '../../../shared/collab/reportDoc';

/**
 * Comment anchors in the report. The server keeps them opaque (base64, shared/schemas/comment.ts);
 * this is their only reader and writer. Layout (lib0 encoding, then standard base64):
 *   varUint format (1) · varString section · varString language · varUint8Array start · varUint8Array end
 * where start and end are encoded Yjs relative positions in the section fragment, so the anchor
 * follows the text as people edit around it.
 */
const FORMAT = 1;

/** A decoded anchor. */
export interface ReportAnchor {
  section: string;
  language: ReportLanguage;
  start: Y.RelativePosition;
  end: Y.RelativePosition;
}

function bindingOf(editor: Editor) {
  const state = ySyncPluginKey.getState(editor.state) as { type: Y.XmlFragment; binding: { mapping: Map<unknown, unknown> } | null } | undefined;
  return state?.binding ? { type: state.type, mapping: state.binding.mapping } : null;
}

/** The anchor of the editor's current selection, or null when nothing is selected or the editor is not bound yet. */
export function anchorOfSelection(editor: Editor, section: string, language: ReportLanguage): string | null {
  const { from, to, empty } = editor.state.selection;
  const binding = bindingOf(editor);
  if (empty || !binding) return null;
  const start = absolutePositionToRelativePosition(from, binding.type, binding.mapping as never);
  const end = absolutePositionToRelativePosition(to, binding.type, binding.mapping as never);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, FORMAT);
  encoding.writeVarString(encoder, section);
  encoding.writeVarString(encoder, language);
  encoding.writeVarUint8Array(encoder, Y.encodeRelativePosition(start));
  encoding.writeVarUint8Array(encoder, Y.encodeRelativePosition(end));
  return toBase64(encoding.toUint8Array(encoder));
}

/** Reads an anchor; null for anything this client did not write (another format, corrupt data). */
export function decodeAnchor(anchor: string): ReportAnchor | null {
  try {
    const decoder = decoding.createDecoder(fromBase64(anchor));
    if (decoding.readVarUint(decoder) !== FORMAT) return null;
    const section = decoding.readVarString(decoder);
    const language = decoding.readVarString(decoder) as ReportLanguage;
    if (!REPORT_LANGUAGES.includes(language)) return null;
    const start = Y.decodeRelativePosition(decoding.readVarUint8Array(decoder));
    const end = Y.decodeRelativePosition(decoding.readVarUint8Array(decoder));
    return { section, language, start, end };
  } catch {
    return null;
  }
}

/** Where an anchor is in its editor now (`from` < `to`), or null when its text was deleted. */
export function resolveAnchor(editor: Editor, anchor: ReportAnchor, doc: Y.Doc): { from: number; to: number } | null {
  const binding = bindingOf(editor);
  if (!binding) return null;
  const from = relativePositionToAbsolutePosition(doc, binding.type, anchor.start, binding.mapping as never);
  const to = relativePositionToAbsolutePosition(doc, binding.type, anchor.end, binding.mapping as never);
  if (from === null || to === null || to <= from) return null;
  return { from, to };
}

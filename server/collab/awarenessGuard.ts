import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { ConnectionGrant } from './access.js';

/**
 * Rewrites a client's awareness update before it is applied: entries for awareness ids that belong
 * to ANOTHER connection are dropped (nobody can remove or impersonate someone else's cursor), and
 * each state's `user.id` / `user.name` are set from the session, so "who is here" shows who really is.
 * The client's other fields (colour, cursor, selection) pass unchanged.
 * @throws on a malformed update (the caller closes the connection).
 */
export function guardAwarenessUpdate(
  update: Uint8Array,
  grant: Pick<ConnectionGrant, 'user'>,
  ownedByOther: (clientId: number) => boolean,
): Uint8Array {
  const decoder = decoding.createDecoder(update);
  const encoder = encoding.createEncoder();
  const count = decoding.readVarUint(decoder);
  const kept: Array<{ clientId: number; clock: number; state: string }> = [];
  for (let i = 0; i < count; i += 1) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const raw = decoding.readVarString(decoder);
    if (ownedByOther(clientId)) continue;
    const state: unknown = JSON.parse(raw);
    if (state !== null && typeof state === 'object' && !Array.isArray(state)) {
      const record = state as Record<string, unknown>;
      const user = record.user !== null && typeof record.user === 'object' ? (record.user as Record<string, unknown>) : {};
      record.user = { ...user, id: grant.user.id, name: grant.user.name };
      kept.push({ clientId, clock, state: JSON.stringify(record) });
    } else {
      kept.push({ clientId, clock, state: JSON.stringify(state) });
    }
  }
  encoding.writeVarUint(encoder, kept.length);
  for (const entry of kept) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, entry.state);
  }
  return encoding.toUint8Array(encoder);
}

import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';

/** What each editor publishes about itself in the awareness (the server sets `id` and `name` from the session). */
export interface ReportPresenceUser {
  id?: string;
  name: string;
  agency: string | null;
  color: string;
}

/** One person in the report (several tabs of the same person count once). */
export interface ReportPresent {
  key: string;
  user: ReportPresenceUser;
  self: boolean;
}

// Dark enough for white label text (WCAG AA), and distinct from each other.
const PALETTE = ['#1d4f91', '#a3321a', '#1e6b3a', '#6b3fa0', '#8a5300', '#0f6570', '#9c2a6b', '#4a5568'];

/** A stable caret colour per agency side, so a glance tells the sides apart (names say who, always). */
export function agencyColour(agency: string | null, agencies: readonly string[]): string {
  if (!agency) return PALETTE[PALETTE.length - 1];
  const index = agencies.indexOf(agency);
  if (index >= 0) return PALETTE[index % (PALETTE.length - 1)];
  let hash = 0;
  for (const char of agency) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % (PALETTE.length - 1)];
}

function readPresent(awareness: Awareness): ReportPresent[] {
  const byPerson = new Map<string, ReportPresent>();
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: Partial<ReportPresenceUser> }).user;
    if (!user || typeof user.name !== 'string') continue;
    const self = clientId === awareness.clientID;
    const key = user.id ?? `client-${clientId}`;
    const existing = byPerson.get(key);
    if (existing && !self) continue;
    byPerson.set(key, {
      key,
      self: self || Boolean(existing?.self),
      user: { id: user.id, name: user.name, agency: user.agency ?? null, color: user.color ?? PALETTE[PALETTE.length - 1] },
    });
  }
  return [...byPerson.values()].sort((a, b) => Number(b.self) - Number(a.self) || a.user.name.localeCompare(b.user.name));
}

/** The people in the report now, from the awareness (updates live). */
export function usePresence(awareness: Awareness | null): ReportPresent[] {
  const [present, setPresent] = useState<ReportPresent[]>(() => (awareness ? readPresent(awareness) : []));
  useEffect(() => {
    if (!awareness) return;
    const update = () => setPresent(readPresent(awareness));
    update();
    awareness.on('change', update);
    return () => awareness.off('change', update);
  }, [awareness]);
  return present;
}

import type { ConflictStatus, ConflictType } from '../../shared/enums';
import { DomainError } from './domainError';

/** Free mail providers: sharing one says nothing about affiliation. */
export const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'outlook.jp', 'hotmail.com', 'hotmail.co.jp', 'live.com', 'live.jp',
  'msn.com', 'yahoo.com', 'yahoo.co.jp', 'ymail.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me',
  'protonmail.com', 'gmx.de', 'gmx.net', 'web.de', 'mail.ru', 'yandex.ru', 'qq.com', '163.com', '126.com',
  'naver.com', 'daum.net', 'docomo.ne.jp', 'ezweb.ne.jp', 'au.com', 'softbank.ne.jp', 'i.softbank.jp', 'nifty.com',
  'zoho.com', 'fastmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'libero.it', 'btinternet.com',
]);

// Second-level labels under a country code that are shared by many organisations (ac.jp, co.uk, edu.au).
const SHARED_SECOND_LEVEL = new Set(['ac', 'co', 'go', 'or', 'ne', 'ed', 'lg', 'gr', 'ad', 'edu', 'gov', 'com', 'org', 'net', 'res', 'mil', 'nhs', 'sch']);

/**
 * An institution name reduced for comparison: Unicode-compatibility folded (full-width → ASCII),
 * accents and punctuation dropped, lower case, "univ." spelled out, a leading "the" removed.
 * "The University of Tokyo" and "University of Tokyo" match; "東京大学" does not match its English name.
 */
export function normaliseInstitution(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .replace(/\buniv\b/g, 'university')
    .trim()
    .replace(/^the /, '')
    .replace(/\s+/g, ' ');
}

/**
 * The organisation's domain of an e-mail address (`a.b.u-tokyo.ac.jp` → `u-tokyo.ac.jp`,
 * `cs.ox.ac.uk` → `ox.ac.uk`, `lab.cnrs.fr` → `cnrs.fr`), or null for a public mail provider
 * or a malformed address.
 */
export function organisationDomain(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1) return null;
  const domain = email.slice(at + 1).toLowerCase().replace(/\.$/, '');
  const labels = domain.split('.');
  if (labels.length < 2 || labels.some((label) => label === '')) return null;
  const tld = labels[labels.length - 1];
  const second = labels[labels.length - 2];
  const keep = tld.length === 2 && SHARED_SECOND_LEVEL.has(second) && labels.length >= 3 ? 3 : 2;
  const organisation = labels.slice(-keep).join('.');
  if (PUBLIC_MAIL_DOMAINS.has(domain) || PUBLIC_MAIL_DOMAINS.has(organisation)) return null;
  return organisation;
}

/** A person's affiliation as the conflict check sees it. */
export interface Affiliation {
  email: string;
  institution?: string;
}

/** A conflict Godo proposes for staff to confirm or dismiss. */
export interface ProposedConflict {
  type: ConflictType;
  /** The PI (by e-mail) the reviewer shares an affiliation with. */
  piEmail: string;
  reasons: ('same_institution' | 'same_email_domain')[];
  /** What matched: the normalised institution and/or the domain. */
  matched: string[];
}

/**
 * Institutional conflicts between a reviewer and a proposal's PIs, from the same normalised
 * institution or the same organisation e-mail domain (public mail providers never match).
 * One entry per PI, with every reason that applies.
 */
export function proposeConflicts(reviewer: Affiliation, pis: readonly Affiliation[]): ProposedConflict[] {
  const reviewerInstitution = reviewer.institution ? normaliseInstitution(reviewer.institution) : '';
  const reviewerDomain = organisationDomain(reviewer.email);
  const proposals: ProposedConflict[] = [];
  for (const pi of pis) {
    const reasons: ProposedConflict['reasons'] = [];
    const matched: string[] = [];
    const piInstitution = pi.institution ? normaliseInstitution(pi.institution) : '';
    if (reviewerInstitution !== '' && reviewerInstitution === piInstitution) {
      reasons.push('same_institution');
      matched.push(piInstitution);
    }
    const piDomain = organisationDomain(pi.email);
    if (reviewerDomain !== null && reviewerDomain === piDomain) {
      reasons.push('same_email_domain');
      matched.push(piDomain);
    }
    if (reasons.length > 0) proposals.push({ type: 'institutional', piEmail: pi.email.toLowerCase(), reasons, matched });
  }
  return proposals;
}

/** A conflict record as stored. */
export interface ConflictRecord {
  personId: string;
  proposalId: string;
  type: ConflictType;
  status: ConflictStatus;
}

/** Whether a person has a conflict with a proposal that is not dismissed (proposed ones count until staff rule). */
export function isConflicted(conflicts: readonly ConflictRecord[], personId: string, proposalId: string): boolean {
  return conflicts.some(
    (conflict) => conflict.personId === personId && conflict.proposalId === proposalId && conflict.status !== 'dismissed',
  );
}

/**
 * Checks that a reviewer may be assigned to, or see, a proposal.
 * @throws DomainError `conflict_of_interest` when a proposed or confirmed conflict exists.
 */
export function assertNoConflict(conflicts: readonly ConflictRecord[], personId: string, proposalId: string): void {
  if (isConflicted(conflicts, personId, proposalId)) {
    throw new DomainError('conflict_of_interest', 'this reviewer has a conflict of interest with this proposal');
  }
}

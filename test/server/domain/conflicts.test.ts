import { describe, expect, it } from 'vitest';
import {
  assertNoConflict,
  isConflicted,
  normaliseInstitution,
  organisationDomain,
  proposeConflicts,
  type ConflictRecord,
} from '../../../server/domain/conflicts';
import { DomainError } from '../../../server/domain/domainError';

describe('institution names are normalised', () => {
  it('ignores case, punctuation, a leading "the" and "Univ."', () => {
    expect(normaliseInstitution('The University of Tokyo')).toBe('university of tokyo');
    expect(normaliseInstitution('Univ. of Tokyo')).toBe('university of tokyo');
    expect(normaliseInstitution('  UNIVERSITY   of TOKYO,  ')).toBe('university of tokyo');
  });

  it('folds full-width characters and accents', () => {
    expect(normaliseInstitution('ＲＩＫＥＮ')).toBe('riken');
    expect(normaliseInstitution('Université Paris-Saclay')).toBe('universite paris saclay');
    expect(normaliseInstitution('Texas A&M')).toBe(normaliseInstitution('Texas A and M'));
  });

  it('keeps Japanese names', () => {
    expect(normaliseInstitution('東京大学')).toBe('東京大学');
  });
});

describe('organisation e-mail domains', () => {
  it('strips departments down to the organisation', () => {
    expect(organisationDomain('sato@cs.u-tokyo.ac.jp')).toBe('u-tokyo.ac.jp');
    expect(organisationDomain('a@ox.ac.uk')).toBe('ox.ac.uk');
    expect(organisationDomain('b@lab.cnrs.fr')).toBe('cnrs.fr');
    expect(organisationDomain('c@Riken.JP')).toBe('riken.jp');
  });

  it('ignores public mail providers', () => {
    expect(organisationDomain('x@gmail.com')).toBeNull();
    expect(organisationDomain('x@yahoo.co.jp')).toBeNull();
    expect(organisationDomain('x@i.softbank.jp')).toBeNull();
  });

  it('returns null for malformed addresses', () => {
    expect(organisationDomain('no-at-sign')).toBeNull();
    expect(organisationDomain('@example.org')).toBeNull();
    expect(organisationDomain('x@localhost')).toBeNull();
  });
});

describe('automatic conflict proposals', () => {
  const pis = [
    { email: 'sato@g.ecc.u-tokyo.ac.jp', institution: 'The University of Tokyo' },
    { email: 'martin@cnrs.fr', institution: 'CNRS' },
    { email: 'lee@gmail.com', institution: 'KAIST' },
  ];

  it('proposes an institutional conflict for the same institution and the same domain', () => {
    const found = proposeConflicts({ email: 'tanaka@u-tokyo.ac.jp', institution: 'University of Tokyo' }, pis);
    expect(found).toEqual([
      {
        type: 'institutional',
        piEmail: 'sato@g.ecc.u-tokyo.ac.jp',
        reasons: ['same_institution', 'same_email_domain'],
        matched: ['university of tokyo', 'u-tokyo.ac.jp'],
      },
    ]);
  });

  it('matches on the domain alone or the institution alone', () => {
    expect(proposeConflicts({ email: 'dupont@lab.cnrs.fr' }, pis).map((c) => c.reasons)).toEqual([['same_email_domain']]);
    expect(proposeConflicts({ email: 'kim@gmail.com', institution: 'kaist' }, pis).map((c) => [c.piEmail, c.reasons])).toEqual([
      ['lee@gmail.com', ['same_institution']],
    ]);
  });

  it('never matches on a shared public mail provider', () => {
    expect(proposeConflicts({ email: 'someone@gmail.com', institution: 'Kyoto University' }, pis)).toEqual([]);
  });

  it('does not treat different universities under ac.jp as one', () => {
    expect(proposeConflicts({ email: 'x@kyoto-u.ac.jp' }, pis)).toEqual([]);
  });
});

describe('recorded conflicts', () => {
  const conflicts: ConflictRecord[] = [
    { personId: 'r1', proposalId: 'p1', type: 'institutional', status: 'proposed' },
    { personId: 'r1', proposalId: 'p2', type: 'institutional', status: 'dismissed' },
    { personId: 'r2', proposalId: 'p1', type: 'advisor_advisee', status: 'confirmed' },
  ];

  it('count when proposed or confirmed, not when dismissed', () => {
    expect(isConflicted(conflicts, 'r1', 'p1')).toBe(true);
    expect(isConflicted(conflicts, 'r2', 'p1')).toBe(true);
    expect(isConflicted(conflicts, 'r1', 'p2')).toBe(false);
    expect(isConflicted(conflicts, 'r3', 'p1')).toBe(false);
  });

  it('block assignment with conflict_of_interest', () => {
    expect(() => assertNoConflict(conflicts, 'r1', 'p2')).not.toThrow();
    try {
      assertNoConflict(conflicts, 'r2', 'p1');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('conflict_of_interest');
    }
  });
});

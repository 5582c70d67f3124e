import type { Document } from 'bson';
import type { RunOnRequirement } from './types';
import { scalarsEqual } from './values';

/** What the server under test is, for evaluating `runOnRequirements`. */
export interface ServerProfile {
  /** As reported by buildInfo, e.g. "7.0.0". */
  version: string;
  topology: 'single' | 'replicaset' | 'sharded' | 'load-balanced';
  serverless: boolean;
  auth: boolean;
  /** Client-side field level encryption needs mongodb-client-encryption, which Godo does not ship. */
  csfle: boolean;
  /** Result of `getParameter: '*'`, or empty when the server does not answer it. */
  serverParameters: Document;
}

/** The profile the scope is defined against: a standalone MongoDB 7.0 without auth. */
export const STANDALONE_7_0: ServerProfile = {
  version: '7.0.0',
  topology: 'single',
  serverless: false,
  auth: false,
  csfle: false,
  serverParameters: {},
};

/**
 * Compares dotted version strings numerically, missing components counting as 0 and anything
 * after the numeric part (e.g. "-rc1", "-godo") ignored.
 * @throws Error when either string does not start with a number.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string): number[] => {
    const match = /^\d+(\.\d+)*/.exec(version.trim());
    if (!match) throw new Error(`not a version: ${version}`);
    return match[0].split('.').map(Number);
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const difference = (x[i] ?? 0) - (y[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

function topologyMatches(wanted: string[], actual: ServerProfile['topology']): boolean {
  // "sharded-replicaset" is a sharded cluster whose shards are replica sets: never our standalone.
  return wanted.includes(actual);
}

/** Why one requirement is not met by `profile`, or null when it is. */
export function unmetRequirement(requirement: RunOnRequirement, profile: ServerProfile): string | null {
  const known = new Set(['minServerVersion', 'maxServerVersion', 'topologies', 'serverless', 'serverParameters', 'auth', 'authMechanism', 'csfle']);
  const unknown = Object.keys(requirement).filter((key) => !known.has(key));
  if (unknown.length > 0) return `unknown runOnRequirement field(s) ${unknown.join(', ')}`;
  const { minServerVersion, maxServerVersion, topologies, serverless, serverParameters, auth, authMechanism, csfle } = requirement;
  if (minServerVersion && compareVersions(profile.version, minServerVersion) < 0) {
    return `needs server >= ${minServerVersion}`;
  }
  if (maxServerVersion && compareVersions(profile.version, maxServerVersion) > 0) {
    return `needs server <= ${maxServerVersion}`;
  }
  if (topologies && !topologyMatches(topologies, profile.topology)) {
    return `needs topology ${topologies.join('|')}`;
  }
  if (serverless === 'require' && !profile.serverless) return 'needs serverless';
  if (serverless === 'forbid' && profile.serverless) return 'forbids serverless';
  if (auth === true && !profile.auth) return 'needs auth';
  if (auth === false && profile.auth) return 'forbids auth';
  if (authMechanism !== undefined) return `needs auth mechanism ${authMechanism}`;
  if (csfle !== undefined && csfle !== false && !profile.csfle) return 'needs csfle (client-side encryption)';
  for (const [name, value] of Object.entries(serverParameters ?? {})) {
    if (!(name in profile.serverParameters) || !scalarsEqual(value, profile.serverParameters[name])) {
      return `needs server parameter ${name}=${String(value)}`;
    }
  }
  return null;
}

/**
 * Why a `runOnRequirements` list (satisfied by any one element) is not met, or null when it is or
 * when the list is absent. With several unmet alternatives the reasons are joined with " or ".
 */
export function unmetRequirements(requirements: RunOnRequirement[] | undefined, profile: ServerProfile): string | null {
  if (!requirements || requirements.length === 0) return null;
  const reasons: string[] = [];
  for (const requirement of requirements) {
    const reason = unmetRequirement(requirement, profile);
    if (reason === null) return null;
    reasons.push(reason);
  }
  return [...new Set(reasons)].join(' or ');
}

/** Size limits enforced by the schemas (and shown by the client next to inputs). */
export const LIMITS = {
  shortText: 200,
  title: 500,
  abstract: 10_000,
  comment: 10_000,
  /** OpenReview's meta-review limit. */
  rationale: 5_000,
  reason: 2_000,
  email: 254,
  password: 1_024,
  agencies: 20,
  criteria: 12,
  pisPerProposal: 30,
  budgetYears: 10,
  periodMonths: 120,
  /** Largest amount in one budget line or envelope, in whole currency units. */
  money: 1e13,
  minPasswordLength: 10,
} as const;

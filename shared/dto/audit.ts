/** An audit entry (server/presenters/audit.ts): who, when, what, before and after. */
export interface AuditEntryDto {
  id: string;
  action: string;
  at: string;
  actor: { id: string; name: string };
  proposalId: string | null;
  before: unknown;
  after: unknown;
}

import { z } from 'zod';
import { ConflictTypeSchema } from '../enums';
import { LIMITS } from '../limits';
import { IdSchema, VersionSchema, text } from './common';

/** Body of `POST /conflicts`: a reviewer declares a conflict with a proposal; `other` needs a note. */
export const ConflictDeclareSchema = z
  .strictObject({
    proposalId: IdSchema,
    type: ConflictTypeSchema,
    note: text(LIMITS.reason).optional(),
  })
  .refine((conflict) => conflict.type !== 'other' || conflict.note !== undefined, {
    path: ['note'],
    message: 'say what the conflict is',
  });
export type ConflictDeclareInput = z.infer<typeof ConflictDeclareSchema>;

/** Body of `PATCH /conflicts/:id`: staff confirm or dismiss a proposed conflict. */
export const ConflictResolveSchema = z.strictObject({
  status: z.enum(['confirmed', 'dismissed']),
  note: text(LIMITS.reason).optional(),
  /** The conflict's version last read: two staff deciding at once cannot silently overrule each other. */
  version: VersionSchema,
});
export type ConflictResolveInput = z.infer<typeof ConflictResolveSchema>;

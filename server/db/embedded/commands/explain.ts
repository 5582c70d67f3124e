import type { Document } from 'bson';
import { commandError } from '../errors.js';
import { isPlainObject } from './bson/values.js';
import { validateCollectionName, type CommandSpec } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { SERVER_VERSION } from './handshake.js';
import { candidates } from './query/planner.js';
import { readSource } from './views.js';

/**
 * explain: a minimal queryPlanner report naming the access path the embedded planner takes
 * (IDHACK, IXSCAN on an index, or COLLSCAN). Nothing is executed.
 */
function explain(req: CommandRequest, ctx: ServerContext): Document {
  const inner = req.body.explain;
  if (!isPlainObject(inner)) throw commandError('TypeMismatch', "BSON field 'explain.explain' is the wrong type, expected type 'object'");
  const command = Object.keys(inner)[0];
  const collection = inner[command];
  if (typeof collection !== 'string') throw commandError('InvalidNamespace', 'explain needs a collection');
  validateCollectionName(req.db, collection);
  const filter = (inner.filter ?? inner.query ?? inner.q ?? (Array.isArray(inner.updates) ? inner.updates[0]?.q : undefined) ??
    (Array.isArray(inner.deletes) ? inner.deletes[0]?.q : undefined)) as Document | undefined;
  const store = readSource(ctx, req.db, collection);
  const plan = store ? candidates(store, filter).plan : { stage: 'EOF' as const };
  const winningPlan: Document = { stage: plan.stage };
  if ('indexName' in plan && plan.indexName) winningPlan.indexName = plan.indexName;
  return {
    explainVersion: '1',
    queryPlanner: {
      namespace: `${req.db}.${collection}`,
      parsedQuery: filter ?? {},
      winningPlan,
      rejectedPlans: [],
    },
    command: inner,
    serverInfo: { host: ctx.address, version: SERVER_VERSION },
    ok: 1,
  };
}

/** The explain command. */
export const explainCommands: Record<string, CommandSpec> = {
  explain: { handler: explain },
};

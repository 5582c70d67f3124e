import type { Document } from 'bson';
import type { CommandSpec } from './common.js';
import { validateDbName } from './common.js';
import type { CommandRequest, ServerContext } from './context.js';
import { compileFilter } from './query/matcher.js';
import { viewDefinition } from './views.js';

function listDatabases(req: CommandRequest, ctx: ServerContext): Document {
  const filter = req.body.filter as Document | undefined;
  const test = compileFilter(filter);
  const databases = ctx.storage
    .listDatabases()
    .map((d) => ({ name: d.name, sizeOnDisk: d.sizeOnDisk, empty: d.empty }))
    .filter((d) => test(d));
  if (req.body.nameOnly) return { databases: databases.map((d) => ({ name: d.name })), ok: 1 };
  const totalSize = databases.reduce((n, d) => n + d.sizeOnDisk, 0);
  return { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
}

function dropDatabase(req: CommandRequest, ctx: ServerContext): Document {
  validateDbName(req.db);
  ctx.storage.dropDatabase(req.db);
  return { dropped: req.db, ok: 1 };
}

/** dbStats: sizes are the BSON sizes of the stored documents (no compression, no padding). */
function dbStats(req: CommandRequest, ctx: ServerContext): Document {
  const scale = typeof req.body.scale === 'number' && req.body.scale > 0 ? req.body.scale : 1;
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  const entries = ctx.storage.listCollections(req.db);
  const collections = entries.filter((c) => !viewDefinition(c));
  for (const collection of collections) {
    objects += collection.count();
    for (const doc of collection.all()) dataSize += doc.raw.length;
    indexes += collection.indexes().length;
  }
  return {
    db: req.db,
    collections: collections.length,
    views: entries.length - collections.length,
    objects,
    avgObjSize: objects ? dataSize / objects : 0,
    dataSize: dataSize / scale,
    storageSize: dataSize / scale,
    indexes,
    indexSize: 0,
    totalSize: dataSize / scale,
    scaleFactor: scale,
    fsUsedSize: 0,
    fsTotalSize: 0,
    ok: 1,
  };
}

/** Database-level commands. */
export const databaseCommands: Record<string, CommandSpec> = {
  listDatabases: { handler: listDatabases },
  dropDatabase: { handler: dropDatabase, write: true },
  dbStats: { handler: dbStats },
};


import type { Document } from 'bson';
import { commandError } from '../../errors.js';
import { bsonTag, isPlainObject, promote, toNumber } from '../bson/values.js';
import { runPipeline } from '../query/matcher.js';

/** Stages MongoDB allows in an update pipeline. */
const UPDATE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

/**
 * Runs an update pipeline over one typed document. mingo works on promoted values, so the
 * result's numbers are mapped back to the original BSON types wherever a field kept its value.
 * Throws InvalidOptions for a stage not allowed in updates.
 */
export function applyPipelineUpdate(doc: Document, pipeline: Document[], options: { variables?: Document }): Document {
  for (const stage of pipeline) {
    const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
    if (!name || !UPDATE_STAGES.has(name)) {
      throw commandError('InvalidOptions', `${name ?? 'stage'} is not allowed to be used within an update`);
    }
  }
  const [out] = runPipeline([promote(doc) as Document], promote(pipeline) as Document[], { variables: options.variables });
  const restored = restoreTypes(out ?? {}, doc) as Document;
  // A pipeline that drops _id (e.g. $replaceRoot) keeps the document's own, as in MongoDB.
  if (!('_id' in restored) && '_id' in doc) return { _id: doc._id, ...restored };
  if (!('_id' in restored) || Object.keys(restored)[0] === '_id') return restored;
  const { _id, ...rest } = restored;
  return { _id, ...rest };
}

/** Puts back Int32/Long/Double/Decimal128 wrappers where a number still equals the original value. */
export function restoreTypes(value: unknown, original: unknown): unknown {
  if (typeof value === 'number') {
    const tag = bsonTag(original);
    if ((tag === 'Int32' || tag === 'Double' || tag === 'Long' || tag === 'Decimal128') && sameNumber(toNumber(original), value)) return original;
    return value;
  }
  if (Array.isArray(value)) {
    const old = Array.isArray(original) ? original : [];
    return value.map((v, i) => restoreTypes(v, old[i]));
  }
  if (isPlainObject(value)) {
    const old = isPlainObject(original) ? original : {};
    const out: Document = {};
    for (const key of Object.keys(value)) out[key] = restoreTypes(value[key], old[key]);
    return out;
  }
  return value;
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

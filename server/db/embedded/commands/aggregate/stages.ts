import type { Document } from 'bson';
import { commandError } from '../../errors.js';
import { isPlainObject, isNumeric, toNumber, typeAlias } from '../bson/values.js';
import { locationError } from '../locationError.js';
import { compileFilter } from '../query/matcher.js';
import { parseSort } from '../query/sort.js';

type StageCheck = (arg: unknown, position: number, length: number) => void;

function nonEmptyObject(stage: string, code: number): StageCheck {
  return (arg) => {
    if (!isPlainObject(arg)) throw locationError(code, `${stage} specification must be an object`);
  };
}

function subPipelines(arg: unknown, field: string): void {
  if (isPlainObject(arg) && arg[field] !== undefined) validatePipeline(arg[field], { nested: true });
}

/** Argument checks run before a pipeline reaches mingo, with MongoDB's codes and messages. */
const STAGES: Record<string, StageCheck> = {
  $match: (arg) => {
    if (!isPlainObject(arg)) throw locationError(15959, 'the match filter must be an expression in an object');
    compileFilter(arg);
  },
  $limit: (arg) => {
    if (!isNumeric(arg)) throw locationError(15957, 'the limit must be specified as a number');
    const n = toNumber(arg);
    if (!Number.isInteger(n)) throw locationError(15957, `invalid argument to $limit stage: Cannot represent as a 64-bit integer: $limit: ${n}`);
    if (n <= 0) throw locationError(15958, 'the limit must be positive');
  },
  $skip: (arg) => {
    if (!isNumeric(arg)) throw locationError(15972, 'Argument to $skip must be a number');
    const n = toNumber(arg);
    if (!Number.isInteger(n)) throw locationError(5107200, `invalid argument to $skip stage: Cannot represent as a 64-bit integer: $skip: ${n}`);
    if (n < 0) throw locationError(5107200, `invalid argument to $skip stage: Expected a non-negative number in: $skip: ${n}`);
  },
  $sample: (arg) => {
    if (!isPlainObject(arg)) throw locationError(28745, 'the $sample stage specification must be an object');
    if (!('size' in arg)) throw locationError(28749, '$sample stage must specify a size');
    if (!isNumeric(arg.size)) throw locationError(28746, 'size argument to $sample must be a number');
    if (toNumber(arg.size) < 0) throw locationError(28747, 'size argument to $sample must not be negative');
  },
  $sort: (arg) => {
    if (!isPlainObject(arg)) throw locationError(15973, 'the $sort key specification must be an object');
    if (Object.keys(arg).length === 0) throw locationError(15976, '$sort stage must have at least one sort key');
    try {
      parseSort(arg);
    } catch {
      throw locationError(15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    }
  },
  $group: (arg) => {
    if (!isPlainObject(arg)) throw locationError(15947, 'a group\'s fields must be specified in an object');
    if (!('_id' in arg)) throw locationError(15955, 'a group specification must include an _id');
  },
  $project: (arg) => {
    if (!isPlainObject(arg)) throw locationError(15969, '$project specification must be an object');
    if (Object.keys(arg).length === 0) throw locationError(51272, 'Invalid $project :: caused by :: projection specification must have at least one field');
  },
  $unwind: (arg) => {
    const path = isPlainObject(arg) ? arg.path : arg;
    if (typeof path !== 'string') {
      throw locationError(15981, `expected either a string or an object as specification for $unwind stage, got ${typeAlias(arg)}`);
    }
    if (!path.startsWith('$')) throw locationError(28818, `path option to $unwind stage should be prefixed with a '$': ${path}`);
  },
  $count: (arg) => {
    if (typeof arg !== 'string' || arg.length === 0) throw locationError(40156, 'the count field must be a non-empty string');
    if (arg.startsWith('$')) throw locationError(40158, 'the count field cannot be a $-prefixed path');
    if (arg.includes('.')) throw locationError(40160, "the count field cannot contain '.'");
  },
  $lookup: (arg) => {
    if (!isPlainObject(arg)) throw locationError(40319, 'the $lookup specification must be an Object');
    if (typeof arg.as !== 'string') throw locationError(40320, "$lookup argument 'as' must be a string");
    const hasFields = arg.localField !== undefined || arg.foreignField !== undefined;
    if (hasFields && (typeof arg.localField !== 'string' || typeof arg.foreignField !== 'string')) {
      throw locationError(40321, "$lookup requires both or neither of 'localField' and 'foreignField' to be specified");
    }
    if (arg.from === undefined && arg.pipeline === undefined) throw commandError('FailedToParse', "must specify 'from' field for a $lookup");
    subPipelines(arg, 'pipeline');
  },
  $unionWith: (arg) => subPipelines(arg, 'pipeline'),
  $facet: (arg) => {
    if (!isPlainObject(arg)) throw locationError(15983, 'the $facet specification must be a non-empty object');
    for (const sub of Object.values(arg)) validatePipeline(sub, { nested: true, facet: true });
  },
  $addFields: nonEmptyObject('$addFields', 40272),
  $set: nonEmptyObject('$set', 40272),
  $unset: (arg) => {
    if (typeof arg !== 'string' && !Array.isArray(arg)) throw locationError(31002, '$unset specification must be a string or an array');
  },
  $replaceRoot: (arg) => {
    if (!isPlainObject(arg) || !('newRoot' in arg)) throw locationError(40231, 'no newRoot specified for the $replaceRoot stage');
  },
  $replaceWith: () => {},
  $bucket: nonEmptyObject('$bucket', 40201),
  $bucketAuto: nonEmptyObject('$bucketAuto', 40240),
  $sortByCount: () => {},
  $graphLookup: nonEmptyObject('$graphLookup', 40327),
  $redact: () => {},
  $densify: nonEmptyObject('$densify', 6042000),
  $fill: nonEmptyObject('$fill', 6050200),
  $setWindowFields: nonEmptyObject('$setWindowFields', 5339600),
  $documents: (arg, position) => {
    if (position !== 0) throw locationError(40602, '$documents is only valid as the first stage in a pipeline');
    if (!Array.isArray(arg)) throw locationError(5858203, 'an array is expected');
  },
  $listLocalSessions: (arg, position) => {
    if (position !== 0) throw locationError(40602, '$listLocalSessions is only valid as the first stage in a pipeline');
    if (!isPlainObject(arg)) throw commandError('TypeMismatch', '$listLocalSessions must take an object');
  },
  $out: (arg, position, length) => {
    if (position !== length - 1) throw locationError(40601, '$out can only be the final stage in the pipeline');
    if (typeof arg !== 'string' && !isPlainObject(arg)) throw locationError(16990, `$out only supports a string or object argument, but found ${typeAlias(arg)}`);
  },
  $merge: (arg, position, length) => {
    if (position !== length - 1) throw locationError(40601, '$merge can only be the final stage in the pipeline');
    if (typeof arg !== 'string' && !isPlainObject(arg)) throw locationError(51182, `$merge only supports a string or object argument, but found ${typeAlias(arg)}`);
  },
};

// Stages that never modify the documents they pass on, so stored objects can be fed directly.
const READ_ONLY_STAGES = new Set(['$match', '$sort', '$skip', '$limit', '$count', '$group', '$sortByCount', '$sample', '$bucket', '$bucketAuto', '$out', '$merge', '$documents']);

/**
 * True when no stage writes into the documents it receives, so a pipeline may run over the
 * stored (shared, never-mutated) objects instead of private copies.
 */
export function isReadOnlyPipeline(stages: Document[]): boolean {
  return stages.every((s) => {
    const name = Object.keys(s)[0];
    // mingo's $lookup returns a shallow copy carrying `as`; a dotted `as` would write into a shared sub-document.
    return READ_ONLY_STAGES.has(name) || (name === '$lookup' && !String(s.$lookup.as).includes('.'));
  });
}

// Stages MongoDB knows that the embedded server does not implement.
const UNSUPPORTED = new Set(['$collStats', '$indexStats', '$geoNear', '$search', '$searchMeta', '$changeStream', '$currentOp', '$listSessions', '$planCacheStats', '$vectorSearch']);

/**
 * Checks a pipeline's shape and each stage's argument; throws the MongoDB error a real
 * server gives (40323 malformed stage, 40324 unknown stage, 15958 bad $limit, ...).
 */
export function validatePipeline(pipeline: unknown, options: { nested?: boolean; facet?: boolean } = {}): Document[] {
  if (!Array.isArray(pipeline)) throw commandError('TypeMismatch', "BSON field 'pipeline' is the wrong type, expected type 'array'");
  pipeline.forEach((stage, position) => {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw locationError(40323, 'A pipeline stage specification object must contain exactly one field.');
    }
    const [name] = Object.keys(stage);
    if (UNSUPPORTED.has(name)) throw commandError('NotImplemented', `${name} is not supported by the embedded server`);
    const check = STAGES[name];
    if (!check) throw locationError(40324, `Unrecognized pipeline stage name: '${name}'`);
    if (options.nested && (name === '$out' || name === '$merge')) {
      throw locationError(options.facet ? 40600 : 51047, `${name} is not allowed to be used within a ${options.facet ? '$facet' : '$lookup'} stage`);
    }
    check(stage[name], position, pipeline.length);
  });
  return pipeline as Document[];
}

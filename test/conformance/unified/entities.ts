import type { Document } from 'bson';
import { MongoClient, ReadPreference, type AbstractCursor, type ClientSession, type Collection, type Db } from 'mongodb';
import { CommandEventLog } from './events';
import type { EntityResolver } from './match';
import { RunnerError } from './runnerError';
import type { EntityDescription } from './types';

/** An entry of a test's entity map. */
export type Entity =
  | { kind: 'client'; client: MongoClient; events?: CommandEventLog }
  | { kind: 'database'; database: Db }
  | { kind: 'collection'; collection: Collection<Document> }
  | { kind: 'session'; session: ClientSession }
  | { kind: 'cursor'; cursor: AbstractCursor }
  | { kind: 'value'; value: unknown };

type EntityOf<K extends Entity['kind']> = Extract<Entity, { kind: K }>;

/** The entity map of one test: unique names, typed lookups, and cleanup of driver objects. */
export class EntityMap implements EntityResolver {
  private readonly entries = new Map<string, Entity>();

  /** @throws RunnerError when `id` is taken. */
  set(id: string, entity: Entity): void {
    if (this.entries.has(id)) throw new RunnerError(`entity ${id} already exists`);
    this.entries.set(id, entity);
  }

  /** @throws RunnerError when `id` is unknown or not of `kind`. */
  get<K extends Entity['kind']>(id: string, kind: K): EntityOf<K> {
    const entity = this.entries.get(id);
    if (!entity) throw new RunnerError(`no entity ${id}`);
    if (entity.kind !== kind) throw new RunnerError(`entity ${id} is a ${entity.kind}, not a ${kind}`);
    return entity as EntityOf<K>;
  }

  /** The entity named `id`, whatever its kind. @throws RunnerError when unknown. */
  any(id: string): Entity {
    const entity = this.entries.get(id);
    if (!entity) throw new RunnerError(`no entity ${id}`);
    return entity;
  }

  value(id: string): unknown {
    return this.get(id, 'value').value;
  }

  sessionLsid(id: string): Document {
    const lsid = this.get(id, 'session').session.id;
    if (!lsid) throw new RunnerError(`session ${id} has no lsid`);
    return lsid;
  }

  /** The event logs of every client entity that observes events. */
  eventLogs(): Map<string, CommandEventLog> {
    const logs = new Map<string, CommandEventLog>();
    for (const [id, entity] of this.entries) if (entity.kind === 'client' && entity.events) logs.set(id, entity.events);
    return logs;
  }

  /** Ends sessions, closes cursors, then closes clients; never throws. */
  async close(): Promise<void> {
    const all = [...this.entries.values()];
    for (const entity of all) if (entity.kind === 'client') entity.events?.stop();
    await Promise.allSettled(all.filter((e) => e.kind === 'cursor').map((e) => (e as EntityOf<'cursor'>).cursor.close()));
    await Promise.allSettled(all.filter((e) => e.kind === 'session').map((e) => (e as EntityOf<'session'>).session.endSession()));
    await Promise.allSettled(all.filter((e) => e.kind === 'client').map((e) => (e as EntityOf<'client'>).client.close(true)));
    this.entries.clear();
  }
}

/** Converts a unified-format read preference document to the driver's class. */
export function toReadPreference(spec: Document): ReadPreference {
  const { mode, tagSets, maxStalenessSeconds, hedge } = spec;
  return new ReadPreference(mode, tagSets, { maxStalenessSeconds, hedge });
}

/** Converts the read/write concern and read preference options of a database or collection entity. */
export function toCollectionOptions(options: Document | undefined): Document {
  const converted: Document = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    if (key === 'readPreference') converted.readPreference = toReadPreference(value);
    else if (key === 'readConcern' || key === 'writeConcern') converted[key] = value;
    else if (key === 'timeoutMS') converted.timeoutMS = Number(value);
    else throw new RunnerError(`unsupported entity option ${key}`);
  }
  return converted;
}

/** Appends URI options to a connection string, keeping any it already has. */
export function withUriOptions(uri: string, options: Document): string {
  const entries = Object.entries(options);
  if (entries.length === 0) return uri;
  const render = (value: unknown): string =>
    value !== null && typeof value === 'object'
      ? Object.entries(value as Document).map(([k, v]) => `${k}:${String(v)}`).join(',')
      : String(value);
  const query = entries.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(render(value))}`).join('&');
  const [base, existing] = uri.split('?', 2);
  const hostEnd = base.indexOf('/', base.indexOf('://') + 3);
  const withPath = hostEnd === -1 ? `${base}/` : base;
  return existing ? `${withPath}?${existing}&${query}` : `${withPath}?${query}`;
}

const CLIENT_KEYS = new Set(['id', 'uriOptions', 'useMultipleMongoses', 'observeEvents', 'ignoreCommandMonitoringEvents', 'observeSensitiveCommands']);

function createClient(spec: Document, uri: string): Entity {
  const unknown = Object.keys(spec).filter((key) => !CLIENT_KEYS.has(key));
  if (unknown.length > 0) throw new RunnerError(`unsupported client option(s) ${unknown.join(', ')}`);
  const uriOptions: Document = { serverSelectionTimeoutMS: 5000, ...spec.uriOptions };
  const observed = new Set<string>(spec.observeEvents ?? []);
  const client = new MongoClient(withUriOptions(uri, uriOptions), { monitorCommands: observed.size > 0 });
  const unsupported = [...observed].filter((type) => !/^command(Started|Succeeded|Failed)Event$/.test(type));
  if (unsupported.length > 0) throw new RunnerError(`unsupported observeEvents ${unsupported.join(', ')}`);
  if (observed.size === 0) return { kind: 'client', client };
  const events = new CommandEventLog(observed, spec.ignoreCommandMonitoringEvents, spec.observeSensitiveCommands === true);
  events.attach(client);
  return { kind: 'client', client, events };
}

/**
 * Creates the entities of `createEntities` into `entities`, connecting clients to `uri`.
 * @throws RunnerError for an entity type or option the runner does not support.
 */
export function createEntities(descriptions: EntityDescription[] | undefined, entities: EntityMap, uri: string): void {
  for (const description of descriptions ?? []) {
    const [type, ...others] = Object.keys(description);
    if (others.length > 0) throw new RunnerError(`entity with several types ${Object.keys(description).join(', ')}`);
    const spec = description[type];
    switch (type) {
      case 'client':
        entities.set(spec.id, createClient(spec, uri));
        break;
      case 'database': {
        const { client } = entities.get(spec.client, 'client');
        entities.set(spec.id, { kind: 'database', database: client.db(spec.databaseName, toCollectionOptions(spec.databaseOptions)) });
        break;
      }
      case 'collection': {
        const { database } = entities.get(spec.database, 'database');
        const collection = database.collection(spec.collectionName, toCollectionOptions(spec.collectionOptions));
        entities.set(spec.id, { kind: 'collection', collection });
        break;
      }
      case 'session': {
        const { client } = entities.get(spec.client, 'client');
        entities.set(spec.id, { kind: 'session', session: client.startSession(spec.sessionOptions ?? {}) });
        break;
      }
      default:
        throw new RunnerError(`unsupported entity type ${type}`);
    }
  }
}

import type { Document } from 'bson';
import type { CommandFailedEvent, CommandStartedEvent, CommandSucceededEvent, MongoClient } from 'mongodb';
import { findMismatch, type EntityResolver } from './match';
import type { ExpectedEventsForClient } from './types';
import { describeValue } from './values';

/** Command monitoring events the runner can observe, named as in `observeEvents`. */
export type CommandEventType = 'commandStartedEvent' | 'commandSucceededEvent' | 'commandFailedEvent';

/** One observed command monitoring event, reduced to the fields tests assert. */
export interface ObservedEvent {
  type: CommandEventType;
  commandName: string;
  databaseName: string;
  command?: Document;
  reply?: Document;
  hasServiceId: boolean;
  hasServerConnectionId: boolean;
}

const DRIVER_EVENTS: Record<CommandEventType, 'commandStarted' | 'commandSucceeded' | 'commandFailed'> = {
  commandStartedEvent: 'commandStarted',
  commandSucceededEvent: 'commandSucceeded',
  commandFailedEvent: 'commandFailed',
};

// Commands the Command Logging and Monitoring spec calls sensitive; their events are redacted.
const SENSITIVE = new Set(['authenticate', 'saslstart', 'saslcontinue', 'getnonce', 'createuser', 'updateuser', 'copydbgetnonce', 'copydbsaslstart', 'copydb']);

type AnyCommandEvent = CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent;

/**
 * Records the command events of one client entity, dropping the ones the unified format says to
 * ignore (listed in `ignoreCommandMonitoringEvents`, fail point configuration, sensitive commands).
 */
export class CommandEventLog {
  readonly events: ObservedEvent[] = [];
  private recording = true;
  private readonly ignored: Set<string>;

  constructor(
    readonly observed: ReadonlySet<string>,
    ignoreCommands: readonly string[] = [],
    private readonly observeSensitive = false,
  ) {
    this.ignored = new Set(['configurefailpoint', ...ignoreCommands.map((name) => name.toLowerCase())]);
  }

  /** Subscribes to `client`'s command monitoring (the client must have `monitorCommands: true`). */
  attach(client: MongoClient): void {
    for (const type of Object.keys(DRIVER_EVENTS) as CommandEventType[]) {
      if (!this.observed.has(type)) continue;
      client.on(DRIVER_EVENTS[type], (event: AnyCommandEvent) => this.record(type, event));
    }
  }

  /** Stops recording; events after this (e.g. endSessions on close) are not asserted. */
  stop(): void {
    this.recording = false;
  }

  private isIgnored(event: AnyCommandEvent): boolean {
    const name = event.commandName.toLowerCase();
    if (this.ignored.has(name)) return true;
    if (this.observeSensitive) return false;
    if (SENSITIVE.has(name)) return true;
    if (name === 'hello' || name === 'ismaster') {
      // Conditionally sensitive: the driver redacts it (empty document) when it authenticates.
      const body = 'command' in event ? event.command : 'reply' in event ? (event.reply as Document) : undefined;
      return body !== undefined && (Object.keys(body).length === 0 || 'speculativeAuthenticate' in body);
    }
    return false;
  }

  private record(type: CommandEventType, event: AnyCommandEvent): void {
    if (!this.recording || this.isIgnored(event)) return;
    this.events.push({
      type,
      commandName: event.commandName,
      databaseName: 'databaseName' in event ? (event.databaseName as string) : '',
      command: type === 'commandStartedEvent' ? (event as CommandStartedEvent).command : undefined,
      reply: type === 'commandSucceededEvent' ? ((event as CommandSucceededEvent).reply as Document) : undefined,
      hasServiceId: event.serviceId !== undefined,
      hasServerConnectionId: event.serverConnectionId !== null && event.serverConnectionId !== undefined,
    });
  }
}

function checkEvent(expected: Document, actual: ObservedEvent, entities: EntityResolver): string | null {
  const keys = Object.keys(expected);
  if (keys.length !== 1) return `expected event must have exactly one key, has ${keys.join(', ')}`;
  const type = keys[0];
  if (type !== actual.type) return `expected ${type}, got ${actual.type} (${actual.commandName})`;
  const assertions = expected[type] as Document;
  for (const [field, value] of Object.entries(assertions)) {
    switch (field) {
      case 'commandName':
      case 'databaseName':
        if (actual[field] !== value) return `${field}: expected ${value}, got ${actual[field]}`;
        break;
      case 'command':
      case 'reply': {
        const mismatch = findMismatch(value, actual[field], { root: true, entities });
        if (mismatch) return `${field} ${mismatch}; actual ${field}: ${describeValue(actual[field], 400)}`;
        break;
      }
      case 'hasServiceId':
      case 'hasServerConnectionId':
        if (actual[field] !== value) return `${field}: expected ${value}, got ${actual[field]}`;
        break;
      default:
        throw new Error(`unsupported expected event field ${type}.${field}`);
    }
  }
  return null;
}

function summarize(events: readonly ObservedEvent[]): string {
  return events.map((event) => `${event.type.replace('Event', '')}(${event.commandName})`).join(', ') || 'none';
}

/**
 * Checks one `expectEvents` entry against the log of its client: same events in the same order,
 * and no more unless `ignoreExtraEvents`. Answers with the first difference or null.
 * @throws Error for event types or fields the runner does not support.
 */
export function checkExpectedEvents(expectation: ExpectedEventsForClient, log: CommandEventLog, entities: EntityResolver): string | null {
  const eventType = expectation.eventType ?? 'command';
  if (eventType !== 'command') throw new Error(`unsupported eventType ${eventType}`);
  const actual = log.events;
  const expected = expectation.events;
  const countOk = expectation.ignoreExtraEvents ? actual.length >= expected.length : actual.length === expected.length;
  if (!countOk) {
    return `${expectation.client}: expected ${expected.length} event(s)${expectation.ignoreExtraEvents ? ' or more' : ''}, observed ${actual.length}: ${summarize(actual)}`;
  }
  for (let i = 0; i < expected.length; i++) {
    const difference = checkEvent(expected[i], actual[i], entities);
    if (difference) return `${expectation.client} event ${i} (${actual[i].commandName}): ${difference}`;
  }
  return null;
}

import type { Socket } from 'node:net';
import { BSON, type Document } from 'bson';
import type { Logger } from 'pino';
import { MessageFramer } from './framer.js';
import { decodeOpMsg, encodeOpMsg } from './opMsg.js';
import { decodeOpQuery, encodeOpReply } from './opQuery.js';
import { CloseConnection, OP_COMPRESSED, OP_MSG, OP_QUERY, ProtocolError, readHeader } from './protocol.js';

/** A command as the wire layer hands it to the command layer. */
export interface WireCommand {
  /** The body, deserialized with promoted values, document sequences merged in as arrays. */
  body: Document;
  /** The body's BSON bytes (for a type-exact second reading of write payloads). */
  bodyBytes: Buffer;
  /** Kind-1 document sequences as raw BSON, by identifier (e.g. `documents` of an insert). */
  sequences: Map<string, Buffer[]>;
  /** No reply is wanted (OP_MSG moreToCome: an unacknowledged write). */
  moreToCome: boolean;
  /** Arrived as a legacy OP_QUERY on `<db>.$cmd`; `db` is taken from the namespace. */
  legacyDb?: string;
}

/** What the connection knows about its peer; passed to every command. */
export interface ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
}

/** The command layer as seen from a connection. Never rejects for command errors: it replies `ok: 0`. */
export type CommandRunner = (command: WireCommand, connection: ConnectionInfo) => Promise<Document | Buffer>;

/** Hooks the server gives each connection. */
export interface ConnectionOptions {
  id: number;
  logger: Logger;
  run: CommandRunner;
  onClose: (connection: Connection) => void;
}

// Commands MongoDB still answers over OP_QUERY; everything else gets error 352.
const LEGACY_COMMANDS = new Set(['hello', 'ismaster']);

/**
 * One client socket: frames messages, decodes OP_MSG/OP_QUERY, runs commands one at a time
 * in arrival order and writes replies. Anything malformed closes this socket (with a logged
 * reason) and nothing else.
 */
export class Connection implements ConnectionInfo {
  readonly id: number;
  readonly remoteAddress: string;
  private readonly framer = new MessageFramer();
  private queue: Promise<void> = Promise.resolve();
  private nextRequestId = 1;
  private closed = false;

  constructor(private readonly socket: Socket, private readonly options: ConnectionOptions) {
    this.id = options.id;
    this.remoteAddress = `${socket.remoteAddress ?? 'unknown'}:${socket.remotePort ?? 0}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.options.logger.debug({ err, connectionId: this.id }, 'socket error'));
    socket.on('close', () => {
      this.closed = true;
      this.options.onClose(this);
    });
  }

  /** Closes the socket; pending replies are dropped. */
  destroy(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let messages: Buffer[];
    try {
      messages = this.framer.push(chunk);
    } catch (err) {
      this.fail(err);
      return;
    }
    for (const message of messages) {
      // Serialised so replies leave in request order and a command sees its predecessors' writes.
      this.queue = this.queue.then(() => this.handle(message)).catch((err) => this.fail(err));
    }
  }

  private async handle(message: Buffer): Promise<void> {
    if (this.closed) return;
    const header = readHeader(message);
    switch (header.opCode) {
      case OP_MSG:
        return this.handleMsg(message, header.requestId);
      case OP_QUERY:
        return this.handleQuery(message, header.requestId);
      case OP_COMPRESSED:
        throw new ProtocolError('OP_COMPRESSED received but compression was not negotiated');
      default:
        throw new ProtocolError(`unsupported opCode ${header.opCode}`);
    }
  }

  private async handleMsg(message: Buffer, requestId: number): Promise<void> {
    const request = decodeOpMsg(message, requestId);
    const body = parseBson(request.body);
    for (const [identifier, docs] of request.sequences) {
      const existing = body[identifier];
      const parsed = docs.map(parseBson);
      body[identifier] = Array.isArray(existing) ? [...existing, ...parsed] : parsed;
    }
    const reply = await this.options.run(
      { body, bodyBytes: request.body, sequences: request.sequences, moreToCome: request.moreToCome },
      this,
    );
    if (request.moreToCome || this.closed) return;
    this.socket.write(encodeOpMsg(this.nextRequestId++, requestId, reply));
  }

  private async handleQuery(message: Buffer, requestId: number): Promise<void> {
    const request = decodeOpQuery(message, requestId);
    let query = parseBson(request.query);
    // Old drivers wrap commands as {$query: {...}, $readPreference: ...}.
    if (query.$query && typeof query.$query === 'object') query = query.$query as Document;
    const name = Object.keys(query)[0] ?? '';
    const dot = request.fullCollectionName.indexOf('.');
    const db = request.fullCollectionName.slice(0, dot);
    const collection = request.fullCollectionName.slice(dot + 1);
    if (dot <= 0 || collection !== '$cmd' || !LEGACY_COMMANDS.has(name.toLowerCase())) {
      const errmsg = `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal`;
      const reply = { $err: errmsg, errmsg, code: 352, codeName: 'UnsupportedOpQueryCommand', ok: 0 };
      this.socket.write(encodeOpReply(this.nextRequestId++, requestId, reply, true));
      return;
    }
    const reply = await this.options.run(
      { body: query, bodyBytes: request.query, sequences: new Map(), moreToCome: false, legacyDb: db },
      this,
    );
    const doc = Buffer.isBuffer(reply) ? BSON.deserialize(reply) : reply;
    if (!this.closed) this.socket.write(encodeOpReply(this.nextRequestId++, requestId, doc));
  }

  private fail(err: unknown): void {
    if (this.closed) return;
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof CloseConnection) {
      this.options.logger.info({ connectionId: this.id, reason }, 'closing connection on request');
      this.destroy();
      return;
    }
    this.options.logger.error({ connectionId: this.id, remote: this.remoteAddress, reason }, 'closing connection after malformed message');
    this.destroy();
  }
}

function parseBson(bytes: Buffer): Document {
  try {
    return BSON.deserialize(bytes);
  } catch (err) {
    throw new ProtocolError(`invalid BSON: ${(err as Error).message}`);
  }
}

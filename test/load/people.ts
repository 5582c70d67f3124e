import { io, type Socket } from 'socket.io-client';
import { HttpClient } from '../helpers/httpClient.js';
import type { LoadMetrics } from './metrics.js';
import type { SeededPerson } from './seed.js';

/**
 * The pace of the simulated day. Think times are human (seconds between actions); `scale`
 * multiplies them, 0 making every action follow the previous one at once (the smoke test's
 * event-bounded run). `finish()` ends the day: every pending think time resolves at once.
 */
export class Day {
  over = false;
  private readonly ended: Promise<void>;
  private end!: () => void;
  private state: number;

  constructor(
    readonly scale: number,
    seed = 1,
  ) {
    this.ended = new Promise((resolve) => (this.end = resolve));
    this.state = seed >>> 0;
  }

  finish(): void {
    if (this.over) return;
    this.over = true;
    this.end();
  }

  /** Resolves when the day ends. */
  get done(): Promise<void> {
    return this.ended;
  }

  /** A deterministic pseudo-random number in [0, 1) (mulberry32), so runs are repeatable. */
  random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.random();
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** A human pause of `minMs`–`maxMs` (scaled); ends early when the day does, or when `until` settles. */
  think(minMs: number, maxMs = minMs, until?: Promise<unknown>): Promise<void> {
    if (this.over) return Promise.resolve();
    const ms = this.between(minMs, maxMs) * this.scale;
    let timer: NodeJS.Timeout;
    const pause = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
    return Promise.race([pause, this.ended, ...(until ? [until.then(() => undefined)] : [])]).finally(() => clearTimeout(timer));
  }
}

/** What a REST call answered. */
export interface Answer<T = any> {
  ok: boolean;
  status: number;
  body: T;
}

/**
 * One simulated person: their session cookie, the Godo process they use (with two processes,
 * people alternate), a REST client and one Socket.IO connection, as one browser tab has. Every
 * request and acknowledgement is timed into `metrics` under its kind; a non-2xx answer or a
 * refused acknowledgement is a failure unless the caller says it expects that status.
 */
export class Person {
  readonly http: HttpClient;
  socket!: Socket;
  /** Called for every server event on the socket (name, payload). */
  readonly listeners: ((event: string, payload: any) => void)[] = [];

  constructor(
    readonly seed: SeededPerson,
    readonly url: string,
    private readonly metrics: LoadMetrics,
  ) {
    this.http = new HttpClient(url);
  }

  get id(): string {
    return this.seed.id;
  }

  async connect(): Promise<void> {
    this.socket = io(this.url, { transports: ['websocket'], extraHeaders: { cookie: this.seed.cookie }, reconnection: false, forceNew: true });
    this.socket.onAny((event: string, payload: unknown) => {
      for (const listener of this.listeners) listener(event, payload);
    });
    await new Promise<void>((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
    // A socket the server drops mid-day is a failure; the generator closing it at the end is not.
    this.socket.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') this.metrics.fail('socket:disconnect', `${this.seed.name}: ${reason}`);
    });
  }

  /** A REST request timed as `kind`; `expected` lists non-2xx statuses that are not failures. */
  async rest<T = any>(kind: string, method: string, path: string, body?: unknown, expected: number[] = []): Promise<Answer<T>> {
    const start = performance.now();
    try {
      const res = await this.http.request<T>(method, path, body, { cookie: this.seed.cookie });
      const ok = res.status >= 200 && res.status < 300;
      if (ok || expected.includes(res.status)) this.metrics.ok(`rest:${kind}`, performance.now() - start);
      else this.metrics.fail(`rest:${kind}`, `${method} ${path} → ${res.status} ${res.text.slice(0, 300)}`, res.status);
      return { ok, status: res.status, body: res.body };
    } catch (error) {
      this.metrics.fail(`rest:${kind}`, `${method} ${path}: ${(error as Error).message}`);
      return { ok: false, status: 0, body: undefined as T };
    }
  }

  /** A socket event with an acknowledgement, timed as `socket:<event>`; resolves with the ack (null on timeout). */
  async emit<T extends object = { seq?: number }>(event: string, payload: unknown, expectedCodes: string[] = []): Promise<({ ok: true } & T) | null> {
    const start = performance.now();
    try {
      const ack = (await this.socket.timeout(15_000).emitWithAck(event, payload)) as { ok: boolean; error?: { code: string; message: string } } & T;
      if (ack.ok) {
        this.metrics.ok(`socket:${event}`, performance.now() - start);
        return ack as { ok: true } & T;
      }
      if (ack.error && expectedCodes.includes(ack.error.code)) this.metrics.ok(`socket:${event}`, performance.now() - start);
      else this.metrics.fail(`socket:${event}`, `${this.seed.name} (${this.id}): ${JSON.stringify(ack.error)}`);
      return null;
    } catch (error) {
      this.metrics.fail(`socket:${event}`, `${this.seed.name} (${this.id}): ${(error as Error).message} after ${Math.round(performance.now() - start)} ms`);
      return null;
    }
  }

  close(): void {
    this.socket?.disconnect();
  }
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';
import type { ServerProfile } from './requirements';

/** The server the suite runs against. */
export interface Target {
  /** What the report calls it. */
  label: string;
  uri: string;
  close(): Promise<void>;
}

type EmbeddedServerModule = typeof import('../../../server/db/embedded/server.js');

/**
 * Uses `CONFORMANCE_MONGODB_URI` or `TEST_MONGODB_URI` when set (a real MongoDB), else starts
 * Godo's embedded server on a free port with an in-memory store.
 * @throws Error when neither is available or the embedded server fails to start.
 */
export async function openTarget(repoRoot: string, env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const uri = env.CONFORMANCE_MONGODB_URI || env.TEST_MONGODB_URI;
  if (uri) return { label: `external MongoDB (${uri.replace(/\/\/[^@/]*@/, '//***@')})`, uri, close: async () => {} };
  const entry = join(repoRoot, 'server/db/embedded/server.ts');
  if (!existsSync(entry)) throw new Error(`embedded server not found at ${entry}; set CONFORMANCE_MONGODB_URI to use a real MongoDB`);
  // Loaded by path at run time so the runner also typechecks and runs against a real MongoDB
  // while the embedded server is absent or being rewritten.
  const module = (await import(pathToFileURL(entry).href)) as Partial<EmbeddedServerModule>;
  if (typeof module.startEmbeddedServer !== 'function') throw new Error(`${entry} does not export startEmbeddedServer`);
  const server = await module.startEmbeddedServer({ port: 0, dbpath: null });
  return { label: `embedded server (${server.uri})`, uri: server.uri, close: () => server.close() };
}

function topologyOf(hello: Document, uri: string): ServerProfile['topology'] {
  if (/[?&]loadBalanced=true/i.test(uri)) return 'load-balanced';
  if (hello.msg === 'isdbgrid') return 'sharded';
  if (hello.setName) return 'replicaset';
  return 'single';
}

/**
 * Asks the server what it is (buildInfo, hello, getParameter) to evaluate runOnRequirements.
 * @throws Error when the server does not answer buildInfo or hello.
 */
export async function describeServer(client: MongoClient, uri: string): Promise<ServerProfile> {
  const admin = client.db('admin');
  const buildInfo = await admin.command({ buildInfo: 1 });
  const hello = await admin.command({ hello: 1 });
  const serverParameters = await admin.command({ getParameter: '*' }).catch(() => ({}) as Document);
  return {
    version: String(buildInfo.version),
    topology: topologyOf(hello, uri),
    serverless: false,
    auth: /^mongodb(\+srv)?:\/\/[^/]*@/.test(uri),
    csfle: false,
    serverParameters,
  };
}

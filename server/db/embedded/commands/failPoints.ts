import type { Document } from 'bson';
import { commandError } from '../errors.js';

/** What an armed `failCommand` fail point does to a matching command. */
export interface FailAction {
  errorCode?: number;
  closeConnection?: boolean;
  errorLabels?: string[];
  writeConcernError?: Document;
  blockTimeMS?: number;
}

interface Armed {
  commands: Set<string>;
  remaining: number;
  skip: number;
  action: FailAction;
}

/**
 * Test-only fault injection, as MongoDB's `configureFailPoint: "failCommand"` (used by the
 * driver specification tests). State belongs to one server instance.
 */
export class FailPoints {
  private armed: Armed | undefined;

  /** Applies a configureFailPoint command. Throws BadValue for unknown fail points or modes. */
  configure(body: Document): void {
    const name = body.configureFailPoint;
    if (name !== 'failCommand') throw commandError('BadValue', `Cannot find failpoint named ${String(name)}`);
    const mode = body.mode;
    if (mode === 'off') {
      this.armed = undefined;
      return;
    }
    const data = (body.data ?? {}) as Document;
    const commands = Array.isArray(data.failCommands) ? data.failCommands.map(String) : [];
    let remaining = Number.POSITIVE_INFINITY;
    let skip = 0;
    if (mode !== 'alwaysOn') {
      if (!mode || typeof mode !== 'object') throw commandError('BadValue', `Unsupported fail point mode ${JSON.stringify(mode)}`);
      if (typeof mode.times === 'number') remaining = mode.times;
      if (typeof mode.skip === 'number') skip = mode.skip;
    }
    this.armed = {
      commands: new Set(commands),
      remaining,
      skip,
      action: {
        errorCode: typeof data.errorCode === 'number' ? data.errorCode : undefined,
        closeConnection: data.closeConnection === true,
        errorLabels: Array.isArray(data.errorLabels) ? data.errorLabels.map(String) : undefined,
        writeConcernError: data.writeConcernError as Document | undefined,
        blockTimeMS: data.blockConnection === true && typeof data.blockTimeMS === 'number' ? data.blockTimeMS : undefined,
      },
    };
  }

  /** Returns the action for `commandName` when the fail point fires for it (consuming one activation). */
  take(commandName: string): FailAction | undefined {
    const armed = this.armed;
    if (!armed || !armed.commands.has(commandName)) return undefined;
    if (armed.skip > 0) {
      armed.skip--;
      return undefined;
    }
    armed.remaining--;
    if (armed.remaining <= 0) this.armed = undefined;
    return armed.action;
  }
}

import { auditActions } from './auditActions';
import { calls } from './calls';
import { core } from './core';
import { manage } from './manage';
import { review } from './review';
import { report } from './report';
import { meeting } from './meeting';
import { comments } from './comments';
import { platform } from './platform';

/** Every English message; English is the reference: its keys are the MessageKey union. */
export const en = { ...core, ...calls, ...review, ...manage, ...auditActions, ...report, ...meeting, ...comments, ...platform };

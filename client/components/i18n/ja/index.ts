import { auditActions } from './auditActions';
import { calls } from './calls';
import { core } from './core';
import { manage } from './manage';
import { review } from './review';
import { report } from './report';
import { meeting } from './meeting';
import { comments } from './comments';
import { platform } from './platform';

/** すべての日本語メッセージ（英語と同じキーを必ず持つ：各部分の型が保証する）。 */
export const ja = { ...core, ...calls, ...review, ...manage, ...auditActions, ...report, ...meeting, ...comments, ...platform };

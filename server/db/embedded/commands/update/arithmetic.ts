import { Decimal128, Double, Int32, Long } from 'bson';
import { bsonTag } from '../bson/values.js';

/** The numeric BSON types, widest last; arithmetic results take the widest operand type. */
type NumericKind = 'int' | 'long' | 'double' | 'decimal';
const WIDTH: Record<NumericKind, number> = { int: 0, long: 1, double: 2, decimal: 3 };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The numeric kind of a typed (or promoted) value, or undefined when not a number. */
export function numericKind(value: unknown): NumericKind | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= 0x7fffffff ? 'int' : 'double';
  switch (bsonTag(value)) {
    case 'Int32':
      return 'int';
    case 'Long':
      return 'long';
    case 'Double':
      return 'double';
    case 'Decimal128':
      return 'decimal';
  }
  return undefined;
}

function asNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  switch (bsonTag(value)) {
    case 'Int32':
    case 'Double':
      return (value as Int32 | Double).value;
    case 'Long':
      return (value as Long).toNumber();
    case 'Decimal128':
      return Number((value as Decimal128).toString());
  }
  return Number.NaN;
}

function asBigInt(value: unknown): bigint {
  if (bsonTag(value) === 'Long') return (value as Long).toBigInt();
  return BigInt(Math.trunc(asNumber(value)));
}

/** Thrown when a long result does not fit in 64 bits; the caller words the error. */
export class NumericOverflow extends Error {}

/**
 * Applies `$inc` (`add`) or `$mul` (`multiply`) with MongoDB's typing: the result has the
 * wider operand type; int32 results that overflow become int64; int64 overflow throws
 * NumericOverflow. Decimal128 arithmetic goes through doubles (approximate).
 */
export function arithmetic(op: 'add' | 'multiply', current: unknown, operand: unknown): unknown {
  const a = numericKind(current) ?? 'int';
  const b = numericKind(operand) ?? 'int';
  const kind: NumericKind = WIDTH[a] >= WIDTH[b] ? a : b;
  if (kind === 'decimal' || kind === 'double') {
    const x = asNumber(current);
    const y = asNumber(operand);
    const result = op === 'add' ? x + y : x * y;
    return kind === 'decimal' ? Decimal128.fromString(String(result)) : new Double(result);
  }
  const x = asBigInt(current);
  const y = asBigInt(operand);
  const result = op === 'add' ? x + y : x * y;
  if (kind === 'int' && result >= -(2n ** 31n) && result < 2n ** 31n) return new Int32(Number(result));
  if (result < INT64_MIN || result > INT64_MAX) throw new NumericOverflow();
  return Long.fromBigInt(result);
}

/** Zero of the operand's numeric type (what `$mul` stores into a missing field). */
export function zeroLike(operand: unknown): unknown {
  switch (numericKind(operand)) {
    case 'long':
      return Long.fromInt(0);
    case 'double':
      return new Double(0);
    case 'decimal':
      return Decimal128.fromString('0');
    default:
      return new Int32(0);
  }
}

/** `$bit` on int32/int64 values. */
export function bitwise(op: 'and' | 'or' | 'xor', current: unknown, operand: unknown): unknown {
  const wide = numericKind(current) === 'long' || numericKind(operand) === 'long';
  const x = asBigInt(current);
  const y = asBigInt(operand);
  const result = op === 'and' ? x & y : op === 'or' ? x | y : x ^ y;
  return wide ? Long.fromBigInt(BigInt.asIntN(64, result)) : new Int32(Number(BigInt.asIntN(32, result)));
}

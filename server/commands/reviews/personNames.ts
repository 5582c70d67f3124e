import { Types } from 'mongoose';
import type { Models } from '../../models/index.js';

/** Display names of people by id, in one query (unknown ids are absent from the map). */
export async function personNames(models: Models, ids: Iterable<unknown>): Promise<Map<string, string>> {
  const unique = [...new Set([...ids].map(String))].filter((id) => Types.ObjectId.isValid(id));
  if (unique.length === 0) return new Map();
  const users = await models.User.find({ _id: { $in: unique.map((id) => new Types.ObjectId(id)) } }, { name: 1 }).lean();
  return new Map(users.map((user) => [String(user._id), user.name]));
}

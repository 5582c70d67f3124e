import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './harness.js';

let t: TestServer;
let connection: mongoose.Connection;

const ProposalSchema = new mongoose.Schema(
  {
    title: { type: String, required: true },
    code: { type: String, unique: true },
    budget: Number,
    tags: [String],
    panel: { type: mongoose.Schema.Types.ObjectId, ref: 'Panel' },
  },
  { timestamps: true },
);
const PanelSchema = new mongoose.Schema({ name: String });

beforeAll(async () => {
  t = await startTestServer({ dbName: 'godo' });
  connection = mongoose.createConnection(t.server.uri, { dbName: t.db.databaseName });
  await connection.asPromise();
});
afterAll(async () => {
  await connection.close();
  await t.close();
});

describe('Mongoose over the wire protocol', () => {
  it('creates, queries, updates, populates and deletes', async () => {
    const Panel = connection.model('Panel', PanelSchema);
    const Proposal = connection.model('Proposal', ProposalSchema);
    await Proposal.init();
    const panel = await Panel.create({ name: 'Physics' });
    const created = await Proposal.create({ title: 'Quantum', code: 'Q-1', budget: 10, tags: ['x'], panel: panel._id });
    expect(created.createdAt).toBeInstanceOf(Date);
    await Proposal.create({ title: 'Optics', code: 'O-1', budget: 5 });
    const found = await Proposal.find({ budget: { $gte: 5 } }).sort({ budget: -1 }).lean();
    expect(found.map((p) => p.code)).toEqual(['Q-1', 'O-1']);
    const populated = await Proposal.findOne({ code: 'Q-1' }).populate<{ panel: { name: string } }>('panel');
    expect(populated?.panel.name).toBe('Physics');
    await Proposal.updateOne({ code: 'O-1' }, { $push: { tags: 'y' }, $inc: { budget: 1 } });
    const updated = await Proposal.findOneAndUpdate({ code: 'O-1' }, { $set: { title: 'Lasers' } }, { returnDocument: 'after' }).lean();
    expect(updated).toMatchObject({ title: 'Lasers', budget: 6, tags: ['y'] });
    expect(await Proposal.countDocuments()).toBe(2);
    expect(await Proposal.distinct('code')).toEqual(['O-1', 'Q-1']);
    const duplicate = await Proposal.create({ title: 'Again', code: 'Q-1' }).catch((e: { code?: number }) => e);
    expect((duplicate as { code?: number }).code).toBe(11000);
    await Proposal.deleteOne({ code: 'Q-1' });
    expect(await Proposal.exists({ code: 'Q-1' })).toBeNull();
    const stats = await Proposal.aggregate([{ $group: { _id: null, total: { $sum: '$budget' } } }]);
    expect(stats).toEqual([{ _id: null, total: 6 }]);
  });

  it('fails session.withTransaction with the standalone error (code 20)', async () => {
    const Note = connection.model('Note', new mongoose.Schema({ text: String }));
    const session = await connection.startSession();
    const err = (await session
      .withTransaction(async () => {
        await Note.create([{ text: 'x' }], { session });
      })
      .catch((e: unknown) => e)) as { code?: number; errorResponse?: { code?: number }; originalError?: { code?: number } };
    await session.endSession();
    // The driver rewords code 20 for retryable writes but keeps the server's reply.
    expect(err.code ?? err.errorResponse?.code ?? err.originalError?.code).toBe(20);
    expect(await Note.countDocuments()).toBe(0);
  });
});

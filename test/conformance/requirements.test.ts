import { describe, expect, it } from 'vitest';
import { compareVersions, STANDALONE_7_0, unmetRequirements } from './unified/requirements';
import type { UnifiedTest, UnifiedTestFile } from './unified/types';
import { unsupportedFeatureOf } from './unified/unsupported';

describe('server versions', () => {
  it('compare numerically with missing parts as zero and suffixes ignored', () => {
    expect(compareVersions('7.0.0', '7.0')).toBe(0);
    expect(compareVersions('7.0.0', '4.4.99')).toBe(1);
    expect(compareVersions('7.0.0', '7.1.0')).toBe(-1);
    expect(compareVersions('7.0.0-godo', '7.0.0')).toBe(0);
  });
});

describe('runOnRequirements against a standalone 7.0', () => {
  it('are met when absent or when any alternative is met', () => {
    expect(unmetRequirements(undefined, STANDALONE_7_0)).toBeNull();
    expect(unmetRequirements([{ minServerVersion: '4.2.0', topologies: ['sharded'] }, { minServerVersion: '4.0.0', topologies: ['single', 'replicaset'] }], STANDALONE_7_0)).toBeNull();
    expect(unmetRequirements([{ minServerVersion: '5.0', serverless: 'forbid' }], STANDALONE_7_0)).toBeNull();
    expect(unmetRequirements([{ maxServerVersion: '7.99' }], STANDALONE_7_0)).toBeNull();
  });

  it('name what is missing otherwise', () => {
    expect(unmetRequirements([{ minServerVersion: '8.0' }], STANDALONE_7_0)).toBe('needs server >= 8.0');
    expect(unmetRequirements([{ maxServerVersion: '4.4.99' }], STANDALONE_7_0)).toBe('needs server <= 4.4.99');
    expect(unmetRequirements([{ topologies: ['replicaset', 'sharded'] }], STANDALONE_7_0)).toBe('needs topology replicaset|sharded');
    expect(unmetRequirements([{ serverless: 'require' }], STANDALONE_7_0)).toBe('needs serverless');
    expect(unmetRequirements([{ auth: true }, { csfle: true }], STANDALONE_7_0)).toBe('needs auth or needs csfle (client-side encryption)');
  });
});

describe('declared unsupported features', () => {
  const file = { description: 'f', schemaVersion: '1.0', tests: [] } as UnifiedTestFile;
  const test = (operations: UnifiedTest['operations']): UnifiedTest => ({ description: 't', operations });

  it('skip collation anywhere in the arguments and client bulkWrite', () => {
    expect(unsupportedFeatureOf(test([{ object: 'c', name: 'bulkWrite', arguments: { requests: [{ deleteOne: { filter: {}, collation: { locale: 'fr' } } }] } }]), file)?.name).toBe('collation');
    expect(unsupportedFeatureOf(test([{ object: 'client0', name: 'clientBulkWrite', arguments: {} }]), file)?.name).toBe('clientBulkWrite');
  });

  it('run client bulkWrite where the driver refuses the models itself (nothing reaches the server)', () => {
    expect(unsupportedFeatureOf(test([{ object: 'client0', name: 'clientBulkWrite', arguments: {}, expectError: { isClientError: true } }]), file)).toBeUndefined();
  });

  it('run tests that set fail points (the embedded server implements failCommand)', () => {
    expect(unsupportedFeatureOf(test([{ object: 'testRunner', name: 'failPoint', arguments: {} }]), file)).toBeUndefined();
  });

  it('skip a hint only when an error is expected from it', () => {
    expect(unsupportedFeatureOf(test([{ object: 'c', name: 'deleteOne', arguments: { filter: {}, hint: '_id_' } }]), file)).toBeUndefined();
    expect(unsupportedFeatureOf(test([{ object: 'c', name: 'deleteOne', arguments: { filter: {}, hint: 'x_1' }, expectError: { isError: true } }]), file)?.name).toBe('hintErrors');
  });
});

describe('known Node driver deviations', () => {
  const file = { description: 'f', schemaVersion: '1.0', tests: [] } as UnifiedTestFile;

  it('run inserts of a null _id (the runner has the driver send them as given)', () => {
    const test: UnifiedTest = { description: 't', operations: [{ object: 'c', name: 'insertMany', arguments: { documents: [{ _id: null }] } }] };
    expect(unsupportedFeatureOf(test, file)).toBeUndefined();
  });

  it('skip asserting that bypassDocumentValidation: false is sent where the driver omits it', () => {
    const test: UnifiedTest = {
      description: 't',
      operations: [{ object: 'c', name: 'insertMany', arguments: { documents: [{ _id: 1 }], bypassDocumentValidation: false } }],
      expectEvents: [{ client: 'client0', events: [] }],
    };
    expect(unsupportedFeatureOf(test, file)?.name).toBe('bypassDocumentValidationFalse');
  });
});

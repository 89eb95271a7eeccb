// Placeholder substitution of iam-policies.json.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { substitute } from '../lib/generated';

describe('substitute', () => {
  it('replaces placeholders in values and keys, leaving IAM policy variables alone', () => {
    const out = substitute(
      { Resource: 'arn:${Partition}:iam::*:role/${MemberRoleName}', Condition: { 'x:${Name}': '${aws:username}' } },
      { Partition: 'aws', MemberRoleName: 'R', Name: 'n' },
    );
    assert.deepEqual(out, { Resource: 'arn:aws:iam::*:role/R', Condition: { 'x:n': '${aws:username}' } });
  });

  it('throws naming a placeholder without a value', () => {
    assert.throws(() => substitute({ a: ['${Unknown}'] }, {}), /no value for the placeholder \$\{Unknown\}/);
  });
});

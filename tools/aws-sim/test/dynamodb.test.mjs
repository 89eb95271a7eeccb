// DynamoDB through the simulator: AWS's own @aws-sdk/client-dynamodb against the SigV4 check and the in-process
// dynalite, requests that must never reach dynalite, the DynamoDB counters and faults.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, QueryCommand, UpdateItemCommand,
  ListTablesCommand, DescribeTableCommand, BatchWriteItemCommand, ConditionalCheckFailedException,
} from '@aws-sdk/client-dynamodb';
import { startSim, createAccount, control, rawRequest, signedRequest } from './helpers.mjs';
import { PLATFORM_ACCESS_KEY_ID, PLATFORM_SECRET_ACCESS_KEY, PLATFORM_ACCOUNT_ID } from '../services/dynamodb.mjs';

const PLATFORM = { accessKeyId: PLATFORM_ACCESS_KEY_ID, secretAccessKey: PLATFORM_SECRET_ACCESS_KEY };

function client(url, credentials = PLATFORM, extra = {}) {
  return new DynamoDBClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
}

/** A DynamoDB JSON 1.0 call signed with AWS's signer, answered raw ({status, headers, text, json()}). */
function ddbCall(url, credentials, operation, input, extra = {}) {
  return signedRequest(url, {
    service: 'dynamodb',
    credentials,
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}` },
    body: JSON.stringify(input),
    ...extra,
  });
}

async function createTable(db, name) {
  await db.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  }));
  // DynamoDB (and dynalite, even with createTableMs 0: the switch runs on a timer) creates a table in CREATING
  // state; items can be written once it is ACTIVE, as a real client waits for.
  for (let i = 0; i < 200; i++) {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: name }));
    if (Table.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`table ${name} did not become ACTIVE`);
}

/** Counts the requests that reach dynalite. */
function spyOnBackend(sim) {
  const spy = { calls: 0 };
  const forward = sim.dynamo.forward.bind(sim.dynamo);
  sim.dynamo.forward = (r) => {
    spy.calls++;
    return forward(r);
  };
  return spy;
}

describe('dynamodb', () => {
  let s;
  let db;
  let spy;
  before(async () => {
    s = await startSim({ seedAccounts: 1 });
    db = client(s.url);
    spy = spyOnBackend(s.sim);
  });
  after(() => s.close());
  beforeEach(async () => {
    await control(s.url, 'DELETE', '/_sim/faults');
    await control(s.url, 'POST', '/_sim/dynamodb/stats/reset');
    await control(s.url, 'POST', '/_sim/counters/reset');
  });

  test('the AWS SDK creates a table, puts, gets, queries, and sees a failed condition', async () => {
    await createTable(db, 'sdk-items');
    const described = await db.send(new DescribeTableCommand({ TableName: 'sdk-items' }));
    assert.equal(described.Table.TableStatus, 'ACTIVE');
    for (const sk of ['a', 'b', 'c']) {
      await db.send(new PutItemCommand({ TableName: 'sdk-items', Item: { pk: { S: 'p1' }, sk: { S: sk }, n: { N: '1' } } }));
    }
    const got = await db.send(new GetItemCommand({ TableName: 'sdk-items', Key: { pk: { S: 'p1' }, sk: { S: 'b' } }, ConsistentRead: true }));
    assert.deepEqual(got.Item, { pk: { S: 'p1' }, sk: { S: 'b' }, n: { N: '1' } });
    const q = await db.send(new QueryCommand({
      TableName: 'sdk-items',
      KeyConditionExpression: 'pk = :p AND sk > :s',
      ExpressionAttributeValues: { ':p': { S: 'p1' }, ':s': { S: 'a' } },
    }));
    assert.deepEqual(q.Items.map((i) => i.sk.S), ['b', 'c']);
    await assert.rejects(
      db.send(new PutItemCommand({
        TableName: 'sdk-items',
        Item: { pk: { S: 'p1' }, sk: { S: 'a' } },
        ConditionExpression: 'attribute_not_exists(pk)',
      })),
      (e) => e instanceof ConditionalCheckFailedException && e.$metadata.httpStatusCode === 400,
    );
    const updated = await db.send(new UpdateItemCommand({
      TableName: 'sdk-items',
      Key: { pk: { S: 'p1' }, sk: { S: 'a' } },
      UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
      ReturnValues: 'ALL_NEW',
    }));
    assert.equal(updated.Attributes.n.N, '2');
  });

  test('a seeded account key may call DynamoDB too, and the answer is relayed as dynalite gave it', async () => {
    const seeded = await control(s.url, 'GET', '/_sim/accounts/100000000001');
    const k = seeded.body.access_keys[0];
    const r = await ddbCall(s.url, { accessKeyId: k.access_key_id, secretAccessKey: k.secret_access_key }, 'ListTables', {});
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/x-amz-json-1.0');
    assert.match(r.headers['x-amzn-requestid'], /^[A-Z0-9]{52}$/); // dynalite's id, not the simulator's UUID
    assert.ok(r.headers['x-amz-crc32']);
    assert.ok(Array.isArray(r.json().TableNames));
    // The same request straight to dynalite answers the same bytes.
    const direct = await rawRequest(`http://127.0.0.1:${s.sim.dynamo.port}`, {
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        'x-amz-date': '20250101T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=x/20250101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: '{}',
    });
    assert.equal(r.text, direct.text);
    const stats = (await control(s.url, 'GET', '/_sim/dynamodb/stats')).body;
    assert.equal(stats.by_account['100000000001'].operations.ListTables.ok, 1);
  });

  test('a wrong secret, an unknown key or no signature is refused as DynamoDB refuses it and never reaches dynalite', async () => {
    await createTable(db, 'guarded');
    const before = spy.calls;
    const wrong = client(s.url, { accessKeyId: PLATFORM_ACCESS_KEY_ID, secretAccessKey: 'not-the-secret' });
    await assert.rejects(
      wrong.send(new PutItemCommand({ TableName: 'guarded', Item: { pk: { S: 'x' }, sk: { S: 'y' } } })),
      (e) => e.name === 'InvalidSignatureException' && e.$metadata.httpStatusCode === 400,
    );
    const raw = await ddbCall(s.url, { accessKeyId: PLATFORM_ACCESS_KEY_ID, secretAccessKey: 'nope' }, 'PutItem',
      { TableName: 'guarded', Item: { pk: { S: 'x' }, sk: { S: 'y' } } });
    assert.equal(raw.status, 400);
    assert.equal(raw.json().__type, 'com.amazon.coral.service#InvalidSignatureException');
    assert.equal(raw.headers['content-type'], 'application/x-amz-json-1.0');

    const unknown = client(s.url, { accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'x' });
    await assert.rejects(unknown.send(new ListTablesCommand({})), (e) => e.name === 'UnrecognizedClientException' && e.$metadata.httpStatusCode === 400);

    const unsigned = await rawRequest(s.url, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' },
      body: JSON.stringify({ TableName: 'guarded', Item: { pk: { S: 'x' }, sk: { S: 'y' } } }),
    });
    assert.equal(unsigned.status, 400);
    assert.equal(unsigned.json().__type, 'com.amazon.coral.service#MissingAuthenticationTokenException');

    // A signature for another service is not a DynamoDB signature.
    const otherService = await ddbCall(s.url, PLATFORM, 'ListTables', {}, { service: 'sts' });
    assert.notEqual(otherService.status, 200);

    // A body changed after signing.
    const tampered = await ddbCall(s.url, PLATFORM, 'PutItem', { TableName: 'guarded', Item: { pk: { S: 'x' }, sk: { S: 'y' } } },
      { sendBody: JSON.stringify({ TableName: 'guarded', Item: { pk: { S: 'x' }, sk: { S: 'z' } } }) });
    assert.equal(tampered.json().__type, 'com.amazon.coral.service#InvalidSignatureException');

    assert.equal(spy.calls, before);
    const scan = await ddbCall(s.url, PLATFORM, 'Scan', { TableName: 'guarded' });
    assert.equal(scan.json().Count, 0);
    const stats = (await control(s.url, 'GET', '/_sim/dynamodb/stats')).body;
    assert.equal(stats.by_operation.PutItem.outcomes.InvalidSignatureException, 3);
    assert.equal(stats.by_operation.PutItem.outcomes.MissingAuthenticationTokenException, 1);
  });

  test('stats count each operation and outcome; the AWS API counters do not see DynamoDB', async () => {
    await createTable(db, 'counted');
    for (let i = 0; i < 3; i++) {
      await db.send(new PutItemCommand({ TableName: 'counted', Item: { pk: { S: 'p' }, sk: { S: String(i) } } }));
    }
    await db.send(new GetItemCommand({ TableName: 'counted', Key: { pk: { S: 'p' }, sk: { S: '0' } } }));
    await assert.rejects(db.send(new PutItemCommand({
      TableName: 'counted', Item: { pk: { S: 'p' }, sk: { S: '0' } }, ConditionExpression: 'attribute_not_exists(pk)',
    })));
    await assert.rejects(db.send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'p' }, sk: { S: '0' } } })),
      (e) => e.name === 'ResourceNotFoundException');
    const stats = (await control(s.url, 'GET', '/_sim/dynamodb/stats')).body;
    // createTable waits for ACTIVE with DescribeTable calls, as many as the table took.
    const describes = stats.by_operation.DescribeTable?.total ?? 0;
    assert.ok(describes >= 1);
    assert.equal(stats.total, 7 + describes);
    assert.deepEqual(stats.by_operation.CreateTable, { total: 1, outcomes: { ok: 1 } });
    assert.deepEqual(stats.by_operation.PutItem, { total: 4, outcomes: { ok: 3, ConditionalCheckFailedException: 1 } });
    assert.deepEqual(stats.by_operation.GetItem, { total: 2, outcomes: { ok: 1, ResourceNotFoundException: 1 } });
    assert.equal(stats.by_account[PLATFORM_ACCOUNT_ID].total, 7 + describes);
    assert.equal((await control(s.url, 'GET', '/_sim/counters')).body.total, 0);
    const reset = (await control(s.url, 'POST', '/_sim/dynamodb/stats/reset')).body;
    assert.equal(reset.total, 0);
  });

  test('a throttle fault for dynamodb answers ProvisionedThroughputExceededException; the SDK retries through it', async () => {
    await createTable(db, 'throttled');
    const f = await control(s.url, 'POST', '/_sim/faults', { service: 'dynamodb', operation: 'PutItem', error: 'throttle', count: 2 });
    assert.equal(f.status, 201);
    const before = spy.calls;
    await assert.rejects(
      db.send(new PutItemCommand({ TableName: 'throttled', Item: { pk: { S: 'p' }, sk: { S: '1' } } })),
      (e) => e.name === 'ProvisionedThroughputExceededException' && e.$metadata.httpStatusCode === 400,
    );
    const retrying = client(s.url, PLATFORM, { maxAttempts: 3, retryStrategy: undefined });
    await retrying.send(new PutItemCommand({ TableName: 'throttled', Item: { pk: { S: 'p' }, sk: { S: '1' } } }));
    assert.equal(spy.calls, before + 1); // the two throttled attempts never reached dynalite
    const stats = (await control(s.url, 'GET', '/_sim/dynamodb/stats')).body;
    assert.deepEqual(stats.by_operation.PutItem.outcomes, { ProvisionedThroughputExceededException: 2, ok: 1 });
  });

  test('catch-all fault rules (no service) leave DynamoDB alone; a 5xx rule for dynamodb answers InternalServerError', async () => {
    await control(s.url, 'POST', '/_sim/faults', { error: '5xx' });
    assert.equal((await ddbCall(s.url, PLATFORM, 'ListTables', {})).status, 200);
    await control(s.url, 'DELETE', '/_sim/faults');
    await control(s.url, 'POST', '/_sim/faults', { service: 'dynamodb', error: '5xx', count: 1 });
    const r = await ddbCall(s.url, PLATFORM, 'ListTables', {});
    assert.equal(r.status, 500);
    assert.equal(r.json().__type, 'com.amazonaws.dynamodb.v20120810#InternalServerError');
    assert.equal((await ddbCall(s.url, PLATFORM, 'ListTables', {})).status, 200);
  });

  test('a fault with after: true loses the answer of a request dynalite applied', async () => {
    await createTable(db, 'lost-answers');
    const bad = await control(s.url, 'POST', '/_sim/faults', { operation: 'PutItem', error: '5xx', after: true });
    assert.equal(bad.status, 400); // only for service dynamodb
    await control(s.url, 'POST', '/_sim/faults', { service: 'dynamodb', operation: 'PutItem', error: '5xx', after: true, count: 1 });
    const put = { TableName: 'lost-answers', Item: { pk: { S: 'p' }, sk: { S: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' };
    await assert.rejects(db.send(new PutItemCommand(put)), (e) => e.name === 'InternalServerError');
    const got = await db.send(new GetItemCommand({ TableName: 'lost-answers', Key: { pk: { S: 'p' }, sk: { S: '1' } }, ConsistentRead: true }));
    assert.ok(got.Item, 'the write was applied');
    // The client's retry of its conditional write now fails the condition its own first attempt made true.
    await assert.rejects(db.send(new PutItemCommand(put)), (e) => e instanceof ConditionalCheckFailedException);
  });

  test('requests above the 1 MiB API limit but within DynamoDB\'s are forwarded (BatchWriteItem of 4 x 300 KB)', async () => {
    await createTable(db, 'large');
    const big = 'x'.repeat(300 * 1024);
    const writes = [0, 1, 2, 3].map((i) => ({ PutRequest: { Item: { pk: { S: 'p' }, sk: { S: String(i) }, v: { S: big } } } }));
    const r = await db.send(new BatchWriteItemCommand({ RequestItems: { large: writes } }));
    assert.deepEqual(r.UnprocessedItems ?? {}, {});
    const tooBig = await ddbCall(s.url, PLATFORM, 'PutItem', { TableName: 'large', Item: { pk: { S: 'p' }, sk: { S: 'big' }, v: { S: 'y'.repeat(401 * 1024) } } });
    assert.equal(tooBig.status, 400);
    assert.match(tooBig.json().__type, /ValidationException$/);
  });

  test('the control API names the platform identity; POST /_sim/reset drops every table', async () => {
    const info = (await control(s.url, 'GET', '/_sim/dynamodb')).body;
    assert.equal(info.enabled, true);
    assert.equal(info.platform_identity.access_key_id, PLATFORM_ACCESS_KEY_ID);
    assert.equal(info.platform_identity.secret_access_key, PLATFORM_SECRET_ACCESS_KEY);
    await createTable(db, 'to-be-reset');
    assert.ok((await db.send(new ListTablesCommand({}))).TableNames.includes('to-be-reset'));
    await control(s.url, 'POST', '/_sim/reset');
    spy = spyOnBackend(s.sim);
    assert.deepEqual((await db.send(new ListTablesCommand({}))).TableNames, []);
  });
});

test('--dynamodb off: DynamoDB calls answer ServiceUnavailableException', async () => {
  const s = await startSim({ dynamodb: false });
  try {
    const r = await ddbCall(s.url, PLATFORM, 'ListTables', {});
    assert.equal(r.status, 503);
    assert.equal(r.json().__type, 'com.amazon.coral.service#ServiceUnavailableException');
    assert.equal((await control(s.url, 'GET', '/_sim/dynamodb')).body.enabled, false);
  } finally {
    await s.close();
  }
});

test('the platform key is for DynamoDB only', async () => {
  const s = await startSim();
  try {
    const r = await signedRequest(s.url, {
      service: 'sts',
      credentials: PLATFORM,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(r.status, 403);
    assert.match(r.text, /InvalidClientTokenId/);
  } finally {
    await s.close();
  }
});

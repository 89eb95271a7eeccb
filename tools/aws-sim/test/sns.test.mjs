// SNS: the official JavaScript client (@aws-sdk/client-sns, AWS Query protocol) against the simulator (in
// process): the request shape the SDK sends, Publish and its validation, errors in SNS's XML shape as the SDK reads
// them, publishers, FIFO, the control API (topics, messages kept per topic, bounded), faults, counters and reset.
import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  SNSClient,
  PublishCommand,
  NotFoundException,
  InvalidParameterException,
  AuthorizationErrorException,
  ThrottledException,
} from '@aws-sdk/client-sns';
import { startSim, control, createAccount, UUID_RE } from './helpers.mjs';
import { PLATFORM_ACCESS_KEY_ID, PLATFORM_SECRET_ACCESS_KEY } from '../services/dynamodb.mjs';
import { MAX_MESSAGES_PER_TOPIC } from '../services/sns.mjs';

const platform = { accessKeyId: PLATFORM_ACCESS_KEY_ID, secretAccessKey: PLATFORM_SECRET_ACCESS_KEY };
const ARN = 'arn:aws:sns:eu-west-1:123456789012:alerts';
const messagesPath = (arn) => `/_sim/sns/topics/${encodeURIComponent(arn)}/messages`;

describe('SNS', () => {
  let s;
  let sent;
  const client = (region = 'eu-west-1', credentials = platform) => {
    const c = new SNSClient({ endpoint: s.url, region, credentials, maxAttempts: 1 });
    // Record what goes on the wire, after serialization and signing.
    c.middlewareStack.add(
      (next) => async (args) => {
        sent.push({ headers: { ...args.request.headers }, body: String(args.request.body ?? '') });
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'recordRequest' },
    );
    return c;
  };

  before(async () => {
    s = await startSim({ dynamodb: false });
  });
  after(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    sent = [];
    await control(s.url, 'POST', '/_sim/reset');
    assert.equal((await control(s.url, 'POST', '/_sim/sns/topics', { arn: ARN })).status, 201);
  });

  test('the SDK sends the AWS Query protocol: a form body with Action=Publish and Version=2010-03-31', async () => {
    await client().send(new PublishCommand({ TopicArn: ARN, Subject: 'Hi & bye', Message: 'a+b=c' }));
    assert.equal(sent.length, 1);
    assert.match(sent[0].headers['content-type'], /^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(sent[0].body);
    assert.equal(form.get('Action'), 'Publish');
    assert.equal(form.get('Version'), '2010-03-31');
    assert.equal(form.get('TopicArn'), ARN);
    assert.equal(form.get('Subject'), 'Hi & bye');
    assert.equal(form.get('Message'), 'a+b=c');
    assert.match(sent[0].headers.authorization, /\/eu-west-1\/sns\/aws4_request/);
  });

  test('Publish returns a MessageId and the message is listed on the topic', async () => {
    const out = await client().send(
      new PublishCommand({
        TopicArn: ARN,
        Subject: '[FIRING] TPM',
        Message: 'héllo\nworld',
        MessageAttributes: { severity: { DataType: 'String', StringValue: 'critical' } },
      }),
    );
    assert.match(out.MessageId, UUID_RE);
    const r = await control(s.url, 'GET', messagesPath(ARN));
    assert.equal(r.status, 200);
    assert.equal(r.body.topic_arn, ARN);
    assert.equal(r.body.published, 1);
    assert.equal(r.body.messages.length, 1);
    const m = r.body.messages[0];
    assert.equal(m.message_id, out.MessageId);
    assert.equal(m.subject, '[FIRING] TPM');
    assert.equal(m.message, 'héllo\nworld');
    assert.deepEqual(m.message_attributes, { severity: { data_type: 'String', string_value: 'critical' } });
    assert.equal(m.publisher_account_id, '000000000000');
    assert.ok(!Number.isNaN(Date.parse(m.published_at)));
  });

  test('an account key may publish too; SNS calls are counted apart', async () => {
    const a = await createAccount(s.url, { quota_profile: 'defaults' });
    await client('eu-west-1', a.credentials).send(new PublishCommand({ TopicArn: ARN, Message: 'x' }));
    const stats = JSON.stringify((await control(s.url, 'GET', '/_sim/sns/stats')).body);
    assert.ok(stats.includes('Publish') && stats.includes(a.account_id), stats);
    const accountCalls = JSON.stringify((await control(s.url, 'GET', '/_sim/counters')).body);
    assert.ok(!accountCalls.includes('Publish'), accountCalls);
    const msgs = (await control(s.url, 'GET', messagesPath(ARN))).body.messages;
    assert.equal(msgs[0].publisher_account_id, a.account_id);
  });

  test('an unknown topic is NotFound (404)', async () => {
    const err = await client()
      .send(new PublishCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:nope', Message: 'x' }))
      .catch((e) => e);
    assert.ok(err instanceof NotFoundException, String(err));
    assert.equal(err.$metadata.httpStatusCode, 404);
    assert.equal(err.message, 'Topic does not exist');
  });

  test('validation: ARN, region, message and subject rules are InvalidParameter', async () => {
    const cases = [
      [{ TopicArn: 'arn:aws:sns:eu-west-1:123:alerts', Message: 'x' }, 'Invalid parameter: TopicArn'],
      [{ TopicArn: 'not-an-arn', Message: 'x' }, 'Invalid parameter: TopicArn'],
      [{ TopicArn: 'arn:aws:sns:us-east-1:123456789012:alerts', Message: 'x' }, 'Invalid parameter: TopicArn'],
      [{ TopicArn: ARN, Message: '' }, 'Invalid parameter: Empty message'],
      [{ TopicArn: ARN, Message: 'x'.repeat(262145) }, 'Invalid parameter: Message too long'],
      [{ TopicArn: ARN, Message: 'x', Subject: 's'.repeat(100) }, 'Invalid parameter: Subject'],
      [{ TopicArn: ARN, Message: 'x', Subject: 'two\nlines' }, 'Invalid parameter: Subject'],
      [{ TopicArn: ARN, Message: 'x', MessageStructure: 'json' }, 'Invalid parameter: Message Structure - JSON message body failed to parse'],
      [{ TopicArn: ARN, Message: '{"email":"x"}', MessageStructure: 'json' }, 'Invalid parameter: Message Structure - No default entry in JSON message body'],
    ];
    for (const [input, message] of cases) {
      const err = await client().send(new PublishCommand(input)).catch((e) => e);
      assert.ok(err instanceof InvalidParameterException, `${JSON.stringify(input).slice(0, 80)}: ${err}`);
      assert.equal(err.message, message);
      assert.equal(err.$metadata.httpStatusCode, 400);
    }
    // The limits themselves are accepted.
    await client().send(new PublishCommand({ TopicArn: ARN, Message: 'x'.repeat(262144), Subject: 's'.repeat(99) }));
    await client().send(new PublishCommand({ TopicArn: ARN, Message: '{"default":"d"}', MessageStructure: 'json' }));
    assert.equal((await control(s.url, 'GET', messagesPath(ARN))).body.messages.length, 2);
  });

  test('a topic with publishers refuses other accounts (AuthorizationError, 403)', async () => {
    const locked = 'arn:aws:sns:eu-west-1:123456789012:locked';
    await control(s.url, 'POST', '/_sim/sns/topics', { arn: locked, publishers: ['123456789012'] });
    const err = await client().send(new PublishCommand({ TopicArn: locked, Message: 'x' })).catch((e) => e);
    assert.ok(err instanceof AuthorizationErrorException, String(err));
    assert.equal(err.$metadata.httpStatusCode, 403);
    assert.match(err.message, /is not authorized to perform: SNS:Publish on resource: arn:aws:sns:eu-west-1:123456789012:locked/);
  });

  test('FIFO topics need a MessageGroupId and answer a SequenceNumber', async () => {
    const fifo = 'arn:aws:sns:eu-west-1:123456789012:alerts.fifo';
    await control(s.url, 'POST', '/_sim/sns/topics', { arn: fifo });
    const err = await client().send(new PublishCommand({ TopicArn: fifo, Message: 'x' })).catch((e) => e);
    assert.ok(err instanceof InvalidParameterException, String(err));
    const out = await client().send(new PublishCommand({ TopicArn: fifo, Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    assert.equal(out.SequenceNumber, '00000000000000000001');
  });

  test('bad signatures are refused in SNS\'s shape', async () => {
    const err = await client('eu-west-1', { ...platform, secretAccessKey: 'wrong' })
      .send(new PublishCommand({ TopicArn: ARN, Message: 'x' }))
      .catch((e) => e);
    assert.equal(err.name, 'SignatureDoesNotMatch');
    assert.equal(err.$metadata.httpStatusCode, 403);
  });

  test('faults naming service sns apply (throttling is Throttled, 429)', async () => {
    await control(s.url, 'POST', '/_sim/faults', { service: 'sns', operation: 'Publish', error: 'throttle', count: 1 });
    const err = await client().send(new PublishCommand({ TopicArn: ARN, Message: 'x' })).catch((e) => e);
    assert.ok(err instanceof ThrottledException, String(err));
    assert.equal(err.$metadata.httpStatusCode, 429);
    await client().send(new PublishCommand({ TopicArn: ARN, Message: 'x' }));
    // A catch-all fault does not touch SNS (the platform's own service, like KMS).
    await control(s.url, 'POST', '/_sim/faults', { error: '5xx' });
    await client().send(new PublishCommand({ TopicArn: ARN, Message: 'y' }));
  });

  test('control API: topics are validated, listed, deleted; messages are bounded; reset clears them', async () => {
    assert.equal((await control(s.url, 'POST', '/_sim/sns/topics', { arn: 'arn:aws:sqs:eu-west-1:123456789012:q' })).status, 400);
    assert.equal((await control(s.url, 'POST', '/_sim/sns/topics', { arn: ARN })).status, 409);
    assert.equal((await control(s.url, 'GET', '/_sim/sns/topics')).body.topics.length, 1);

    const state = s.sim.sns;
    const topic = state.topics.get(ARN);
    const c = client();
    // Fill directly past the bound, then publish once more through the API.
    for (let i = 0; i < MAX_MESSAGES_PER_TOPIC; i++) topic.messages.push({ message_id: `old-${i}` });
    topic.published = MAX_MESSAGES_PER_TOPIC;
    const out = await c.send(new PublishCommand({ TopicArn: ARN, Message: 'newest' }));
    const r = (await control(s.url, 'GET', messagesPath(ARN))).body;
    assert.equal(r.messages.length, MAX_MESSAGES_PER_TOPIC);
    assert.equal(r.published, MAX_MESSAGES_PER_TOPIC + 1);
    assert.equal(r.messages[0].message_id, 'old-1');
    assert.equal(r.messages.at(-1).message_id, out.MessageId);

    assert.equal((await control(s.url, 'GET', messagesPath('arn:aws:sns:eu-west-1:123456789012:none'))).status, 404);
    await control(s.url, 'POST', '/_sim/reset');
    assert.equal((await control(s.url, 'GET', '/_sim/sns/topics')).body.topics.length, 0);
    assert.equal((await control(s.url, 'GET', messagesPath(ARN))).status, 404);
    await control(s.url, 'POST', '/_sim/sns/topics', { arn: ARN });
    assert.equal((await control(s.url, 'DELETE', `/_sim/sns/topics/${encodeURIComponent(ARN)}`)).status, 200);
    assert.equal((await control(s.url, 'GET', '/_sim/sns/topics')).body.topics.length, 0);
  });
});

// Amazon SNS, Publish only, AWS Query protocol (POST form `Action=Publish&Version=2010-03-31&TopicArn=…`), XML
// answers — the protocol the AWS SDK for JavaScript v3 uses for SNS (@aws-sdk/client-sns: AwsQueryProtocol) and
// the one the C++ client (server/src/aws/sns_client.h) speaks.
//
// Topics exist only when created through the control API (POST /_sim/sns/topics {arn, publishers?}); every
// message published is kept (the last MAX_MESSAGES_PER_TOPIC per topic) and listed by
// GET /_sim/sns/topics/{arn}/messages. /_sim/reset clears topics and messages.
//
// Validation as SNS documents it for Publish (errors in SNS's XML shape, <ErrorResponse><Error><Type>, <Code>,
// <Message>, <RequestId>):
//  - TopicArn required (TargetArn / PhoneNumber are not simulated), well-formed, in the region the request is
//    signed for (else InvalidParameter "Invalid parameter: TopicArn"); unknown topic → 404 NotFound.
//  - Message required and non-empty, at most 256 KiB of UTF-8 (InvalidParameter "…Message too long").
//    MessageStructure=json: Message must be a JSON object with a string "default" member.
//  - Subject, when present: 1..99 characters, no line breaks or control characters (InvalidParameter).
//  - FIFO topics (name ends in .fifo) require MessageGroupId.
//  - A topic created with `publishers: [account ids]` accepts only those accounts (else 403 AuthorizationError);
//    without it any authenticated identity may publish.
// Like KMS, SNS serves the platform itself (alert delivery): the platform identity (services/dynamodb.mjs) may call
// it beside every account key; its calls are counted apart (/_sim/sns/stats); the global latency and the AWS API
// rate limits do not apply, and only fault rules naming service "sns" do.
import { randomUUID } from 'node:crypto';
import { ApiError, queryErrorResponse, queryFormParams, queryOkResponse } from './common.mjs';
import { SimError } from '../state.mjs';

export const name = 'sns';
const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const VERSION = '2010-03-31';
export const MAX_MESSAGE_BYTES = 262144;
export const MAX_MESSAGES_PER_TOPIC = 1000;
const TOPIC_ARN = /^arn:(aws|aws-cn|aws-us-gov):sns:([a-z][a-z0-9-]{0,31}):(\d{12}):([A-Za-z0-9_-]{1,256}(\.fifo)?)$/;

// ---------------------------------------------------------------------------------------------------
// State

export class SnsState {
  constructor() {
    this.reset();
  }

  reset() {
    this.topics = new Map(); // arn → {arn, region, account_id, name, fifo, publishers|null, messages: []}
  }

  /** Creates a topic; {arn, publishers?: [12-digit account ids]}. */
  createTopic({ arn, publishers } = {}) {
    const m = typeof arn === 'string' ? TOPIC_ARN.exec(arn) : null;
    if (!m) throw new SimError(400, 'arn must be arn:aws:sns:<region>:<12 digits>:<name>');
    if (this.topics.has(arn)) throw new SimError(409, `topic ${arn} exists`);
    if (publishers !== undefined && !(Array.isArray(publishers) && publishers.every((p) => /^\d{12}$/.test(String(p))))) {
      throw new SimError(400, 'publishers must be a list of 12-digit account ids');
    }
    const topic = {
      arn,
      region: m[2],
      account_id: m[3],
      name: m[4],
      fifo: Boolean(m[5]),
      publishers: publishers === undefined ? null : publishers.map(String),
      messages: [],
      published: 0,
    };
    this.topics.set(arn, topic);
    return topic;
  }

  deleteTopic(arn) {
    return this.topics.delete(arn);
  }

  requireTopic(arn) {
    const t = this.topics.get(arn);
    if (!t) throw new SimError(404, `no topic ${arn}`);
    return t;
  }

  view(topic) {
    const { messages, ...rest } = topic;
    return { ...rest, kept: messages.length };
  }
}

// ---------------------------------------------------------------------------------------------------
// Protocol

export function matches(req) {
  const p = queryFormParams(req);
  return p.Version === VERSION && typeof p.Action === 'string';
}

export function parse(req) {
  const params = queryFormParams(req);
  const action = params.Action;
  if (!action) throw new ApiError('MissingAction', 'Missing Action', 400);
  if (!HANDLERS[action]) throw new ApiError('InvalidAction', `The action ${action} is not valid for this web service.`, 400);
  return { operation: action, input: params };
}

export function faultTarget() {
  return {};
}

export function errorFor(kind, message) {
  switch (kind) {
    case 'throttle': return new ApiError('Throttled', message ?? 'Rate exceeded', 429);
    case 'internal': return new ApiError('InternalError', message ?? 'An internal error occurred.', 500);
    case 'unavailable': return new ApiError('ServiceUnavailable', message ?? 'Service Unavailable', 503);
    case 'access_denied': return new ApiError('AuthorizationError', message ?? 'Not authorized', 403);
    case 'missing_auth': return new ApiError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
    case 'incomplete_signature': return new ApiError('IncompleteSignature', message, 400);
    case 'unknown_key':
    case 'invalid_token': return new ApiError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
    case 'expired_token': return new ApiError('ExpiredToken', 'The security token included in the request is expired', 403);
    case 'skew':
    case 'signature': return new ApiError('SignatureDoesNotMatch', message, 403);
    default: return new ApiError('InternalError', message ?? 'An internal error occurred.', 500);
  }
}

export function render(err, ctx) {
  return queryErrorResponse(XMLNS, err, ctx);
}

function ok(action, resultXml, ctx) {
  return queryOkResponse(XMLNS, action, resultXml, ctx);
}

const invalid = (what) => new ApiError('InvalidParameter', `Invalid parameter: ${what}`, 400);

/** MessageAttributes.entry.N.{Name, Value.DataType, Value.StringValue} → {name: {data_type, string_value}}. */
function messageAttributes(p) {
  const out = {};
  for (let n = 1; p[`MessageAttributes.entry.${n}.Name`] !== undefined; n++) {
    const key = p[`MessageAttributes.entry.${n}.Name`];
    const type = p[`MessageAttributes.entry.${n}.Value.DataType`];
    if (!type) throw new ApiError('ParameterValueInvalid', `The message attribute '${key}' must contain non-empty message attribute type.`, 400);
    out[key] = { data_type: type, string_value: p[`MessageAttributes.entry.${n}.Value.StringValue`] ?? null };
  }
  return out;
}

const HANDLERS = {
  Publish(ctx, p) {
    if (p.TargetArn !== undefined || p.PhoneNumber !== undefined) {
      throw invalid('TargetArn or PhoneNumber (the simulator publishes to topics only)');
    }
    if (p.TopicArn === undefined || p.TopicArn === '') {
      throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
    }
    const m = TOPIC_ARN.exec(p.TopicArn);
    if (!m || m[2] !== ctx.region) throw invalid('TopicArn');
    if (p.Message === undefined) throw invalid('Message Reason: no value for required parameter');
    if (p.Message === '') throw invalid('Empty message');
    if (Buffer.byteLength(p.Message, 'utf8') > MAX_MESSAGE_BYTES) throw invalid('Message too long');
    if (p.Subject !== undefined) {
      // "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters long."
      if (p.Subject === '' || [...p.Subject].length >= 100 || /[\u0000-\u001f\u007f]/.test(p.Subject)) throw invalid('Subject');
    }
    if (p.MessageStructure !== undefined) {
      if (p.MessageStructure !== 'json') throw invalid('MessageStructure');
      let doc;
      try {
        doc = JSON.parse(p.Message);
      } catch {
        throw invalid('Message Structure - JSON message body failed to parse');
      }
      if (!doc || typeof doc !== 'object' || Array.isArray(doc) || typeof doc.default !== 'string') {
        throw invalid('Message Structure - No default entry in JSON message body');
      }
    }
    const attributes = messageAttributes(p);
    const topic = ctx.sns.topics.get(p.TopicArn);
    if (!topic) throw new ApiError('NotFound', 'Topic does not exist', 404);
    const caller = ctx.identity;
    if (topic.publishers && !topic.publishers.includes(caller.account_id)) {
      throw new ApiError('AuthorizationError', `User: ${caller.arn} is not authorized to perform: SNS:Publish on resource: ${topic.arn}`, 403);
    }
    if (topic.fifo && !p.MessageGroupId) throw invalid('The MessageGroupId parameter is required for FIFO topics');
    const id = randomUUID();
    topic.messages.push({
      message_id: id,
      subject: p.Subject ?? null,
      message: p.Message,
      message_structure: p.MessageStructure ?? null,
      message_attributes: attributes,
      message_group_id: p.MessageGroupId ?? null,
      message_deduplication_id: p.MessageDeduplicationId ?? null,
      publisher_arn: caller.arn,
      publisher_account_id: caller.account_id,
      published_at: new Date(ctx.now).toISOString(),
    });
    topic.published += 1;
    if (topic.messages.length > MAX_MESSAGES_PER_TOPIC) topic.messages.splice(0, topic.messages.length - MAX_MESSAGES_PER_TOPIC);
    const seq = topic.fifo ? `    <SequenceNumber>${String(topic.published).padStart(20, '0')}</SequenceNumber>\n` : '';
    return ok('Publish', `    <MessageId>${id}</MessageId>\n${seq}`, ctx);
  },
};

export function invoke(ctx) {
  return HANDLERS[ctx.operation](ctx, ctx.input);
}

#!/usr/bin/env node
// A webhook receiver for alert_delivery_integration_test.cc, written as a receiver would write one (independently of
// the C++ code): it verifies X-AP-Signature with node's crypto over X-AP-Timestamp + "." + the raw body, answers
// 500 to the first --fail POSTs and 200 afterwards, and lists what it received on GET /deliveries.
//
//   node webhook_receiver.mjs --secret S [--fail N]     first stdout line: http://127.0.0.1:<port>
import http from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const secret = arg('--secret', '');
let failures = Number(arg('--fail', '0'));
const received = [];

function signatureValid(timestamp, body, signature) {
  if (!secret || typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  const expected = Buffer.from('v1=' + createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex'));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/deliveries') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ deliveries: received }));
      return;
    }
    const body = Buffer.concat(chunks);
    const status = failures > 0 ? 500 : 200;
    if (failures > 0) failures -= 1;
    let parsed = null;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      parsed = null;
    }
    received.push({
      method: req.method,
      path: req.url,
      content_type: req.headers['content-type'] ?? null,
      delivery: req.headers['x-ap-delivery'] ?? null,
      timestamp: req.headers['x-ap-timestamp'] ?? null,
      signature_valid: signatureValid(req.headers['x-ap-timestamp'], body, req.headers['x-ap-signature']),
      answered: status,
      body: parsed,
    });
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(status === 200 ? 'ok' : 'try again');
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

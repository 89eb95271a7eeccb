// The worker thread that runs dynalite for services/dynamodb.mjs, so that DynamoDB's work (parsing, expressions,
// the in-memory LevelDB) uses a core of its own instead of the simulator's event loop. Messages from the parent:
// 'start' and 'restart' (a fresh, empty dynalite); answers {port} or {error}.
import { parentPort } from 'node:worker_threads';

let server = null;

async function open() {
  // Imported here so that a missing install surfaces as one clear error message.
  const { default: dynalite } = await import('dynalite');
  const s = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      s.off('error', reject);
      resolve();
    });
  });
  server = s;
  return s.address().port;
}

async function close() {
  const s = server;
  server = null;
  if (!s) return;
  s.closeAllConnections?.();
  await new Promise((resolve) => s.close(() => resolve()));
}

parentPort.on('message', async (msg) => {
  try {
    if (msg === 'restart') await close();
    parentPort.postMessage({ port: await open() });
  } catch (e) {
    parentPort.postMessage({ error: e.message });
  }
});

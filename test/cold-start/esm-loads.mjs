// Preloaded into the ESM apps (`node --import ./esm-loads.mjs app.mjs`): registers loader hooks
// (module.register, Node >= 20.19) before the app's imports run, and keeps the URLs they report.
// The app reads them with `settledLoads()` from globalThis[Symbol.for('cold-start.esm-loads')].
// On Node 20 the hooks see what the ESM loader loads (import, import(), a CommonJS module that
// ESM imports), not a require() made inside a CommonJS module: require.cache holds those.
import { register } from 'node:module';
import { clearTimeout, setTimeout } from 'node:timers';
import { MessageChannel } from 'node:worker_threads';

const { port1: received, port2: hooksPort } = new MessageChannel();
const urls = [];
received.on('message', (url) => urls.push(url));
received.unref();
register('./esm-loads-hooks.mjs', import.meta.url, { data: { port: hooksPort }, transferList: [hooksPort] });

const SETTLE_TIMEOUT_MS = 5000;
let barriers = 0;

/**
 * Every URL the ESM loader has loaded so far. The hooks' messages come on their own channel: a
 * marker module is imported, and once its URL arrives (messages keep their order) all the
 * earlier ones have too.
 */
async function settledLoads() {
  const marker = `data:text/javascript,export{}//cold-start-marker-${(barriers += 1)}`;
  received.ref();
  try {
    const arrived = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the loader hooks did not report ${marker}`)), SETTLE_TIMEOUT_MS);
      const seen = (url) => {
        if (url !== marker) return;
        clearTimeout(timer);
        received.off('message', seen);
        resolve();
      };
      received.on('message', seen);
    });
    await import(marker);
    await arrived;
  } finally {
    received.unref();
  }
  return urls.filter((url) => !url.includes('cold-start-marker-'));
}

globalThis[Symbol.for('cold-start.esm-loads')] = { settledLoads };

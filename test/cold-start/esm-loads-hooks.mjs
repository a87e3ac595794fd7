// The loader hooks esm-loads.mjs registers (they run on the loader's own thread): each URL the
// ESM loader loads is posted to the app's thread, in order, on the port it handed over.
let loads;

export function initialize({ port }) {
  loads = port;
}

export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  loads.postMessage(url);
  return loaded;
}

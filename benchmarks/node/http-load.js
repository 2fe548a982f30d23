// Node.js HTTP clients as peers of jnet's HttpClient: `http` with a keep-alive Agent (maxSockets = the
// workload's concurrency; socketPath for a unix: target) and the built-in `fetch` (undici; TCP only:
// it needs undici's own Agent for a Unix socket, which Node does not expose). Same workloads, limits
// and output as io.jnet.bench.http.HttpLoad: C requests in flight, each body read to its end and its
// length checked. Prints "workload<TAB>metric<TAB>value" rows; on stderr, context switches and CPU
// time per measured request (as HttpLoad does for the JVM clients).
// Usage: node http-load.js http|fetch tcp:HOST:PORT|unix:PATH seq1_hello,conc64_64k,...
// Environment: WARMUP_SECONDS (1), SECONDS_LIMIT (3), HTTP_MAX (1000000).
'use strict';
const http = require('http');

const [client, spec, workloads] = process.argv.slice(2);
const warmup = Number(process.env.WARMUP_SECONDS || 1);
const seconds = Number(process.env.SECONDS_LIMIT || 3);
const max = Number(process.env.HTTP_MAX || 1000000);
setTimeout(() => { console.error('node http-load: hard time limit'); process.exit(3); }, 120 * 1000).unref();

const unix = spec.startsWith('unix:');
let host, port, socketPath;
if (unix) {
  socketPath = spec.slice(5);
} else {
  const rest = spec.slice(4);
  const i = rest.lastIndexOf(':');
  host = rest.slice(0, i);
  port = Number(rest.slice(i + 1));
}
if (client === 'fetch' && unix) {
  console.error('fetch: no Unix socket without undici\'s Agent; skipped');
  process.exit(0);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parse(name) {
  const m = /^(seq|conc)(\d+)_(hello|64k)$/.exec(name);
  if (!m) throw new Error(`expected a workload like seq1_hello or conc64_64k but was "${name}"`);
  return { name, concurrency: Number(m[2]), path: m[3] === 'hello' ? '/hello' : '/64k', bytes: m[3] === 'hello' ? 13 : 65536 };
}

function httpGetter(w) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: w.concurrency, maxFreeSockets: w.concurrency });
  const options = unix ? { agent, socketPath, path: w.path } : { agent, host, port, path: w.path };
  const get = () => new Promise((resolve, reject) => {
    const req = http.get(options, (res) => {
      let n = 0;
      res.on('data', (c) => { n += c.length; });
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`status ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  return { get, close: () => agent.destroy() };
}

function fetchGetter(w) {
  const url = `http://${host}:${port}${w.path}`;
  const get = async () => {
    const res = await fetch(url);
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    return body.byteLength;
  };
  return { get, close: () => {} };
}

async function run(w) {
  const g = client === 'http' ? httpGetter(w) : fetchGetter(w);
  let done = 0, stop = false, failure = null;
  const worker = async () => {
    try {
      while (!stop && !failure) {
        const n = await g.get();
        if (n !== w.bytes) throw new Error(`${w.path}: body of ${n} bytes, expected ${w.bytes}`);
        done++;
      }
    } catch (e) { failure = failure || e; }
  };
  const workers = Array.from({ length: w.concurrency }, worker);
  const warmEnd = Date.now() + warmup * 1000;
  while (!failure && Date.now() < warmEnd) await sleep(20);
  const r0 = process.resourceUsage();
  const n0 = done, t0 = process.hrtime.bigint(), limit = BigInt(Math.round(seconds * 1e9));
  while (!failure && process.hrtime.bigint() - t0 < limit && done - n0 < max) await sleep(20);
  const measured = done - n0, elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const r1 = process.resourceUsage();
  if (measured > 0) {
    const per = (k) => ((r1[k] - r0[k]) / measured).toFixed(2);
    const cpu = ((r1.userCPUTime + r1.systemCPUTime - r0.userCPUTime - r0.systemCPUTime) / measured).toFixed(1);
    console.error(`${w.name} measured: ${measured} requests; per request ${per('voluntaryContextSwitches')} voluntary + ${per('involuntaryContextSwitches')} involuntary context switches, ${cpu} us CPU`);
  }
  stop = true;
  await Promise.all(workers);
  g.close();
  if (failure) throw new Error(`${w.name} failed after ${done} requests: ${failure.stack || failure}`);
  return measured / elapsed;
}

(async () => {
  for (const name of workloads.split(',')) {
    const w = parse(name.trim());
    const row = (unix ? 'uds_' : '') + w.name;
    const rate = await run(w);
    console.log(`${row}\treq_per_s\t${rate.toFixed(1)}`);
    if (w.bytes >= 65536) console.log(`${row}\tMB_per_s\t${(rate * w.bytes / 1e6).toFixed(1)}`);
  }
})().catch((e) => { console.error(e); process.exit(1); });

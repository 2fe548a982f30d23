// Node.js `net` as the client peer: pingpong and stream against the fixed echo server, with the same
// sizes and limits as the Java clients. Prints "workload<TAB>metric<TAB>value" rows.
// Usage: node client.js tcp:HOST:PORT|unix:PATH pingpong,stream
// Sizes from the environment: SECONDS_LIMIT (5), PP_WARMUP (20000), PP_COUNT (100000), STREAM_BYTES (1 GiB).
'use strict';
const net = require('net');

const [spec, workloads] = process.argv.slice(2);
const seconds = Number(process.env.SECONDS_LIMIT || 5);
const limitNs = BigInt(Math.round(seconds * 1e9));
const ppWarmup = Number(process.env.PP_WARMUP || 20000);
const ppCount = Number(process.env.PP_COUNT || 100000);
const streamBytes = Number(process.env.STREAM_BYTES || 2 ** 30);
// Hard stop, as for every benchmark process.
setTimeout(() => { console.error('node client: hard time limit'); process.exit(3); }, (seconds * 4 + 30) * 1000).unref();

function connect() {
  if (spec.startsWith('unix:')) return net.createConnection({ path: spec.slice(5) });
  const rest = spec.slice(4);
  const i = rest.lastIndexOf(':');
  return net.createConnection({ host: rest.slice(0, i), port: Number(rest.slice(i + 1)), noDelay: true });
}

function print(w, m, v) { console.log(`${w}\t${m}\t${v.toFixed(2)}`); }

function pingpong() {
  return new Promise((resolve, reject) => {
    const s = connect();
    const ping = Buffer.alloc(64);
    const samples = new Float64Array(ppCount);
    let done = 0, pending = 0, sentAt = 0n;
    const start = process.hrtime.bigint();
    s.on('error', reject);
    s.on('connect', () => { sentAt = process.hrtime.bigint(); s.write(ping); });
    s.on('data', (chunk) => {
      pending += chunk.length;
      if (pending < 64) return;
      pending -= 64;
      const now = process.hrtime.bigint();
      if (done >= ppWarmup) samples[done - ppWarmup] = Number(now - sentAt);
      done++;
      if (done >= ppWarmup + ppCount || now - start > limitNs) {
        s.destroy();
        const n = Math.max(0, done - ppWarmup);
        const m = Array.from(samples.subarray(0, n)).sort((a, b) => a - b);
        const sum = m.reduce((a, b) => a + b, 0);
        print('pingpong', 'median_us', m[n >> 1] / 1000);
        print('pingpong', 'p99_us', m[Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1000);
        print('pingpong', 'rt_per_s', n / (sum / 1e9));
        resolve();
        return;
      }
      sentAt = now;
      s.write(ping);
    });
  });
}

function pump(bytes, limit) {
  return new Promise((resolve, reject) => {
    const s = connect();
    const chunk = Buffer.alloc(64 * 1024);
    const deadline = process.hrtime.bigint() + limit;
    let sent = 0, got = 0;
    s.on('error', reject);
    s.on('data', (c) => { got += c.length; });
    s.on('end', () => { s.destroy(); resolve(got); });
    const write = () => {
      while (sent < bytes && process.hrtime.bigint() < deadline) {
        const b = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += b.length;
        if (!s.write(b)) { s.once('drain', write); return; }
      }
      s.end();
    };
    s.on('connect', write);
  });
}

async function main() {
  for (const w of workloads.split(',')) {
    try {
      if (w === 'pingpong') {
        await pingpong();
      } else if (w === 'stream') {
        await pump(Math.min(streamBytes / 8, 128 * 2 ** 20), limitNs / 4n);
        const t0 = process.hrtime.bigint();
        const got = await pump(streamBytes, limitNs);
        const secs = Number(process.hrtime.bigint() - t0) / 1e9;
        print('stream', 'MB_per_s', got / secs / 1e6);
        print('stream', 'MiB_echoed', got / 2 ** 20);
      } else {
        throw new Error('unknown client workload ' + w);
      }
    } catch (e) {
      console.error(`${w} failed: ${e}`);
    }
  }
}
main().then(() => process.exit(0));

// A Node `net` client for jnet's integration tests.
//   node stream-client.js HOST:PORT_OR_PATH BYTES
// Sends BYTES of the shared test pattern (byte i = (i * 31 + 7) % 251, as TestBytes.java), ends its
// side, reads the echo to its end and checks every byte. Prints "verified N bytes" and exits 0, or
// one line on stderr and exits 1.
'use strict';
const net = require('net');

const [target, bytesArg] = process.argv.slice(2);
const total = Number(bytesArg);
const m = /^(.*):(\d+)$/.exec(target);
const options = m && !target.includes('/') ? { host: m[1], port: Number(m[2]) } : { path: target };

const payload = Buffer.alloc(total);
for (let i = 0; i < total; i++) payload[i] = (i * 31 + 7) % 251;

let got = 0;
const socket = net.createConnection(options, () => {
  // Odd-sized writes with back-pressure honoured, so the wire's chunking differs from ours.
  let off = 0;
  const pump = () => {
    while (off < total) {
      const end = Math.min(off + 7919, total);
      const more = socket.write(payload.subarray(off, end));
      off = end;
      if (!more) return socket.once('drain', pump);
    }
    socket.end();
  };
  pump();
});
socket.on('data', (chunk) => {
  for (let i = 0; i < chunk.length; i++, got++) {
    if (chunk[i] !== (got * 31 + 7) % 251) {
      console.error(`echo differs from what was sent at byte ${got}`);
      process.exit(1);
    }
  }
});
socket.on('end', () => {
  if (got !== total) {
    console.error(`echo ended after ${got} of ${total} bytes`);
    process.exit(1);
  }
  console.log(`verified ${got} bytes`);
});
socket.on('error', (err) => {
  console.error(`node stream-client: ${err.message}`);
  process.exit(1);
});

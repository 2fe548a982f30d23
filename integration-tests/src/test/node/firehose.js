// A Node `net` client that streams until it is killed, for jnet's fault tests.
//   node firehose.js HOST:PORT_OR_PATH BYTES
// Sends BYTES of the shared test pattern (byte i = (i * 31 + 7) % 251, as TestBytes.java) with
// back-pressure honoured, then ends its side. The pattern repeats every 251 bytes, so one block of
// 251 * 256 bytes, sent again and again, is the pattern at any length without holding BYTES in memory.
// Prints "connected" once connected; a test kills it long before BYTES (the bound, should it not).
'use strict';
const net = require('net');

const [target, bytesArg] = process.argv.slice(2);
const total = Number(bytesArg);
const m = /^(.*):(\d+)$/.exec(target);
const options = m && !target.includes('/') ? { host: m[1], port: Number(m[2]) } : { path: target };

const block = Buffer.alloc(251 * 256);
for (let i = 0; i < block.length; i++) block[i] = (i * 31 + 7) % 251;

let sent = 0;
const socket = net.createConnection(options, () => {
  console.log('connected');
  const pump = () => {
    while (sent < total) {
      const n = Math.min(block.length, total - sent);
      sent += n;
      if (!socket.write(n === block.length ? block : block.subarray(0, n))) return socket.once('drain', pump);
    }
    socket.end();
  };
  pump();
});
socket.on('error', (err) => {
  console.error(`node firehose: ${err.message}`);
  process.exit(1);
});

// A Node `net` client speaking newline-delimited JSON, for jnet's MessageChannel tests.
//   node ndjson-client.js HOST:PORT_OR_PATH COUNT
// Sends COUNT messages {"i":k,"text":"..."} in one burst, then expects one reply line per message,
// exactly {"n":k+1,"echo":<message>}. Prints "verified COUNT replies" and exits 0, or one line on
// stderr and exits 1.
'use strict';
const net = require('net');

const [target, countArg] = process.argv.slice(2);
const count = Number(countArg);
const m = /^(.*):(\d+)$/.exec(target);
const options = m && !target.includes('/') ? { host: m[1], port: Number(m[2]) } : { path: target };

const sent = [];
for (let i = 0; i < count; i++) sent.push(JSON.stringify({ i, text: `h\u00e9llo \u2713 ${'y'.repeat((i * 53) % 3000)}` }));

let pending = '';
let k = 0;
const socket = net.createConnection(options, () => socket.write(sent.join('\n') + '\n'));
socket.setEncoding('utf8');
socket.on('data', (text) => {
  pending += text;
  let nl;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    const want = `{"n":${k + 1},"echo":${sent[k]}}`;
    if (line !== want) {
      console.error(`reply ${k} was ${line.slice(0, 200)} but expected ${want.slice(0, 200)}`);
      process.exit(1);
    }
    if (++k === count) {
      console.log(`verified ${count} replies`);
      socket.end();
    }
  }
});
socket.on('end', () => {
  if (k !== count) {
    console.error(`connection ended after ${k} of ${count} replies`);
    process.exit(1);
  }
});
socket.on('error', (err) => {
  console.error(`node ndjson-client: ${err.message}`);
  process.exit(1);
});

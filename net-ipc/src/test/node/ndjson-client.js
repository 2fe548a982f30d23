// A Node.js net client for a jnet IPC server: sends N newline-delimited JSON messages to the socket
// path, expects each back as {"seq":n,"echo":<message>}, in order, then ends. Prints "ok N" and exits 0,
// or prints what went wrong and exits 1.
'use strict';
const net = require('net');

const [path, countText] = process.argv.slice(2);
const count = Number(countText);
const sent = [];
let pending = '';
let received = 0;

function fail(reason) {
  console.log('fail ' + reason);
  process.exit(1);
}

const socket = net.createConnection({ path }, () => {
  for (let seq = 0; seq < count; seq++) {
    const message = { seq, text: 'message ' + seq + ' ' + 'x'.repeat(seq % 97), unicode: 'żółw ✓' };
    sent.push(message);
    socket.write(JSON.stringify(message) + '\n');
  }
});
socket.setEncoding('utf8');
socket.on('data', (chunk) => {
  pending += chunk;
  let nl;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const reply = JSON.parse(pending.slice(0, nl));
    pending = pending.slice(nl + 1);
    if (reply.seq !== received) fail('expected seq ' + received + ' but got ' + reply.seq);
    if (JSON.stringify(reply.echo) !== JSON.stringify(sent[received])) fail('echo of ' + received + ' differs');
    received++;
    if (received === count) socket.end();
  }
});
socket.on('error', (err) => fail(err.code + ' ' + err.message));
socket.on('close', () => {
  if (received !== count) fail('closed after ' + received + ' of ' + count);
  console.log('ok ' + received);
  process.exit(0);
});
setTimeout(() => fail('timed out after ' + received + ' of ' + count), 20000).unref();

// A Node.js net server on a Unix socket path that echoes newline-delimited JSON:
// each message {"seq":n,...} comes back as {"seq":n,"echo":<message>,"pid":<this pid>}.
// Prints "listening <pid>" once ready; exits when stdin closes (the test process went away).
'use strict';
const net = require('net');

const path = process.argv[2];
const server = net.createServer((socket) => {
  let pending = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const message = JSON.parse(line);
      socket.write(JSON.stringify({ seq: message.seq, echo: message, pid: process.pid }) + '\n');
    }
  });
  socket.on('error', (err) => console.error('server socket error', err.message));
});
server.listen(path, () => console.log('listening ' + process.pid));
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));

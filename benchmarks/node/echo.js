// Node.js `net` under test: socket.pipe(socket) is Node's own back-pressured echo (it pauses on a
// full write buffer, resumes on 'drain', and ends after the peer ends).
// Usage: node echo.js tcp:127.0.0.1:0 | unix:/tmp/x.sock
'use strict';
const net = require('net');
const spec = process.argv[2];
const server = net.createServer({ noDelay: true }, (socket) => {
  socket.on('error', () => {});
  socket.pipe(socket);
});
const maxSeconds = Number(process.env.BENCH_MAX_SECONDS || 1200);
setTimeout(() => process.exit(3), maxSeconds * 1000).unref();
function announce() {
  const a = server.address();
  console.log('LISTENING ' + (typeof a === 'string' ? 'unix:' + a : 'tcp:' + a.address + ':' + a.port));
}
if (spec.startsWith('unix:')) {
  server.listen({ path: spec.slice(5), backlog: 4096 }, announce);
} else {
  const rest = spec.slice(4);
  const i = rest.lastIndexOf(':');
  server.listen({ host: rest.slice(0, i), port: Number(rest.slice(i + 1)), backlog: 4096 }, announce);
}

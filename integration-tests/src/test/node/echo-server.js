// A Node `net` echo server for jnet's integration tests.
//   node echo-server.js PORT_OR_PATH
// A number listens on 127.0.0.1:PORT (0 = any free port); anything else is a Unix socket path.
// Prints "listening on HOST:PORT" or "listening on PATH" once bound; serves until killed.
'use strict';
const net = require('net');

const where = process.argv[2];
const server = net.createServer((socket) => {
  socket.pipe(socket); // pipe() honours back-pressure: it pauses when write() returns false
  socket.on('error', (err) => console.error(`echo: ${err.message}`));
});
server.on('error', (err) => {
  console.error(`node echo-server: ${err.message}`);
  process.exit(1);
});
const onListening = () => {
  const a = server.address();
  console.log(typeof a === 'string' ? `listening on ${a}` : `listening on ${a.address}:${a.port}`);
};
if (/^\d+$/.test(where)) {
  server.listen(Number(where), '127.0.0.1', onListening);
} else {
  server.listen(where, onListening);
}

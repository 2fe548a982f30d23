// A Node `net` server speaking newline-delimited JSON messages, for jnet's MessageChannel tests.
//   node ndjson-server.js PORT_OR_PATH
// Each line received is parsed as JSON and answered with one line {"n": <count so far>, "echo": <message>}.
// A line that is not JSON is answered with {"error": "..."} and the connection is ended.
// Prints "listening on HOST:PORT" or "listening on PATH" once bound; serves until killed.
'use strict';
const net = require('net');

const where = process.argv[2];
const server = net.createServer((socket) => {
  let pending = '';
  let n = 0;
  socket.setEncoding('utf8'); // the decoder keeps a UTF-8 sequence split across chunks whole
  socket.on('data', (text) => {
    pending += text;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      let message;
      try {
        message = JSON.parse(line);
      } catch (err) {
        socket.end(JSON.stringify({ error: `not JSON: ${err.message}` }) + '\n');
        return;
      }
      n++;
      socket.write(JSON.stringify({ n, echo: message }) + '\n');
    }
  });
  socket.on('end', () => socket.end());
  socket.on('error', (err) => console.error(`ndjson: ${err.message}`));
});
server.on('error', (err) => {
  console.error(`node ndjson-server: ${err.message}`);
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

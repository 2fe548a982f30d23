// A Node `http` server for jnet's HTTP integration tests.
//   node http-server.js PORT_OR_PATH
// A number listens on 127.0.0.1:PORT (0 = any free port); anything else is a Unix socket path.
// Prints "listening on HOST:PORT" or "listening on PATH" once bound; serves until killed.
//   /echo        200, JSON of the request: method, url, headers (raw, in order) and body (as UTF-8)
//   /status/NNN  that status, body "status NNN\n"
//   /never       reads the request and never answers (for timeouts)
//   anything else 200 "hello from node\n"
'use strict';
const http = require('http');

const where = process.argv[2];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const status = /^\/status\/(\d{3})$/.exec(req.url);
    if (req.url === '/echo') {
      const json = JSON.stringify({ method: req.method, url: req.url, rawHeaders: req.rawHeaders, body: body.toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Node': 'yes' });
      res.end(json + '\n');
    } else if (status) {
      res.writeHead(Number(status[1]), { 'Content-Type': 'text/plain' });
      res.end(`status ${status[1]}\n`);
    } else if (req.url === '/never') {
      // no answer: the client's timeout must end it
    } else {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('hello from node\n');
    }
  });
});
server.on('error', (err) => {
  console.error(`node http-server: ${err.message}`);
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

// The routes of RealServerSuite on Node's own http server. Prints the port on the first line of
// stdout, then serves until stdin closes (so it never outlives the JVM that started it).
const http = require('http');
const zlib = require('zlib');

let connections = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    switch (req.url) {
      case '/hello':
        res.writeHead(200, {'Content-Length': 13, 'Content-Type': 'text/plain'});
        res.end(req.method === 'HEAD' ? undefined : 'Hello, World!');
        break;
      case '/echo':
        res.writeHead(200, {'Content-Length': body.length, 'X-Method': req.method});
        res.end(body);
        break;
      case '/chunked':
        res.writeHead(200, {'Content-Type': 'text/plain'});
        for (let i = 0; i < 100; i++) res.write('line ' + i + '\n');
        res.end();
        break;
      case '/gzip':
        res.writeHead(200, {'Content-Encoding': 'gzip'});
        res.end(zlib.gzipSync('squeezed '.repeat(1000)));
        break;
      case '/empty':
        res.writeHead(204);
        res.end();
        break;
      case '/connections':
        res.writeHead(200, {'Content-Type': 'text/plain'});
        res.end(String(connections));
        break;
      default:
        res.writeHead(404);
        res.end();
    }
  });
});
server.on('connection', () => connections++);
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

// jnet's RequestChannel wire format (net-api/MESSAGING.md) in plain Node.js, no dependencies:
// length-prefixed frames whose body is kind (u8), correlation id (u32 BE), payload.
//
//   node request-peer.js server <socket path>     answers requests; prints "listening <pid>"; exits when stdin ends
//   node request-peer.js client <socket path> <n> asks n requests at once and checks the replies; prints "ok <n>"
//
// Requests it answers: "upper:<text>" -> <TEXT>; "fail:<why>" -> an error reply saying <why>;
// "later:<ms>:<text>" -> <text> after <ms> ms (so replies leave out of order). One-way messages come
// back as one-way "echo:<message>". On each connection it first sends the one-way "hello <pid>".
'use strict';
const net = require('net');

const REQUEST = 1;
const REPLY = 2;
const ERROR = 3;
const MESSAGE = 4;
const HEADER = 5;
const MAX_FRAME = 1 << 20;

function frame(kind, id, payload) {
  const out = Buffer.allocUnsafe(4 + HEADER + payload.length);
  out.writeUInt32BE(HEADER + payload.length, 0);
  out.writeUInt8(kind, 4);
  out.writeUInt32BE(id, 5);
  payload.copy(out, 9);
  return out;
}

class RequestPeer {
  constructor(socket, handler, onMessage) {
    this.socket = socket;
    this.handler = handler;
    this.onMessage = onMessage;
    this.nextId = 1;
    this.pending = new Map();
    this.held = Buffer.alloc(0);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('close', () => {
      for (const [id, p] of this.pending) p.reject(new Error(`channel closed before the reply to request ${id}`));
      this.pending.clear();
    });
  }

  onData(chunk) {
    this.held = this.held.length ? Buffer.concat([this.held, chunk]) : chunk;
    while (this.held.length >= 4) {
      const length = this.held.readUInt32BE(0);
      if (length > MAX_FRAME) {
        this.socket.destroy(new Error(`frame of ${length} bytes exceeds the maximum frame size of ${MAX_FRAME} bytes`));
        return;
      }
      if (this.held.length < 4 + length) break;
      const body = this.held.subarray(4, 4 + length);
      this.held = this.held.subarray(4 + length);
      this.onFrame(body);
    }
  }

  onFrame(body) {
    if (body.length < HEADER) {
      this.socket.destroy(new Error(`a frame of ${body.length} bytes is shorter than the 5-byte header`));
      return;
    }
    const kind = body.readUInt8(0);
    const id = body.readUInt32BE(1);
    const payload = body.subarray(HEADER);
    switch (kind) {
      case REQUEST:
        Promise.resolve()
          .then(() => this.handler(payload))
          .then((reply) => this.socket.write(frame(REPLY, id, reply)),
                (err) => this.socket.write(frame(ERROR, id, Buffer.from(String((err && err.message) || err), 'utf8'))));
        break;
      case REPLY:
      case ERROR: {
        const p = this.pending.get(id);
        if (!p) {
          console.error(`stray reply to request ${id}, dropped`);
          return;
        }
        this.pending.delete(id);
        if (kind === REPLY) p.resolve(payload);
        else p.reject(new Error(payload.toString('utf8')));
        break;
      }
      case MESSAGE:
        this.onMessage(payload);
        break;
      default:
        this.socket.destroy(new Error(`unknown kind ${kind} (id ${id})`));
    }
  }

  request(payload) {
    const id = this.nextId;
    this.nextId = (this.nextId + 1) >>> 0 || 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(frame(REQUEST, id, payload));
    });
  }

  send(payload) {
    return this.socket.write(frame(MESSAGE, 0, payload));
  }
}

function answer(payload) {
  const text = payload.toString('utf8');
  if (text.startsWith('upper:')) return Buffer.from(text.slice(6).toUpperCase(), 'utf8');
  if (text.startsWith('fail:')) throw new Error(text.slice(5));
  const later = /^later:(\d+):(.*)$/s.exec(text);
  if (later) return new Promise((resolve) => setTimeout(() => resolve(Buffer.from(later[2], 'utf8')), Number(later[1])));
  throw new Error(`unknown request "${text}"`);
}

const [mode, path, count] = process.argv.slice(2);

if (mode === 'server') {
  const server = net.createServer((socket) => {
    const peer = new RequestPeer(socket, answer, (m) => peer.send(Buffer.concat([Buffer.from('echo:'), m])));
    socket.on('error', (err) => console.error('socket error', err.message));
    peer.send(Buffer.from(`hello ${process.pid}`));
  });
  server.listen(path, () => console.log('listening ' + process.pid));
  process.stdin.resume();
  process.stdin.on('end', () => server.close(() => process.exit(0)));
} else if (mode === 'client') {
  // The JVM answers "reverse:<text>" with <text> reversed and fails "fail:<why>" with <why>.
  const n = Number(count);
  const socket = net.createConnection(path);
  const peer = new RequestPeer(socket, () => { throw new Error('this client answers nothing'); }, () => {});
  socket.on('error', (err) => { console.log('error ' + err.message); process.exit(1); });
  socket.on('connect', async () => {
    try {
      const asked = [];
      for (let i = 0; i < n; i++) asked.push(peer.request(Buffer.from(`reverse:node ${i} żółw`, 'utf8')));
      const replies = await Promise.all(asked);
      replies.forEach((r, i) => {
        const want = [...`node ${i} żółw`].reverse().join('');
        if (r.toString('utf8') !== want) throw new Error(`reply ${i} was "${r}", expected "${want}"`);
      });
      const refused = await peer.request(Buffer.from('fail:quota exceeded')).then(() => null, (e) => e.message);
      if (refused !== 'quota exceeded') throw new Error(`expected the error "quota exceeded", got ${refused}`);
      console.log('ok ' + n);
      socket.end();
    } catch (e) {
      console.log('error ' + e.message);
      process.exit(1);
    }
  });
} else {
  console.error('usage: request-peer.js server|client <path> [n]');
  process.exit(2);
}

#!/usr/bin/env python3
"""Holds idle connections to a SupportBot server for bench/web/run. Standard library only.

usage: hold-idle.py ws|line PORT COUNT CA.pem [--warm N] [--hold SECONDS]

Opens COUNT connections over TLS (certificate checked against CA.pem, name "localhost"):
  ws:   GET /ws with the WebSocket upgrade headers, expects 101, then one masked text frame
        {"type":"ping"} and reads frames until the {"type":"pong"} text frame;
  line: one {"type":"ping"} line and its pong line.
Then prints "held N" on stdout and keeps every connection open and silent for up to SECONDS
(answering the server's WebSocket pings with pongs, as any client does, so the server's
keep-alive does not close them), or until it is killed.
--warm N first sends N {"type":"message","text":"hi"} requests over one connection and closes it
(so the server has answered through the whole pipeline before its RSS is read); COUNT may be 0.
"""
import base64
import os
import selectors
import socket
import ssl
import struct
import sys
import time


def connect(port, ctx):
    raw = socket.create_connection(("127.0.0.1", port), timeout=60)
    # Without TCP_NODELAY the first small write after the TLS handshake waits ~40 ms for the
    # server's delayed ACK (Nagle), which would make opening 1,000 connections take a minute.
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return ctx.wrap_socket(raw, server_hostname="localhost")


def read_exact(sock, buffer, n):
    while len(buffer) < n:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    return buffer


def masked_frame(opcode, payload):
    mask = os.urandom(4)
    header = bytes([0x80 | opcode])
    if len(payload) < 126:
        header += bytes([0x80 | len(payload)])
    elif len(payload) < 65536:
        header += bytes([0x80 | 126]) + struct.pack("!H", len(payload))
    else:
        header += bytes([0x80 | 127]) + struct.pack("!Q", len(payload))
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def parse_frame(buffer):
    """(opcode, payload, rest) for the first complete server frame in buffer, or None."""
    if len(buffer) < 2:
        return None
    opcode, length, offset = buffer[0] & 0x0F, buffer[1] & 0x7F, 2
    if length == 126:
        if len(buffer) < 4:
            return None
        length, offset = struct.unpack("!H", buffer[2:4])[0], 4
    elif length == 127:
        if len(buffer) < 10:
            return None
        length, offset = struct.unpack("!Q", buffer[2:10])[0], 10
    if buffer[1] & 0x80:
        offset += 4  # servers do not mask; tolerate it anyway
    if len(buffer) < offset + length:
        return None
    payload = buffer[offset:offset + length]
    if buffer[1] & 0x80:
        mask = buffer[offset - 4:offset]
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return opcode, payload, buffer[offset + length:]


def ws_open(port, ctx):
    sock = connect(port, ctx)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed during the WebSocket handshake")
        buffer += chunk
    head, buffer = buffer.split(b"\r\n\r\n", 1)
    if not head.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(f"no upgrade: {head[:200]!r}")
    return sock, buffer


def ws_request(sock, buffer, text):
    """Sends one text frame, returns (first text frame's payload, leftover bytes)."""
    sock.sendall(masked_frame(0x1, text.encode()))
    while True:
        frame = parse_frame(buffer)
        if frame is None:
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed while waiting for a reply")
            buffer += chunk
            continue
        opcode, payload, buffer = frame
        if opcode == 0x9:
            sock.sendall(masked_frame(0xA, payload))
        elif opcode == 0x1:
            return payload.decode(), buffer
        elif opcode == 0x8:
            raise ConnectionError(f"server closed the WebSocket: {payload!r}")


def line_open(port, ctx):
    return connect(port, ctx), b""


def line_request(sock, buffer, text):
    sock.sendall(text.encode() + b"\n")
    while b"\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed while waiting for a reply")
        buffer += chunk
    line, buffer = buffer.split(b"\n", 1)
    return line.decode(), buffer


def main():
    args = sys.argv[1:]
    warm, hold = 0, 600.0
    if "--warm" in args:
        i = args.index("--warm"); warm = int(args[i + 1]); del args[i:i + 2]
    if "--hold" in args:
        i = args.index("--hold"); hold = float(args[i + 1]); del args[i:i + 2]
    if len(args) != 4 or args[0] not in ("ws", "line"):
        sys.exit(__doc__)
    mode, port, count, ca = args[0], int(args[1]), int(args[2]), args[3]
    ctx = ssl.create_default_context(cafile=ca)
    opener, request = (ws_open, ws_request) if mode == "ws" else (line_open, line_request)

    if warm:
        sock, buffer = opener(port, ctx)
        for i in range(warm):
            reply, buffer = request(sock, buffer, f'{{"type":"message","id":{i + 1},"text":"hi"}}')
            if '"type":"reply"' not in reply:
                sys.exit(f"hold-idle: unexpected reply {reply[:300]}")
        sock.close()

    conns = []
    for i in range(count):
        sock, buffer = opener(port, ctx)
        reply, buffer = request(sock, buffer, '{"type":"ping"}')
        if '"type":"pong"' not in reply:
            sys.exit(f"hold-idle: connection {i}: expected pong, got {reply[:300]}")
        conns.append((sock, buffer))
    print(f"held {len(conns)}", flush=True)
    if not count:
        return

    # Stay idle; answer WebSocket pings (the server's keep-alive) without sending anything else.
    selector = selectors.DefaultSelector()
    buffers = {}
    for sock, buffer in conns:
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)
        buffers[sock] = buffer
    deadline = time.monotonic() + hold
    while time.monotonic() < deadline:
        for key, _ in selector.select(timeout=1.0):
            sock = key.fileobj
            try:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        selector.unregister(sock)
                        break
                    buffers[sock] += chunk
                    if not sock.pending():
                        break
            except ssl.SSLWantReadError:
                pass
            if mode != "ws":
                continue
            while (frame := parse_frame(buffers[sock])) is not None:
                opcode, payload, buffers[sock] = frame
                if opcode == 0x9:
                    sock.setblocking(True)
                    sock.sendall(masked_frame(0xA, payload))
                    sock.setblocking(False)


if __name__ == "__main__":
    main()

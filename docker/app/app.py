"""Demo backend for docker/compose.yaml: sessions live in the shared Redis, so any backend
can serve any client. Standard library only (a minimal Redis client over RESP).
GET /        -> which backend answered, and this session's visit count (cookie "sid")
GET /healthz -> 200 if Redis answers PING, else 503 (dnslb's http check uses it)
"""
import http.server, os, socket, uuid

NAME = os.environ.get("BACKEND_NAME", socket.gethostname())
REDIS = (os.environ.get("REDIS_HOST", "redis"), int(os.environ.get("REDIS_PORT", "6379")))


def redis(*args):
    with socket.create_connection(REDIS, timeout=1) as s:
        s.sendall(b"".join([f"*{len(args)}\r\n".encode()] +
                           [f"${len(str(a).encode())}\r\n{a}\r\n".encode() for a in args]))
        line = s.makefile("rb").readline().decode().strip()
    if line[:1] == "-":
        raise RuntimeError(line)
    return line[1:]  # +PONG -> PONG, :3 -> 3


class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, code, body, cookie=None):
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        if cookie:
            self.send_header("Set-Cookie", f"sid={cookie}; Path=/; HttpOnly")
        self.end_headers()
        self.wfile.write(body.encode())

    def do_GET(self):
        try:
            if self.path == "/healthz":
                return self.reply(200 if redis("PING") == "PONG" else 503, "ok\n")
            cookies = dict(c.strip().split("=", 1) for c in self.headers.get("Cookie", "").split(";") if "=" in c)
            sid = cookies.get("sid") or uuid.uuid4().hex
            visits = redis("HINCRBY", f"session:{sid}", "visits", 1)
            redis("EXPIRE", f"session:{sid}", 1800)
            self.reply(200, f"backend {NAME}: session {sid[:8]} has {visits} visit(s)\n", sid)
        except (OSError, RuntimeError) as e:
            self.reply(503, f"backend {NAME}: redis unavailable: {e}\n")


http.server.ThreadingHTTPServer(("0.0.0.0", 8080), Handler).serve_forever()

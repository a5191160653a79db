#!/usr/bin/env python3
"""A module proxy for the tests (GOPROXY protocol over a directory tree).

  proxyserver.py serve ROOT PORTFILE [LOG]
      Serves ROOT on 127.0.0.1 at a free port, written to PORTFILE once
      listening.  The first element of each request path picks a
      behaviour, the rest names a file under ROOT:
        /ok/...       the file (404 text/plain "not found: ..." if missing)
        /404/..., /410/..., /500/...   that status, text/plain detail
        /hang/...     sends nothing for 60 seconds, then closes
        /garbage/...  200 with bytes that are neither JSON nor a zip
        /trunc/...    the file's first half, with the whole Content-Length
        /badzip/...   the file, but a .zip comes from ROOT/../badzip/
      LOG, when given, gets one line per request: "MODE PATH".
  proxyserver.py mkproxy SRC ROOT
      Builds a proxy tree: every directory SRC/<module path>@<version>
      becomes ROOT/<escaped path>/@v/<escaped version>.{info,mod,zip}
      and list files.  The .mod is the module's go.mod ("module P\\n"
      when it has none); .info times are fixed.
"""
import http.server
import os
import socketserver
import sys
import threading
import time
import urllib.parse
import zipfile


def escape(s):
    return "".join("!" + c.lower() if c.isupper() else c for c in s)


def mkproxy(src, root):
    mods = []
    for dirpath, dirnames, _ in os.walk(src):
        for d in list(dirnames):
            if "@" in d:
                dirnames.remove(d)
                rel = os.path.relpath(os.path.join(dirpath, d), src)
                path, version = rel.rsplit("@", 1)
                mods.append((path, version, os.path.join(dirpath, d)))
    mods.sort()
    versions = {}
    for path, version, d in mods:
        vdir = os.path.join(root, escape(path), "@v")
        os.makedirs(vdir, exist_ok=True)
        ev = escape(version)
        with open(os.path.join(vdir, ev + ".info"), "w") as f:
            f.write('{"Version":"%s","Time":"2024-01-02T03:04:05Z"}\n' % version)
        gomod = os.path.join(d, "go.mod")
        data = open(gomod, "rb").read() if os.path.exists(gomod) else ("module %s\n" % path).encode()
        with open(os.path.join(vdir, ev + ".mod"), "wb") as f:
            f.write(data)
        files = []
        for fp, _, names in os.walk(d):
            for n in names:
                full = os.path.join(fp, n)
                files.append(os.path.relpath(full, d))
        files.sort()
        with zipfile.ZipFile(os.path.join(vdir, ev + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
            for rel in files:
                info = zipfile.ZipInfo("%s@%s/%s" % (path, version, rel), (2024, 1, 2, 3, 4, 6))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, open(os.path.join(d, rel), "rb").read())
        versions.setdefault(vdir, []).append(version)
    for vdir, vs in versions.items():
        with open(os.path.join(vdir, "list"), "w") as f:
            f.write("".join(v + "\n" for v in vs))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="application/octet-stream", length=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = urllib.parse.unquote(self.path.split("?")[0]).lstrip("/").split("/", 1)
        mode, rel = parts[0], parts[1] if len(parts) > 1 else ""
        if self.server.log:
            with self.server.lock, open(self.server.log, "a") as f:
                f.write("%s %s\n" % (mode, rel))
        root = self.server.root
        if mode in ("404", "410", "500"):
            self.send(int(mode), ("%s: %s\n" % ({"404": "not found", "410": "gone",
                                                  "500": "internal error"}[mode], rel)).encode(),
                      "text/plain; charset=utf-8")
            return
        if mode == "hang":
            time.sleep(60)
            self.close_connection = True
            return
        if mode == "garbage":
            self.send(200, b"<html>this is not what you asked for</html>\n", "text/html")
            return
        file = os.path.normpath(os.path.join(root, rel))
        if mode == "nozip" and rel.endswith(".zip"):
            self.send(404, ("not found: %s\n" % rel).encode(), "text/plain; charset=utf-8")
            return
        if mode == "badzip" and rel.endswith(".zip"):
            file = os.path.normpath(os.path.join(root, "..", "badzip", rel))
        if not file.startswith(os.path.normpath(os.path.join(root, "..")) + os.sep) or not os.path.isfile(file):
            self.send(404, ("not found: %s\n" % rel).encode(), "text/plain; charset=utf-8")
            return
        data = open(file, "rb").read()
        if mode == "trunc":
            self.send(200, data[: len(data) // 2], length=len(data))
            self.close_connection = True
            return
        self.send(200, data)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(root, portfile, log):
    srv = Server(("127.0.0.1", 0), Handler)
    srv.root = os.path.abspath(root)
    srv.log = log
    srv.lock = threading.Lock()
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, portfile)
    srv.serve_forever()


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    elif len(sys.argv) == 4 and sys.argv[1] == "mkproxy":
        mkproxy(sys.argv[2], sys.argv[3])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)

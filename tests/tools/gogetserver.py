#!/usr/bin/env python3
"""go-get=1 pages for the tests, served as an HTTP proxy.

  gogetserver.py ROOT PORTFILE

Listens on 127.0.0.1 at a free port, written to PORTFILE once listening.
With HTTP_PROXY (and HTTPS_PROXY) pointing here, a client's request for
http://HOST/PATH?go-get=1 arrives with the whole URL, and is answered from
the file ROOT/HOST/PATH/page.html: its first line "STATUS N" gives the
status (200 without one), the rest is the body, text/html.  A missing file
is a 404 with a plain page.  CONNECT (an https request through the proxy)
is refused with 403, so https fails and GOINSECURE's fallback to http is
what reaches a page.
"""
import http.server
import os
import socketserver
import sys
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    root = "."

    def log_message(self, *args):
        pass

    def do_CONNECT(self):
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        rel = os.path.normpath(u.path.strip("/")) if u.path.strip("/") else ""
        if rel.startswith(".."):
            rel = ""
        f = os.path.join(self.root, u.netloc, rel, "page.html")
        status, body = 404, b"<html><body>no such page</body></html>\n"
        if u.query == "go-get=1" and os.path.isfile(f):
            with open(f, "rb") as fh:
                body = fh.read()
            status = 200
            if body.startswith(b"STATUS "):
                line, _, body = body.partition(b"\n")
                status = int(line.split()[1])
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def main():
    Handler.root = sys.argv[1]
    srv = Server(("127.0.0.1", 0), Handler)
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as fh:
        fh.write(str(srv.server_address[1]))
    os.rename(tmp, sys.argv[2])
    srv.serve_forever()


if __name__ == "__main__":
    main()

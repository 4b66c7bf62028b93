"""Slow clients against a server (issue 19): N connections that send a request's headers one
byte every few seconds, holding whatever reads them, while a normal client asks for the home
page every second; prints how long the normal client waited. Measures whether `make serve`
can face the network without a reverse proxy that buffers requests (README, "Running it").

    python loadtest/trickle.py http://127.0.0.1:8000 --slow 8 --seconds 40
"""

import argparse
import socket
import threading
import time
import urllib.request
from urllib.parse import urlparse


def trickle(host: str, port: int, path: str, until: float) -> None:
    """One slow client: a request line, then a header one byte every two seconds, never
    finished; when the server closes the connection, another one, until `until`."""
    while time.monotonic() < until:
        try:
            with socket.create_connection((host, port), timeout=5) as sock:
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n".encode())
                while time.monotonic() < until:
                    sock.sendall(b"X")  # a header name that never ends
                    time.sleep(2)
        except OSError:
            time.sleep(0.1)  # closed by the server: come back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--slow", type=int, default=8, help="slow connections (8)")
    parser.add_argument("--seconds", type=float, default=40, help="how long (40)")
    parser.add_argument("--path", default="/fr/", help="the page the normal client reads")
    args = parser.parse_args()
    url = urlparse(args.url)
    until = time.monotonic() + args.seconds
    for _ in range(args.slow):
        threading.Thread(
            target=trickle, args=(url.hostname, url.port or 80, args.path, until), daemon=True
        ).start()
    time.sleep(1)  # the slow clients are connected
    waits = []
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(args.url + args.path, timeout=60) as response:
                response.read()
                status = response.status
        except OSError as error:
            status = f"error: {error}"
        waits.append(time.monotonic() - started)
        print(f"home page: {waits[-1]:.2f} s ({status})", flush=True)
        time.sleep(1)
    waits.sort()
    print(
        f"{args.slow} slow clients, {len(waits)} normal requests: median "
        f"{waits[len(waits) // 2]:.2f} s, worst {waits[-1]:.2f} s"
    )


if __name__ == "__main__":
    main()

"""Opens N idle connections to the server, then times GET /healthz on fresh connections.
Prints one Markdown sentence with the figures. Used by scripts/bench.sh."""
import socket
import statistics
import sys
import time

port, count = int(sys.argv[1]), int(sys.argv[2])
idle = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    idle.append(s)
time.sleep(0.5)
samples = []
for _ in range(50):
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := s.recv(4096):
            data += chunk
    samples.append((time.perf_counter() - start) * 1000)
    assert data.startswith(b"HTTP/1.1 200"), data[:100]
alive = 0
for s in idle:
    s.setblocking(False)
    try:
        alive += s.recv(1) != b""
    except BlockingIOError:
        alive += 1
    s.close()
samples.sort()
print(f"With {count} idle connections open ({alive} still open at the end), 50 requests to `/healthz` on new "
      f"connections took median {statistics.median(samples):.2f} ms, p99 {samples[int(len(samples) * 0.99) - 1]:.2f} ms, "
      f"max {samples[-1]:.2f} ms (goal: under 50 ms).")

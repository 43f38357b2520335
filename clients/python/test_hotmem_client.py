"""Tests for hotmem_client.py (unittest, standard library only).

Run from this folder (or with ``-s clients/python``)::

    HOTMEM_URL=http://127.0.0.1:8711 python3 -m unittest -v

``FakeServerTest`` always runs, against an in-process fake server (edge cases a real server does not
produce on demand). ``LiveServerTest`` runs against the real server at ``HOTMEM_URL`` and is skipped
when it is unset; ``HOTMEM_TOKEN_URL`` + ``HOTMEM_TOKEN`` name a second server started with a token
for the 401 tests. Swap-file paths are relative, so they land in the server's file root. CI runs all of them from ``PythonClientIT`` in hotmem-client, which starts the real servers.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import socket
import sys
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hotmem_client import HotMemClient, HotMemError  # noqa: E402

MEMORY = {
    "memory_id": "01KAT0000000000000000000AA",
    "namespace": "default",
    "identifier": "vendor_x",
    "content": "Invoice total was $5000",
    "kind": "fact",
    "importance": 0.8,
    "metadata": {"a": 1},
    "status": "active",
    "created_at": "2026-11-24T07:41:02.118Z",
}


class _Fake:
    """An HTTP server on 127.0.0.1:0 that answers every request with the scripted answer."""

    def __init__(self) -> None:
        self.status = 200
        self.content_type = "application/json"
        self.body = b"{}"
        self.trace_id = "trace-1"
        self.stall = False
        self.release = threading.Event()
        self.received = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.received.append((self.command, self.path, dict(self.headers), body))
                if fake.stall:
                    fake.release.wait(30)
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", fake.content_type)
                    if fake.trace_id:
                        self.send_header("X-HotMem-Trace-Id", fake.trace_id)
                    self.send_header("Content-Length", str(len(fake.body)))
                    self.end_headers()
                    self.wfile.write(fake.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            do_GET = do_POST = do_PATCH = do_DELETE = _handle

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def answer(self, status: int, body, content_type: str = "application/json") -> None:
        self.status = status
        self.content_type = content_type
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")

    def last(self):
        return self.received[-1]

    def last_json(self):
        return json.loads(self.last()[3].decode("utf-8"))

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class FakeServerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.fake = _Fake()
        self.client = HotMemClient(self.fake.url)

    def tearDown(self) -> None:
        self.client.close()
        self.fake.close()

    def test_add_sends_only_given_fields_and_returns_the_memory(self) -> None:
        self.fake.answer(201, dict(MEMORY, duplicate=False, trace_ms=0.3, future_field=[1]))
        stored = self.client.add("vendor_x", "Füße 🦶 \"q\"", importance=0.8, ttl_seconds=60)
        method, path, headers, _ = self.fake.last()
        self.assertEqual(("POST", "/v1/add"), (method, path))
        self.assertTrue(headers["Content-Type"].startswith("application/json"))
        self.assertEqual(
            {"identifier": "vendor_x", "fact": "Füße 🦶 \"q\"", "importance": 0.8, "ttl_seconds": 60},
            self.fake.last_json(),
        )
        self.assertEqual("01KAT0000000000000000000AA", stored["memory_id"])
        self.assertFalse(stored["duplicate"])

    def test_search_returns_the_message_list_and_sends_filters(self) -> None:
        message = {"role": "system", "content": "x", "memory_id": "01A", "score": 0.9}
        self.fake.answer(200, {"memories": [message], "count": 1, "omitted": 0, "trace_ms": 1.0})
        after = dt.datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=dt.timezone.utc)
        memories = self.client.search(
            "risk", top_k=3, max_chars=1500, namespace="n", status=["active"], created_after=after
        )
        self.assertEqual([message], memories)
        self.assertEqual(
            {
                "query": "risk",
                "top_k": 3,
                "max_chars": 1500,
                "namespace": "n",
                "status": ["active"],
                "created_after": "2026-01-02T03:04:05.678Z",
            },
            self.fake.last_json(),
        )
        messages = memories + [{"role": "user", "content": "Analyze this vendor."}]
        self.assertEqual("user", messages[-1]["role"])

    def test_unknown_search_filters_are_refused_before_sending(self) -> None:
        with self.assertRaises(TypeError) as caught:
            self.client.search("q", colour="red")
        self.assertIn("colour", str(caught.exception))
        with self.assertRaises(ValueError):
            self.client.search("q", created_after=dt.datetime(2026, 1, 1))
        self.assertEqual([], self.fake.received)

    def test_list_encodes_query_parameters(self) -> None:
        self.fake.answer(200, {"memories": [MEMORY], "count": 1, "total": 9})
        memories = self.client.list(identifier="a b&c=d/é", limit=1, offset=2, order="asc")
        self.assertEqual([MEMORY], memories)
        self.assertEqual(
            "/v1/memories?identifier=a%20b%26c%3Dd%2F%C3%A9&limit=1&offset=2&order=asc",
            self.fake.last()[1],
        )
        self.assertEqual(9, self.client.list_page()["total"])
        self.assertEqual("/v1/memories", self.fake.last()[1])

    def test_memory_ids_cannot_leave_their_path_segment(self) -> None:
        self.fake.answer(200, MEMORY)
        for memory_id, path in (
            ("../health", "/v1/memory/..%2Fhealth"),
            ("..", "/v1/memory/%2E%2E"),
            ("a b?c#d", "/v1/memory/a%20b%3Fc%23d"),
        ):
            self.client.get(memory_id)
            self.assertEqual(path, self.fake.last()[1])
        for bad in ("", "  ", None):
            with self.assertRaises(ValueError):
                self.client.get(bad)

    def test_update_forget_purge_hydrate_snapshot_requests(self) -> None:
        self.fake.answer(200, MEMORY)
        self.client.update("01A", category="")
        self.assertEqual(("PATCH", "/v1/memory/01A"), self.fake.last()[:2])
        self.assertEqual({"category": ""}, self.fake.last_json())
        self.client.forget("01A")
        self.assertEqual(("DELETE", "/v1/memory/01A"), self.fake.last()[:2])
        self.client.forget("01A", purge=True)
        self.assertEqual("/v1/memory/01A?purge=true", self.fake.last()[1])
        with self.assertRaises(TypeError):
            self.client.forget("01A", purge="yes")
        self.client.hydrate()
        self.assertEqual({}, self.fake.last_json())
        self.client.hydrate("s.jsonl.gz", skip_bad=True)
        self.assertEqual({"file": "s.jsonl.gz", "skip_bad": True}, self.fake.last_json())
        self.client.snapshot("s.jsonl")
        self.assertEqual(("POST", "/v1/snapshot"), self.fake.last()[:2])
        self.assertEqual({"file": "s.jsonl"}, self.fake.last_json())

    def test_token_is_sent_as_bearer(self) -> None:
        self.fake.answer(200, {"status": "ok"})
        with HotMemClient(self.fake.url, token="s3cret") as client:
            client.health()
        self.assertEqual("Bearer s3cret", self.fake.last()[2]["Authorization"])
        self.client.health()
        self.assertNotIn("Authorization", self.fake.last()[2])

    def test_error_bodies_become_hotmem_errors(self) -> None:
        self.fake.trace_id = "01TRACE"
        self.fake.answer(
            400,
            {"error": {"code": "invalid_request", "message": "must be 1..100", "field": "top_k"}},
        )
        with self.assertRaises(HotMemError) as caught:
            self.client.search("q", top_k=0)
        e = caught.exception
        self.assertEqual(("invalid_request", 400, "top_k", "01TRACE"), (e.code, e.status, e.field, e.trace_id))
        self.assertTrue(str(e).startswith("must be 1..100 (invalid_request, HTTP 400 from POST "))
        self.assertIn(self.fake.url + "/v1/search", str(e))

    def test_malformed_error_bodies_fall_back_to_http_error(self) -> None:
        for body in (
            b'{"error": "boom"}',
            b'{"error": {"message": "no code"}}',
            b'{"error": {"code": 5}}',
            b"[1, 2]",
            b'{"error": {"code": "not_f',
            b"\xff\xfe not utf-8",
            b"",
        ):
            self.fake.answer(404, body)
            with self.assertRaises(HotMemError) as caught:
                self.client.get("01A")
            self.assertEqual(("http_error", 404, None), (caught.exception.code, caught.exception.status, caught.exception.field), body)
            self.assertIn("HTTP 404 without a HotMem error body", str(caught.exception))

    def test_a_proxy_html_502_is_reported_with_a_snippet(self) -> None:
        self.fake.trace_id = None
        page = b"<html>\r\n<title>502 Bad Gateway</title>" + b"x" * 5000 + b"</html>"
        self.fake.answer(502, page, "text/html")
        with self.assertRaises(HotMemError) as caught:
            self.client.health()
        e = caught.exception
        self.assertEqual(("http_error", 502, None), (e.code, e.status, e.trace_id))
        self.assertIn('"<html>  <title>502 Bad Gateway', str(e))
        self.assertNotIn("\n", str(e))
        self.assertLess(len(str(e)), 500)

    def test_an_unreadable_success_is_an_invalid_response(self) -> None:
        for body in (b"<html>hi</html>", b"[]", b"null", b'{"status"'):
            self.fake.answer(200, body)
            with self.assertRaises(HotMemError) as caught:
                self.client.health()
            self.assertEqual("invalid_response", caught.exception.code)
            self.assertIn("is this a HotMem server?", str(caught.exception))
        self.fake.answer(200, {"count": 0})
        with self.assertRaises(HotMemError) as caught:
            self.client.search("q")
        self.assertEqual("invalid_response", caught.exception.code)

    def test_a_slow_server_times_out(self) -> None:
        self.fake.stall = True
        self.fake.answer(200, {"status": "ok"})
        with HotMemClient(self.fake.url, timeout=0.3) as client:
            start = time.monotonic()
            with self.assertRaises(HotMemError) as caught:
                client.search("slow")
            self.assertLess(time.monotonic() - start, 5)
        self.assertEqual(("timeout", None), (caught.exception.code, caught.exception.status))
        self.assertIn("POST %s/v1/search within 0.3 s" % self.fake.url, str(caught.exception))

    def test_nothing_listening_is_a_connection_failure_naming_the_url(self) -> None:
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        with HotMemClient("http://127.0.0.1:%d" % port) as client:
            with self.assertRaises(HotMemError) as caught:
                client.health()
        e = caught.exception
        self.assertEqual(("connection_failed", None), (e.code, e.status))
        self.assertIn("cannot connect to the HotMem server at http://127.0.0.1:%d (GET /v1/health)" % port, str(e))
        self.assertIn("hotmem serve", str(e))

    def test_a_hang_up_is_a_connection_failure(self) -> None:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        port = listener.getsockname()[1]

        def hang_up() -> None:
            conn, _ = listener.accept()
            conn.recv(1024)
            conn.close()

        thread = threading.Thread(target=hang_up, daemon=True)
        thread.start()
        try:
            with HotMemClient("http://127.0.0.1:%d" % port) as client:
                with self.assertRaises(HotMemError) as caught:
                    client.health()
            self.assertEqual("connection_failed", caught.exception.code)
            self.assertIn("failed during GET /v1/health", str(caught.exception))
        finally:
            thread.join(5)
            listener.close()

    def test_close_is_idempotent_and_later_calls_fail(self) -> None:
        self.fake.answer(200, {"status": "ok"})
        with HotMemClient(self.fake.url) as client:
            client.health()
        client.close()
        with self.assertRaises(RuntimeError) as caught:
            client.health()
        self.assertIn("is closed", str(caught.exception))
        self.assertEqual(1, len(self.fake.received))

    def test_bad_configuration_is_refused(self) -> None:
        for url in ("ftp://x", "127.0.0.1:8711", "http://", "http://h:99999", "http://h/?q=1", "http://u:p@h"):
            with self.assertRaises(ValueError, msg=url):
                HotMemClient(url)
        for token in ("", "  ", "a\r\nX-Evil: 1", "é"):
            with self.assertRaises(ValueError, msg=repr(token)):
                HotMemClient(token=token)
        for timeout in (0, -1, "10", True):
            with self.assertRaises(ValueError, msg=repr(timeout)):
                HotMemClient(timeout=timeout)
        self.assertEqual("http://h:1/pre", HotMemClient("http://h:1/pre//").base_url)

    def test_values_json_cannot_carry_are_refused_before_sending(self) -> None:
        with self.assertRaises(ValueError):
            self.client.add("x", "y", importance=float("nan"))
        with self.assertRaises(ValueError):
            self.client.add("x", "y", metadata={"when": object()})
        self.assertEqual([], self.fake.received)


@unittest.skipUnless(os.environ.get("HOTMEM_URL"), "HOTMEM_URL is not set (no server to test against)")
class LiveServerTest(unittest.TestCase):
    """Every method against the real server at HOTMEM_URL, in a namespace of its own per test."""

    def setUp(self) -> None:
        self.client = HotMemClient(os.environ["HOTMEM_URL"])
        self.ns = "py-" + uuid.uuid4().hex[:12]

    def tearDown(self) -> None:
        self.client.close()

    def test_health(self) -> None:
        health = self.client.health()
        self.assertEqual("ok", health["status"])
        self.assertIsInstance(health["memory_count"], int)
        self.assertIn("uptime_s", health)

    def test_the_readme_example_runs_as_written(self) -> None:
        readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        section = text.split("## The 60-second Python example", 1)[1]
        code = section.split("```python\n", 1)[1].split("```", 1)[0]
        code = code.replace('"http://127.0.0.1:8711"', repr(os.environ["HOTMEM_URL"]))
        scope: dict = {}
        exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - our own README
        memories, messages = scope["memories"], scope["messages"]
        self.assertGreaterEqual(len(memories), 1)
        self.assertEqual("system", memories[0]["role"])
        self.assertEqual("Invoice total $5000", memories[0]["content"])
        self.assertEqual({"role": "user", "content": "Analyze this vendor."}, messages[-1])

    def test_the_seed_example(self) -> None:
        with HotMemClient(os.environ["HOTMEM_URL"]) as client:
            client.add("vendor_x", "Invoice total $5000", importance=0.8, namespace=self.ns)
            memories = client.search("duplicate invoice risk", top_k=5, max_chars=1500, namespace=self.ns)
            messages = memories + [{"role": "user", "content": "Analyze this vendor."}]
        self.assertEqual(1, len(memories))
        first = messages[0]
        self.assertEqual("system", first["role"])
        self.assertEqual("Invoice total $5000", first["content"])
        self.assertEqual("vendor_x", first["identifier"])
        self.assertTrue(0 < first["score"] <= 1)
        self.assertEqual("user", messages[-1]["role"])

    def test_add_returns_the_stored_memory_and_flags_duplicates(self) -> None:
        stored = self.client.add(
            "vendor_x",
            "Paid by wire transfer 🏦",
            importance=0.7,
            source="email",
            metadata={"invoice": 42, "tags": ["a", None]},
            ttl_seconds=3600,
            namespace=self.ns,
            category="billing",
            context="How was it paid?",
        )
        self.assertFalse(stored["duplicate"])
        self.assertEqual(26, len(stored["memory_id"]))
        self.assertEqual("How was it paid?", stored["context"])
        self.assertEqual(
            ("vendor_x", "Paid by wire transfer 🏦", 0.7, "email", "billing", "active"),
            (stored["identifier"], stored["content"], stored["importance"], stored["source"], stored["category"], stored["status"]),
        )
        self.assertEqual({"invoice": 42, "tags": ["a", None]}, stored["metadata"])
        self.assertIsNotNone(stored["expires_at"])
        again = self.client.add("vendor_x", "Paid by wire transfer 🏦", namespace=self.ns)
        self.assertTrue(again["duplicate"])
        self.assertEqual(stored["memory_id"], again["memory_id"])

    def test_add_batch_list_and_paging(self) -> None:
        answer = self.client.add_batch(
            [{"identifier": "p%d" % i, "fact": "fact number %d" % i, "namespace": self.ns} for i in range(5)]
            + [{"identifier": "p0", "fact": "fact number 0", "namespace": self.ns}]
        )
        self.assertEqual((6, 5, 1), (answer["count"], answer["added"], answer["duplicates"]))
        self.assertEqual(answer["memory_ids"][0], answer["memory_ids"][5])
        page = self.client.list_page(namespace=self.ns, limit=2, offset=0, order="asc")
        self.assertEqual((2, 5), (page["count"], page["total"]))
        self.assertEqual(answer["memory_ids"][:2], [m["memory_id"] for m in page["memories"]])
        newest = self.client.list(namespace=self.ns, limit=1)
        self.assertEqual(answer["memory_ids"][4], newest[0]["memory_id"])
        only = self.client.list(namespace=self.ns, identifier="p3")
        self.assertEqual(["fact number 3"], [m["content"] for m in only])

    def test_search_filters_and_budgets(self) -> None:
        self.client.add("a", "the quarterly report is due friday", namespace=self.ns, kind="task")
        self.client.add("b", "the quarterly budget was approved", namespace=self.ns)
        result = self.client.search_result("quarterly", top_k=5, namespace=self.ns)
        self.assertEqual(2, result["count"])
        self.assertIn("trace_ms", result)
        self.assertIn("breakdown", result["memories"][0])
        tasks = self.client.search("quarterly", namespace=self.ns, kind="task")
        self.assertEqual(["a"], [m["identifier"] for m in tasks])
        only_b = self.client.search("quarterly", namespace=self.ns, identifier="b")
        self.assertEqual(["b"], [m["identifier"] for m in only_b])
        capped = self.client.search_result("quarterly", namespace=self.ns, max_chars=40)
        self.assertLessEqual(sum(len(m["content"]) for m in capped["memories"]), 40)
        self.assertEqual(1, capped["omitted"])
        future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
        self.assertEqual([], self.client.search("quarterly", namespace=self.ns, created_after=future))

    def test_get_update_forget_purge(self) -> None:
        stored = self.client.add("g", "a memory to change", namespace=self.ns)
        memory_id = stored["memory_id"]
        self.assertEqual("a memory to change", self.client.get(memory_id)["content"])
        updated = self.client.update(memory_id, importance=0.9, metadata={"k": "v"}, category="c")
        self.assertEqual((0.9, {"k": "v"}, "c"), (updated["importance"], updated["metadata"], updated["category"]))
        self.assertIsNone(self.client.update(memory_id, category="")["category"])
        self.client.forget(memory_id)
        with self.assertRaises(HotMemError) as caught:
            self.client.get(memory_id)
        self.assertEqual(("not_found", 404), (caught.exception.code, caught.exception.status))
        self.client.forget(memory_id, purge=True)
        with self.assertRaises(HotMemError) as caught:
            self.client.forget(memory_id, purge=True)
        self.assertEqual("not_found", caught.exception.code)

    def test_errors_name_code_status_and_field(self) -> None:
        with self.assertRaises(HotMemError) as caught:
            self.client.search("q", top_k=0, namespace=self.ns)
        e = caught.exception
        self.assertEqual(("invalid_request", 400, "top_k"), (e.code, e.status, e.field))
        self.assertIsNotNone(e.trace_id)
        with self.assertRaises(HotMemError) as caught:
            self.client.add("x", "   ", namespace=self.ns)
        self.assertEqual(("invalid_request", "fact"), (caught.exception.code, caught.exception.field))
        with self.assertRaises(HotMemError) as caught:
            self.client.update("01KAT0000000000000000000ZZ", importance=0.5)
        self.assertEqual(("not_found", 404), (caught.exception.code, caught.exception.status))
        with self.assertRaises(HotMemError) as caught:
            self.client.list(namespace=self.ns, order="sideways")
        self.assertEqual(("invalid_request", "order"), (caught.exception.code, caught.exception.field))

    def test_snapshot_then_hydrate_round_trip(self) -> None:
        self.client.add("s", "snapshotted fact", namespace=self.ns)
        name = "py-%s.jsonl.gz" % self.ns
        snap = self.client.snapshot(name)
        self.assertGreaterEqual(snap["exported"], 1)
        self.assertTrue(snap["path"].endswith(name))
        hydrated = self.client.hydrate(name)
        self.assertGreaterEqual(hydrated["skipped_dupes"], 1)
        self.assertEqual(snap["exported"], hydrated["loaded"] + hydrated["skipped_dupes"])
        with self.assertRaises(HotMemError) as caught:
            self.client.hydrate("../outside.jsonl")
        self.assertEqual(("invalid_request", 400), (caught.exception.code, caught.exception.status))
        with self.assertRaises(HotMemError) as caught:
            self.client.hydrate("missing-%s.jsonl" % self.ns)
        self.assertEqual("not_found", caught.exception.code)

    @unittest.skipUnless(os.environ.get("HOTMEM_TOKEN_URL"), "HOTMEM_TOKEN_URL is not set")
    def test_a_token_server_wants_the_token(self) -> None:
        url = os.environ["HOTMEM_TOKEN_URL"]
        with HotMemClient(url) as anonymous:
            with self.assertRaises(HotMemError) as caught:
                anonymous.health()
        self.assertEqual(("unauthorized", 401), (caught.exception.code, caught.exception.status))
        with HotMemClient(url, token="wrong-token") as wrong:
            with self.assertRaises(HotMemError) as caught:
                wrong.search("q")
        self.assertEqual("unauthorized", caught.exception.code)
        with HotMemClient(url, token=os.environ["HOTMEM_TOKEN"]) as right:
            self.assertEqual("ok", right.health()["status"])


if __name__ == "__main__":
    unittest.main()

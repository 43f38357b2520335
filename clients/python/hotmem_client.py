"""HotMem client: the HotMem HTTP sidecar from Python, standard library only.

One file, no dependencies (urllib + json), Python 3.9 or newer. Copy it next to your code, or put
this folder on ``sys.path``::

    from hotmem_client import HotMemClient

    with HotMemClient("http://127.0.0.1:8711") as client:
        client.add("vendor_x", "Invoice total $5000", importance=0.8)
        memories = client.search("duplicate invoice risk", top_k=5, max_chars=1500)
        # memories are LLM-ready message objects
        messages = memories + [{"role": "user", "content": "Analyze this vendor."}]

Every method is one HTTP request. Failures raise :class:`HotMemError` with the server's stable
error ``code`` (``invalid_request``, ``not_found``, ``unauthorized``, ...), the HTTP ``status`` and
the ``field`` at fault when there is one. A client is safe to share between threads.
"""

from __future__ import annotations

import datetime as _dt
import ipaddress
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterable, List, Mapping, Optional

__all__ = ["HotMemClient", "HotMemError", "DEFAULT_URL"]
__version__ = "0.1.0"

DEFAULT_URL = "http://127.0.0.1:8711"

_SNIPPET_CHARS = 200
_SEARCH_FILTERS = (
    "category",
    "kind",
    "scope",
    "status",
    "created_after",
    "created_before",
    "min_score",
)


class HotMemError(Exception):
    """A failed call.

    Attributes:
        code: the server's error code (``invalid_request``, ``not_found``, ``conflict``, ``busy``,
            ``unauthorized``, ``payload_too_large``, ...) or one of the client's own:
            ``http_error`` (an error status without a HotMem error body, e.g. a proxy's HTML 502),
            ``connection_failed`` (no HTTP answer), ``timeout``, ``invalid_response`` (a success
            status whose body is not HotMem JSON).
        message: what went wrong, naming the request.
        status: the HTTP status, or ``None`` when there was no HTTP answer.
        field: the wire name of the field at fault (e.g. ``top_k``), or ``None``.
        trace_id: the server's ``X-HotMem-Trace-Id`` for the request, or ``None``.
    """

    def __init__(
        self,
        code: str,
        message: str,
        status: Optional[int] = None,
        field: Optional[str] = None,
        trace_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.field = field
        self.trace_id = trace_id

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return "HotMemError(code=%r, status=%r, field=%r, message=%r)" % (
            self.code,
            self.status,
            self.field,
            self.message,
        )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is reported as an error: replaying a POST elsewhere is never what we want."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401
        return None


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HotMemClient:
    """A client for a HotMem server (``hotmem serve``).

    Args:
        base_url: the server, ``http(s)://host[:port][/prefix]``; default ``http://127.0.0.1:8711``.
        token: the server's bearer token (``hotmem serve --token``), or ``None``.
        timeout: seconds to wait for each answer (and for a connection).
        swap_timeout: seconds to wait for ``hydrate`` / ``snapshot``, which may stream big files.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        token: Optional[str] = None,
        timeout: float = 10.0,
        swap_timeout: float = 1800.0,
    ) -> None:
        self.base_url = _normalize_url(base_url)
        if token is not None:
            if not isinstance(token, str) or not token.strip():
                raise ValueError("token must be a non-blank string (use None for no token)")
            for i, ch in enumerate(token):
                if not 0x21 <= ord(ch) <= 0x7E:
                    raise ValueError(
                        "token may hold only visible ASCII characters; found U+%04X at index %d"
                        % (ord(ch), i)
                    )
        for name, value in (("timeout", timeout), ("swap_timeout", swap_timeout)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError("%s must be a positive number of seconds; found %r" % (name, value))
        self.token = token
        self.timeout = float(timeout)
        self.swap_timeout = float(swap_timeout)
        self._closed = False
        handlers: List[Any] = [_NoRedirect()]
        host = urllib.parse.urlsplit(self.base_url).hostname or ""
        if _is_loopback(host):
            # A loopback server is never behind the environment's proxy (http_proxy is often set
            # without no_proxy covering 127.0.0.1).
            handlers.append(urllib.request.ProxyHandler({}))
        self._opener = urllib.request.build_opener(*handlers)

    # -- lifecycle --------------------------------------------------------------------------

    def close(self) -> None:
        """Marks the client closed (idempotent); later calls raise ``RuntimeError``."""
        self._closed = True

    def __enter__(self) -> "HotMemClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return "HotMemClient(%r%s)" % (self.base_url, ", closed" if self._closed else "")

    # -- operations -------------------------------------------------------------------------

    def health(self) -> Dict[str, Any]:
        """``GET /v1/health``: ``{"status": "ok", "memory_count", "db_path", "uptime_s", ...}``."""
        return self._call("GET", "/v1/health")

    def add(
        self,
        identifier: Optional[str],
        fact: str,
        importance: Optional[float] = None,
        source: Optional[str] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        ttl_seconds: Optional[int] = None,
        namespace: Optional[str] = None,
        kind: Optional[str] = None,
        category: Optional[str] = None,
        scope: Optional[str] = None,
        context: Optional[str] = None,
    ) -> Dict[str, Any]:
        """``POST /v1/add``: stores one fact and returns the stored memory.

        ``context`` is the text the fact answers or follows (a question, the previous turn of a
        conversation): the server searches and embeds it with the fact. The answer has
        ``memory_id`` and every other memory field, plus ``duplicate``: ``True`` when the same fact
        (namespace, identifier, content) was already stored and is returned instead.
        """
        body = _without_none(
            identifier=identifier,
            fact=fact,
            importance=importance,
            source=source,
            metadata=metadata,
            ttl_seconds=ttl_seconds,
            namespace=namespace,
            kind=kind,
            category=category,
            scope=scope,
            context=context,
        )
        return self._call("POST", "/v1/add", body)

    def add_batch(self, memories: Iterable[Mapping[str, Any]]) -> Dict[str, Any]:
        """``POST /v1/add/batch``: stores many memories in one transaction, all or nothing.

        Each item is an ``add`` body: ``{"identifier", "fact", "importance"?, ...}``. Returns
        ``{"memory_ids", "duplicate", "count", "added", "duplicates", "trace_ms"}``.
        """
        items = [dict(m) for m in memories]
        return self._call("POST", "/v1/add/batch", {"memories": items})

    def search(
        self,
        query: str,
        top_k: int = 5,
        max_chars: Optional[int] = None,
        max_tokens: Optional[int] = None,
        identifier: Optional[str] = None,
        namespace: Optional[str] = None,
        **filters: Any,
    ) -> List[Dict[str, Any]]:
        """``POST /v1/search``: the best memories for ``query``, as LLM-ready messages.

        Returns the message list (``[{"role": "system", "content", "memory_id", "identifier",
        "score", ...}]``), best first, ready for ``memories + [{"role": "user", ...}]``.
        ``filters``: ``category``, ``kind``, ``scope``, ``status`` (a string or a list),
        ``created_after`` / ``created_before`` (ISO-8601 strings or aware datetimes),
        ``min_score``. Use :meth:`search_result` for ``count``, ``omitted`` and ``trace_ms`` too.
        """
        return self.search_result(
            query,
            top_k=top_k,
            max_chars=max_chars,
            max_tokens=max_tokens,
            identifier=identifier,
            namespace=namespace,
            **filters,
        )["memories"]

    def search_result(
        self,
        query: str,
        top_k: int = 5,
        max_chars: Optional[int] = None,
        max_tokens: Optional[int] = None,
        identifier: Optional[str] = None,
        namespace: Optional[str] = None,
        **filters: Any,
    ) -> Dict[str, Any]:
        """Like :meth:`search`, returning the whole answer: ``{"memories", "count", "omitted",
        "trace_ms"}``."""
        unknown = sorted(set(filters) - set(_SEARCH_FILTERS))
        if unknown:
            raise TypeError(
                "unknown search filter(s) %s; expected some of %s"
                % (", ".join(unknown), ", ".join(_SEARCH_FILTERS))
            )
        for name in ("created_after", "created_before"):
            if isinstance(filters.get(name), _dt.datetime):
                filters[name] = _instant(name, filters[name])
        body = _without_none(
            query=query,
            top_k=top_k,
            max_chars=max_chars,
            max_tokens=max_tokens,
            identifier=identifier,
            namespace=namespace,
            **filters,
        )
        answer = self._call("POST", "/v1/search", body)
        if not isinstance(answer.get("memories"), list):
            raise self._invalid(200, None, "POST /v1/search", "no \"memories\" list", answer)
        return answer

    def list(
        self,
        identifier: Optional[str] = None,
        namespace: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        order: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        """``GET /v1/memories``: one page of memories, newest first unless ``order="asc"``.

        Returns the memories; :meth:`list_page` also gives ``count``, ``total``, ``offset`` and
        ``limit`` for paging.
        """
        return self.list_page(identifier, namespace, limit, offset, order)["memories"]

    def list_page(
        self,
        identifier: Optional[str] = None,
        namespace: Optional[str] = None,
        limit: Optional[int] = None,
        offset: Optional[int] = None,
        order: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Like :meth:`list`, returning the whole answer: ``{"memories", "count", "total",
        "offset", "limit", "trace_ms"}``."""
        params = _without_none(
            identifier=identifier, namespace=namespace, limit=limit, offset=offset, order=order
        )
        answer = self._call("GET", "/v1/memories", query=params)
        if not isinstance(answer.get("memories"), list):
            raise self._invalid(200, None, "GET /v1/memories", "no \"memories\" list", answer)
        return answer

    def get(self, memory_id: str) -> Dict[str, Any]:
        """``GET /v1/memory/{id}``: one memory; ``not_found`` if it does not exist (any more)."""
        return self._call("GET", _memory_path(memory_id))

    def update(
        self,
        memory_id: str,
        importance: Optional[float] = None,
        metadata: Optional[Mapping[str, Any]] = None,
        category: Optional[str] = None,
    ) -> Dict[str, Any]:
        """``PATCH /v1/memory/{id}``: changes importance, metadata (replaced) or category
        (``""`` clears it); returns the memory after the change."""
        body = _without_none(importance=importance, metadata=metadata, category=category)
        return self._call("PATCH", _memory_path(memory_id), body)

    def forget(self, memory_id: str, purge: bool = False) -> Dict[str, Any]:
        """``DELETE /v1/memory/{id}``: forgets the memory (invisible from now on), or with
        ``purge=True`` erases it from the store for good."""
        if not isinstance(purge, bool):
            raise TypeError("purge must be True or False; found %r" % (purge,))
        query = {"purge": "true"} if purge else None
        return self._call("DELETE", _memory_path(memory_id), query=query)

    def hydrate(self, file: Optional[str] = None, skip_bad: bool = False) -> Dict[str, Any]:
        """``POST /v1/hydrate``: loads a JSONL swap file (``.jsonl`` / ``.jsonl.gz``), skipping
        memories already stored. ``file`` is resolved inside the server's mount (``None`` = its
        ``swap.jsonl``). Returns ``{"loaded", "skipped_dupes", "skipped_bad", "path", ...}``."""
        body = _without_none(file=file, skip_bad=True if skip_bad else None)
        return self._call("POST", "/v1/hydrate", body, timeout=self.swap_timeout)

    def snapshot(
        self, file: Optional[str] = None, include_embeddings: bool = False
    ) -> Dict[str, Any]:
        """``POST /v1/snapshot``: writes every memory to a JSONL swap file (gzip on ``.gz``).
        ``file`` is resolved inside the server's mount (``None`` = its ``swap.jsonl``). Returns
        ``{"exported", "path", ...}``."""
        body = _without_none(file=file, include_embeddings=True if include_embeddings else None)
        return self._call("POST", "/v1/snapshot", body, timeout=self.swap_timeout)

    # -- transport --------------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        body: Optional[Mapping[str, Any]] = None,
        query: Optional[Mapping[str, Any]] = None,
        timeout: Optional[float] = None,
    ) -> Dict[str, Any]:
        if self._closed:
            raise RuntimeError("this HotMemClient for %s is closed; create a new one" % self.base_url)
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode(
                {k: _query_value(v) for k, v in query.items()}, quote_via=urllib.parse.quote
            )
        request_name = "%s %s" % (method, url)
        headers = {"Accept": "application/json", "User-Agent": "hotmem-client-python/" + __version__}
        data = None
        if body is not None:
            try:
                data = json.dumps(body, allow_nan=False, ensure_ascii=False).encode("utf-8")
            except (TypeError, ValueError) as e:
                raise ValueError("cannot send the request as JSON: %s" % e) from None
            headers["Content-Type"] = "application/json; charset=utf-8"
        if self.token is not None:
            headers["Authorization"] = "Bearer " + self.token
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        wait = self.timeout if timeout is None else timeout
        try:
            with self._opener.open(request, timeout=wait) as response:
                status = response.status
                trace_id = response.headers.get("X-HotMem-Trace-Id")
                raw = response.read()
        except urllib.error.HTTPError as e:
            try:
                raw = e.read()
            except (OSError, ValueError):
                raw = b""
            finally:
                e.close()
            raise _error(e.code, raw, e.headers.get("X-HotMem-Trace-Id"), request_name) from None
        except (socket.timeout, TimeoutError) as e:
            raise HotMemError(
                "timeout",
                "no answer from the HotMem server to %s within %g s "
                "(the request may still have been applied)" % (request_name, wait),
            ) from e
        except urllib.error.URLError as e:
            if isinstance(e.reason, (socket.timeout, TimeoutError)):
                raise HotMemError(
                    "timeout",
                    "no connection to the HotMem server at %s (%s %s) within %g s"
                    % (self.base_url, method, path, wait),
                ) from e
            raise HotMemError(
                "connection_failed",
                "cannot connect to the HotMem server at %s (%s %s): %s; is it running? "
                "Start it with `hotmem serve`" % (self.base_url, method, path, _reason(e.reason)),
            ) from e
        except (OSError, ValueError) as e:
            # http.client errors (RemoteDisconnected, BadStatusLine...) and resets mid-answer.
            raise HotMemError(
                "connection_failed",
                "the connection to the HotMem server at %s failed during %s %s: %s"
                % (self.base_url, method, path, _reason(e)),
            ) from e
        if not raw:
            return {}
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise self._invalid(status, trace_id, request_name, "not JSON", raw) from None
        if not isinstance(answer, dict):
            raise self._invalid(status, trace_id, request_name, "not a JSON object", raw)
        return answer

    def _invalid(
        self, status: int, trace_id: Optional[str], request_name: str, what: str, body: Any
    ) -> HotMemError:
        if not isinstance(body, (bytes, bytearray)):
            body = json.dumps(body).encode("utf-8")
        return HotMemError(
            "invalid_response",
            "the server at %s answered %s with HTTP %d and a body the client cannot read (%s): "
            "%s (is this a HotMem server?)"
            % (self.base_url, request_name, status, what, _snippet(body)),
            status,
            None,
            trace_id,
        )


# -- helpers ------------------------------------------------------------------------------------


def _normalize_url(url: str) -> str:
    if not isinstance(url, str):
        raise ValueError("base_url must be a string; found %r" % (url,))
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError("base_url must be http://host[:port] or https://host[:port]; found %s" % url)
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("base_url must not carry a query, fragment or user info; found %s" % url)
    try:
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValueError("base_url has a bad port; found %s" % url) from None
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def _memory_path(memory_id: str) -> str:
    if not isinstance(memory_id, str) or not memory_id.strip():
        raise ValueError("memory_id must be a non-blank string; found %r" % (memory_id,))
    segment = urllib.parse.quote(memory_id, safe="")
    if segment in (".", ".."):
        segment = segment.replace(".", "%2E")
    return "/v1/memory/" + segment


def _without_none(**fields: Any) -> Dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _instant(name: str, value: _dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("%s must be timezone-aware (a naive datetime is ambiguous)" % name)
    utc = value.astimezone(_dt.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (utc.microsecond // 1000)


def _reason(reason: Any) -> str:
    text = str(reason) if reason is not None else ""
    if isinstance(reason, ConnectionRefusedError) or "Connection refused" in text:
        return "connection refused"
    return text or type(reason).__name__


def _snippet(body: bytes) -> str:
    if not body:
        return "(empty body)"
    text = body.decode("utf-8", errors="replace")
    cut = len(text) > _SNIPPET_CHARS
    text = "".join(" " if (ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0) else c for c in text[:_SNIPPET_CHARS])
    return '"' + text + '"' + ("…" if cut else "")


def _error(status: int, body: bytes, trace_id: Optional[str], request_name: str) -> HotMemError:
    code = message = field = None
    try:
        parsed = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        parsed = None
    error = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str) and error["code"].strip():
        code = error["code"]
        message = error.get("message") if isinstance(error.get("message"), str) else None
        field = error.get("field") if isinstance(error.get("field"), str) else None
        if not message or not message.strip():
            message = code
    else:
        code = "http_error"
        message = "HTTP %d without a HotMem error body: %s" % (status, _snippet(body))
    full = "%s (%s, HTTP %d from %s%s)" % (
        message,
        code,
        status,
        request_name,
        ", trace " + trace_id if trace_id else "",
    )
    return HotMemError(code, full, status, field, trace_id)

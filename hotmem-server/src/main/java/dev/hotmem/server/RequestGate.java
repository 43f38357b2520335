package dev.hotmem.server;

import dev.hotmem.HotMem;
import dev.hotmem.TraceSpan;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The servlet filter every request passes first, matched route or not: it gives the request its
 * trace id (header {@value Exchange#TRACE_HEADER}), checks the bearer token, counts the request as
 * in flight so {@link HotMemServer#close()} can wait for it, refuses new work while closing, and
 * writes the request's one trace line when it is done.
 */
final class RequestGate implements Filter {
  private static final String BEARER = "bearer ";

  private final HotMem hotMem;
  private final byte[] token;
  private final List<Route> routes;
  private final List<String> mountPaths;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;

  /**
   * @param token the bearer token every request must carry, or null for none
   * @param mountPaths the paths of mounted servlets, named as such in trace lines
   */
  RequestGate(HotMem hotMem, String token, List<Route> routes, List<String> mountPaths) {
    this.hotMem = hotMem;
    this.routes = routes;
    this.mountPaths = mountPaths;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest req = (HttpServletRequest) request;
    HttpServletResponse res = (HttpServletResponse) response;
    String traceId = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
    req.setAttribute(Exchange.START_NANOS, System.nanoTime());
    req.setAttribute(Exchange.TRACE_ID, traceId);
    res.setHeader(Exchange.TRACE_HEADER, traceId);
    TraceSpan span = hotMem.trace("http", operation(req.getMethod(), req.getRequestURI()));
    inFlight.incrementAndGet();
    try {
      if (closing) {
        res.setHeader("Connection", "close");
        Responses.error(
            req, res, new ApiError(503, "unavailable", null, "the server is shutting down"));
      } else if (!authorized(req.getHeader("Authorization"))) {
        Responses.error(
            req,
            res,
            new ApiError(
                401,
                "unauthorized",
                null,
                "this server needs the header Authorization: Bearer <token>"));
      } else {
        chain.doFilter(req, res);
      }
    } finally {
      inFlight.decrementAndGet();
      span.put("status", res.getStatus())
          .put("trace_id", traceId)
          .put("bytes_in", Math.max(0, req.getContentLengthLong()));
      Object error = req.getAttribute(Exchange.ERROR);
      if (error instanceof ApiError) {
        ApiError e = (ApiError) error;
        span.put("code", e.code());
        if (e.engineCode() != null) {
          span.error(e.engineCode());
        }
      }
      span.end();
    }
  }

  /**
   * "POST /v1/search": the method and the route pattern (or the mounted servlet's path), or
   * "unmatched" for neither.
   */
  private String operation(String method, String path) {
    for (Route route : routes) {
      if (route.method().equals(method) && route.matches(path)) {
        return route.name();
      }
    }
    for (String mount : mountPaths) {
      if (path.equals(mount) || path.startsWith(mount + "/")) {
        return method + " " + mount;
      }
    }
    return method + " unmatched";
  }

  private boolean authorized(String header) {
    if (token == null) {
      return true;
    }
    if (header == null
        || header.length() < BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return false;
    }
    byte[] given = header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(token, given);
  }

  /** Refuses new requests from now on (503); requests already in flight go on. */
  void startClosing() {
    closing = true;
  }

  int inFlight() {
    return inFlight.get();
  }
}

package dev.hotmem.server;

import io.javalin.http.Handler;
import java.util.List;

/**
 * One row of the HTTP table.
 *
 * @param method upper-case HTTP method
 * @param path Javalin path pattern, which is also the OpenAPI path ({@code /v1/memory/{id}})
 * @param queryParameters the query parameters the handler reads (all others are ignored)
 * @param handler does the work
 */
record Route(String method, String path, List<String> queryParameters, Handler handler) {
  Route {
    queryParameters = List.copyOf(queryParameters);
  }

  /** "GET /v1/memory/{id}": the operation name in trace lines. */
  String name() {
    return method + " " + path;
  }

  /** True when {@code requestPath} fits this route's pattern ({@code {x}} matches one segment). */
  boolean matches(String requestPath) {
    String[] want = path.split("/", -1);
    String[] got = stripTrailingSlash(requestPath).split("/", -1);
    if (want.length != got.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      boolean param = want[i].startsWith("{") && want[i].endsWith("}");
      if (param ? got[i].isEmpty() : !want[i].equals(got[i])) {
        return false;
      }
    }
    return true;
  }

  private static String stripTrailingSlash(String p) {
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}

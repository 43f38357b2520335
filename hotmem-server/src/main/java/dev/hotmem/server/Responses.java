package dev.hotmem.server;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.hotmem.HotMemJson;
import dev.hotmem.Memory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Writes JSON answers straight to the response stream with one shared generator factory. Every
 * answer is one object ending in {@code trace_ms}; errors are {@code {"error": {"code", "message",
 * "field"?}, "trace_ms"}}.
 */
final class Responses {
  static final String JSON = "application/json";

  /** The fields of one JSON object, written between its braces. */
  @FunctionalInterface
  interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private Responses() {}

  static void json(HttpServletRequest req, HttpServletResponse res, int status, Fields fields)
      throws IOException {
    res.setStatus(status);
    res.setContentType(JSON);
    try (JsonGenerator g = Json.FACTORY.createGenerator(res.getOutputStream())) {
      g.writeStartObject();
      fields.write(g);
      g.writeNumberField("trace_ms", Exchange.elapsedMs(req));
      g.writeEndObject();
    }
  }

  static void error(HttpServletRequest req, HttpServletResponse res, ApiError error)
      throws IOException {
    if (res.isCommitted()) {
      return;
    }
    res.resetBuffer();
    req.setAttribute(Exchange.ERROR, error);
    if (error.status() == 401) {
      res.setHeader("WWW-Authenticate", "Bearer");
    } else if (error.status() == 503) {
      res.setHeader("Retry-After", "1");
    } else if (error.status() == 413) {
      // The rest of the body was never read: the connection cannot carry another request, and a
      // client that reused it would see no answer at all.
      res.setHeader("Connection", "close");
    }
    json(req, res, error.status(), g -> errorFields(g, error));
  }

  /** The error answer as bytes, for answers Javalin writes itself. */
  static byte[] errorBytes(HttpServletRequest req, ApiError error) throws IOException {
    req.setAttribute(Exchange.ERROR, error);
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      errorFields(g, error);
      g.writeNumberField("trace_ms", Exchange.elapsedMs(req));
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  private static void errorFields(JsonGenerator g, ApiError error) throws IOException {
    g.writeObjectFieldStart("error");
    g.writeStringField("code", error.code());
    g.writeStringField("message", error.getMessage());
    if (error.field() != null) {
      g.writeStringField("field", error.field());
    }
    g.writeEndObject();
  }

  /** The fields of a memory object (the wire shape of {@link Memory}). */
  static void memory(JsonGenerator g, Memory m) throws IOException {
    HotMemJson.writeMemoryFields(g, m);
  }
}

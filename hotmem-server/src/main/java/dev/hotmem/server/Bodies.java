package dev.hotmem.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.hotmem.MemoryStatus;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads request bodies: the content type must be JSON, the size is bounded whether or not the
 * client declared it (chunked bodies are counted as they arrive), and Jackson failures become a 400
 * that names the field at fault in its wire spelling ({@code memories[2].importance}).
 */
final class Bodies {
  private Bodies() {}

  /**
   * The body's bytes, at most {@code limit} of them.
   *
   * @throws ApiError 415 for a non-JSON body, 413 for one over the limit
   */
  static byte[] read(HttpServletRequest req, long limit) throws IOException {
    long declared = req.getContentLengthLong();
    if (declared > limit) {
      drain(req.getInputStream(), declared);
      throw tooLarge(limit, "is " + declared + " bytes");
    }
    byte[] body;
    try {
      body = readBounded(req.getInputStream(), limit, declared);
    } catch (ApiError e) {
      drain(req.getInputStream(), DRAIN_LIMIT);
      throw e;
    } catch (IOException e) {
      // The client's fault (a body shorter than its Content-Length, broken chunking), not ours.
      throw ApiError.invalid(
          null, "the request body could not be read: it ended early or is malformed");
    }
    if (body.length > 0) {
      requireJsonType(req.getContentType());
    }
    return body;
  }

  private static byte[] readBounded(InputStream in, long limit, long declared) throws IOException {
    long expected = declared >= 0 ? declared + 1 : 8192;
    byte[] buffer = new byte[(int) Math.max(16, Math.min(expected, Math.min(limit + 1, 65_536)))];
    int size = 0;
    while (true) {
      if (size == buffer.length) {
        buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, limit + 1));
      }
      int n = in.read(buffer, size, buffer.length - size);
      if (n < 0) {
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
      }
      size += n;
      if (size > limit) {
        throw tooLarge(limit, "exceeds the limit");
      }
    }
  }

  /**
   * Reads and drops what is left of a refused body, up to {@link #DRAIN_LIMIT} bytes. A server that
   * answers before the body is in and then closes leaves unread bytes in its socket, and closing
   * such a socket sends a reset that can destroy the answer before the client reads it: the client
   * sees "connection reset" instead of the 413. Past the limit the body is left unread (the
   * connection closes either way: {@code Responses} marks a 413 {@code Connection: close}).
   */
  private static void drain(InputStream in, long declared) {
    long left = Math.min(declared, DRAIN_LIMIT);
    byte[] scratch = new byte[65_536];
    try {
      while (left > 0) {
        int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException e) {
      // The client went away: nothing left to protect.
    }
  }

  /** The most bytes of a refused body read and dropped before answering (see {@link #drain}). */
  static final long DRAIN_LIMIT = 16L << 20;

  private static ApiError tooLarge(long limit, String what) {
    return new ApiError(
        413, "payload_too_large", null, "the request body " + what + " of " + limit + " bytes");
  }

  static void requireJsonType(String contentType) {
    if (contentType == null) {
      throw unsupported("none");
    }
    String[] parts = contentType.split(";");
    if (!parts[0].trim().equalsIgnoreCase(Responses.JSON)) {
      throw unsupported(contentType);
    }
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim();
      int eq = param.indexOf('=');
      if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("charset")) {
        String charset = param.substring(eq + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
        if (!charset.equals("utf-8") && !charset.equals("utf8")) {
          throw unsupported(contentType);
        }
      }
    }
  }

  private static ApiError unsupported(String found) {
    return new ApiError(
        415,
        "unsupported_media_type",
        null,
        "the body must be JSON with Content-Type: application/json (UTF-8); found " + found);
  }

  /**
   * Parses a JSON object body into {@code type}; an empty body (or JSON {@code null}) gives null.
   */
  static <T> T parse(byte[] body, Class<T> type) {
    if (body.length == 0) {
      return null;
    }
    try {
      return Json.MAPPER.readValue(body, type);
    } catch (DatabindException e) {
      throw fromDatabind(e);
    } catch (InputCoercionException e) {
      return fail(fieldOf(e), "is out of range");
    } catch (StreamReadException e) {
      throw ApiError.invalid(
          null, "the body is not valid JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw ApiError.invalid(null, "the body could not be read: " + firstLine(e.getMessage()));
    }
  }

  /** Like {@link #parse} but an absent body is refused: the endpoint needs an object. */
  static <T> T parseRequired(byte[] body, Class<T> type) {
    T value = parse(body, type);
    if (value == null) {
      throw ApiError.invalid(null, "the body must be a JSON object");
    }
    return value;
  }

  private static <T> T fail(String field, String message) {
    throw ApiError.invalid(field, message);
  }

  private static ApiError fromDatabind(DatabindException e) {
    if (e.getCause() instanceof InputCoercionException && e instanceof JsonMappingException) {
      return ApiError.invalid(path((JsonMappingException) e), "is out of range for an integer");
    }
    String field = e instanceof JsonMappingException ? path((JsonMappingException) e) : null;
    if (field == null) {
      return ApiError.invalid(null, "the body must be a JSON object");
    }
    if (e instanceof InvalidFormatException) {
      InvalidFormatException format = (InvalidFormatException) e;
      Class<?> target = format.getTargetType();
      Object value = format.getValue();
      boolean integral =
          value instanceof Integer
              || value instanceof Long
              || value instanceof java.math.BigInteger;
      if (integral && target != null && isInteger(target)) {
        return ApiError.invalid(field, "is out of range for " + describe(target));
      }
      if (target == MemoryStatus.class) {
        return ApiError.invalid(field, "expected one of active, superseded, archived");
      }
      if (target == Instant.class) {
        return ApiError.invalid(field, "expected an ISO-8601 instant such as 2026-01-31T12:00:00Z");
      }
      return ApiError.invalid(field, "expected " + describe(target));
    }
    if (e instanceof MismatchedInputException) {
      Class<?> target = ((MismatchedInputException) e).getTargetType();
      return ApiError.invalid(field, "expected " + describe(target));
    }
    return ApiError.invalid(field, "has an invalid value");
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (isInteger(type)) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class || type == MemoryStatus.class || type == Instant.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a JSON object";
    }
    return "another type";
  }

  private static boolean isInteger(Class<?> type) {
    return type == Integer.class || type == int.class || type == Long.class || type == long.class;
  }

  /** {@code memories[2].importance}, or null when the failure is at the root. */
  private static String path(JsonMappingException e) {
    List<JsonMappingException.Reference> refs = e.getPath();
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.length() == 0 ? null : out.toString();
  }

  private static String fieldOf(StreamReadException e) {
    JsonParser parser = e.getProcessor();
    if (parser == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (JsonStreamContext c = parser.getParsingContext();
        c != null && !c.inRoot();
        c = c.getParent()) {
      String part =
          c.inObject()
              ? (c.getCurrentName() == null ? "" : c.getCurrentName())
              : "[" + c.getCurrentIndex() + "]";
      if (out.length() > 0 && out.charAt(0) != '[') {
        part = part + ".";
      }
      out.insert(0, part);
    }
    return out.length() == 0 ? null : out.toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable input";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}

package dev.hotmem.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.hotmem.HotMemJson;

/**
 * The server's one {@link ObjectMapper}: HotMem's wire format, plus strict scalar types on input
 * ({@code "top_k": "5"} or {@code "identifier": 5} is a wrong type, not something to coerce) and
 * nothing after the top-level value.
 */
final class Json {
  static final ObjectMapper MAPPER = newMapper();
  static final JsonFactory FACTORY = MAPPER.getFactory();

  private Json() {}

  private static ObjectMapper newMapper() {
    ObjectMapper mapper =
        HotMemJson.newMapper()
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Answers are written object by object into one generator; a flush after each would
            // commit the response early and lose its Content-Length.
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    for (LogicalType numeric : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
      mapper
          .coercionConfigFor(numeric)
          .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    for (LogicalType container :
        new LogicalType[] {LogicalType.Map, LogicalType.Collection, LogicalType.POJO}) {
      mapper
          .coercionConfigFor(container)
          .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }
    return mapper;
  }
}

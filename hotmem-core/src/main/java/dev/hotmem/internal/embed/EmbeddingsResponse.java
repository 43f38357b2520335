package dev.hotmem.internal.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the answers of an OpenAI-compatible {@code /embeddings} endpoint: {@code {"data":
 * [{"index": 0, "embedding": [...]}, ...]}} on success, and the error message of a failure in the
 * shapes the servers use ({@code {"error": {"message": ...}}} for OpenAI and vLLM, {@code {"error":
 * "..."}} for Ollama, {@code {"detail": ...}} or {@code {"message": ...}} for others). Trusts
 * nothing: a wrong count, a missing or repeated index, a wrong dimension or a non-finite number is
 * an error naming what was expected and what was found.
 */
final class EmbeddingsResponse {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What is wrong with an answer, for the embedder to report with its context. */
  static final class BadAnswer extends Exception {
    private static final long serialVersionUID = 1L;

    BadAnswer(String message) {
      super(message);
    }
  }

  private EmbeddingsResponse() {}

  /**
   * The vectors of a successful answer, ordered by {@code index}.
   *
   * @param count how many inputs were sent
   * @param dimension the expected vector length, or 0 when it is not known yet (then every vector
   *     must have the first one's length)
   */
  static List<float[]> parse(byte[] body, int count, int dimension) throws BadAnswer {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new BadAnswer("the answer is not JSON (" + excerpt(body) + ")");
    } catch (java.io.IOException e) {
      throw new BadAnswer("the answer cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BadAnswer("the answer is not a JSON object (" + excerpt(body) + ")");
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) {
      String error = errorMessage(body);
      throw new BadAnswer(
          "the answer has no \"data\" array"
              + (error != null ? ": " + error : " (" + excerpt(body) + ")"));
    }
    if (data.size() != count) {
      throw new BadAnswer("expected " + count + " embeddings, found " + data.size());
    }
    float[][] out = new float[count][];
    int dim = dimension;
    for (int i = 0; i < count; i++) {
      JsonNode item = data.get(i);
      JsonNode index = item == null ? null : item.get("index");
      // Servers that send no index send the inputs' order.
      int at = i;
      if (index != null && !index.isNull()) {
        if (!index.canConvertToInt() || !index.isIntegralNumber()) {
          throw new BadAnswer("data[" + i + "].index is not a whole number");
        }
        at = index.intValue();
      }
      if (at < 0 || at >= count) {
        throw new BadAnswer("data[" + i + "].index " + at + " is outside 0.." + (count - 1));
      }
      if (out[at] != null) {
        throw new BadAnswer("index " + at + " appears twice");
      }
      JsonNode embedding = item.get("embedding");
      if (embedding == null || !embedding.isArray()) {
        throw new BadAnswer(
            "data["
                + i
                + "].embedding is not an array of numbers"
                + (embedding != null && embedding.isTextual()
                    ? " (a base64 string: the server ignored encoding_format float)"
                    : ""));
      }
      if (dim == 0) {
        dim = embedding.size();
        if (dim == 0) {
          throw new BadAnswer("data[" + i + "].embedding is empty");
        }
      }
      if (embedding.size() != dim) {
        throw new BadAnswer(
            "expected embeddings of dimension " + dim + ", found " + embedding.size());
      }
      float[] v = new float[dim];
      for (int k = 0; k < dim; k++) {
        JsonNode x = embedding.get(k);
        if (!x.isNumber()) {
          throw new BadAnswer("data[" + i + "].embedding[" + k + "] is not a number");
        }
        float f = (float) x.doubleValue();
        if (!Float.isFinite(f)) {
          throw new BadAnswer(
              "data[" + i + "].embedding[" + k + "] is not a finite float: " + x.asText());
        }
        v[k] = f;
      }
      out[at] = v;
    }
    List<float[]> vectors = new ArrayList<>(count);
    for (float[] v : out) {
      vectors.add(v);
    }
    return vectors;
  }

  /**
   * The server's error message in a failed answer, or null when the body is not JSON holding one.
   */
  static String errorMessage(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (java.io.IOException e) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject()) {
      JsonNode message = error.get("message");
      if (message != null && message.isTextual()) {
        return OpenAiSettings.printable(message.asText());
      }
    }
    for (String field : new String[] {"error", "detail", "message"}) {
      JsonNode n = root.get(field);
      if (n != null && n.isTextual()) {
        return OpenAiSettings.printable(n.asText());
      }
    }
    return null;
  }

  /** The start of a body, printable, for messages. */
  static String excerpt(byte[] body) {
    if (body.length == 0) {
      return "empty body";
    }
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return "starts with '" + OpenAiSettings.printable(text.strip()) + "'";
  }
}

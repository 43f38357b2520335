package dev.hotmem.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.HotMemException;
import dev.hotmem.HotMemJson;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tool: its name, the description an agent reads to decide when to call it, its input schema,
 * and the handler. The handler returns a JSON-able value (a map, a list, a record of simple
 * fields); the tool answers it as JSON text and as structured content. Any failure becomes a tool
 * error ({@code isError: true}) with one clear line, never a protocol error or a dead server.
 */
final class McpTool {
  private static final Logger LOG = LoggerFactory.getLogger(McpTool.class);
  static final ObjectMapper JSON = HotMemJson.newMapper();

  private final McpSchema.Tool tool;
  private final Function<ToolArguments, Object> handler;
  private final java.util.Set<String> argumentNames;

  McpTool(
      String name,
      String title,
      String description,
      Schema input,
      Effect effect,
      Function<ToolArguments, Object> handler) {
    // The SDK deprecates every Tool builder in 2.1 in favour of the record's constructor.
    this.tool =
        new McpSchema.Tool(
            name,
            title,
            description,
            input.toMap(),
            null,
            new McpSchema.ToolAnnotations(
                title,
                effect == Effect.READS,
                effect == Effect.ERASES,
                effect == Effect.READS,
                false,
                null),
            null,
            null);
    this.handler = handler;
    this.argumentNames = java.util.Set.copyOf(input.names());
  }

  String name() {
    return tool.name();
  }

  McpSchema.Tool tool() {
    return tool;
  }

  SyncToolSpecification specification() {
    return SyncToolSpecification.builder()
        .tool(tool)
        .callHandler((exchange, request) -> call(request.arguments()))
        .build();
  }

  /** Runs the tool on these arguments; never throws. */
  CallToolResult call(Map<String, Object> arguments) {
    Object value;
    try {
      ToolArguments args = new ToolArguments(tool.name(), arguments);
      args.allowOnly(argumentNames);
      value = handler.apply(args);
    } catch (HotMemException e) {
      return error(e.errorCode().code() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("tool {} failed", tool.name(), e);
      return error("internal_error: " + tool.name() + " failed: " + e);
    }
    try {
      Object structured = JSON.convertValue(value, Object.class);
      return CallToolResult.builder()
          .content(List.of(TextContent.builder(JSON.writeValueAsString(structured)).build()))
          .structuredContent(structured instanceof Map ? structured : Map.of("result", structured))
          .isError(false)
          .build();
    } catch (JsonProcessingException | IllegalArgumentException e) {
      LOG.error("tool {} answered something that is not JSON", tool.name(), e);
      return error("internal_error: " + tool.name() + " answered something that is not JSON");
    }
  }

  static CallToolResult error(String message) {
    return CallToolResult.builder()
        .content(List.of(TextContent.builder(message).build()))
        .isError(true)
        .build();
  }

  /** What a call does to the store, told to clients as the tool's hints. */
  enum Effect {
    /** Reads only (read-only, idempotent). */
    READS,
    /** Adds or changes memories; nothing is lost. */
    WRITES,
    /** Forgets or erases memories. */
    ERASES
  }

  /** A JSON schema for a tool's arguments: an object of named, described properties. */
  static final class Schema {
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new java.util.ArrayList<>();

    Schema string(String name, boolean isRequired, String description) {
      return property(name, isRequired, Map.of("type", "string", "description", description));
    }

    Schema integer(String name, boolean isRequired, long min, long max, String description) {
      return property(
          name,
          isRequired,
          Map.of("type", "integer", "minimum", min, "maximum", max, "description", description));
    }

    Schema number(String name, boolean isRequired, double min, double max, String description) {
      return property(
          name,
          isRequired,
          Map.of("type", "number", "minimum", min, "maximum", max, "description", description));
    }

    Schema enumeration(String name, List<String> values, String description) {
      return property(
          name, false, Map.of("type", "string", "enum", values, "description", description));
    }

    private Schema property(String name, boolean isRequired, Map<String, Object> schema) {
      properties.put(name, schema);
      if (isRequired) {
        required.add(name);
      }
      return this;
    }

    java.util.Set<String> names() {
      return properties.keySet();
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("type", "object");
      m.put("properties", properties);
      if (!required.isEmpty()) {
        m.put("required", required);
      }
      m.put("additionalProperties", false);
      return m;
    }
  }
}

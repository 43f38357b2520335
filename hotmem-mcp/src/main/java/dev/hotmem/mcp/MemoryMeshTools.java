package dev.hotmem.mcp;

import dev.hotmem.HotMem;
import dev.hotmem.Limits;
import dev.hotmem.MemoryMessage;
import dev.hotmem.NewMemory;
import dev.hotmem.RecallQuery;
import dev.hotmem.RecallResult;
import dev.hotmem.Remembered;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The library-style tools, {@code remember}, {@code recall} and {@code forget}, over {@link
 * HotMem}: free-text memories with an importance and a category, recalled by meaning.
 */
final class MemoryMeshTools {
  static final int DEFAULT_K = 5;

  private MemoryMeshTools() {}

  static List<McpTool> create(Supplier<HotMem> hotMem, String namespace) {
    return List.of(remember(hotMem, namespace), recall(hotMem, namespace), forget(hotMem));
  }

  private static McpTool remember(Supplier<HotMem> hotMem, String namespace) {
    return new McpTool(
        "remember",
        "Remember",
        "Store one thing worth keeping across sessions: a user preference, a decision and its"
            + " reason, a lesson from a mistake, a fact about the project. Call it when you learn"
            + " something the user would not want to repeat next time. One self-contained"
            + " sentence per call; storing the same text twice keeps one copy. For structured"
            + " project facts in C/D/V notation prefer memory_write. Returns the memory's id.",
        new McpTool.Schema()
            .string("content", true, "The memory, as one self-contained sentence.")
            .number(
                "importance",
                false,
                0,
                1,
                "How much it matters, 0 to 1 (default 0.5); important memories rank higher.")
            .string(
                "category",
                false,
                "Optional label to group memories, e.g. preference, decision, mistake, fact."),
        McpTool.Effect.WRITES,
        args -> {
          NewMemory.Builder b =
              NewMemory.builder(NewMemory.DEFAULT_IDENTIFIER, args.text("content"))
                  .namespace(namespace);
          Double importance = args.optionalNumber("importance", 0, 1);
          if (importance != null) {
            b.importance(importance);
          }
          b.category(args.optionalText("category"));
          Remembered r = hotMem.get().remember(b.build());
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("id", r.memory().id());
          out.put("duplicate", r.duplicate());
          out.put("importance", r.memory().importance());
          out.put("category", r.memory().category());
          return out;
        });
  }

  private static McpTool recall(Supplier<HotMem> hotMem, String namespace) {
    return new McpTool(
        "recall",
        "Recall",
        "Find the stored memories most relevant to a question, best first (meaning and keywords,"
            + " weighted by importance and recency). Call it at the start of a task and before"
            + " answering anything where the user's preferences, earlier decisions or past"
            + " mistakes may matter. Each result has an id (for forget), the text and a score in"
            + " [0, 1].",
        new McpTool.Schema()
            .string("query", true, "What you want to know, in natural language.")
            .integer(
                "k",
                false,
                1,
                Limits.MAX_TOP_K,
                "How many memories to return at most (default " + DEFAULT_K + ")."),
        McpTool.Effect.READS,
        args -> {
          String query = args.text("query");
          Long k = args.optionalInteger("k", 1, Limits.MAX_TOP_K);
          RecallResult result =
              hotMem
                  .get()
                  .recall(
                      RecallQuery.builder(query)
                          .namespace(namespace)
                          .topK(k == null ? DEFAULT_K : k.intValue())
                          .build());
          List<Map<String, Object>> memories =
              result.memories().stream().map(MemoryMeshTools::recalled).toList();
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("count", result.count());
          out.put("memories", memories);
          return out;
        });
  }

  private static Map<String, Object> recalled(MemoryMessage m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", m.memoryId());
    out.put("content", m.content());
    out.put("score", Math.round(m.score() * 10_000) / 10_000.0);
    out.put("kind", m.kind());
    out.put("category", m.category());
    out.put("scope", m.scope());
    out.put("created_at", m.createdAt().toString());
    return out;
  }

  private static McpTool forget(Supplier<HotMem> hotMem) {
    return new McpTool(
        "forget",
        "Forget",
        "Forget one memory by its id (from remember or recall): it is no longer recalled. Call it"
            + " when the user says something you stored is wrong or no longer wanted, or to drop a"
            + " memory you are replacing with a corrected one.",
        new McpTool.Schema().string("id", true, "The id of the memory to forget."),
        McpTool.Effect.ERASES,
        args -> {
          String id = args.text("id");
          hotMem.get().forget(id);
          return Map.of("forgotten", id);
        });
  }
}

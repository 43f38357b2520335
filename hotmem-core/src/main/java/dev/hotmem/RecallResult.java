package dev.hotmem;

import java.util.List;

/**
 * The answer to a {@link RecallQuery}: message objects in rank order, best first.
 *
 * @param memories the recalled memories as LLM-ready messages, best first
 * @param count {@code memories.size()}
 * @param omitted how many ranked memories (within {@code top_k} and above {@code min_score}) were
 *     left out to respect {@code max_chars} / {@code max_tokens}
 * @param traceMs wall time spent in the engine, in milliseconds
 */
public record RecallResult(List<MemoryMessage> memories, int count, int omitted, double traceMs) {
  public RecallResult {
    memories = List.copyOf(memories);
  }
}

package dev.hotmem.examples;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemJson;
import dev.hotmem.MemoryMessage;
import dev.hotmem.NewMemory;
import dev.hotmem.RecallQuery;
import dev.hotmem.RecallResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The README's 60-second example: remember facts, recall them as LLM-ready messages. */
public final class Quickstart {
  /** A plain chat message, as an LLM client would send it. */
  record ChatMessage(String role, String content) {}

  private Quickstart() {}

  public static void main(String[] args) {
    Path file = Path.of(args.length > 0 ? args[0] : "target/quickstart.sqlite");
    try (HotMem mem = HotMem.open(file)) {
      mem.remember(
          NewMemory.builder("vendor_x", "Invoice total was $5000, paid twice in March")
              .importance(0.8)
              .build());
      mem.remember(NewMemory.of("vendor_x", "Vendor X asked to be paid by wire transfer"));
      mem.remember(NewMemory.of("user", "The user prefers short answers in bullet points"));

      RecallResult recalled =
          mem.recall(RecallQuery.builder("duplicate invoice risk").topK(5).maxChars(1500).build());

      // Message objects go straight into a chat-completions request.
      List<Object> messages = new ArrayList<>(recalled.memories());
      messages.add(new ChatMessage("user", "Analyze this vendor."));
      for (MemoryMessage m : recalled.memories()) {
        System.out.printf("%.3f  %-9s %s%n", m.score(), m.identifier(), m.content());
      }
      System.out.println(HotMemJson.toJson(messages));
    }
  }
}

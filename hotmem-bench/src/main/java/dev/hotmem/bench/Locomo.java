package dev.hotmem.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The LoCoMo benchmark file (Maharana et al., ACL 2024; CC BY-NC 4.0, used for evaluation only and
 * never copied into this repository), read into turns and questions.
 */
final class Locomo {
  /** One dialog turn: the memory the evaluation stores. */
  record Turn(
      String sampleId, String diaId, int session, String date, String speaker, String text) {}

  /** One question of categories 1–4 with the turns that answer it (unresolvable ids dropped). */
  record Question(String sampleId, int category, String question, Set<String> evidence) {}

  record Sample(String id, List<Turn> turns, List<Question> questions) {}

  static final Map<Integer, String> CATEGORY_NAMES =
      Map.of(1, "multi-hop", 2, "temporal", 3, "open-domain", 4, "single-hop");

  private Locomo() {}

  static List<Sample> read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<Sample> samples = new ArrayList<>();
    for (JsonNode s : root) {
      String id = s.get("sample_id").asText();
      JsonNode conv = s.get("conversation");
      List<Turn> turns = new ArrayList<>();
      Set<String> diaIds = new LinkedHashSet<>();
      for (int n = 1; n <= 100; n++) {
        JsonNode session = conv.get("session_" + n);
        if (session == null) {
          continue;
        }
        String date = conv.path("session_" + n + "_date_time").asText("");
        for (JsonNode t : session) {
          String text = t.get("text").asText();
          if (t.has("blip_caption")) {
            text = text + " [shares a photo: " + t.get("blip_caption").asText() + "]";
          }
          Turn turn =
              new Turn(id, t.get("dia_id").asText(), n, date, t.get("speaker").asText(), text);
          turns.add(turn);
          diaIds.add(turn.diaId());
        }
      }
      List<Question> questions = new ArrayList<>();
      for (JsonNode q : s.get("qa")) {
        int category = q.get("category").asInt();
        if (category < 1 || category > 4) {
          continue;
        }
        Set<String> evidence = new LinkedHashSet<>();
        for (Iterator<JsonNode> it = q.path("evidence").elements(); it.hasNext(); ) {
          String e = it.next().asText();
          if (diaIds.contains(e)) {
            evidence.add(e);
          }
        }
        if (!evidence.isEmpty()) {
          questions.add(new Question(id, category, q.get("question").asText(), evidence));
        }
      }
      samples.add(new Sample(id, turns, questions));
    }
    return samples;
  }
}

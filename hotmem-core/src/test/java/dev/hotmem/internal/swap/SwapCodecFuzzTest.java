package dev.hotmem.internal.swap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hotmem.Memory;
import dev.hotmem.internal.store.MetadataCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Fuzzes {@link SwapCodec#parse}, the parser of swap files (outside input: files users copy around
 * and edit). For any bytes it either rejects the line with a {@link BadLineException} or returns an
 * entry that holds the store's invariants, and that entry written back as a line parses to the same
 * entry (reference check: the writer is the format's other half).
 *
 * <p>In a normal build this runs once per seed in {@code
 * src/test/resources/dev/hotmem/internal/swap/SwapCodecFuzzTestInputs/lineParsesOrIsRejectedCleanly/}.
 * To fuzz for 60 seconds:
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 ./mvnw -o test -pl hotmem-core -Dtest=SwapCodecFuzzTest
 * }</pre>
 */
class SwapCodecFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @FuzzTest(maxDuration = "60s")
  void lineParsesOrIsRejectedCleanly(byte[] input) throws IOException {
    SwapEntry e;
    try {
      e = SwapCodec.parse(input, input.length);
    } catch (BadLineException bad) {
      assertThat(bad.getMessage()).isNotBlank().doesNotContain("\n");
      return;
    }
    if (e == null) {
      assertThat(new String(input, StandardCharsets.UTF_8)).isBlank();
      return;
    }
    assertThat(e.content()).isNotBlank();
    assertThat(e.namespace()).isNotBlank();
    assertThat(e.identifier()).isNotBlank();
    assertThat(e.importance()).isBetween(0.0, 1.0);
    assertThat(e.accessCount()).isNotNegative();
    JsonNode metadata = JSON.readTree(e.metadataJson());
    assertThat(metadata.isObject()).isTrue();
    assertThat(e.embedding() == null).isEqualTo(e.embeddingModel() == null);
    if (e.embedding() != null) {
      assertThat(e.embedding().length % Float.BYTES).isZero();
    }

    Instant created = e.createdAt() == null ? Instant.EPOCH : Instant.ofEpochMilli(e.createdAt());
    Memory m =
        new Memory(
            e.id() == null ? "ID" : e.id(),
            e.namespace(),
            e.identifier(),
            e.content(),
            e.kind(),
            e.importance(),
            e.category(),
            e.scope(),
            e.source(),
            MetadataCodec.decode(e.metadataJson()),
            e.contentHash(),
            created,
            e.updatedAt() == null ? created : Instant.ofEpochMilli(e.updatedAt()),
            e.lastAccessedAt() == null ? null : Instant.ofEpochMilli(e.lastAccessedAt()),
            e.accessCount(),
            e.expiresAt() == null ? null : Instant.ofEpochMilli(e.expiresAt()),
            e.status(),
            e.supersededBy(),
            e.context());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var g = SwapCodec.generator(out)) {
      SwapCodec.write(g, m, e.embeddingModel(), e.embedding());
    }
    byte[] line = out.toByteArray();
    assertThat(line[line.length - 1]).isEqualTo((byte) '\n');
    SwapEntry again;
    try {
      again = SwapCodec.parse(line, line.length - 1);
    } catch (BadLineException bad) {
      throw new AssertionError("a written line does not parse: " + bad.getMessage(), bad);
    }
    assertThat(again.content()).isEqualTo(e.content());
    assertThat(again.identifier()).isEqualTo(e.identifier());
    assertThat(again.namespace()).isEqualTo(e.namespace());
    assertThat(again.importance()).isEqualTo(e.importance());
    assertThat(again.status()).isEqualTo(e.status());
    assertThat(JSON.readTree(again.metadataJson())).isEqualTo(metadata);
    assertThat(again.embedding()).isEqualTo(e.embedding());
  }
}

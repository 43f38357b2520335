/**
 * The HotMem engine: a memory store for LLM agents in one SQLite file. The public API is in {@code
 * dev.hotmem}; the embedder and vector-index SPIs in {@code dev.hotmem.embed} and {@code
 * dev.hotmem.index}. Everything under {@code dev.hotmem.internal} is implementation and may change
 * without notice.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.hotmem.core {
  requires transitive com.fasterxml.jackson.databind;
  requires java.logging;
  requires java.net.http;
  requires java.sql;
  requires org.xerial.sqlitejdbc;
  requires org.slf4j;
  requires jtokkit;
  requires com.github.benmanes.caffeine;
  requires jvector;

  exports dev.hotmem;
  exports dev.hotmem.embed;
  exports dev.hotmem.facts;
  exports dev.hotmem.index;
  exports dev.hotmem.mount;
  exports dev.hotmem.swap;

  uses dev.hotmem.embed.EmbedderProvider;

  provides dev.hotmem.embed.EmbedderProvider with
      dev.hotmem.internal.embed.OpenAiEmbedderProvider;
}

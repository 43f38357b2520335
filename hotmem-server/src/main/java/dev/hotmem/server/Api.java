package dev.hotmem.server;

import dev.hotmem.HotMem;
import dev.hotmem.HotMemException;
import dev.hotmem.Limits;
import dev.hotmem.ListQuery;
import dev.hotmem.Memory;
import dev.hotmem.MemoryFilter;
import dev.hotmem.MemoryMessage;
import dev.hotmem.MemoryPage;
import dev.hotmem.MemoryStatus;
import dev.hotmem.MemoryUpdate;
import dev.hotmem.NewMemory;
import dev.hotmem.RecallQuery;
import dev.hotmem.RecallResult;
import dev.hotmem.Remembered;
import dev.hotmem.SortOrder;
import dev.hotmem.VectorIndexStatus;
import dev.hotmem.embed.Embedder;
import dev.hotmem.swap.HydrateOptions;
import dev.hotmem.swap.HydrateResult;
import dev.hotmem.swap.SnapshotOptions;
import dev.hotmem.swap.SnapshotResult;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The handlers of the {@code /v1} API: each reads its request into an engine value (so the engine's
 * validation applies), calls {@link HotMem} once and writes the answer. Failures are thrown and
 * turned into JSON errors by the route wrapper in {@link HotMemServer}.
 */
final class Api {
  /** Longest TTL accepted: 100 years, so {@code created_at + ttl} always fits. */
  static final long MAX_TTL_SECONDS = Limits.MAX_TTL_SECONDS;

  private final HotMem hotMem;
  private final SwapPaths swapPaths;
  private final long maxBodyBytes;
  private final String version;
  private final long startNanos = System.nanoTime();
  private final byte[] openApi;
  private final List<Route> routes;

  Api(HotMem hotMem, SwapPaths swapPaths, long maxBodyBytes, String version) {
    this.hotMem = hotMem;
    this.swapPaths = swapPaths;
    this.maxBodyBytes = maxBodyBytes;
    this.version = version;
    this.openApi = OpenApi.document();
    this.routes =
        List.of(
            new Route("GET", "/v1/health", List.of(), this::health),
            new Route("POST", "/v1/add", List.of(), this::add),
            new Route("POST", "/v1/add/batch", List.of(), this::addBatch),
            new Route("POST", "/v1/search", List.of(), this::search),
            new Route(
                "GET",
                "/v1/memories",
                List.of("identifier", "namespace", "limit", "offset", "order"),
                this::list),
            new Route("GET", "/v1/memory/{id}", List.of(), this::get),
            new Route("PATCH", "/v1/memory/{id}", List.of(), this::update),
            new Route("DELETE", "/v1/memory/{id}", List.of("purge"), this::delete),
            new Route("POST", "/v1/hydrate", List.of(), this::hydrate),
            new Route("POST", "/v1/snapshot", List.of(), this::snapshot),
            new Route("GET", "/v1/openapi.json", List.of(), this::openApi));
  }

  List<Route> routes() {
    return routes;
  }

  private void health(Context ctx) throws IOException {
    long count = hotMem.count();
    Path db = hotMem.path();
    double uptime = (System.nanoTime() - startNanos) / 1_000_000L / 1000.0;
    Embedder embedder = hotMem.config().embedder();
    VectorIndexStatus index = hotMem.vectorIndex();
    answer(
        ctx,
        200,
        g -> {
          g.writeStringField("status", "ok");
          g.writeNumberField("memory_count", count);
          g.writeStringField("db_path", db == null ? null : db.toString());
          g.writeNumberField("uptime_s", uptime);
          g.writeStringField("version", version);
          // Which model answers: a client can tell a hash store from a model one, and which model.
          g.writeObjectFieldStart("embedder");
          g.writeStringField("id", embedder.id());
          g.writeStringField("spec", embedder.spec());
          g.writeNumberField("dimension", embedder.dimension());
          g.writeEndObject();
          // Exact search or the graph; "building" means searches are slower for a while.
          g.writeObjectFieldStart("vector_index");
          g.writeStringField("kind", index.kind().wireName());
          g.writeNumberField("entries", index.entries());
          g.writeBooleanField("building", index.building());
          g.writeNumberField("search_beam", index.searchBeam());
          g.writeEndObject();
        });
  }

  private void add(Context ctx) throws IOException {
    Requests.Add body = Bodies.parseRequired(body(ctx), Requests.Add.class);
    NewMemory memory = newMemory(body, "");
    Remembered done = hotMem.remember(memory);
    answer(
        ctx,
        done.duplicate() ? 200 : 201,
        g -> {
          Responses.memory(g, done.memory());
          g.writeBooleanField("duplicate", done.duplicate());
        });
  }

  private void addBatch(Context ctx) throws IOException {
    Requests.AddBatch body = Bodies.parseRequired(body(ctx), Requests.AddBatch.class);
    if (body.memories() == null) {
      throw ApiError.invalid("memories", "is required");
    }
    if (body.memories().isEmpty()) {
      throw ApiError.invalid("memories", "must not be empty");
    }
    List<NewMemory> memories = new ArrayList<>(body.memories().size());
    for (int i = 0; i < body.memories().size(); i++) {
      Requests.Add item = body.memories().get(i);
      String prefix = "memories[" + i + "]";
      if (item == null) {
        throw ApiError.invalid(prefix, "must be a JSON object");
      }
      memories.add(newMemory(item, prefix + "."));
    }
    List<Remembered> done = hotMem.rememberAll(memories);
    int duplicates = (int) done.stream().filter(Remembered::duplicate).count();
    answer(
        ctx,
        200,
        g -> {
          g.writeArrayFieldStart("memory_ids");
          for (Remembered r : done) {
            g.writeString(r.memory().id());
          }
          g.writeEndArray();
          g.writeArrayFieldStart("duplicate");
          for (Remembered r : done) {
            g.writeBoolean(r.duplicate());
          }
          g.writeEndArray();
          g.writeNumberField("count", done.size());
          g.writeNumberField("added", done.size() - duplicates);
          g.writeNumberField("duplicates", duplicates);
        });
  }

  /** The engine value for an add body; {@code prefix} locates it in a batch. */
  private static NewMemory newMemory(Requests.Add body, String prefix) {
    if (body.fact() == null) {
      throw ApiError.invalid(prefix + "fact", "is required");
    }
    Long ttl = body.ttlSeconds();
    if (ttl != null && (ttl < 1 || ttl > MAX_TTL_SECONDS)) {
      throw ApiError.invalid(
          prefix + "ttl_seconds", "must be between 1 and " + MAX_TTL_SECONDS + "; found " + ttl);
    }
    try {
      NewMemory.Builder b = NewMemory.builder(body.identifier(), body.fact());
      if (body.importance() != null) {
        b.importance(body.importance());
      }
      if (body.metadata() != null) {
        b.metadata(body.metadata());
      }
      return b.namespace(body.namespace())
          .kind(body.kind())
          .category(body.category())
          .scope(body.scope())
          .source(body.source())
          .context(body.context())
          .ttl(ttl == null ? null : Duration.ofSeconds(ttl))
          .build();
    } catch (HotMemException.InvalidRequest e) {
      String field = "content".equals(e.field()) ? "fact" : e.field();
      String message = e.getMessage();
      if (e.field() != null && message.startsWith(e.field() + ": ")) {
        message = message.substring(e.field().length() + 2);
      }
      throw ApiError.invalid(field == null ? null : prefix + field, message);
    }
  }

  private void search(Context ctx) throws IOException {
    Requests.Search body = Bodies.parseRequired(body(ctx), Requests.Search.class);
    MemoryFilter filter =
        MemoryFilter.builder()
            .namespace(body.namespace())
            .identifier(body.identifier())
            .category(body.category())
            .kind(body.kind())
            .scope(body.scope())
            .statuses(statuses(body.status()))
            .createdAfter(body.createdAfter())
            .createdBefore(body.createdBefore())
            .build();
    RecallQuery query =
        RecallQuery.builder(body.query())
            .topK(body.topK() == null ? RecallQuery.DEFAULT_TOP_K : body.topK())
            .maxChars(body.maxChars())
            .maxTokens(body.maxTokens())
            .minScore(body.minScore() == null ? 0.0 : body.minScore())
            .filter(filter)
            .build();
    RecallResult result = hotMem.recall(query);
    answer(
        ctx,
        200,
        g -> {
          g.writeArrayFieldStart("memories");
          for (MemoryMessage m : result.memories()) {
            g.writeObject(m);
          }
          g.writeEndArray();
          g.writeNumberField("count", result.count());
          g.writeNumberField("omitted", result.omitted());
        });
  }

  private static EnumSet<MemoryStatus> statuses(List<MemoryStatus> given) {
    if (given == null || given.isEmpty()) {
      return null;
    }
    if (given.contains(null)) {
      throw ApiError.invalid("status", "must not contain null");
    }
    return EnumSet.copyOf(given);
  }

  private void list(Context ctx) throws IOException {
    MemoryFilter filter =
        MemoryFilter.builder()
            .namespace(ctx.queryParam("namespace"))
            .identifier(ctx.queryParam("identifier"))
            .build();
    int limit = (int) queryLong(ctx, "limit", ListQuery.DEFAULT_LIMIT);
    long offset = queryLong(ctx, "offset", 0);
    MemoryPage page = hotMem.list(new ListQuery(filter, limit, offset, order(ctx)));
    answer(
        ctx,
        200,
        g -> {
          g.writeArrayFieldStart("memories");
          for (Memory m : page.memories()) {
            g.writeStartObject();
            Responses.memory(g, m);
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeNumberField("count", page.count());
          g.writeNumberField("total", page.total());
          g.writeNumberField("offset", page.offset());
          g.writeNumberField("limit", page.limit());
        });
  }

  private static long queryLong(Context ctx, String name, long fallback) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw.trim());
      if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
        throw ApiError.invalid(name, "is out of range; found " + raw);
      }
      return value;
    } catch (NumberFormatException e) {
      throw ApiError.invalid(name, "expected an integer; found " + abbreviate(raw));
    }
  }

  private static SortOrder order(Context ctx) {
    String raw = ctx.queryParam("order");
    if (raw == null) {
      return SortOrder.DESC;
    }
    switch (raw.trim().toLowerCase(Locale.ROOT)) {
      case "asc":
        return SortOrder.ASC;
      case "desc":
        return SortOrder.DESC;
      default:
        throw ApiError.invalid("order", "expected asc or desc; found " + abbreviate(raw));
    }
  }

  private void get(Context ctx) throws IOException {
    Memory memory = hotMem.get(ctx.pathParam("id"));
    answer(ctx, 200, g -> Responses.memory(g, memory));
  }

  private void update(Context ctx) throws IOException {
    Requests.Update body = Bodies.parseRequired(body(ctx), Requests.Update.class);
    MemoryUpdate update = new MemoryUpdate(body.importance(), body.metadata(), body.category());
    Memory memory = hotMem.update(ctx.pathParam("id"), update);
    answer(ctx, 200, g -> Responses.memory(g, memory));
  }

  private void delete(Context ctx) throws IOException {
    String id = ctx.pathParam("id");
    String raw = ctx.queryParam("purge");
    boolean purge;
    if (raw == null || raw.equalsIgnoreCase("false")) {
      purge = false;
    } else if (raw.equalsIgnoreCase("true")) {
      purge = true;
    } else {
      throw ApiError.invalid("purge", "expected true or false; found " + abbreviate(raw));
    }
    if (purge) {
      hotMem.purge(id);
    } else {
      hotMem.forget(id);
    }
    answer(
        ctx,
        200,
        g -> {
          g.writeStringField("memory_id", id);
          g.writeStringField("status", purge ? "purged" : "forgotten");
        });
  }

  private void hydrate(Context ctx) throws IOException {
    Requests.Hydrate body = Bodies.parse(body(ctx), Requests.Hydrate.class);
    Path file = swapPaths.resolve(body == null ? null : body.file());
    boolean skipBad = body != null && Boolean.TRUE.equals(body.skipBad());
    HydrateResult done;
    try {
      done = hotMem.hydrate(file, HydrateOptions.defaults().withSkipBad(skipBad));
    } catch (HotMemException.InvalidRequest e) {
      // The file is there but a line of it is malformed: the request was fine, the content not.
      throw new ApiError(422, e.errorCode().code(), e.field(), e.getMessage());
    }
    answer(
        ctx,
        200,
        g -> {
          g.writeNumberField("loaded", done.loaded());
          g.writeNumberField("skipped_dupes", done.skippedDupes());
          g.writeNumberField("skipped_bad", done.skippedBad());
          g.writeStringField("path", file.toString());
        });
  }

  private void snapshot(Context ctx) throws IOException {
    Requests.Snapshot body = Bodies.parse(body(ctx), Requests.Snapshot.class);
    Path file = swapPaths.resolve(body == null ? null : body.file());
    boolean embeddings = body == null || !Boolean.FALSE.equals(body.includeEmbeddings());
    Path parent = file.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    SnapshotResult done =
        hotMem.snapshot(file, SnapshotOptions.defaults().withIncludeEmbeddings(embeddings));
    answer(
        ctx,
        200,
        g -> {
          g.writeNumberField("exported", done.exported());
          g.writeStringField("path", done.path().toString());
        });
  }

  private void openApi(Context ctx) throws IOException {
    ctx.res().setStatus(200);
    ctx.res().setContentType(Responses.JSON);
    ctx.res().setContentLength(openApi.length);
    ctx.res().getOutputStream().write(openApi);
  }

  private byte[] body(Context ctx) throws IOException {
    return Bodies.read(ctx.req(), maxBodyBytes);
  }

  private static void answer(Context ctx, int status, Responses.Fields fields) throws IOException {
    Responses.json(ctx.req(), ctx.res(), status, fields);
  }

  private static String abbreviate(String raw) {
    return raw.length() > 40 ? raw.substring(0, 40) + "…" : raw;
  }

  /** Reads a classpath resource whole; a missing one is a packaging bug. */
  static byte[] resource(String name) {
    try (InputStream in = Api.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

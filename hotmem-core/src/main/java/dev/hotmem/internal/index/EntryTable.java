package dev.hotmem.internal.index;

import dev.hotmem.MemoryStatus;
import dev.hotmem.index.VectorEntry;
import dev.hotmem.index.VectorFilter;
import dev.hotmem.index.VectorHit;
import io.github.jbellis.jvector.graph.RandomAccessVectorValues;
import io.github.jbellis.jvector.vector.VectorUtil;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * The entries of a {@link JVectorIndex} by graph ordinal: key, vector, namespace, identifier and
 * status, plus the per-namespace and per-identifier groups that let a search count and enumerate
 * the entries a filter can match. Not thread-safe: the index's lock guards it.
 */
final class EntryTable {
  static {
    Simd.quietJVector();
  }

  static final VectorTypeSupport VTS = VectorizationProvider.getInstance().getVectorTypeSupport();

  private static final int STATUSES = MemoryStatus.values().length;

  private final int dimension;
  private long[] keys = new long[64];
  private VectorFloat<?>[] vectors = new VectorFloat<?>[64];
  private int[] namespaceOf = new int[64];
  private int[] identifierOf = new int[64];
  private byte[] statusOf = new byte[64];
  private int upper;
  private int live;
  private final LongIntHashMap ordinals = new LongIntHashMap();
  private final Map<String, Integer> namespaceIds = new HashMap<>();
  private final List<String> namespaces = new ArrayList<>();
  private final Map<String, Integer> identifierIds = new HashMap<>();
  private final List<String> identifiers = new ArrayList<>();
  private final List<Group> namespaceGroups = new ArrayList<>();
  private final Map<Long, Group> identifierGroups = new HashMap<>();
  private long maxKey;
  private boolean anyKeyAdded;
  private final RandomAccessVectorValues values = new Values();

  EntryTable(int dimension) {
    this.dimension = dimension;
  }

  int dimension() {
    return dimension;
  }

  /** Live entries. */
  int size() {
    return live;
  }

  /** One more than the largest ordinal ever handed out. */
  int upper() {
    return upper;
  }

  long maxKey() {
    return maxKey;
  }

  /** Raises {@link #maxKey} to {@code key}: keys another index held, since removed. */
  void raiseMaxKey(long key) {
    if (anyKeyAdded) {
      maxKey = Math.max(maxKey, key);
    } else if (key != 0) {
      maxKey = key;
      anyKeyAdded = true;
    }
  }

  /** The live ordinal of {@code key}, or -1. */
  int ordinalOf(long key) {
    return ordinals.get(key);
  }

  boolean isLive(int ordinal) {
    return statusOf[ordinal] >= 0;
  }

  long key(int ordinal) {
    return keys[ordinal];
  }

  VectorFloat<?> vector(int ordinal) {
    return vectors[ordinal];
  }

  RandomAccessVectorValues vectorValues() {
    return values;
  }

  void checkVector(String name, float[] vector) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException(
          name + " dimension: expected " + dimension + ", found " + vector.length);
    }
    for (int d = 0; d < vector.length; d++) {
      if (!Float.isFinite(vector[d])) {
        throw new IllegalArgumentException(
            name + "[" + d + "]: expected a finite value, found " + vector[d]);
      }
    }
  }

  /**
   * Whether the live entry at {@code ordinal} has {@code entry}'s vector, namespace, identifier.
   */
  boolean sameVectorAndGroup(int ordinal, VectorEntry entry) {
    if (!namespaces.get(namespaceOf[ordinal]).equals(entry.namespace())
        || !identifiers.get(identifierOf[ordinal]).equals(entry.identifier())) {
      return false;
    }
    VectorFloat<?> v = vectors[ordinal];
    float[] w = entry.vector();
    for (int d = 0; d < dimension; d++) {
      if (Float.floatToIntBits(v.get(d)) != Float.floatToIntBits(w[d])) {
        return false;
      }
    }
    return true;
  }

  /** Stores {@code entry} (whose key is not live) under a new ordinal, which it returns. */
  int add(VectorEntry entry) {
    int ordinal = newOrdinal();
    int ns = intern(namespaceIds, namespaces, entry.namespace());
    int id = intern(identifierIds, identifiers, entry.identifier());
    place(ordinal, entry.key(), VTS.createFloatVector(entry.vector()), ns, id, entry.status());
    return ordinal;
  }

  private void place(
      int ordinal, long key, VectorFloat<?> vector, int ns, int id, MemoryStatus status) {
    keys[ordinal] = key;
    vectors[ordinal] = vector;
    namespaceOf[ordinal] = ns;
    identifierOf[ordinal] = id;
    statusOf[ordinal] = (byte) status.ordinal();
    namespaceGroup(ns).add(ordinal, status.ordinal());
    identifierGroup(ns, id).add(ordinal, status.ordinal());
    ordinals.put(key, ordinal);
    live++;
    maxKey = anyKeyAdded ? Math.max(maxKey, key) : key;
    anyKeyAdded = true;
  }

  private int newOrdinal() {
    if (upper == keys.length) {
      int n = keys.length * 2;
      keys = Arrays.copyOf(keys, n);
      vectors = Arrays.copyOf(vectors, n);
      namespaceOf = Arrays.copyOf(namespaceOf, n);
      identifierOf = Arrays.copyOf(identifierOf, n);
      statusOf = Arrays.copyOf(statusOf, n);
    }
    return upper++;
  }

  /** The status of a live ordinal. */
  MemoryStatus status(int ordinal) {
    return MemoryStatus.values()[statusOf[ordinal]];
  }

  void setStatus(int ordinal, MemoryStatus status) {
    int old = statusOf[ordinal];
    int ns = namespaceOf[ordinal];
    int id = identifierOf[ordinal];
    namespaceGroups.get(ns).move(old, status.ordinal());
    identifierGroups.get(groupKey(ns, id)).move(old, status.ordinal());
    statusOf[ordinal] = (byte) status.ordinal();
  }

  /** Retires a live ordinal: its key is free, it matches no filter; its vector stays. */
  void kill(int ordinal) {
    int status = statusOf[ordinal];
    int ns = namespaceOf[ordinal];
    statusOf[ordinal] = JVectorIndex.DEAD;
    namespaceGroups.get(ns).retired(status, statusOf);
    identifierGroups.get(groupKey(ns, identifierOf[ordinal])).retired(status, statusOf);
    ordinals.remove(keys[ordinal]);
    live--;
  }

  /** Drops the vector of a retired ordinal that the graph no longer holds. */
  void releaseVector(int ordinal) {
    vectors[ordinal] = null;
  }

  void clear() {
    keys = new long[0];
    vectors = new VectorFloat<?>[0];
    namespaceOf = new int[0];
    identifierOf = new int[0];
    statusOf = new byte[0];
    upper = 0;
    live = 0;
    namespaceGroups.clear();
    identifierGroups.clear();
  }

  // ---------------------------------------------------------------- filtering

  /** What a filter selects, or null if it names a namespace or identifier never stored. */
  Selection select(VectorFilter filter) {
    Integer ns = namespaceIds.get(filter.namespace());
    if (ns == null) {
      return null;
    }
    int statusMask = 0;
    for (MemoryStatus status : filter.statuses()) {
      statusMask |= 1 << status.ordinal();
    }
    if (filter.identifier() == null) {
      return new Selection(ns, -1, statusMask, filter.allowedKeys(), namespaceGroups.get(ns));
    }
    Integer id = identifierIds.get(filter.identifier());
    Group group = id == null ? null : identifierGroups.get(groupKey(ns, id));
    if (group == null) {
      return null;
    }
    return new Selection(ns, id, statusMask, filter.allowedKeys(), group);
  }

  /** The entries of a filter: a group to scan, and the test every returned entry passes. */
  final class Selection {
    private final int namespace;
    private final int identifier;
    private final int statusMask;
    private final LongPredicate allowedKeys;
    private final Group group;

    private Selection(
        int namespace, int identifier, int statusMask, LongPredicate allowedKeys, Group group) {
      this.namespace = namespace;
      this.identifier = identifier;
      this.statusMask = statusMask;
      this.allowedKeys = allowedKeys;
      this.group = group;
    }

    /** Live entries of the group in an accepted status: the count if there is no key predicate. */
    int estimate() {
      return group.count(statusMask);
    }

    boolean accepts(int ordinal) {
      if (ordinal < 0 || ordinal >= upper) {
        return false;
      }
      int status = statusOf[ordinal];
      return status >= 0
          && (statusMask & (1 << status)) != 0
          && namespaceOf[ordinal] == namespace
          && (identifier < 0 || identifierOf[ordinal] == identifier)
          && (allowedKeys == null || allowedKeys.test(keys[ordinal]));
    }
  }

  /** The best {@code k} accepted entries by exact cosine, best first, ties by ascending key. */
  List<VectorHit> exactSearch(VectorFloat<?> query, int k, Selection selection) {
    TopHits top = new TopHits(k);
    Group group = selection.group;
    int[] members = group.members;
    for (int i = 0; i < group.length; i++) {
      int ordinal = members[i];
      if (selection.accepts(ordinal)) {
        float cosine = VectorUtil.dotProduct(query, vectors[ordinal]);
        long key = keys[ordinal];
        if (cosine > top.bar() || (cosine == top.bar() && top.beatsWorstOnTie(key))) {
          top.offer(cosine, key);
        }
      }
    }
    return top.drainBestFirst();
  }

  // ---------------------------------------------------------------- groups

  private Group namespaceGroup(int ns) {
    while (namespaceGroups.size() <= ns) {
      namespaceGroups.add(new Group());
    }
    return namespaceGroups.get(ns);
  }

  private Group identifierGroup(int ns, int id) {
    return identifierGroups.computeIfAbsent(groupKey(ns, id), k -> new Group());
  }

  private static long groupKey(int ns, int id) {
    return ((long) ns << 32) | (id & 0xFFFFFFFFL);
  }

  private static int intern(Map<String, Integer> ids, List<String> names, String value) {
    Integer id = ids.get(value);
    if (id == null) {
      id = names.size();
      ids.put(value, id);
      names.add(value);
    }
    return id;
  }

  /**
   * The ordinals of one namespace or one (namespace, identifier), with live counts by status.
   * Retired ordinals stay in the list until they are half of it, then it is compacted.
   */
  static final class Group {
    int[] members = new int[4];
    int length;
    private final int[] liveByStatus = new int[STATUSES];
    private int stale;

    void add(int ordinal, int status) {
      if (length == members.length) {
        members = Arrays.copyOf(members, length * 2);
      }
      members[length++] = ordinal;
      liveByStatus[status]++;
    }

    void move(int from, int to) {
      liveByStatus[from]--;
      liveByStatus[to]++;
    }

    /** One member was retired; it stays listed until half the list is retired. */
    void retired(int status, byte[] statusOf) {
      liveByStatus[status]--;
      stale++;
      if (stale > 32 && stale * 2 > length) {
        int kept = 0;
        for (int i = 0; i < length; i++) {
          if (statusOf[members[i]] >= 0) {
            members[kept++] = members[i];
          }
        }
        length = kept;
        stale = 0;
      }
    }

    int count(int statusMask) {
      int n = 0;
      for (int s = 0; s < STATUSES; s++) {
        if ((statusMask & (1 << s)) != 0) {
          n += liveByStatus[s];
        }
      }
      return n;
    }
  }

  /** The vectors by ordinal, for JVector; a retired ordinal keeps its vector until released. */
  private final class Values implements RandomAccessVectorValues {
    @Override
    public int size() {
      return upper;
    }

    @Override
    public int dimension() {
      return dimension;
    }

    @Override
    public VectorFloat<?> getVector(int ordinal) {
      return vectors[ordinal];
    }

    @Override
    public boolean isValueShared() {
      return false;
    }

    @Override
    public RandomAccessVectorValues copy() {
      return this;
    }
  }

  // ---------------------------------------------------------------- persistence

  /** Writes every live entry (the index has no retired ordinal left in its graph). */
  void writeTo(DataOutput out) throws IOException {
    out.writeInt(dimension);
    out.writeInt(upper);
    out.writeInt(live);
    out.writeBoolean(anyKeyAdded);
    out.writeLong(maxKey);
    writeNames(out, namespaces);
    writeNames(out, identifiers);
    ByteBuffer buffer = ByteBuffer.allocate(dimension * Float.BYTES);
    for (int ordinal = 0; ordinal < upper; ordinal++) {
      int status = statusOf[ordinal];
      out.writeByte(status);
      if (status >= 0) {
        out.writeLong(keys[ordinal]);
        out.writeInt(namespaceOf[ordinal]);
        out.writeInt(identifierOf[ordinal]);
        buffer.clear();
        VectorFloat<?> v = vectors[ordinal];
        for (int d = 0; d < dimension; d++) {
          buffer.putFloat(v.get(d));
        }
        out.write(buffer.array());
      }
    }
  }

  /**
   * Reads what {@link #writeTo} wrote.
   *
   * @throws IOException if the content is inconsistent (a checksum passed, so this means a bug or a
   *     file written by another format)
   */
  static EntryTable readFrom(DataInput in, int expectedDimension) throws IOException {
    int dimension = in.readInt();
    if (dimension != expectedDimension) {
      throw new IOException(
          "entry dimension: expected " + expectedDimension + ", found " + dimension);
    }
    EntryTable table = new EntryTable(dimension);
    int upper = in.readInt();
    int live = in.readInt();
    if (upper < 0 || live < 0 || live > upper) {
      throw new IOException("entry counts: found upper " + upper + ", live " + live);
    }
    table.anyKeyAdded = in.readBoolean();
    table.maxKey = in.readLong();
    List<String> namespaces = readNames(in);
    List<String> identifiers = readNames(in);
    for (String name : namespaces) {
      intern(table.namespaceIds, table.namespaces, name);
    }
    for (String name : identifiers) {
      intern(table.identifierIds, table.identifiers, name);
    }
    byte[] bytes = new byte[dimension * Float.BYTES];
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    for (int ordinal = 0; ordinal < upper; ordinal++) {
      int expected = table.newOrdinal();
      byte status = in.readByte();
      if (status < 0) {
        table.statusOf[expected] = JVectorIndex.DEAD;
        continue;
      }
      if (status >= STATUSES) {
        throw new IOException("entry " + ordinal + " status: found " + status);
      }
      long key = in.readLong();
      int ns = in.readInt();
      int id = in.readInt();
      if (ns < 0 || ns >= namespaces.size() || id < 0 || id >= identifiers.size()) {
        throw new IOException("entry " + ordinal + ": namespace or identifier out of range");
      }
      in.readFully(bytes);
      buffer.clear();
      float[] v = new float[dimension];
      for (int d = 0; d < dimension; d++) {
        v[d] = buffer.getFloat();
      }
      if (table.ordinals.get(key) >= 0) {
        throw new IOException("entry " + ordinal + ": key " + key + " appears twice");
      }
      table.place(expected, key, VTS.createFloatVector(v), ns, id, MemoryStatus.values()[status]);
    }
    if (table.live != live) {
      throw new IOException("live entries: expected " + live + ", found " + table.live);
    }
    return table;
  }

  private static void writeNames(DataOutput out, List<String> names) throws IOException {
    out.writeInt(names.size());
    for (String name : names) {
      byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
      out.writeInt(utf8.length);
      out.write(utf8);
    }
  }

  private static List<String> readNames(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("name count: found " + n);
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int length = in.readInt();
      if (length < 0 || length > 1 << 20) {
        throw new IOException("name length: found " + length);
      }
      byte[] utf8 = new byte[length];
      in.readFully(utf8);
      names.add(new String(utf8, StandardCharsets.UTF_8));
    }
    return names;
  }
}

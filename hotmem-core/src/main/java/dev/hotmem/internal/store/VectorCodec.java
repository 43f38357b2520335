package dev.hotmem.internal.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Embeddings on disk: float32, little-endian, no header (model and dimension live in columns). */
public final class VectorCodec {
  private VectorCodec() {}

  public static byte[] encode(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return b.array();
  }

  /**
   * Decodes a blob of exactly {@code dimension} floats.
   *
   * @throws IllegalArgumentException if the blob has another length
   */
  public static float[] decode(byte[] blob, int dimension) {
    if (blob == null || blob.length != dimension * Float.BYTES) {
      throw new IllegalArgumentException(
          "expected a vector of "
              + dimension * Float.BYTES
              + " bytes, found "
              + (blob == null ? "none" : blob.length + " bytes"));
    }
    float[] v = new float[dimension];
    ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }

  /**
   * L2-normalises {@code v} in place; a zero vector stays zero.
   *
   * @return false if {@code v} holds a NaN or infinity
   */
  public static boolean normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      if (!Float.isFinite(x)) {
        return false;
      }
      sum += (double) x * x;
    }
    if (sum > 0) {
      float inv = (float) (1.0 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return true;
  }
}

package dev.hotmem.internal.swap;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file others will read so that they see either the old file or the whole new one, never a
 * torn one, even across a crash: the content goes to a temporary file in the same folder, is
 * fsynced, then renamed over the target, and the folder is fsynced so the rename itself is durable.
 */
public final class AtomicFile {
  /** Writes the content of a file to a stream. */
  @FunctionalInterface
  public interface Body<T> {
    T writeTo(OutputStream out) throws IOException;
  }

  private AtomicFile() {}

  /** Writes {@code target} atomically with what {@code body} writes; returns what it returns. */
  public static <T> T write(Path target, Body<T> body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp =
        dir.resolve(
            "."
                + target.getFileName()
                + ".tmp-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    boolean done = false;
    try {
      T result;
      try (FileChannel ch =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream raw = Channels.newOutputStream(ch);
        // The body may close what it wraps around the stream (a gzip stream must be closed to
        // finish); the channel stays open until it is forced.
        result =
            body.writeTo(
                new FilterOutputStream(raw) {
                  @Override
                  public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                  }

                  @Override
                  public void close() throws IOException {
                    flush();
                  }
                });
        ch.force(true);
      }
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
      syncDirectory(dir);
      return result;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static void syncDirectory(Path dir) {
    // Linux and macOS allow fsync on a directory opened for reading; Windows does not open
    // directories at all, and its rename is durable through NTFS's own journal.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort: the file itself is already durable
    }
  }
}

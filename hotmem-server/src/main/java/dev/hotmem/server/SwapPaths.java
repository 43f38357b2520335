package dev.hotmem.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Confines the files {@code hydrate} and {@code snapshot} may touch to one folder. A requested path
 * is resolved against the root and normalised; it is refused when it climbs out with {@code ..},
 * names an absolute path elsewhere, or goes through a symbolic link (of the file or of any existing
 * folder above it) whose target is outside the root. The answer is the real path to use.
 */
final class SwapPaths {
  private final Path root;
  private final Path defaultFile;

  /**
   * @param root an existing folder
   * @param defaultFile used when a request names no file; may be null
   */
  SwapPaths(Path root, Path defaultFile) throws IOException {
    this.root = root.toRealPath();
    this.defaultFile = defaultFile;
  }

  Path root() {
    return root;
  }

  /**
   * The file to use for {@code requested} (null = the default swap file).
   *
   * @throws ApiError 400 with field {@code file} when the path is refused
   */
  Path resolve(String requested) {
    if (requested == null) {
      if (defaultFile == null) {
        throw ApiError.invalid("file", "is required: this server has no default swap file");
      }
      return defaultFile;
    }
    if (requested.isBlank()) {
      throw ApiError.invalid("file", "must not be empty");
    }
    Path asked;
    try {
      asked = Path.of(requested);
    } catch (InvalidPathException e) {
      throw ApiError.invalid("file", "is not a valid path");
    }
    Path candidate = (asked.isAbsolute() ? asked : root.resolve(asked)).normalize();
    if (!candidate.startsWith(root) || candidate.equals(root)) {
      throw outside(requested);
    }
    Path real = realPath(candidate, requested);
    if (Files.isDirectory(real)) {
      throw ApiError.invalid("file", "is a directory: " + requested);
    }
    return real;
  }

  /** Follows every link that exists on the way and re-checks the result against the root. */
  private Path realPath(Path candidate, String requested) {
    Path existing = candidate;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw outside(requested);
    }
    Path real;
    try {
      real = existing.toRealPath();
    } catch (IOException e) {
      // A dangling link, or a folder we may not read: either way not a place to use.
      throw ApiError.invalid("file", "cannot be resolved: " + requested);
    }
    if (!real.startsWith(root)) {
      throw outside(requested);
    }
    return real.resolve(existing.relativize(candidate));
  }

  private static ApiError outside(String requested) {
    return ApiError.invalid(
        "file", "must be a file inside the server's file root; refused " + requested);
  }
}

package dev.hotmem.internal.search;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A real in-memory SQLite FTS5 table created with {@link FtsQuery#TOKENIZER}, shaped like the
 * engine's (content and identifier columns), to run {@link FtsQuery} expressions against.
 */
final class Fts5TestTable implements AutoCloseable {
  private final Connection connection;
  private final PreparedStatement insert;

  Fts5TestTable() throws SQLException {
    connection = DriverManager.getConnection("jdbc:sqlite::memory:");
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE VIRTUAL TABLE t USING fts5(content, identifier, tokenize='"
              + FtsQuery.TOKENIZER
              + "')");
    }
    insert = connection.prepareStatement("INSERT INTO t(content, identifier) VALUES (?, ?)");
  }

  /** Inserts a row and returns its rowid. */
  long insert(String content, String identifier) throws SQLException {
    insert.setString(1, content);
    insert.setString(2, identifier);
    insert.executeUpdate();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("SELECT last_insert_rowid()")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * The rowids {@code expression} matches, best first; any FTS5 error is thrown. A new statement
   * each time, so that one failed query cannot leave a broken statement behind for the next.
   */
  List<Long> match(String expression) throws SQLException {
    List<Long> rowids = new ArrayList<>();
    try (PreparedStatement match =
        connection.prepareStatement("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank")) {
      match.setString(1, expression);
      try (ResultSet rs = match.executeQuery()) {
        while (rs.next()) {
          rowids.add(rs.getLong(1));
        }
      }
    }
    return rowids;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}

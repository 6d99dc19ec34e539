package dev.splitter.model;

import org.apiguardian.api.API;

/**
 * A place in a configuration file.
 *
 * @param line 1-based line
 * @param column 1-based column
 */
@API(status = API.Status.STABLE)
public record SourcePosition(int line, int column) {

  public SourcePosition {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column are 1-based, got " + line + ":" + column);
    }
  }
}

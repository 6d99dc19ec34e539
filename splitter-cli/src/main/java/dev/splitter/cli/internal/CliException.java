package dev.splitter.cli.internal;

import dev.splitter.SplitterException;
import org.apiguardian.api.API;

/** A failure the command reports as one line and exit code 1. */
@API(status = API.Status.INTERNAL)
public final class CliException extends SplitterException {
  private static final long serialVersionUID = 1L;

  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}

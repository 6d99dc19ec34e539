package dev.splitter.local;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Stops a server a test started (Moto, Prometheus, a browser's driver) once the test's JVM is gone,
 * even if it was killed with SIGKILL and ran no shutdown hook: {@code tools/reap-orphan.sh} watches
 * both and stops the server, and what the server started, when the JVM has gone. A test still stops
 * its servers itself; this is for the paths where it cannot.
 */
public final class OrphanReaper {
  private OrphanReaper() {}

  /** Has {@code server} stopped when this JVM exits, however it exits. */
  public static void watch(Process server) {
    try {
      new ProcessBuilder(
              "bash",
              "../tools/reap-orphan.sh",
              Long.toString(ProcessHandle.current().pid()),
              Long.toString(server.pid()))
          .start();
    } catch (IOException e) {
      server.destroyForcibly();
      throw new UncheckedIOException("could not start tools/reap-orphan.sh", e);
    }
  }
}

package example;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs a program and fails if any library wrote to stderr: splitter is quiet by default. */
final class Quiet {
  interface Program {
    void run() throws Exception;
  }

  static void check(Program program) throws Exception {
    PrintStream stderr = System.err;
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    System.setErr(new PrintStream(written, true, StandardCharsets.UTF_8));
    try {
      program.run();
    } finally {
      System.setErr(stderr);
    }
    if (written.size() > 0) {
      throw new AssertionError("a library wrote to stderr:\n" + written.toString(StandardCharsets.UTF_8));
    }
    System.out.println("OK: nothing written to stderr");
  }
}

package example;

import dev.splitter.cli.SplitterCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** splitter-cli as a library: validate a file and print the schema in this process. */
public final class CliUse {
  public static void main(String[] args) throws Exception {
    Quiet.check(CliUse::run);
  }

  static void run() throws Exception {
    Path file = java.nio.file.Files.createTempFile("cortex", ".yaml");
    try {
      java.nio.file.Files.writeString(file, Files.CORTEX_YAML);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      SplitterCli cli = new SplitterCli(new PrintWriter(out), new PrintWriter(err), Map.of());
      int code = cli.run("validate", file.toString());
      if (code != 0 || cli.run("schema") != 0) {
        throw new AssertionError("splitter validate exited " + code + ": " + err);
      }
      System.out.print("cli: " + out.toString().lines().findFirst().orElseThrow() + "\n");
    } finally {
      java.nio.file.Files.delete(file);
    }
  }
}

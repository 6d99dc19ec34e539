package dev.splitter.cli.internal;

import dev.splitter.cli.SplitterCli;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * What the launcher runs once, in a JVM that writes a class-data archive at its exit: every
 * command's quick path (help, version, validate, an offline plan, schema, the failures of get and
 * delete with nothing to ask), so that the archive holds the classes of all of them rather than of
 * whichever command ran first. Prints nothing; touches only a temporary home it removes.
 */
@API(status = API.Status.INTERNAL)
public final class CdsTraining {
  private static final List<String> COMMANDS =
      List.of(
          "validate", "deploy", "get", "delete", "rollout", "assign", "serve", "demo", "schema");

  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    Path home = Files.createTempDirectory("splitter-training");
    try {
      Path file = home.resolve("cortex.yaml");
      try (InputStream example =
          CdsTraining.class.getResourceAsStream("/dev/splitter/cli/demo/cortex.yaml")) {
        if (example == null) {
          throw new IllegalStateException("the example is missing from the jar");
        }
        Files.copy(example, file);
      }
      PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
      SplitterCli cli =
          new SplitterCli(
              nowhere,
              nowhere,
              Map.of(
                  "SPLITTER_HOME", home.toString(),
                  "SPLITTER_CONFIG", home.resolve("environments.yaml").toString(),
                  "HOME", home.toString()));
      cli.run("--version");
      cli.run("--help");
      for (String command : COMMANDS) {
        cli.run(command, "--help");
      }
      cli.run("validate", file.toString());
      cli.run("validate", "-o", "json", file.toString());
      cli.run("deploy", "--dry-run", file.toString());
      cli.run("schema");
      cli.run("get");
      cli.run("delete", "traffic-splitter");
      cli.run("nosuch");
    } finally {
      try (Stream<Path> files = Files.walk(home)) {
        files.sorted(Comparator.reverseOrder()).forEach(CdsTraining::delete);
      }
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

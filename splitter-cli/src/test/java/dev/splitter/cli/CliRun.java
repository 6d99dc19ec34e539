package dev.splitter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** One in-process run of the command: its exit code and what it printed. */
record CliRun(int code, String out, String err) {

  /** Runs {@code splitter ARGS} with its home (and environments file) in {@code home}. */
  static CliRun run(Path home, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env =
        Map.of(
            "SPLITTER_HOME", home.toString(),
            "SPLITTER_CONFIG", home.resolve("environments.yaml").toString(),
            "HOME", home.toString());
    int code =
        new SplitterCli(new PrintWriter(out, true), new PrintWriter(err, true), env).run(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}

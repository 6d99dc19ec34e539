package dev.splitter.cli;

import dev.splitter.cli.internal.Cli;
import dev.splitter.cli.internal.RootCommand;
import dev.splitter.cli.internal.ValidatorWarmUp;
import dev.splitter.cli.internal.Version;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * The {@code splitter} command: {@code validate}, {@code deploy}, {@code get}, {@code delete},
 * {@code serve} and {@code demo}. Exit codes: 0 done, 1 invalid configuration or failed operation,
 * 2 wrong usage.
 *
 * <p>{@link #run} runs one command line in this process, printing where it is told, so tools and
 * tests can call it without a subprocess.
 */
@API(status = API.Status.STABLE)
public final class SplitterCli {
  private final Cli cli;

  /**
   * @param out where results go
   * @param err where errors and warnings go
   * @param env the environment variables to honour ({@code SPLITTER_HOME}, {@code SPLITTER_CONFIG},
   *     {@code HOME})
   */
  public SplitterCli(PrintWriter out, PrintWriter err, Map<String, String> env) {
    this.cli = new Cli(out, err, env, Clock.systemUTC());
  }

  /** Runs {@code splitter ARGS...} and exits with its code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(new SplitterCli(out, err, System.getenv()).run(args));
  }

  /**
   * Runs one command line.
   *
   * @return the exit code
   */
  public int run(String... args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // Without picocli, whose model of the root command is most of --version's start-up.
      return version();
    }
    if (args.length > 1 && (args[0].equals("validate") || args[0].equals("deploy"))) {
      ValidatorWarmUp.start();
    }
    return RootCommand.commandLine(cli, args).execute(args);
  }

  private int version() {
    try {
      for (String line : Version.lines()) {
        cli.out().println(line);
      }
      cli.out().flush();
      return 0;
    } catch (IOException e) {
      cli.err().println("error: the version could not be read: " + e.getMessage());
      cli.err().flush();
      return 1;
    }
  }
}

package dev.splitter.cli.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What every command shares: where it prints, the environment variables it honours, the splitter
 * home ({@code SPLITTER_HOME}, default {@code ~/.splitter}) and the environments file ({@code
 * SPLITTER_CONFIG}, default {@code environments.yaml} in the home).
 */
@API(status = API.Status.INTERNAL)
public final class Cli {
  private final PrintWriter out;
  private final PrintWriter err;
  private final Map<String, String> env;
  private final Clock clock;
  private boolean verbose;

  public Cli(PrintWriter out, PrintWriter err, Map<String, String> env, Clock clock) {
    this.out = out;
    this.err = err;
    this.env = Map.copyOf(env);
    this.clock = clock;
  }

  public PrintWriter out() {
    return out;
  }

  public PrintWriter err() {
    return err;
  }

  public Clock clock() {
    return clock;
  }

  public boolean verbose() {
    return verbose;
  }

  void verbose(boolean verbose) {
    this.verbose = verbose;
  }

  public Path home() {
    String home = env.get("SPLITTER_HOME");
    if (home != null) {
      return Path.of(home);
    }
    return Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".splitter");
  }

  Path environmentsFile() {
    String file = env.get("SPLITTER_CONFIG");
    return file != null ? Path.of(file) : home().resolve("environments.yaml");
  }

  /** The named environment, or the local serve without a name. */
  Environment environment(@Nullable String name) {
    return name == null ? Environment.LOCAL : Environments.load(environmentsFile(), name);
  }

  /** Opens where {@code --env} points: the local serve without it. */
  Backend open(@Nullable String environment) {
    return Backends.open(environment(environment), home(), clock);
  }

  /** Whether output goes to a terminal, for progress that rewrites its line. */
  @SuppressWarnings("SystemConsoleNull") // this code runs on Java 17, where null means no terminal
  boolean interactive() {
    return System.console() != null && !"dumb".equals(env.get("TERM"));
  }
}

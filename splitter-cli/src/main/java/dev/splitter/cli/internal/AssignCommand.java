package dev.splitter.cli.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.splitter.model.Assignment;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code splitter assign NAME KEY...}: the target (and bucket) of each key, as the splitter's
 * routes send a request carrying it; for joining outcomes to variants from your own logs.
 */
@Command(
    name = "assign",
    mixinStandardHelpOptions = true,
    description = {
      "Prints, for each key (a user id), its bucket and the target a request carrying it reaches:"
          + " KEY<TAB>BUCKET<TAB>TARGET, one line per key.",
      "The layout is the deployed splitter's (ask with --env, or the running serve), or with"
          + " --file that of the splitter deployed afresh from FILE, or with --buckets one saved"
          + " from get -o json (.assignment.buckets). Keys come from the arguments, or with"
          + " --keys from a file of one key per line (- for stdin)."
    })
final class AssignCommand implements Callable<Integer> {
  private final Cli cli;

  @Parameters(index = "0", paramLabel = "NAME", description = "The splitter.")
  String name;

  @Parameters(index = "1..*", paramLabel = "KEY", description = "Keys to assign.")
  List<String> keys = List.of();

  @Mixin EnvOption env;

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description =
          "Offline: the splitter NAME in this configuration file, laid out as a first deploy lays"
              + " it out (which a splitter of two targets keeps through every change).")
  @Nullable Path file;

  @Option(
      names = "--buckets",
      paramLabel = "LAYOUT",
      description = "Offline: a layout as get -o json shows it, e.g. 'my-api=0-4999 v2=5000-9999'.")
  @Nullable String buckets;

  @Option(
      names = "--keys",
      paramLabel = "FILE",
      description = "Read keys from this file, one per line; - reads standard input.")
  @Nullable String keysFile;

  AssignCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    if (file != null && buckets != null) {
      throw new CliException("give --file or --buckets, not both");
    }
    if (keys.isEmpty() && keysFile == null) {
      throw new CliException("give at least one KEY, or --keys FILE");
    }
    Assignment assignment = assignment();
    keys.forEach(key -> print(assignment, key));
    if (keysFile != null && keysFile.equals("-")) {
      // Standard input stays open: it is the process's, not this command's.
      printEach(assignment, new BufferedReader(new InputStreamReader(System.in, UTF_8)));
    } else if (keysFile != null) {
      try (BufferedReader lines = Files.newBufferedReader(Path.of(keysFile), UTF_8)) {
        printEach(assignment, lines);
      } catch (NoSuchFileException e) {
        throw new CliException("--keys: no such file: " + keysFile);
      }
    }
    cli.out().flush();
    return 0;
  }

  private void print(Assignment assignment, String key) {
    int bucket = Assignment.bucket(name, key);
    cli.out()
        .append(key)
        .append('\t')
        .append(Integer.toString(bucket))
        .append('\t')
        .append(assignment.ownerOf(bucket))
        .append('\n');
  }

  /** One line per key, read one at a time: a log of millions of users needs memory for one. */
  private void printEach(Assignment assignment, BufferedReader lines) throws IOException {
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      if (!line.isEmpty()) {
        print(assignment, line);
      }
    }
  }

  private Assignment assignment() throws IOException {
    if (buckets != null) {
      try {
        return Assignment.decode(name, buckets);
      } catch (IllegalArgumentException e) {
        throw new CliException("--buckets: " + e.getMessage());
      }
    }
    if (file != null) {
      SplitterConfig config =
          OfflineChecks.parse(SplitterConfig.readText(file), file.toString(), List.of());
      TrafficSplitter splitter =
          config.trafficSplitters().stream()
              .filter(candidate -> candidate.name().equals(name))
              .findFirst()
              .orElseThrow(() -> new CliException("no traffic splitter " + name + " in " + file));
      return Assignment.of(splitter);
    }
    try (Backend target = cli.open(env.name)) {
      Views.KeyAssignment deployed = target.get(name).view().assignment();
      if (deployed == null || deployed.buckets() == null) {
        String mode = deployed == null ? "random" : deployed.mode();
        throw new CliException(
            name
                + " keeps no bucket layout (assignment: "
                + mode
                + "): keys are assigned by bucket on the local gateway, and on Kubernetes with"
                + " bucket_header in the environment");
      }
      return Assignment.decode(name, deployed.buckets());
    }
  }
}

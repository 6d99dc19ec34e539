package dev.splitter.cli.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitter.cli.internal.Views.Rendered;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code splitter get [NAME]}: the reference page's tables, or JSON or YAML for scripts. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Shows a splitter: per target its weight, status, requested, last update, average request,"
          + " 2XX and 5XX; then last updated, endpoint and an example curl.",
      "Without NAME, lists the splitters."
    })
final class GetCommand implements Callable<Integer> {
  /** Accepted in any case: {@code -o json}. */
  enum Format {
    TABLE,
    JSON,
    YAML
  }

  private final Cli cli;

  @Parameters(paramLabel = "NAME", arity = "0..1", description = "The splitter.")
  @Nullable String name;

  @Mixin EnvOption env;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  Format format;

  GetCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    try (Backend target = cli.open(env.name)) {
      print(cli, format, name == null ? target.list() : target.get(name));
    }
    return 0;
  }

  /** A view as its table, or as JSON or YAML: what every command with {@code -o} prints. */
  static void print(Cli cli, Format format, Rendered<?> rendered) throws Exception {
    switch (format) {
      case TABLE -> cli.out().print(rendered.table());
      case JSON -> cli.out().println(pretty(Json.JSON, rendered.view()));
      case YAML -> cli.out().print(pretty(Json.YAML, rendered.view()));
    }
    cli.out().flush();
  }

  private static String pretty(ObjectMapper mapper, Object view) throws Exception {
    return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(view);
  }
}

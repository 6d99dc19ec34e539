package dev.splitter.cli.internal;

import dev.splitter.model.SplitterConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code splitter schema}: the JSON Schema of configuration files, for editors. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the JSON Schema (draft 2020-12) of configuration files, for editors that check YAML"
          + " as you type:",
      "  splitter schema > splitter.schema.json",
      "then start cortex.yaml with: # yaml-language-server: $schema=./splitter.schema.json"
    })
final class SchemaCommand implements Callable<Integer> {
  private final Cli cli;

  SchemaCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    cli.out().print(SplitterConfig.jsonSchema());
    cli.out().flush();
    return 0;
  }
}

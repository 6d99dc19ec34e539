package dev.splitter.cli.internal;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** {@code --env NAME}, shared by the commands that reach a backend. */
@API(status = API.Status.INTERNAL)
public final class EnvOption {
  @Option(
      names = "--env",
      paramLabel = "NAME",
      description =
          "An environment of ~/.splitter/environments.yaml (or $SPLITTER_CONFIG): local, istio,"
              + " gateway-api, alb or nlb, with its settings. Default: the local gateway of a running"
              + " `splitter serve`.")
  @Nullable String name;
}

package dev.splitter.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code splitter dashboard}: the address of the running serve's live dashboard. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the address of the live dashboard of the `splitter serve` running for this splitter"
          + " home: each splitter's targets, traffic per target over the last minutes, a rollout's"
          + " steps and gates, the shadow's agreement. Open it in a browser on this machine.",
      "The address carries the serve's token (like the admin endpoint, the dashboard answers only"
          + " with it); the page trades it for a cookie and drops it from the address bar."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:printed", "1:no serve is running", "2:wrong usage"})
final class DashboardCommand implements Callable<Integer> {
  private final Cli cli;

  DashboardCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    ServeInfo serve =
        ServeInfo.read(cli.home())
            .filter(ServeInfo::running)
            .orElseThrow(
                () ->
                    new CliException(
                        "no splitter serve is running for "
                            + cli.home()
                            + ": start one with `splitter serve FILE` (`splitter demo --rollout`"
                            + " prints a dashboard of its own)"));
    cli.out().println(DashboardPages.address(serve.admin(), serve.token()));
    cli.out().flush();
    return 0;
  }
}

package dev.splitter.cli.internal;

import dev.splitter.local.LocalCluster;
import dev.splitter.local.SampleApi;
import dev.splitter.model.RealtimeApi;
import dev.splitter.spi.Change;
import dev.splitter.spi.RealtimeApiDeployer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RealtimeAPIs a file defines, on the local gateway: splitter runs no model servers, so each is
 * either a URL given on the command line or, when asked, a sample server that answers with its
 * name.
 */
final class FileApis implements RealtimeApiDeployer, AutoCloseable {
  private final LocalCluster cluster;
  private final Map<String, URI> given;
  private final boolean startSamples;
  private final Map<String, URI> registered = new ConcurrentHashMap<>();
  private final List<SampleApi> samples = new ArrayList<>();

  /**
   * @param given the URL of each API named on the command line, registered at once
   * @param startSamples whether an API without a URL starts as a sample server
   */
  FileApis(LocalCluster cluster, Map<String, URI> given, boolean startSamples) {
    this.cluster = cluster;
    this.given = Map.copyOf(given);
    this.startSamples = startSamples;
    given.forEach(
        (name, uri) -> {
          cluster.registerApi(name, uri);
          registered.put(name, uri);
        });
  }

  @Override
  public synchronized Change deploy(RealtimeApi api) {
    if (registered.containsKey(api.name())) {
      return Change.UNCHANGED;
    }
    if (!startSamples) {
      throw new CliException(
          "RealtimeAPI "
              + api.name()
              + " has no URL: start serve with --api "
              + api.name()
              + "=http://HOST:PORT, or with --sample-apis");
    }
    SampleApi sample = SampleApi.start(api.name());
    samples.add(sample);
    cluster.registerApi(api.name(), sample.uri());
    registered.put(api.name(), sample.uri());
    return Change.CREATED;
  }

  Map<String, URI> given() {
    return given;
  }

  @Override
  public synchronized void close() {
    samples.forEach(SampleApi::close);
  }
}

package dev.splitter.cli.internal;

import dev.splitter.local.LocalCluster;
import dev.splitter.local.SampleApi;
import dev.splitter.model.RealtimeApi;
import dev.splitter.spi.Change;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.RealtimeApiDeployer;
import java.net.URI;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RealtimeAPIs a file defines, on the local gateway: splitter runs no model servers, so each is
 * either a URL given on the command line or, when asked, a sample server that answers with its
 * name.
 */
final class FileApis implements RealtimeApiDeployer, AutoCloseable {
  /** The most sample servers at once: each is a listening socket and a few threads. */
  static final int MAX_SAMPLES = 32;

  private final LocalCluster cluster;
  private final Map<String, URI> given;
  private final boolean startSamples;
  private final Map<String, URI> registered = new ConcurrentHashMap<>();
  private final Map<String, SampleApi> samples = new LinkedHashMap<>();

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
    if (samples.size() >= MAX_SAMPLES) {
      throw new CliException(
          "RealtimeAPI "
              + api.name()
              + " would be sample server number "
              + (MAX_SAMPLES + 1)
              + "; serve starts at most "
              + MAX_SAMPLES
              + ": delete splitters you no longer use, or give it --api "
              + api.name()
              + "=http://HOST:PORT");
    }
    SampleApi sample = SampleApi.start(api.name());
    samples.put(api.name(), sample);
    cluster.registerApi(api.name(), sample.uri());
    registered.put(api.name(), sample.uri());
    return Change.CREATED;
  }

  Map<String, URI> given() {
    return given;
  }

  /** Where the sample server of this API listens. */
  synchronized URI sampleUri(String api) {
    SampleApi sample = samples.get(api);
    if (sample == null) {
      throw new IllegalArgumentException("no sample server for " + api);
    }
    return sample.uri();
  }

  /** The sample servers running now, by API name. */
  synchronized Set<String> samples() {
    return Set.copyOf(samples.keySet());
  }

  /**
   * Stops the sample servers no deployed splitter targets any more (deleted, or deployed again
   * without them); an API given with {@code --api} stays registered.
   */
  synchronized void stopUnused() {
    Set<String> targeted = new HashSet<>();
    for (DeployedSplitter deployed : cluster.routing().list()) {
      deployed.spec().apis().forEach(api -> targeted.add(api.name()));
    }
    for (Iterator<Map.Entry<String, SampleApi>> it = samples.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, SampleApi> sample = it.next();
      if (!targeted.contains(sample.getKey())) {
        cluster.unregisterApi(sample.getKey());
        registered.remove(sample.getKey());
        sample.getValue().close();
        it.remove();
      }
    }
  }

  @Override
  public synchronized void close() {
    samples.values().forEach(SampleApi::close);
    samples.clear();
  }
}

package dev.splitter.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.BackendException;
import dev.splitter.model.TrafficSplitter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SupportTest {
  private static final TrafficSplitter SPLITTER =
      TrafficSplitter.builder().name("ts").target("a", 80).target("b", 20).build();

  @Test
  void foreignFailuresKeepTheirWordsAndWhetherARetryMayHelp() {
    BackendCalls calls = BackendCalls.of("consul");

    assertThatThrownBy(
            () ->
                calls.call(
                    "put",
                    "ts",
                    () -> {
                      throw new UncheckedIOException(new ConnectException("Connection refused"));
                    }))
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> {
              assertThat(e)
                  .hasMessage("consul: put ts: java.net.ConnectException: Connection refused");
              assertThat(e.retryable()).isTrue();
              assertThat(e.getCause()).isInstanceOf(UncheckedIOException.class);
            });
    assertThatThrownBy(
            () ->
                calls.run(
                    "put",
                    "ts",
                    () -> {
                      throw new IllegalArgumentException("bad key");
                    }))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.retryable()).isFalse());
  }

  @Test
  void aSplitterExceptionPassesThroughUnwrapped() {
    BackendException inner = BackendCalls.of("a").refuse("check", "ts", "no");

    assertThatThrownBy(
            () ->
                BackendCalls.of("b")
                    .run(
                        "apply",
                        "ts",
                        () -> {
                          throw inner;
                        }))
        .isSameAs(inner);
  }

  @Test
  void httpStatusesThatMaySucceedLater() {
    assertThat(List.of(0, 408, 409, 429, 500, 503)).allMatch(BackendCalls::retryableStatus);
    assertThat(List.of(200, 400, 403, 404, 422)).noneMatch(BackendCalls::retryableStatus);
  }

  @Test
  void attemptsStopWhenDoneOrThrowWhenExhausted() {
    AtomicInteger tries = new AtomicInteger();
    Attempts.upTo(
        3, () -> tries.incrementAndGet() == 2, () -> new IllegalStateException("exhausted"));
    assertThat(tries).hasValue(2);

    AtomicInteger always = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Attempts.upTo(
                    3,
                    () -> always.incrementAndGet() < 0,
                    () -> new IllegalStateException("gave up")))
        .hasMessage("gave up");
    assertThat(always).hasValue(3);
  }

  @Test
  void eachAttemptStartsFromWhatThePreviousLearned() {
    StringBuilder seen = new StringBuilder();
    Attempts.upTo(
        5,
        "a",
        state -> {
          seen.append(state);
          return state.length() < 3 ? Optional.of(state + "a") : Optional.empty();
        },
        IllegalStateException::new);
    assertThat(seen).hasToString("aaaaaa");
  }

  @Test
  void aStoredSpecRoundTripsAndAHandEditedOneIsABackendError() {
    String json = StoredSpec.encode(SPLITTER);

    assertThat(StoredSpec.decode(json, "istio", "VirtualService m/ts")).isEqualTo(SPLITTER);
    assertThat(StoredSpec.hash(SPLITTER)).hasSize(StoredSpec.HASH_LENGTH);
    assertThatThrownBy(() -> StoredSpec.decode("{\"name\": 3", "istio", "VirtualService m/ts"))
        .isInstanceOf(BackendException.class)
        .hasMessageStartingWith("istio: read VirtualService m/ts: its spec cannot be read")
        .hasMessageEndingWith("; deploy the splitter again to rewrite it");
  }

  @Test
  void managedMarksAndStoredTimes() {
    assertThat(StoredSpec.isManaged(Map.of("k", "splitter"), "k")).isTrue();
    assertThat(StoredSpec.isManaged(Map.of("k", "helm"), "k")).isFalse();
    assertThat(StoredSpec.instant("2026-11-26T10:00:00Z"))
        .contains(Instant.parse("2026-11-26T10:00:00Z"));
    assertThat(StoredSpec.instant("yesterday")).isEmpty();
    assertThat(StoredSpec.instant(null)).isEmpty();
  }

  @Test
  void endpointOwnersAreSortedPerEndpoint() {
    Map<String, List<String>> owners =
        EndpointOwners.of(
            List.of("/x=zed", "/x=abe", "/y=mid"),
            Set.of("/x", "/z"),
            (object, endpoint) -> object.startsWith(endpoint + "="),
            object -> object.substring(object.indexOf('=') + 1));

    assertThat(owners).containsExactly(Map.entry("/x", List.of("abe", "zed")));
  }
}

package example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.splitter.junit.LocalSplitter;
import dev.splitter.junit.LocalSplitterTest;
import dev.splitter.junit.Responses;
import dev.splitter.junit.SplitAssert;
import dev.splitter.junit.SplitterEndpoint;
import dev.splitter.local.SampleApi;
import dev.splitter.model.TrafficSplitter;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** The test README shows, word for word, on JUnit 5. */
@LocalSplitterTest(deploy = "cortex.yaml") // a test resource, else a file; its RealtimeAPIs start as sample APIs
class ModelAbTest {
  @Test
  void splitsTwentyEighty(LocalSplitter splitter, @SplitterEndpoint("traffic-splitter") URI endpoint) {
    assertEquals("/traffic-splitter", endpoint.getPath());
    Responses responses = splitter.send("traffic-splitter", 2_000);   // POSTs, counted by API
    SplitAssert.assertSplit(responses).matches(20, 80);               // the file's order
  }

  @Test
  void aCandidateTakesTenPercent(LocalSplitter splitter) {
    splitter.sampleApi("my-api");
    splitter.sampleApi(SampleApi.builder("my-api-v2").failureRate(0.1));   // or registerApi(name, uri)
    splitter.deploy(TrafficSplitter.builder().name("ab").target("my-api", 90).target("my-api-v2", 10).build());
    SplitAssert.assertSplit(splitter.send("ab", 5_000)).matches(90, 10);
  }
}

package example;

import dev.splitter.core.Deployer;
import dev.splitter.local.LocalCluster;
import dev.splitter.local.SampleApi;
import dev.splitter.model.SplitterConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** splitter-local: deploy on the embedded gateway and send one prediction through it. */
public final class LocalUse {
  public static void main(String[] args) throws Exception {
    Quiet.check(LocalUse::run);
  }

  static void run() throws Exception {
    ValidationUse.run();
    try (LocalCluster cluster = LocalCluster.start();
        SampleApi mine = SampleApi.start("my-api");
        SampleApi another = SampleApi.start("another-my-api")) {
      cluster.registerApi(mine.name(), mine.uri());
      cluster.registerApi(another.name(), another.uri());
      Deployer deployer = cluster.deployer();
      CoreUse.expect(
          deployer.deploy(SplitterConfig.parse(Files.SPLITTER_ONLY, "cortex.yaml")).messages(),
          "created traffic-splitter (TrafficSplitter)");
      URI endpoint = cluster.endpointUrl("traffic-splitter");
      HttpResponse<String> answer =
          HttpClient.newBuilder()
              .proxy(HttpClient.Builder.NO_PROXY)
              .build()
              .send(
                  HttpRequest.newBuilder(endpoint)
                      .POST(HttpRequest.BodyPublishers.ofString("{}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200 || !answer.body().contains("\"prediction\": \"ok\"")) {
        throw new AssertionError("the gateway answered " + answer.statusCode() + " " + answer.body());
      }
      System.out.println("local: " + answer.headers().firstValue("x-splitter-api").orElseThrow() + " answered");
      deployer.delete("traffic-splitter");
    }
  }
}

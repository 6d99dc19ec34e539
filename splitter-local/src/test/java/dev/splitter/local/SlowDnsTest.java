package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A target whose name takes seconds to resolve never holds the gateway's event loop: with one loop,
 * a request to another splitter is answered while the lookup is still pending.
 */
@Timeout(60)
class SlowDnsTest {
  private static final long LOOKUP_MILLIS = 3_000;

  private final EventLoopGroup dnsLoop = new NioEventLoopGroup(1);
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Vertx vertx;
  private LocalCluster cluster;
  private SampleApi api;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (api != null) {
      api.close();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    dnsLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void aSlowLookupOfOneTargetDoesNotHoldRequestsToAnother() throws Exception {
    int dnsPort = slowDnsServer();
    vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(1)
                .setAddressResolverOptions(
                    new AddressResolverOptions()
                        .addServer("127.0.0.1:" + dnsPort)
                        .setSearchDomains(List.of())
                        .setQueryTimeout(20_000)
                        .setMaxQueries(1)));
    cluster =
        LocalCluster.builder().vertx(vertx).healthInterval(java.time.Duration.ofHours(1)).start();
    api = SampleApi.start("api");
    cluster.registerApi("fast", api.uri());
    cluster.registerApi(
        "slow", URI.create("http://slow.splitter.test:" + api.uri().getPort() + "/"));
    deploy("to-fast", "fast");
    deploy("to-slow", "slow");

    CompletableFuture<HttpResponse<String>> slow = post("to-slow");
    Thread.sleep(300); // its lookup is under way
    HttpResponse<String> fast = post("to-fast").get(30, TimeUnit.SECONDS);

    assertThat(fast.statusCode()).isEqualTo(200);
    assertThat(slow).as("the slow target's answer, still waiting for its name").isNotDone();
    assertThat(slow.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
  }

  private CompletableFuture<HttpResponse<String>> post(String splitter) {
    return http.sendAsync(
        HttpRequest.newBuilder(cluster.endpointUrl(splitter))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void deploy(String splitter, String target) {
    cluster
        .deployer()
        .deploy(
            SplitterConfig.of(
                new TrafficSplitter(
                    splitter,
                    new Networking("/" + splitter, ApiGateway.NONE),
                    List.of(new TargetApi(target, 100, false)))));
  }

  /** A DNS server on loopback that answers every A query with 127.0.0.1, seconds later. */
  private int slowDnsServer() {
    Channel channel =
        new Bootstrap()
            .group(dnsLoop)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<DatagramChannel>() {
                  @Override
                  protected void initChannel(DatagramChannel channel) {
                    channel
                        .pipeline()
                        .addLast(new DatagramDnsQueryDecoder())
                        .addLast(new DatagramDnsResponseEncoder())
                        .addLast(new SlowAnswers());
                  }
                })
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  private static final class SlowAnswers extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      DnsQuestion asked = query.recordAt(DnsSection.QUESTION);
      DatagramDnsResponse response =
          new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(asked.name(), asked.type()));
      if (asked.type() == DnsRecordType.A) {
        response.addRecord(
            DnsSection.ANSWER,
            new DefaultDnsRawRecord(
                asked.name(),
                DnsRecordType.A,
                0, // nothing cached: every lookup is slow
                Unpooled.wrappedBuffer(new byte[] {127, 0, 0, 1})));
      }
      ctx.executor()
          .schedule(() -> ctx.writeAndFlush(response), LOOKUP_MILLIS, TimeUnit.MILLISECONDS);
    }
  }
}

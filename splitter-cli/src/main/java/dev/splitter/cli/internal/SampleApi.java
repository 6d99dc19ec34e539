package dev.splitter.cli.internal;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for a model server: answers every POST with {@code {"api": NAME, ...}}, so the demo
 * can show which API each prediction reached. Listens on 127.0.0.1, on a free port.
 */
public final class SampleApi implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService workers = Executors.newFixedThreadPool(4);

  private SampleApi(String name) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            int size = body.readAllBytes().length;
            byte[] answer =
                ("{\"api\": \""
                        + name
                        + "\", \"prediction\": \"ok\", \"bytes_read\": "
                        + size
                        + "}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(answer);
            }
          }
        });
    server.setExecutor(workers);
    server.start();
  }

  public static SampleApi start(String name) {
    try {
      return new SampleApi(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}

package dev.splitter.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target that misbehaves on purpose, over a real socket: each accepted connection is served by a
 * {@link Conversation} that reads and writes raw bytes, so it can cut an answer short, send a body
 * after HEAD, or stream forever. Counts connections, open and accepted.
 */
final class RawTarget implements AutoCloseable {
  /** What the target does with one connection. */
  interface Conversation {
    void talk(Socket socket, InputStream in) throws IOException;
  }

  private final String name;
  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile Conversation conversation;

  private RawTarget(String name, Conversation conversation) throws IOException {
    this.name = name;
    this.conversation = conversation;
    this.server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptAll);
  }

  static RawTarget start(String name, Conversation conversation) {
    try {
      return new RawTarget(name, conversation);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Changes what later requests get, to turn a target bad or good again. */
  void behave(Conversation conversation) {
    this.conversation = conversation;
  }

  String name() {
    return name;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
  }

  int accepted() {
    return accepted.get();
  }

  int open() {
    return open.size();
  }

  private void acceptAll() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.incrementAndGet();
        open.add(socket);
        threads.execute(
            () -> {
              try (socket) {
                conversation.talk(socket, socket.getInputStream());
              } catch (IOException e) {
                // the gateway hung up: part of what the tests provoke
              } finally {
                open.remove(socket);
              }
            });
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /** A request's head, lower-cased, up to the blank line; null when the peer closed first. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  /** Reads a request's head and its Content-Length body; null when the peer closed first. */
  static String readRequest(InputStream in) throws IOException {
    String head = readHead(in);
    if (head == null) {
      return null;
    }
    for (String line : head.split("\r\n")) {
      if (line.startsWith("content-length:")) {
        in.readNBytes(Integer.parseInt(line.substring("content-length:".length()).trim()));
      }
    }
    return head;
  }

  static void write(Socket socket, String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
  }

  /** Reads one request, sends {@code raw} as it is and closes: an answer cut short, say. */
  static Conversation answerOnceThenClose(String raw) {
    return (socket, in) -> {
      readRequest(in);
      write(socket, raw);
    };
  }

  /** Answers every request on the connection 200 with its name, keeping it alive. */
  static Conversation healthy(String name) {
    return (socket, in) -> {
      while (readRequest(in) != null) {
        String body = "{\"api\": \"" + name + "\"}";
        write(socket, "HTTP/1.1 200 OK\r\ncontent-length: " + body.length() + "\r\n\r\n" + body);
      }
    };
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    open.forEach(
        socket -> {
          try {
            socket.close();
          } catch (IOException e) {
            // closing anyway
          }
        });
    threads.shutdownNow();
  }
}

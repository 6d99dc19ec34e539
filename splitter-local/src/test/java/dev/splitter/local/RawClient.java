package dev.splitter.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A client that speaks raw bytes to the gateway, to behave as no library would. */
final class RawClient implements AutoCloseable {
  private final Socket socket;

  RawClient(URI gateway) {
    try {
      socket = new Socket(gateway.getHost(), gateway.getPort());
      socket.setSoTimeout(10_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RawClient send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    socket.getOutputStream().flush();
    return this;
  }

  RawClient send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /** Everything until the gateway closes, or what came until {@code wait} passed. */
  String readUntilClosed(Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[8192];
    try {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        all.write(buffer, 0, read);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "still open after "
              + wait
              + "; read so far: "
              + all.toString(StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      // reset: the connection is gone, which is what the callers wait for
    }
    return all.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads until {@code text} has arrived, or fails. */
  String readUntil(String text, Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    StringBuilder seen = new StringBuilder();
    InputStream in = socket.getInputStream();
    while (seen.indexOf(text) < 0) {
      int b;
      try {
        b = in.read();
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no '" + text + "' within " + wait + "; read: " + seen, e);
      }
      if (b < 0) {
        throw new AssertionError("closed before '" + text + "'; read: " + seen);
      }
      seen.append((char) b);
    }
    return seen.toString();
  }

  Socket socket() {
    return socket;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}

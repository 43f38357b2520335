package dev.hotmem.embed.onnx;

import dev.hotmem.embed.Embedder;
import dev.hotmem.embed.Embedders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM by {@link NoNetworkTest}: records every connection attempt the JDK's
 * networking makes and lets none of them leave the process, then loads and uses the local models
 * named by the arguments through {@link Embedders}. Prints {@code NETWORK <what>} per attempt and
 * {@code EMBEDDED <count> <dimension>} at the end.
 *
 * <p>Two hooks, installed before any model class loads:
 *
 * <ul>
 *   <li>a {@link Socket#setSocketImplFactory socket factory} whose sockets record the address and
 *       fail to connect: this catches every {@code java.net.Socket}, including the ones {@code
 *       HttpURLConnection} opens with {@code Proxy.NO_PROXY}, which is how DJL probes the cloud
 *       metadata address (a {@code ProxySelector} alone never sees those);
 *   <li>a {@link ProxySelector} that records every URI it is asked about and answers with a proxy
 *       on a closed loopback port, for clients that go through the selector.
 * </ul>
 */
public final class NoNetworkProbe {
  private NoNetworkProbe() {}

  @SuppressWarnings("deprecation") // setSocketImplFactory: the one hook under every java.net.Socket
  public static void main(String[] args) throws IOException {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      deadPort = s.getLocalPort();
    }
    Socket.setSocketImplFactory(RefusingSocket::new);
    InetSocketAddress dead = new InetSocketAddress(InetAddress.getLoopbackAddress(), deadPort);
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            report("proxy-selector " + uri);
            return List.of(new Proxy(Proxy.Type.HTTP, dead));
          }

          @Override
          public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
    int count = 0;
    int dimension = 0;
    for (String spec : args) {
      Embedder e = Embedders.create(spec, Map.of());
      List<float[]> v = e.embed(List.of("Where did Caroline move from?", "She moved from Sweden."));
      count += v.size();
      dimension = e.dimension();
      e.embed("one more query");
      count++;
    }
    System.out.println("EMBEDDED " + count + " " + dimension);
  }

  private static synchronized void report(String what) {
    System.out.println("NETWORK " + what);
    System.out.flush();
  }

  /** A socket that records where it was asked to connect and never connects. */
  private static final class RefusingSocket extends SocketImpl {
    private ConnectException refuse(String where) {
      report("socket " + where);
      return new ConnectException("network blocked by NoNetworkProbe: " + where);
    }

    @Override
    protected void create(boolean stream) {}

    @Override
    protected void connect(String host, int port) throws IOException {
      throw refuse(host + ":" + port);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
      throw refuse(address + ":" + port);
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
      throw refuse(String.valueOf(address));
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
      throw refuse("bind " + host + ":" + port);
    }

    @Override
    protected void listen(int backlog) throws IOException {
      throw refuse("listen");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
      throw refuse("accept");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
      throw new IOException("not connected");
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
      throw new IOException("not connected");
    }

    @Override
    protected int available() {
      return 0;
    }

    @Override
    protected void close() {}

    @Override
    protected void sendUrgentData(int data) throws IOException {
      throw new IOException("not connected");
    }

    @Override
    public void setOption(int optID, Object value) {}

    @Override
    public Object getOption(int optID) {
      return null;
    }
  }
}

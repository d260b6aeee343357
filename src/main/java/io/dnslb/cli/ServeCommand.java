package io.dnslb.cli;

import io.dnslb.app.LogFormat;
import io.dnslb.app.Server;
import io.dnslb.config.ConfigError;
import io.dnslb.config.Settings;
import java.io.PrintStream;
import java.net.BindException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/** {@code dnslb serve}: run until SIGTERM or SIGINT. */
final class ServeCommand {
  static final String HELP = String.join("\n",
      "usage: dnslb serve [--config FILE] [--zones DIR] [--dns ADDR:PORT]... [--http ADDR:PORT|off]",
      "                   [--debug]",
      "",
      "Answers DNS over UDP and TCP for every *.zone and *.pools.conf file in the zones directory.",
      "",
      "  --config FILE       HOCON settings file (defaults and their meaning: reference.conf)",
      "  --zones DIR         zones directory (default: ./zones)",
      "  --dns ADDR:PORT     DNS listen address, repeatable (default: 127.0.0.1:5300;",
      "                      IPv6 as [::1]:5300)",
      "  --http ADDR:PORT    status/metrics endpoint, or 'off' (default: 127.0.0.1:8053)",
      "  --debug             print stack traces for start-up failures");

  private ServeCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) throws UsageError {
    Flags f = Flags.parse("serve", args, ConfigFlags.WITH_VALUE, ConfigFlags.SWITCHES);
    if (f.answered(out, HELP)) {
      return 0;
    }
    Map<String, Object> overrides = ConfigFlags.listenOverrides(f, "serve");
    Settings settings;
    try {
      settings = ConfigFlags.load(f, overrides);
    } catch (ConfigError e) {
      err.println(e.getMessage());
      return 1;
    }
    LogFormat.apply(settings.logFormat());
    Server server = new Server(settings);
    // SIGTERM and SIGINT are handled rather than left to shutdown hooks, so that a clean stop
    // exits 0 (a JVM killed through its hooks exits 143) after the in-flight answers are out.
    // Installed before the server starts: the JVM's default for SIGHUP is to exit, and a SIGHUP
    // (systemctl reload, a test) arriving once DNS answers but before these lines ran killed it.
    // A SIGHUP during the start is kept and reloads once serving.
    CountDownLatch stop = new CountDownLatch(1);
    Signals.on("TERM", stop::countDown);
    Signals.on("INT", stop::countDown);
    Signals.on("HUP", server::requestReload);
    try {
      server.start();
    } catch (ConfigError e) {
      err.println(e.getMessage());
      return 1;
    } catch (OutOfMemoryError e) {
      server.close();
      err.println("dnslb: cannot start: out of memory with a maximum heap of "
          + (Runtime.getRuntime().maxMemory() >> 20) + " MiB; raise -Xmx (about 400 bytes per"
          + " zone record while loading)");
      return 1;
    } catch (Exception e) {
      err.println("dnslb: cannot start: " + describe(e));
      if (f.has("--debug")) {
        e.printStackTrace(err);
      }
      server.close();
      return 1;
    }
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LoggerFactory.getLogger(ServeCommand.class).info("stopping");
    server.close();
    LoggerFactory.getLogger(ServeCommand.class).info("stopped");
    return 0;
  }

  private static String describe(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    if (e instanceof BindException) {
      if (m.contains("Permission denied")) {
        return m + " (ports below 1024 need CAP_NET_BIND_SERVICE: see deploy/README.md)";
      }
      if (m.contains("in use")) {
        return m + " (another program listens there)";
      }
    }
    return m;
  }
}

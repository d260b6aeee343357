package io.dnslb.cluster;

import io.dnslb.json.Json;
import io.dnslb.json.JsonWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * etcd v3 through its JSON gateway ({@code /v3/kv/range}, {@code /v3/kv/txn},
 * {@code /v3/lease/grant}, {@code /v3/watch}, …), over the JDK's HTTP client: no dependency beyond
 * the JDK. Each call tries the endpoints in turn, starting with the last one that answered, so a
 * dead member or a leader election costs one timeout at most. Keys and values are base64 on the
 * wire and UTF-8 strings here. Blocking: call from the cluster's own threads, never an event loop.
 */
final class EtcdGateway {
  /** One key-value pair as etcd returns it. */
  record KeyValue(String key, String value, long modRevision) {}

  /** A watch event: a put (value set) or a delete (value null). */
  record Event(String key, String value) {}

  static final class EtcdException extends IOException {
    EtcdException(String message) {
      super(message);
    }
  }

  private final List<URI> endpoints;
  private final Duration timeout;
  private final HttpClient http;
  private volatile int preferred;

  EtcdGateway(List<String> endpoints, Duration timeout) {
    List<URI> uris = new ArrayList<>();
    for (String e : endpoints) {
      uris.add(URI.create(e.endsWith("/") ? e.substring(0, e.length() - 1) : e));
    }
    this.endpoints = List.copyOf(uris);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout)
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Grants a lease of this many seconds; returns its id. */
  long grant(long ttlSeconds) throws IOException {
    Map<?, ?> r = call("/v3/lease/grant", Map.of("TTL", ttlSeconds));
    return Long.parseLong(String.valueOf(r.get("ID")));
  }

  /** Renews a lease; false when etcd no longer has it (it expired: our keys are gone). */
  boolean keepAlive(long lease) throws IOException {
    Map<?, ?> r = call("/v3/lease/keepalive", Map.of("ID", Long.toString(lease)));
    Object result = r.get("result");
    Object ttl = result instanceof Map<?, ?> m ? m.get("TTL") : null;
    return ttl != null && Long.parseLong(String.valueOf(ttl)) > 0;
  }

  void revoke(long lease) throws IOException {
    call("/v3/lease/revoke", Map.of("ID", Long.toString(lease)));
  }

  /** Every key under the prefix, and the store revision they were read at. */
  List<KeyValue> range(String prefix, long[] revisionOut) throws IOException {
    Map<?, ?> r = call("/v3/kv/range", Map.of("key", b64(prefix), "range_end", b64(rangeEnd(prefix))));
    revisionOut[0] = Long.parseLong(String.valueOf(((Map<?, ?>) r.get("header")).get("revision")));
    List<KeyValue> out = new ArrayList<>();
    Object kvs = r.get("kvs");
    if (kvs instanceof List<?> list) {
      for (Object o : list) {
        Map<?, ?> kv = (Map<?, ?>) o;
        out.add(new KeyValue(unb64(kv.get("key")), unb64(kv.get("value")),
            Long.parseLong(String.valueOf(kv.get("mod_revision")))));
      }
    }
    return out;
  }

  /** Several puts (lease 0: none) and deletes in one transaction: all or nothing. */
  void txn(List<String[]> puts, long lease, List<String> deletes) throws IOException {
    List<Object> ops = new ArrayList<>();
    for (String[] kv : puts) {
      Map<String, Object> put = new LinkedHashMap<>();
      put.put("key", b64(kv[0]));
      put.put("value", b64(kv[1]));
      if (lease != 0) {
        put.put("lease", Long.toString(lease));
      }
      ops.add(Map.of("request_put", put));
    }
    for (String key : deletes) {
      ops.add(Map.of("request_delete_range", Map.of("key", b64(key))));
    }
    Map<?, ?> r = call("/v3/kv/txn", Map.of("success", ops));
    if (!Boolean.TRUE.equals(r.get("succeeded"))) {
      throw new EtcdException("transaction not applied");
    }
  }

  void put(String key, String value, long lease) throws IOException {
    txn(List.<String[]>of(new String[] {key, value}), lease, List.of());
  }

  /** Deletes one key; returns whether it existed. */
  boolean delete(String key) throws IOException {
    Map<?, ?> r = call("/v3/kv/deleterange", Map.of("key", b64(key)));
    Object deleted = r.get("deleted");
    return deleted != null && Long.parseLong(String.valueOf(deleted)) > 0;
  }

  /**
   * Watches every key under the prefix from a revision on, calling {@code events} for each batch,
   * until the stream ends or fails (then it throws). Blocks the calling thread for as long.
   */
  void watch(String prefix, long fromRevision, Consumer<List<Event>> events,
      Runnable onCreated) throws IOException, InterruptedException {
    Map<String, Object> create = new LinkedHashMap<>();
    create.put("key", b64(prefix));
    create.put("range_end", b64(rangeEnd(prefix)));
    create.put("start_revision", Long.toString(fromRevision));
    create.put("progress_notify", true);
    String body = JsonWriter.write(Map.of("create_request", create));
    URI uri = endpoints.get(preferred).resolve("/v3/watch");
    HttpResponse<Stream<String>> resp;
    try {
      resp = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofDays(3650))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      preferred = (preferred + 1) % endpoints.size();
      throw e;
    }
    if (resp.statusCode() != 200) {
      throw new EtcdException(uri + ": HTTP " + resp.statusCode());
    }
    try (Stream<String> lines = resp.body()) {
      var it = lines.iterator();
      while (it.hasNext()) {
        String line = it.next();
        if (line.isBlank()) {
          continue;
        }
        Map<?, ?> doc = (Map<?, ?>) Json.parse(line);
        Object result = doc.get("result");
        if (!(result instanceof Map<?, ?> r)) {
          throw new EtcdException("watch ended: " + line);
        }
        if (Boolean.TRUE.equals(r.get("created"))) {
          onCreated.run();
        }
        if (Boolean.TRUE.equals(r.get("canceled")) || r.get("compact_revision") != null
            && !"0".equals(String.valueOf(r.get("compact_revision")))) {
          throw new EtcdException("watch canceled: " + line);
        }
        Object evs = r.get("events");
        if (evs instanceof List<?> list && !list.isEmpty()) {
          List<Event> batch = new ArrayList<>();
          for (Object o : list) {
            Map<?, ?> ev = (Map<?, ?>) o;
            Map<?, ?> kv = (Map<?, ?>) ev.get("kv");
            boolean delete = "DELETE".equals(ev.get("type"));
            batch.add(new Event(unb64(kv.get("key")), delete ? null : unb64(kv.get("value"))));
          }
          events.accept(batch);
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException();
        }
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    throw new EtcdException("watch stream ended");
  }

  /** POSTs the request (a tree for {@link JsonWriter}) to each endpoint in turn until one answers. */
  private Map<?, ?> call(String path, Object request) throws IOException {
    String body = JsonWriter.write(request);
    IOException last = null;
    int start = preferred;
    for (int i = 0; i < endpoints.size(); i++) {
      int k = (start + i) % endpoints.size();
      URI uri = endpoints.get(k).resolve(path);
      try {
        HttpResponse<String> r = whole(HttpRequest.newBuilder(uri).timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() == 200) {
          preferred = k;
          return (Map<?, ?>) Json.parse(r.body());
        }
        last = new EtcdException(uri + ": HTTP " + r.statusCode() + " " + r.body().strip());
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EtcdException("interrupted");
      } catch (RuntimeException e) {
        last = new EtcdException(uri + ": " + e.getMessage());
      }
    }
    throw last;
  }

  /**
   * Sends and waits for the whole response within the timeout. The request's own timeout ends at
   * the response headers: a member that sends headers and then stalls the body (a 30,000-key
   * range on an overloaded member was seen to) would otherwise hold the calling thread, and with
   * it the lease keep-alives, for as long as it likes.
   */
  private HttpResponse<String> whole(HttpRequest request) throws IOException, InterruptedException {
    CompletableFuture<HttpResponse<String>> pending =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    try {
      return pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new HttpTimeoutException(request.uri() + ": no whole answer within "
          + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new EtcdException(request.uri() + ": " + e.getCause());
    }
  }

  /** The key just past every key with this prefix: the prefix with its last byte plus one. */
  static String rangeEnd(String prefix) {
    byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
    b[b.length - 1]++;
    return new String(b, StandardCharsets.UTF_8);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String unb64(Object o) {
    return o == null ? "" : new String(Base64.getDecoder().decode(String.valueOf(o)),
        StandardCharsets.UTF_8);
  }
}

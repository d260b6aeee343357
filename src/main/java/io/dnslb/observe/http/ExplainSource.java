package io.dnslb.observe.http;

import java.util.Map;

/**
 * What {@code GET /v1/explain} shows, supplied by the app: a JSON-able tree (maps, lists,
 * strings, numbers, booleans, nulls) with a {@code "lines"} list of the same explanation in words,
 * which the {@code explain} command prints. Called on an event loop; reads snapshots only.
 */
@FunctionalInterface
public interface ExplainSource {
  /**
   * @param type "A" or "AAAA"; null or empty: A
   * @param client the querying address; null or empty: 127.0.0.1
   * @param ecs an EDNS Client Subnet prefix such as 203.0.113.0/24; null or empty: none
   * @throws IllegalArgumentException for a bad parameter, with a message for the operator
   */
  Map<String, Object> explain(String name, String type, String client, String ecs);
}

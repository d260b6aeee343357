package io.dnslb.cluster;

/**
 * {@code dnslb.cluster.down-quorum}: how many of the servers that have a verdict on a member must
 * see it down for the fleet to take it out. {@code majority} is more than half, so with three
 * servers a backend that only one of them cannot reach stays in (a partial view is not a failure).
 */
public record DownQuorum(String spec) {
  /** @param voters the live servers with a verdict on the member, at least 1 */
  public int needed(int voters) {
    return switch (spec) {
      case "majority" -> voters / 2 + 1;
      case "any" -> 1;
      case "all" -> voters;
      // a number larger than the fleet would keep a dead backend in forever: cap it
      default -> Math.min(Integer.parseInt(spec), voters);
    };
  }
}

package io.dnslb.pool;

/**
 * How many serving members a pool needs for a parent pool to count it as serving: a count
 * ({@code min-healthy = 2}) or a share of the members that may serve ({@code "50%"}, rounded
 * up, at least 1). Below it, a parent's failover moves to the next site before this one is
 * down to its last, overloaded member.
 */
public record MinHealthy(int count, int percent) {
  public static final MinHealthy ONE = new MinHealthy(1, 0);

  /** The serving members needed out of {@code eligible} (members not taken out by admin). */
  public int required(int eligible) {
    if (percent > 0) {
      return Math.max(1, (eligible * percent + 99) / 100);
    }
    return count;
  }

  @Override
  public String toString() {
    return percent > 0 ? percent + "%" : Integer.toString(count);
  }
}
